import type { KObject } from '../cluster/store.ts'
import { CILIUM_DEFAULTS, CILIUM_VERSIONS, ciliumNotes, ciliumObjects } from './cilium-chart.ts'

/** A chart the offline lab can install: its versions, defaults, notes, and the objects it renders. */
export interface Chart {
  versions: string[]
  appVersion: (version: string) => string
  defaults: Record<string, unknown>
  notes: (version: string) => string
  objects: (namespace: string, version: string, values: Record<string, unknown>) => KObject[]
}

/** Charts by repository URL and name. */
export const CHARTS: Record<string, Record<string, Chart>> = {
  'https://helm.cilium.io': {
    cilium: {
      versions: CILIUM_VERSIONS,
      appVersion: (v) => v,
      defaults: CILIUM_DEFAULTS,
      notes: ciliumNotes,
      objects: ciliumObjects,
    },
  },
}

/** The chart of a release (`cilium` in a release's record), from whichever repository holds it. */
export function chartNamed(name: string): Chart | undefined {
  for (const charts of Object.values(CHARTS)) if (charts[name]) return charts[name]
  return undefined
}
