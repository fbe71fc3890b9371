import { stringify } from 'yaml'

/** Parses helm's `--set a.b=c,d=e` into nested values, typed like helm's strvals (true/false, integers, strings). */
export function parseSet(sets: string[]): Record<string, unknown> {
  const values: Record<string, any> = {}
  for (const set of sets) {
    for (const pair of set.split(/,(?![^{]*})/)) {
      const eq = pair.indexOf('=')
      if (eq <= 0) throw new Error(`failed parsing --set data: key "${pair}" has no value`)
      const path = pair.slice(0, eq).split('.')
      const raw = pair.slice(eq + 1)
      const value =
        raw === 'true'
          ? true
          : raw === 'false'
            ? false
            : /^-?\d+$/.test(raw)
              ? Number(raw)
              : raw === 'null'
                ? null
                : raw
      let node = values
      for (const key of path.slice(0, -1))
        node = node[key] = typeof node[key] === 'object' && node[key] !== null ? node[key] : {}
      node[path.at(-1)!] = value
    }
  }
  return values
}

/** Reads `a.b.c` from nested values. */
export const valueAt = (values: Record<string, unknown>, path: string): unknown =>
  path.split('.').reduce<any>((node, key) => (node === undefined || node === null ? undefined : node[key]), values)

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * helm's CoalesceValues for two levels of values: `overrides` over `base`, maps merged key by key, anything else
 * replaced; a null in `overrides` removes the key, as `--set key=null` does.
 */
export function coalesceValues(
  base: Record<string, unknown>,
  overrides: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = structuredClone(base)
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete result[key]
    else if (isMap(value) && isMap(result[key]))
      result[key] = coalesceValues(result[key] as Record<string, unknown>, value)
    else result[key] = structuredClone(value)
  }
  return result
}

/**
 * Values as helm prints them (sigs.k8s.io/yaml: keys sorted, lists not indented under their key); a release
 * installed without values has none, which prints as `null`.
 */
export function valuesYaml(values: Record<string, unknown>): string {
  return Object.keys(values).length === 0 ? 'null\n' : stringify(values, { sortMapEntries: true, indentSeq: false })
}
