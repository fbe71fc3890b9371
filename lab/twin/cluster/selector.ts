import { CodedError } from '../../../protocol/coded-error.ts'

/**
 * A metav1.LabelSelector. `Gt` and `Lt` exist only in kubectl's `-l` syntax (`tier>2`, labels.Parse); an object's
 * selector with them is refused by validateSelector, as by the API server.
 */
export interface LabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: {
    key: string
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt'
    values?: string[]
  }[]
}

/** Stable error for a selector the API server would refuse. */
export class SelectorError extends CodedError<'TWIN_SELECTOR_INVALID'> {
  constructor(message: string) {
    super('TWIN_SELECTOR_INVALID', message)
  }
}

/** Checks a selector like metav1.LabelSelectorAsSelector does (`NotIn` and `In` need values). */
export function validateSelector(selector: LabelSelector, where: string): void {
  for (const [i, e] of (selector.matchExpressions ?? []).entries()) {
    const path = `${where}.matchExpressions[${i}]`
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator))
      throw new SelectorError(`${path}.operator: Unsupported value: "${e.operator}"`)
    if ((e.operator === 'In' || e.operator === 'NotIn') && !e.values?.length)
      throw new SelectorError(`${path}.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`)
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && e.values?.length)
      throw new SelectorError(
        `${path}.values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
      )
  }
}

/**
 * Whether `labels` match a non-nil selector: all matchLabels and all expressions. An empty selector matches
 * everything; what a nil selector means is the caller's (Cilium: nodeSelector nil = no node, pool serviceSelector nil = all).
 */
export function matches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key)
    const inValues = has && (e.values ?? []).includes(labels[e.key])
    if (e.operator === 'In' && !inValues) return false
    if (e.operator === 'NotIn' && inValues) return false
    if (e.operator === 'Exists' && !has) return false
    if (e.operator === 'DoesNotExist' && has) return false
    // labels.Requirement.Matches: both sides must read as integers, else no match.
    if (e.operator === 'Gt' || e.operator === 'Lt') {
      const value = has && /^-?\d+$/.test(labels[e.key]) ? Number(labels[e.key]) : NaN
      const bound = Number(e.values?.[0])
      if (!(e.operator === 'Gt' ? value > bound : value < bound)) return false
    }
  }
  return true
}

/**
 * Parses kubectl's `-l` syntax as labels.Parse does: `app=cni`, `app==cni`, `tier!=db` (also objects without the
 * label), `env in (a,b)`, `env notin (a,b)` (also objects without it), `team` (exists), `!legacy` (does not exist),
 * `rank>2`, `rank<5`; terms joined by commas are all required.
 */
export function parseSelector(text: string): LabelSelector {
  const selector: Required<LabelSelector> = { matchLabels: {}, matchExpressions: [] }
  const parts = text.match(/[^,(]+(\([^)]*\))?/g) ?? []
  for (const raw of parts.map((p) => p.trim()).filter(Boolean)) {
    let m: RegExpExecArray | null
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(raw))) {
      const values = m[3]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
      if (values.length === 0) throw new SelectorError(`for 'in', 'notin' operators, values set can't be empty`)
      selector.matchExpressions.push({ key: m[1], operator: m[2] === 'in' ? 'In' : 'NotIn', values })
    } else if ((m = /^([\w./-]+)\s*([<>])\s*(\S*)$/.exec(raw))) {
      if (!/^-?\d+$/.test(m[3])) throw new SelectorError(`for 'Gt', 'Lt' operators, the value must be an integer`)
      selector.matchExpressions.push({ key: m[1], operator: m[2] === '>' ? 'Gt' : 'Lt', values: [m[3]] })
    } else if ((m = /^([\w./-]+)\s*!=\s*([\w.-]*)$/.exec(raw))) {
      selector.matchExpressions.push({ key: m[1], operator: 'NotIn', values: [m[2]] })
    } else if ((m = /^([\w./-]+)\s*==?\s*([\w.-]*)$/.exec(raw))) {
      // An expression rather than matchLabels: `a=1,a=2` requires both, as in labels.Parse (so selects nothing).
      selector.matchExpressions.push({ key: m[1], operator: 'In', values: [m[2]] })
    } else if ((m = /^!([\w./-]+)$/.exec(raw))) {
      selector.matchExpressions.push({ key: m[1], operator: 'DoesNotExist' })
    } else if ((m = /^([\w./-]+)$/.exec(raw))) {
      selector.matchExpressions.push({ key: m[1], operator: 'Exists' })
    } else {
      throw new SelectorError(`unable to parse requirement: found '${raw}', expected: identifier`)
    }
  }
  return selector
}
