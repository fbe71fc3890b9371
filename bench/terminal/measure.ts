/**
 * The two measurements, over any terminal transport: throughput of a large output and keystroke round trip (a
 * character typed at the prompt until its echo comes back). A transport is "type this, tell me what came out".
 */

export interface Transport {
  write(data: string): void
  /** Called with every output chunk (bytes as text). */
  onOutput(listener: (text: string) => void): void
}

const MARKER = 'BENCH-DONE'

/** Prints `bytes` bytes (lines of 'a') and returns MB/s until the end marker arrives. */
export async function throughput(
  transport: Transport,
  bytes: number,
): Promise<{ mbPerSecond: number; seconds: number }> {
  let tail = ''
  let received = 0
  let done: () => void
  const finished = new Promise<void>((resolve) => (done = resolve))
  let counting = false
  transport.onOutput((text) => {
    if (!counting) return
    received += text.length
    tail = (tail + text).slice(-64)
    if (tail.includes(`${MARKER}-${bytes}`)) done()
  })
  counting = true
  const started = performance.now()
  // The marker is built by the shell (not echoed from the command line) so the echo cannot end the measurement.
  transport.write(
    `yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | head -c ${bytes}; echo ${MARKER}-$((${bytes}))\r`,
  )
  await finished
  const seconds = (performance.now() - started) / 1000
  counting = false
  return { mbPerSecond: received / 1e6 / seconds, seconds }
}

/** Types `count` characters one at a time, each after the previous echo, and returns the round trips in ms. */
export async function keystrokes(transport: Transport, count: number): Promise<number[]> {
  let waiting: ((text: string) => void) | null = null
  transport.onOutput((text) => waiting?.(text))
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    await new Promise<void>((resolve) => {
      waiting = (text) => {
        if (text.includes('k')) {
          waiting = null
          resolve()
        }
      }
      transport.write('k')
    })
    times.push(performance.now() - started)
    if (i % 50 === 49) transport.write('\x15')
  }
  transport.write('\x15')
  return times
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
