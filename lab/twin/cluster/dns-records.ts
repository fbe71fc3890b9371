import { CLUSTER_DOMAIN } from './bootstrap.ts'
import type { KObject, ObjectStore } from './store.ts'

/** A headless service's endpoint name: CoreDNS names an endpoint without a hostname after its dashed address. */
const dashed = (ip: string) => ip.replace(/\./g, '-')

/** A service's ready addresses, from its Endpoints object. */
const readyAddresses = (store: ObjectStore, svc: KObject): string[] =>
  (store.get('Endpoints', svc.metadata.namespace, svc.metadata.name)?.subsets ?? []).flatMap(
    (s: { addresses?: { ip: string }[] }) => (s.addresses ?? []).map((a) => a.ip),
  )

/**
 * The A records CoreDNS's kubernetes plugin serves for services, as a hosts file for dnsmasq: a ClusterIP service's
 * name is its ClusterIP; a headless service's name is each ready endpoint address, which also gets
 * `<dashed-ip>.<svc>.<ns>.svc.<domain>`. The first name on a line answers the reverse (PTR) query, as CoreDNS's do.
 * ExternalName services have no address (CoreDNS answers a CNAME the hosts file cannot hold).
 */
export function clusterDnsHosts(store: ObjectStore, domain = CLUSTER_DOMAIN): string {
  const lines: string[] = []
  for (const svc of store.list('Service')) {
    const name = `${svc.metadata.name}.${svc.metadata.namespace}.svc.${domain}`
    const clusterIP: string | undefined = svc.spec?.clusterIP
    if (svc.spec?.type === 'ExternalName' || !clusterIP) continue
    if (clusterIP !== 'None') lines.push(`${clusterIP} ${name}`)
    else for (const ip of readyAddresses(store, svc)) lines.push(`${ip} ${dashed(ip)}.${name} ${name}`)
  }
  return lines.map((line) => `${line}\n`).join('')
}
