/**
 * `docker ps --filter KEY=VALUE` as Docker 24 applies it: the CLI checks the form (opts.FilterOpt: `bad format of
 * filter (expected name=value)`), the daemon the keys and values (moby daemon/list.go: `invalid filter '<key>'`,
 * `invalid filter 'status=<value>'`). Values of one key are alternatives, different keys must all match, and a
 * `status` filter lists stopped containers without -a. `name` and `id` are regular expressions, as the daemon matches
 * them (a name with its leading slash); `label` is `KEY` or `KEY=VALUE`; `ancestor` an image reference (no tag:
 * `latest`).
 */
import type { ContainerInfo } from '../context.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { containerId } from './container-id.ts'
import { stateWord } from './container-state.ts'
import { DockerFlagError } from './docker-flags.ts'

/** Filter key -> its values. */
export type PsFilter = Map<string, string[]>

/** The daemon's answer to a filter it refuses (exit 1, not a flag error). */
export class PsFilterError extends Error {}

const TWIN_KEYS = ['id', 'name', 'label', 'status', 'ancestor']
const OTHER_KEYS = [
  'before',
  'since',
  'volume',
  'network',
  'publish',
  'expose',
  'health',
  'isolation',
  'is-task',
  'exited',
]
const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead']

/** Reads the --filter values; a form, key or value docker refuses throws as docker words it. */
export function parsePsFilters(values: string[]): PsFilter {
  const filter: PsFilter = new Map()
  for (const value of values) {
    const equals = value.indexOf('=')
    if (equals < 0)
      throw new DockerFlagError(
        `invalid argument "${value}" for "-f, --filter" flag: bad format of filter (expected name=value)`,
        'ps',
      )
    const key = value.slice(0, equals).trim().toLowerCase()
    const wanted = value.slice(equals + 1).trim()
    if (OTHER_KEYS.includes(key))
      throw new NotEmulatedError(
        'docker',
        `ps --filter ${key}`,
        `The twin's docker ps filters by ${TWIN_KEYS.join(', ')}; for the rest use docker inspect -f or grep.`,
      )
    if (!TWIN_KEYS.includes(key)) throw new PsFilterError(`Error response from daemon: invalid filter '${key}'`)
    if (key === 'status' && !STATUSES.includes(wanted))
      throw new PsFilterError(`Error response from daemon: invalid filter 'status=${wanted}'`)
    filter.set(key, [...(filter.get(key) ?? []), wanted])
  }
  return filter
}

const regexMatch = (pattern: string, text: string) => {
  try {
    return new RegExp(pattern).test(text)
  } catch {
    return text.includes(pattern)
  }
}

const withTag = (image: string) => (/:[^/]+$/.test(image) ? image : `${image}:latest`)

const KEY_MATCHES: Record<string, (info: ContainerInfo, value: string) => boolean> = {
  id: (info, value) => regexMatch(value, containerId(info)),
  name: (info, value) => regexMatch(value, `/${info.name}`),
  label: (info, value) => {
    const equals = value.indexOf('=')
    return equals < 0 ? value in info.labels : info.labels[value.slice(0, equals)] === value.slice(equals + 1)
  },
  status: (info, value) => stateWord(info) === value,
  ancestor: (info, value) => withTag(info.image) === withTag(value),
}

/** Whether `info` passes every key of `filter` (one of each key's values). */
export const matchesPsFilter = (info: ContainerInfo, filter: PsFilter): boolean =>
  [...filter].every(([key, values]) => values.some((value) => KEY_MATCHES[key](info, value)))
