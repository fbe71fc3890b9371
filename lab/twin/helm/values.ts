/** Parses helm's `--set a.b=c,d=e` into nested values, typed like helm's strvals (true/false, integers, strings). */
export function parseSet(sets: string[]): Record<string, unknown> {
  const values: Record<string, any> = {}
  for (const set of sets) {
    for (const pair of set.split(/,(?![^{]*})/)) {
      const eq = pair.indexOf('=')
      if (eq <= 0) throw new Error(`failed parsing --set data: key "${pair}" has no value`)
      const path = pair.slice(0, eq).split('.')
      const raw = pair.slice(eq + 1)
      const value = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+$/.test(raw) ? Number(raw) : raw === 'null' ? null : raw
      let node = values
      for (const key of path.slice(0, -1)) node = node[key] = typeof node[key] === 'object' && node[key] !== null ? node[key] : {}
      node[path.at(-1)!] = value
    }
  }
  return values
}

/** Reads `a.b.c` from nested values. */
export const valueAt = (values: Record<string, unknown>, path: string): unknown =>
  path.split('.').reduce<any>((node, key) => (node === undefined || node === null ? undefined : node[key]), values)
