/**
 * `npm run build`: the course site, built as `npm run learn` builds it (only when its sources changed, into a fresh
 * folder switched in at once, one build at a time), for a container image or a classroom machine prepared ahead.
 */
import { resolve } from 'node:path'
import { exitOnCodedError } from '../toolchain/cli/exit-on-coded-error.ts'
import { courseSite, ensureSite } from '../toolchain/site/ensure-site.ts'

const site = courseSite(resolve(import.meta.dirname, '..'))
await ensureSite(site, console.log).catch(exitOnCodedError('The course site is not ready'))
console.log(`The course site is ready in ${site.outDir}`)
