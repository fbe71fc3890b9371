/**
 * The hub under test, in its own process so its CPU and memory are measured apart from the simulated learners.
 * Prints its URL on stdout; answers `stats` over IPC with its own cpuUsage and memory.
 */
import { createHub } from '../../instructor/hub/create-hub.ts'

const chapters = Array.from({ length: 9 }, (_, i) => ({ id: `chapter-${i}`, order: i, title: `Chapter ${i}` }))
const hub = await createHub({ chapters, instructorSecret: 'bench-secret', workshopCode: 'BENCH-CODE0' })
process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') process.send?.({ type: 'stats', cpu: process.cpuUsage(), memory: process.memoryUsage(), at: performance.now() })
  if (message.type === 'stop') void hub.close().then(() => process.exit(0))
})
process.send?.({ type: 'ready', url: hub.url })
