import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Cluster, LogLine } from '../cluster/cluster.ts'

/**
 * A pod's log as it grows: what the twin's controllers logged for the emulated agents (cilium, coredns, speakers)
 * and what the pod's real server wrote (the busybox httpd's output the lab keeps in `<runDir>/logs/httpd-POD.log`).
 * Each `read()` returns the lines that came since the last one, the first all of them.
 */
export class PodLog {
  private agentSeen = 0
  private lastAgentLine: LogLine | undefined
  private serverOffset = 0
  private partial = ''
  private readonly serverFile: string

  constructor(
    private readonly cluster: Cluster,
    private readonly pod: string,
  ) {
    this.serverFile = join(cluster.lab.runDir, 'logs', `httpd-${pod}.log`)
  }

  read(): LogLine[] {
    return [...this.agentLines(), ...this.serverLines()].sort((a, b) => a.time - b.time)
  }

  private agentLines(): LogLine[] {
    const lines = this.cluster.logs.get(this.pod) ?? []
    // The cluster keeps the last 500 lines: once full, find where this reader stopped by its last line.
    let from = this.agentSeen
    if (this.lastAgentLine !== undefined && lines[from - 1] !== this.lastAgentLine)
      from = lines.lastIndexOf(this.lastAgentLine) + 1
    const fresh = lines.slice(from)
    this.agentSeen = lines.length
    this.lastAgentLine = lines.at(-1)
    return fresh
  }

  private serverLines(): LogLine[] {
    let size: number
    let mtime: number
    try {
      ;({ size, mtimeMs: mtime } = statSync(this.serverFile))
    } catch {
      return []
    }
    if (size <= this.serverOffset) return []
    const buffer = Buffer.alloc(size - this.serverOffset)
    const fd = openSync(this.serverFile, 'r')
    try {
      readSync(fd, buffer, 0, buffer.length, this.serverOffset)
    } finally {
      closeSync(fd)
    }
    this.serverOffset = size
    const lines = (this.partial + buffer.toString('utf8')).split('\n')
    this.partial = lines.pop() ?? ''
    // busybox httpd writes no time of its own: a line is stamped with the file's last write, exact while following.
    return lines.map((text) => ({ time: mtime, text }))
  }
}
