import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, it } from 'vitest'
import { describeLabBackendContract } from '../contract-suite.ts'
import { runBash } from '../run-bash.ts'
import { createRealBackend } from './backend.ts'
import { preflight } from './preflight.ts'

/**
 * The LabBackend contract for the real backend, on a machine that has the real lab's tools (a Docker engine, kind,
 * containerlab, helm, kubectl). Elsewhere it is skipped, with the reason in the suite's name and on stdout.
 */

/** Why the contract cannot run here, or undefined when it can. */
async function whyNot(): Promise<string | undefined> {
  const found = await preflight()
  if (found.missing.length > 0) return `missing or not working: ${found.missing.map((tool) => tool.name).join(', ')}`
  // The backend's down() removes the course's kind cluster, clab lab and bridges: never those of a lab already here.
  const existing = await runBash(
    'kind get clusters 2>/dev/null | grep -x clab-bgp; ip -o link show br-leaf0 2>/dev/null; ip -o link show br-leaf1 2>/dev/null',
    { timeoutMs: 20_000 },
  )
  if (existing.stdout.trim())
    return `this machine already has a course lab (kind cluster clab-bgp or the br-leaf bridges) that down() would remove`
  return undefined
}

const reason = await whyNot()
const workspace = mkdtempSync(join(tmpdir(), 'real-contract-'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

if (reason) {
  console.info(`real backend contract skipped: ${reason}`)
  describe.skip(`LabBackend contract: real (skipped: ${reason})`, () => {
    it('needs the real lab tools', () => undefined)
  })
} else {
  describeLabBackendContract('real', () => createRealBackend({ workspace }), {
    courseFiles: true,
    toolCommands: [
      'kubectl version --client',
      'helm version --short',
      'kind version',
      'containerlab version',
      "docker info --format '{{.ServerVersion}}'",
    ],
  })
}
