import type { Readable } from 'node:stream'

/** Longest log line passed on, in characters; the rest of a longer one is dropped. */
export const DAEMON_LOG_LINE_MAX = 8192

/**
 * Reads the twin daemon's log (its stderr) line by line, holding at most `DAEMON_LOG_LINE_MAX` characters of a line.
 *
 * The daemon runs as the lab's uid, and root in a lab has the same uid: a sandboxed learner can take the daemon's
 * stderr (pidfd_getfd, ptrace) and write into it. readline keeps a line until its newline, so a line with none grew in
 * the caller (the hub, for a hosted lab) until V8's string limit threw out of a stream handler and ended the process,
 * and every other learner's lab with it. With no `onLine` the log is read and dropped, so the daemon never blocks on it.
 */
export function followDaemonLog(stream: Readable, onLine?: (line: string) => void): void {
  if (!onLine) {
    stream.resume()
    return
  }
  let line = ''
  let cut = false
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    const parts = chunk.split('\n')
    parts.forEach((part, i) => {
      cut ||= line.length + part.length > DAEMON_LOG_LINE_MAX
      line = (line + part.slice(0, DAEMON_LOG_LINE_MAX)).slice(0, DAEMON_LOG_LINE_MAX)
      if (i === parts.length - 1) return
      onLine(cut ? `${line} [cut]` : line)
      line = ''
      cut = false
    })
  })
  stream.on('end', () => {
    if (line) onLine(cut ? `${line} [cut]` : line)
  })
}
