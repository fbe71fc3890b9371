import { atLeast } from '../crds.ts'

/** What a Cilium release calls LB-IPAM's status conditions and the annotation a service requests addresses with. */
export interface LbIpamNames {
  /** The service condition: could LB-IPAM satisfy the request? */
  satisfied: string
  ipsTotal: string
  ipsAvailable: string
  ipsUsed: string
  poolConflict: string
  /** Annotations read for requested IPs, the first one set wins. */
  ipsAnnotations: string[]
}

/** Cilium 1.13's operator/pkg/lbipam/lbipam.go (its pool CRD's Conflicting column reads `io.cilium/conflict`). */
const NAMES_1_13: LbIpamNames = {
  satisfied: 'io.cilium/lb-ipam-request-satisfied',
  ipsTotal: 'io.cilium/ips-total',
  ipsAvailable: 'io.cilium/ips-available',
  ipsUsed: 'io.cilium/ips-used',
  poolConflict: 'io.cilium/conflict',
  ipsAnnotations: ['io.cilium/lb-ipam-ips'],
}

/** Cilium 1.18's (API cilium.io/v2): Kubernetes-style condition types, and `lbipam.cilium.io/ips` with the old key as an alias. */
const NAMES_1_18: LbIpamNames = {
  satisfied: 'cilium.io/IPAMRequestSatisfied',
  ipsTotal: 'cilium.io/IPsTotal',
  ipsAvailable: 'cilium.io/IPsAvailable',
  ipsUsed: 'cilium.io/IPsUsed',
  poolConflict: 'cilium.io/PoolConflict',
  ipsAnnotations: ['lbipam.cilium.io/ips', 'io.cilium/lb-ipam-ips'],
}

/**
 * The names of the running release. The twin ships 1.13.0-rc5 and 1.18.2, the two rows checked against Cilium's
 * source; the pool conditions already had the new names in the 1.15 docs, so the cut is put at 1.14.
 */
export const lbIpamNames = (version: string | undefined): LbIpamNames =>
  version !== undefined && atLeast(version, 1, 14) ? NAMES_1_18 : NAMES_1_13

/** Both releases' service condition types: a pool gone after an upgrade releases what either one allocated. */
export const SATISFIED_TYPES = [NAMES_1_13.satisfied, NAMES_1_18.satisfied]
