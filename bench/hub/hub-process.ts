/**
 * The hub under test, in its own process so its CPU and memory are measured apart from the simulated learners.
 * Prints its URL on stdout; answers `stats` over IPC with its own cpuUsage and memory.
 */
import { createHub } from '../../instructor/hub/create-hub.ts'

// The simulated learners name a fresh step per event (s-0, s-1, ...): the course declares enough of them, since the hub
// refuses steps a chapter does not have; and the largest class (500) is above the default cap on rows.
const steps = Array.from({ length: 2000 }, (_, i) => ({ id: `s-${i}` }))
const chapters = Array.from({ length: 9 }, (_, i) => ({ id: `chapter-${i}`, order: i, title: `Chapter ${i}`, steps }))
const hub = await createHub({
  chapters,
  instructorSecret: 'bench-secret',
  workshopCode: 'BENCH-CODE0',
  maxLearners: 1000,
})
process.on('message', (message: { type: string }) => {
  if (message.type === 'stats')
    process.send?.({ type: 'stats', cpu: process.cpuUsage(), memory: process.memoryUsage(), at: performance.now() })
  if (message.type === 'stop') void hub.close().then(() => process.exit(0))
})
process.send?.({ type: 'ready', url: hub.url })
