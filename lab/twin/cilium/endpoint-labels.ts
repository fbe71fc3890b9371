import type { KObject } from '../cluster/store.ts'

/**
 * The agent's default identity-relevant label prefixes (pkg/labelsfilter/filter.go defaultLabelPrefixCfg): a
 * pattern matches a label key from its start; `!` ignores. No include list is configured, so a label is kept unless
 * an ignore matches it over a longer stretch than the longest include does.
 */
const PREFIXES: { source?: string; pattern: RegExp; ignore: boolean }[] = [
  { source: 'reserved', pattern: /.*/, ignore: false },
  ...[
    'io\\.kubernetes\\.pod\\.namespace',
    'io\\.cilium\\.k8s\\.namespace\\.labels',
    'app\\.kubernetes\\.io',
    'io\\.cilium\\.k8s\\.policy\\.cluster',
  ].map((p) => ({ pattern: new RegExp(p), ignore: false })),
  ...[
    'io\\.kubernetes',
    'kubernetes\\.io',
    'statefulset\\.kubernetes\\.io/pod-name',
    'apps\\.kubernetes\\.io/pod-index',
    'batch\\.kubernetes\\.io/job-completion-index',
    '.*beta\\.kubernetes\\.io',
    'k8s\\.io',
    'pod-template-generation',
    'pod-template-hash',
    'controller-revision-hash',
    'annotation.*',
    'etcd_node',
  ].map((p) => ({ pattern: new RegExp(p), ignore: true })),
]

/** Length of the stretch `pattern` matches at the start of `key` (Go's FindStringIndex at 0), or 0. */
function matchedLength(pattern: RegExp, key: string): number | undefined {
  const match = pattern.exec(key)
  return match?.index === 0 ? match[0].length : undefined
}

/** labelsfilter.Filter's verdict on one `source:key` label: whether it counts for the identity. */
function identityRelevant(source: string, key: string): boolean {
  let included = 0
  let ignored = 0
  for (const prefix of PREFIXES) {
    if (prefix.source !== undefined && prefix.source !== source) continue
    const length = matchedLength(prefix.pattern, key)
    if (length === undefined) continue
    if (prefix.ignore) ignored = ignored === 0 || length < ignored ? length : ignored
    else included = Math.max(included, length)
  }
  return ignored === 0 || included > ignored
}

/** `source:key=value` as pkg/labels Label.String prints it (no `=` for an empty value), kept if identity-relevant. */
function securityLabels(source: string, labels: Record<string, string>): string[] {
  return Object.entries(labels)
    .filter(([key]) => identityRelevant(source, key))
    .map(([key, value]) => (value === '' ? `${source}:${key}` : `${source}:${key}=${value}`))
}

/**
 * A pod endpoint's security-relevant labels, as the 1.13 agent derives them (pkg/k8s/utils GetPodMetadata and
 * pkg/k8s watcher's pod labels): the pod's labels, its namespace, service account and cluster name, and its
 * namespace's labels under io.cilium.k8s.namespace.labels., filtered as above and sorted as the CLI sorts them.
 */
export function podEndpointLabels(pod: KObject, namespace: KObject | undefined, clusterName: string): string[] {
  const namespaceLabels = Object.entries(namespace?.metadata.labels ?? {}).map(([key, value]) => [
    `io.cilium.k8s.namespace.labels.${key}`,
    value,
  ])
  return securityLabels('k8s', {
    ...pod.metadata.labels,
    ...Object.fromEntries(namespaceLabels),
    'io.cilium.k8s.policy.cluster': clusterName,
    'io.cilium.k8s.policy.serviceaccount': pod.spec?.serviceAccountName ?? 'default',
    'io.kubernetes.pod.namespace': pod.metadata.namespace ?? 'default',
  }).sort()
}

/** The host endpoint's labels: the node's labels that pass the filter (a kind node keeps its role labels) and reserved:host. */
export function hostEndpointLabels(node: KObject | undefined): string[] {
  return [...securityLabels('k8s', node?.metadata.labels ?? {}), 'reserved:host'].sort()
}
