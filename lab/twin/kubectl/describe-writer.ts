import type { Cluster } from '../cluster/cluster.ts'
import { type EventTarget, eventsAbout } from '../cluster/events.ts'
import { humanDuration } from './age.ts'
import { tabwrite } from './tabwriter.ts'

/** Go's time.RFC1123Z as kubectl describe prints timestamps: `Thu, 26 Nov 2026 07:00:00 +0000`. */
export const rfc1123 = (iso: string | undefined) =>
  iso ? new Date(iso).toUTCString().replace('GMT', '+0000') : '<unknown>'

const since = (timestamp: string | undefined, now: number) =>
  timestamp ? humanDuration(now - Date.parse(timestamp)) : '<unknown>'

/**
 * The Events section (describe.go DescribeEvents, 1.23): `none` when there are none (its tab aligns with the fields
 * above it), else a table of its own (the prefix writer is flushed first) in describe's tabwriter (padding 2): the
 * events oldest last-seen first, a repeated one as `<last> (xN over <first>)`, From the source component only.
 */
export function eventsSection(cluster: Cluster, target: EventTarget, none: string, now = Date.now()): string {
  const events = eventsAbout(cluster.store, target)
  if (events.length === 0) return none
  const rows = events.map((e) => {
    const first = since(e.firstTimestamp ?? e.eventTime ?? undefined, now)
    const interval = (e.count ?? 1) > 1 ? `${since(e.lastTimestamp, now)} (x${e.count} over ${first})` : first
    return [
      `  ${e.type}`,
      e.reason,
      interval,
      e.source?.component || e.reportingController || '',
      String(e.message ?? '').trim(),
    ]
  })
  return `Events:\n${tabwrite([['  Type', 'Reason', 'Age', 'From', 'Message'], ['  ----', '------', '----', '----', '-------'], ...rows], { minWidth: 0, padding: 2 })}`
}

/**
 * kubectl describe's output stream (describe.go tabbedString + PrefixWriter, 1.23): lines whose cells are ended by
 * `\t`, aligned by one Go tabwriter (minwidth 0, padding 2) until flushed, so a column's width spans every
 * consecutive line that has a cell in it, whichever section it belongs to.
 */
export class DescribeWriter {
  private pending: string[] = []
  private done = ''

  /** One line at `level` (two spaces each); `\t` ends a cell. */
  line(text: string, level = 0): this {
    this.pending.push('  '.repeat(level) + text)
    return this
  }

  /** printLabelsMultiline: `Title:\tk=v`, then `\tk=v` per further key, sorted; `<none>` when empty. */
  labels(title: string, map: Record<string, string> | undefined): this {
    return this.multiline(
      title,
      Object.keys(map ?? {})
        .sort()
        .map((k) => `${k}=${map![k]}`),
    )
  }

  /** printAnnotationsMultiline for short one-line values: `key: value`, sorted, last-applied-configuration skipped. */
  annotations(map: Record<string, string> | undefined): this {
    const keys = Object.keys(map ?? {})
      .filter((k) => k !== 'kubectl.kubernetes.io/last-applied-configuration')
      .sort()
    return this.multiline(
      'Annotations',
      keys.map((k) => `${k}: ${map![k]}`),
    )
  }

  /** The `Title:\tfirst` / `\tnext` shape shared by labels, annotations, taints and tolerations. */
  multiline(title: string, values: string[]): this {
    if (values.length === 0) return this.line(`${title}:\t<none>`)
    values.forEach((v, i) => this.line(i === 0 ? `${title}:\t${v}` : `\t${v}`))
    return this
  }

  /** PrefixWriter.Flush: what follows is aligned on its own. */
  flush(): this {
    this.done += tabwrite(
      this.pending.map((l) => l.split('\t')),
      { minWidth: 0, padding: 2 },
    )
    this.pending = []
    return this
  }

  /** DescribeEvents: `Events:\t<none>` inside the current alignment, else a flush and the events table. */
  events(cluster: Cluster, target: EventTarget, now: number): this {
    const table = eventsSection(cluster, target, '', now)
    if (!table) return this.line('Events:\t<none>')
    this.flush()
    this.done += table
    return this
  }

  toString(): string {
    this.flush()
    return this.done
  }
}
