import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { netnsEtcDir } from '../net/netns.ts'
import { CLUSTER_DNS_IP, CLUSTER_DOMAIN } from './bootstrap.ts'
import type { KObject } from './store.ts'

/** kubelet 1.23's limits (formDNSConfigFitsLimits): three name servers, six search domains of 256 characters in all. */
const MAX_NAMESERVERS = 3
const MAX_SEARCHES = 6
const MAX_SEARCH_CHARS = 256

interface DnsConfig {
  servers: string[]
  searches: string[]
  options: string[]
}

/** The fields of a resolv.conf kubelet reads (`domain` and the rest are ignored, as kubelet does). */
export function parseResolvConf(text: string): DnsConfig {
  const config: DnsConfig = { servers: [], searches: [], options: [] }
  for (const line of text.split('\n')) {
    const [key, ...values] = line
      .replace(/[#;].*/, '')
      .trim()
      .split(/\s+/)
    if (key === 'nameserver' && values[0]) config.servers.push(values[0])
    else if (key === 'search') config.searches = values.filter(Boolean)
    else if (key === 'options') config.options.push(...values.filter(Boolean))
  }
  return config
}

const unique = (values: string[]) => [...new Set(values)]

/** The pod's spec.dnsConfig added to what its policy gave, options of the same name replaced (kubelet appendDNSConfig). */
function appendDnsConfig(
  base: DnsConfig,
  extra: { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] } | undefined,
): DnsConfig {
  if (!extra) return base
  const options = new Map(base.options.map((o) => [o.split(':')[0], o] as const))
  for (const o of extra.options ?? []) options.set(o.name, o.value === undefined ? o.name : `${o.name}:${o.value}`)
  return {
    servers: unique([...base.servers, ...(extra.nameservers ?? [])]),
    searches: unique([...base.searches, ...(extra.searches ?? [])]),
    options: [...options.values()],
  }
}

/** Drops search domains past kubelet's count and length limits, and name servers past three. */
function fitLimits(config: DnsConfig): DnsConfig {
  const searches = config.searches.slice(0, MAX_SEARCHES)
  while (searches.join(' ').length > MAX_SEARCH_CHARS) searches.pop()
  return { ...config, servers: config.servers.slice(0, MAX_NAMESERVERS), searches }
}

/**
 * The /etc/resolv.conf kubelet gives a pod, in the order containerd writes it (search, nameserver, options), or null
 * when the pod simply sees its node's (dnsPolicy Default, or host network without ClusterFirstWithHostNet). ClusterFirst:
 * `search <ns>.svc.cluster.local svc.cluster.local cluster.local` plus the node's own search domains,
 * `nameserver 10.96.0.10`, `options ndots:5`; then spec.dnsConfig is appended.
 */
export function podResolvConf(pod: KObject, nodeResolvConf: string): string | null {
  const policy: string = pod.spec?.dnsPolicy ?? 'ClusterFirst'
  const dnsConfig = pod.spec?.dnsConfig
  const clusterFirst = policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !pod.spec?.hostNetwork)
  const node = parseResolvConf(nodeResolvConf)
  let base: DnsConfig
  if (policy === 'None') base = { servers: [], searches: [], options: [] }
  else if (clusterFirst) {
    const ns = pod.metadata.namespace ?? 'default'
    base = {
      servers: [CLUSTER_DNS_IP],
      searches: unique([`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN, ...node.searches]),
      options: ['ndots:5'],
    }
  } else if (!dnsConfig) return null
  else base = node
  const config = fitLimits(appendDnsConfig(base, dnsConfig))
  return [
    ...(config.searches.length ? [`search ${config.searches.join(' ')}`] : []),
    ...config.servers.map((s) => `nameserver ${s}`),
    ...(config.options.length ? [`options ${config.options.join(' ')}`] : []),
  ]
    .map((line) => `${line}\n`)
    .join('')
}

/** The machine's resolv.conf stands for the node's (a kind node copies its host's search domains). */
export function nodeResolvConf(): string {
  try {
    return readFileSync('/etc/resolv.conf', 'utf8')
  } catch {
    return ''
  }
}

/**
 * Writes the pod's resolv.conf where `ip netns exec` binds it over /etc (so every command entering the pod sees it), before the pod runs anything (it never changes after:
 * no temp file, which `ip netns exec` would try to bind over /etc too). Returns false when /etc is not writable (a
 * rootless lab: the pod then sees the machine's resolv.conf, as with dnsPolicy Default). The file goes with the
 * namespace (deleteNamespace).
 */
export function writePodResolvConf(netns: string, content: string): boolean {
  const dir = netnsEtcDir(netns)
  try {
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'resolv.conf'), content)
    return true
  } catch (error) {
    if (['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '')) return false
    throw error
  }
}
