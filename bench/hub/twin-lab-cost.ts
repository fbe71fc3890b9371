/**
 * `tsx bench/hub/twin-lab-cost.ts` (as root): what one more hosted twin lab costs. Brings a twin lab up, measures it
 * idle, replays the course's solutions through chapter "BGP at work" (building the fabric, Cilium, peering) while
 * measuring CPU, then measures the running fabric idle. Appends the numbers to bench/results/hub.md.
 */
import { appendFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { replaySolutions } from '../../hosting/replay-solutions.ts'
import { createLab } from '../../lab/index.ts'
import { loadCourse, stepsDir } from '../../toolchain/course/load-course.ts'
import { descendants, namespacePids, type Usage, usage } from './process-usage.ts'

const IDLE_MS = 15_000
const { course } = loadCourse(stepsDir())
const through = course.chapters.find((c) => c.id === 'bgp-at-work')
if (!through) throw new Error('bench: the course has no chapter "bgp-at-work"')

const lab = await createLab('twin')
const sample = (prefix: string): Usage => usage([...descendants(process.pid), ...namespacePids(prefix)])
async function window(
  prefix: string,
  run: () => Promise<unknown>,
): Promise<{ cpuPct: number; seconds: number; after: Usage }> {
  const before = sample(prefix)
  const start = performance.now()
  await run()
  const seconds = (performance.now() - start) / 1000
  const after = sample(prefix)
  return { cpuPct: ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100, seconds, after }
}
const idle = () => new Promise((r) => setTimeout(r, IDLE_MS))

const lines: string[] = []
try {
  const up = performance.now()
  await lab.up()
  const upSeconds = (performance.now() - up) / 1000
  // The lab's namespaces are named after its run dir (<stateRoot>/<labId>/home/lab).
  const labId = basename(dirname(dirname(lab.status().workspace ?? '')))
  const prefix = `${labId}-`
  const idleEmpty = await window(prefix, idle)
  const chapter = await window(prefix, () => replaySolutions(lab, course.chapters, through.order + 1))
  const idleFabric = await window(prefix, idle)
  const row = (what: string, w: { cpuPct: number; seconds: number; after: Usage }) =>
    `| ${what} | ${w.seconds.toFixed(1)} | ${w.cpuPct.toFixed(1)} | ${w.after.processes} | ${w.after.rssMiB.toFixed(0)} | ${w.after.pssMiB.toFixed(0)} |`
  lines.push(
    '',
    '## One more hosted twin lab',
    '',
    `\`tsx bench/hub/twin-lab-cost.ts\` as root, ${new Date().toISOString().slice(0, 16)}Z, same machine. \`up()\` took ${upSeconds.toFixed(1)} s.`,
    "Processes: the twin daemon and everything under it, plus every process inside the lab's network namespaces",
    '(FRR and GoBGP detach from their parent). CPU % is of one core over the window; memory at the end of it.',
    '',
    '| window | seconds | CPU % (one core) | processes | RSS MiB | PSS MiB |',
    '|---|---:|---:|---:|---:|---:|',
    row('lab host up, nothing built, idle', idleEmpty),
    row(`replaying solutions through "${through.title.en}"`, chapter),
    row('fabric + cluster running, idle', idleFabric),
    '',
  )
  const perLabMiB = idleFabric.after.pssMiB
  const perLabCpu = Math.max(idleFabric.cpuPct, 1)
  /** Labs that fit, keeping 20 % of memory and 30 % of CPU free, and which of the two binds. */
  const fitsOn = (cores: number, gib: number) => {
    const byMemory = Math.floor((gib * 1024 * 0.8) / perLabMiB)
    const byCpu = Math.floor((cores * 100 * 0.7) / perLabCpu)
    return `about ${Math.min(byMemory, byCpu)} labs (memory allows ${byMemory}, idle CPU ${byCpu})`
  }
  lines.push(
    `Capacity with labs idle most of the time (${perLabMiB.toFixed(0)} MiB PSS and ${idleFabric.cpuPct.toFixed(1)} % of a core each),`,
    `keeping 20 % of memory and 30 % of CPU free: this machine (${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB) ${fitsOn(cpus().length, totalmem() / 2 ** 30)};`,
    `a 16-core / 64 GiB machine ${fitsOn(16, 64)}. Building a fabric takes ${chapter.cpuPct.toFixed(0)} % of a core for ${chapter.seconds.toFixed(0)} s,`,
    `so a whole class building at the same moment is bounded by cores, not memory: on 16 cores about ${Math.floor((16 * 100 * 0.7) / chapter.cpuPct)}`,
    `labs build at once without queueing. A hosted runner adds a bash per open terminal and a share of the hub's process.`,
  )
} finally {
  await lab.down()
}
appendFileSync(join(import.meta.dirname, '..', 'results', 'hub.md'), `${lines.join('\n')}\n`)
console.log(lines.join('\n'))
