import { CodedError } from '../../../protocol/coded-error.ts'
import { isCidr, parseCidr, randomFree, toInt, toIp, usableRange } from './ipv4.ts'
import type { ResourceType } from './resources.ts'
import { SelectorError, validateSelector } from './selector.ts'
import type { KObject, ObjectStore } from './store.ts'

/** The API server refused an object; `message` reads like its `... is invalid: field: reason`. */
export class AdmissionError extends CodedError<'TWIN_ADMISSION'> {
  constructor(
    message: string,
    readonly reason: 'Invalid' | 'NotFound' | 'AlreadyExists' = 'Invalid',
  ) {
    super('TWIN_ADMISSION', message)
  }
}

const NODE_PORTS = { first: 30000, count: 2768 }

function invalid(type: ResourceType, name: string, field: string, value: unknown, reason: string): AdmissionError {
  const kind = type.group ? `${type.kind}.${type.group}` : type.kind
  return new AdmissionError(
    `${kind} "${name}" is invalid: ${field}: Invalid value: ${JSON.stringify(value)}: ${reason}`,
  )
}

/** ClusterIP and node ports like the service REST storage: kept from the existing object, else allocated at random. */
function admitService(store: ObjectStore, object: KObject, existing: KObject | undefined): void {
  const spec = (object.spec ??= {})
  spec.type ??= 'ClusterIP'
  spec.sessionAffinity ??= 'None'
  const services = store.list('Service').filter((s) => s !== existing)
  if (!spec.clusterIP) {
    // kind's serviceSubnet (10.96.0.0/16 unless the config says otherwise); .1 is the apiserver's.
    const subnet = parseCidr(store.cluster?.serviceSubnet ?? '10.96.0.0/16')
    const used = new Set([subnet.base + 1, ...services.map((s) => toInt(s.spec.clusterIP))])
    spec.clusterIP = existing?.spec?.clusterIP ?? toIp(randomFree(usableRange(subnet), used)!)
  }
  spec.clusterIPs = [spec.clusterIP]
  const usedPorts = new Set(
    services.flatMap((s) => (s.spec.ports ?? []).map((p: { nodePort?: number }) => p.nodePort).filter(Boolean)),
  )
  spec.ports = (spec.ports ?? []).map((port: any, i: number) => {
    const next = { protocol: 'TCP', targetPort: port.port, ...port }
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      next.nodePort ??= existing?.spec?.ports?.[i]?.nodePort ?? randomFree(NODE_PORTS, usedPorts)
      usedPorts.add(next.nodePort)
    } else delete next.nodePort
    return next
  })
}

/** CiliumBGPPeeringPolicy's CRD schema checks: peerAddress must be a CIDR, ASNs integers, selectors valid. */
function admitPeeringPolicy(type: ResourceType, object: KObject): void {
  const name = object.metadata.name
  const routers = object.spec?.virtualRouters
  if (!Array.isArray(routers) || routers.length === 0)
    throw invalid(
      type,
      name,
      'spec.virtualRouters',
      routers ?? null,
      'spec.virtualRouters in body must be of type array',
    )
  routers.forEach((router: any, i: number) => {
    const at = `spec.virtualRouters[${i}]`
    if (!Number.isInteger(router.localASN))
      throw invalid(
        type,
        name,
        `${at}.localASN`,
        router.localASN ?? null,
        `${at}.localASN in body must be of type integer`,
      )
    if (!Array.isArray(router.neighbors))
      throw invalid(
        type,
        name,
        `${at}.neighbors`,
        router.neighbors ?? null,
        `${at}.neighbors in body must be of type array`,
      )
    router.neighbors.forEach((n: any, j: number) => {
      const field = `${at}.neighbors[${j}].peerAddress`
      if (typeof n.peerAddress !== 'string' || !isCidr(n.peerAddress))
        throw invalid(
          type,
          name,
          field,
          n.peerAddress ?? '',
          `${field} in body must be of type cidr: ${JSON.stringify(n.peerAddress ?? '')}`,
        )
      if (!Number.isInteger(n.peerASN))
        throw invalid(
          type,
          name,
          `${at}.neighbors[${j}].peerASN`,
          n.peerASN ?? null,
          `${at}.neighbors[${j}].peerASN in body must be of type integer`,
        )
    })
    if (router.serviceSelector) validateSelector(router.serviceSelector, `${at}.serviceSelector`)
  })
  if (object.spec.nodeSelector) validateSelector(object.spec.nodeSelector, 'spec.nodeSelector')
}

function admitIpPool(type: ResourceType, object: KObject): void {
  object.spec ??= {}
  object.spec.disabled ??= false
  ;(object.spec.cidrs ?? []).forEach((c: { cidr: string }, i: number) => {
    if (!isCidr(c.cidr))
      throw invalid(
        type,
        object.metadata.name,
        `spec.cidrs[${i}].cidr`,
        c.cidr,
        `spec.cidrs[${i}].cidr in body must be of type cidr: ${JSON.stringify(c.cidr)}`,
      )
  })
  if (object.spec.serviceSelector) validateSelector(object.spec.serviceSelector, 'spec.serviceSelector')
}

/**
 * What the API server does to an object before storing it: defaults, allocations and validation. Throws
 * AdmissionError with the server's message.
 */
export function admit(store: ObjectStore, type: ResourceType, object: KObject, existing: KObject | undefined): KObject {
  if (type.namespaced && !store.get('Namespace', undefined, object.metadata.namespace!)) {
    throw new AdmissionError(`namespaces "${object.metadata.namespace}" not found`, 'NotFound')
  }
  try {
    switch (type.kind) {
      case 'Service':
        admitService(store, object, existing)
        break
      case 'CiliumBGPPeeringPolicy':
        admitPeeringPolicy(type, object)
        break
      case 'CiliumLoadBalancerIPPool':
        admitIpPool(type, object)
        break
      case 'IPAddressPool':
        object.spec ??= {}
        object.spec.autoAssign ??= true
        object.spec.avoidBuggyIPs ??= false
        break
      case 'Namespace':
        object.status = { phase: 'Active' }
        break
    }
  } catch (error) {
    if (error instanceof SelectorError) throw invalid(type, object.metadata.name, 'spec', object.spec, error.message)
    throw error
  }
  return object
}
