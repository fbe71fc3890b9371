import { CodedError } from '../../../protocol/coded-error.ts'
import type { KObject } from '../cluster/store.ts'

type Field = (o: KObject) => string

/**
 * The field labels the API server (1.23) answers for, by kind: every kind has metadata.name and metadata.namespace
 * (generic registry); the others come from pkg/apis/core/v1/conversion.go and apps/v1 (AddFieldLabelConversionFunc).
 * An unset field reads as the API server's default (a pod's restartPolicy is Always, a namespace is Active).
 */
const KIND_FIELDS: Record<string, Record<string, Field>> = {
  Pod: {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? 'Always',
    'spec.schedulerName': (o) => o.spec?.schedulerName ?? 'default-scheduler',
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? 'default',
    'status.phase': (o) => o.status?.phase ?? 'Pending',
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  Node: { 'spec.unschedulable': (o) => String(Boolean(o.spec?.unschedulable)) },
  Namespace: { 'status.phase': (o) => o.status?.phase ?? 'Active' },
  Secret: { type: (o) => o.type ?? 'Opaque' },
  ReplicaSet: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  Event: {
    ...Object.fromEntries(
      ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((f) => [
        `involvedObject.${f}`,
        (o: KObject) => String(o.involvedObject?.[f] ?? ''),
      ]),
    ),
    reason: (o) => o.reason ?? '',
    reportingComponent: (o) => o.reportingComponent ?? '',
    source: (o) => o.source?.component ?? '',
    type: (o) => o.type ?? '',
  },
}

const COMMON: Record<string, Field> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
}

/** The API server refused the field selector; `message` is its reason (`field label not supported: spec.type`). */
export class FieldSelectorError extends CodedError<'TWIN_FIELD_SELECTOR'> {
  constructor(message: string) {
    super('TWIN_FIELD_SELECTOR', message)
  }
}

/** Splits at separators not escaped with a backslash, as fields.ParseSelector does. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = ['']
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) parts[parts.length - 1] += text[i] + text[++i]
    else if (text[i] === separator) parts.push('')
    else parts[parts.length - 1] += text[i]
  }
  return parts
}

const unescapeSelector = (text: string) => text.replace(/\\(.)/g, '$1')

/**
 * `--field-selector spec.nodeName=x,status.phase!=Running` as fields.ParseSelector reads it (`=`, `==`, `!=`, terms
 * joined by commas all required) and as the API server checks it for `kind`: a field it does not index is refused.
 */
export function fieldSelector(text: string, kind: string): (o: KObject) => boolean {
  const fields = { ...COMMON, ...KIND_FIELDS[kind] }
  const terms = splitUnescaped(text, ',')
    .filter((term) => term !== '')
    .map((term) => {
      const m = /^(.*?)(!=|==|=)(.*)$/s.exec(term)
      if (!m) throw new FieldSelectorError(`invalid selector: '${text}'; can't understand '${term}'`)
      const label = unescapeSelector(m[1])
      if (!Object.hasOwn(fields, label)) throw new FieldSelectorError(`field label not supported: ${label}`)
      return { read: fields[label], equal: m[2] !== '!=', value: unescapeSelector(m[3]) }
    })
  return (o) => terms.every((t) => (t.read(o) === t.value) === t.equal)
}
