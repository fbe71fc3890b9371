import { lbIpamNames } from './controllers/lb-ipam-names.ts'
import type { PrinterColumn } from './resources.ts'
import type { KObject } from './store.ts'

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }

interface CrdOptions {
  group: string
  kind: string
  plural: string
  version: string
  namespaced: boolean
  shortNames?: string[]
  columns?: PrinterColumn[]
  /** Older versions still served (MetalLB serves v1alpha1 and v1beta1 of some kinds). */
  alsoServed?: string[]
}

/** A CustomResourceDefinition object as an operator or a manifest would register it. */
export function crd(o: CrdOptions): KObject {
  const version = (name: string, storage: boolean) => ({
    name,
    served: true,
    storage,
    ...(o.columns ? { additionalPrinterColumns: o.columns } : {}),
  })
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${o.plural}.${o.group}` },
    spec: {
      group: o.group,
      names: {
        kind: o.kind,
        listKind: `${o.kind}List`,
        plural: o.plural,
        singular: o.kind.toLowerCase(),
        ...(o.shortNames ? { shortNames: o.shortNames } : {}),
      },
      scope: o.namespaced ? 'Namespaced' : 'Cluster',
      versions: [...(o.alsoServed ?? []).map((v) => version(v, false)), version(o.version, true)],
    },
  }
}

/**
 * The CRDs Cilium 1.13's operator registers with the chart's defaults (pkg/k8s/synced/crd.go agentCRDResourceNames
 * plus the operator's CiliumExternalWorkload; CiliumCIDRGroup came in 1.14): endpoint slices, egress gateway, local
 * redirect and Envoy configs only when their features are on, which the lab never turns on; BGP's only with
 * bgpControlPlane.enabled. Columns from the CRDs' additionalPrinterColumns (pkg/k8s/apis/cilium.io/client/crds).
 */
export function ciliumCrds(bgpControlPlane: boolean, version = '1.13.0-rc5'): KObject[] {
  const cilium = (
    kind: string,
    plural: string,
    namespaced: boolean,
    shortNames?: string[],
    columns?: PrinterColumn[],
    version = 'v2',
  ) => crd({ group: 'cilium.io', kind, plural, version, namespaced, shortNames, columns })
  const crds = [
    cilium('CiliumNetworkPolicy', 'ciliumnetworkpolicies', true, ['cnp', 'ciliumnp']),
    cilium('CiliumClusterwideNetworkPolicy', 'ciliumclusterwidenetworkpolicies', false, ['ccnp']),
    cilium(
      'CiliumIdentity',
      'ciliumidentities',
      false,
      ['ciliumid'],
      [{ name: 'Namespace', type: 'string', jsonPath: '.metadata.labels.io\\.kubernetes\\.pod\\.namespace' }, age],
    ),
    cilium(
      'CiliumEndpoint',
      'ciliumendpoints',
      true,
      ['cep', 'ciliumep'],
      [
        { name: 'Endpoint ID', type: 'integer', jsonPath: '.status.id' },
        { name: 'Identity ID', type: 'integer', jsonPath: '.status.identity.id' },
        // 1.13 prints the policy state (`<status disabled>` by default), no longer the enforcing flag.
        { name: 'Ingress Enforcement', type: 'string', jsonPath: '.status.policy.ingress.state' },
        { name: 'Egress Enforcement', type: 'string', jsonPath: '.status.policy.egress.state' },
        { name: 'Visibility Policy', type: 'string', jsonPath: '.status.visibility-policy-status' },
        { name: 'Endpoint State', type: 'string', jsonPath: '.status.state' },
        { name: 'IPv4', type: 'string', jsonPath: '.status.networking.addressing[0].ipv4' },
        { name: 'IPv6', type: 'string', jsonPath: '.status.networking.addressing[0].ipv6' },
      ],
    ),
    cilium(
      'CiliumExternalWorkload',
      'ciliumexternalworkloads',
      false,
      ['cew'],
      [
        { name: 'Cilium ID', type: 'integer', jsonPath: '.status.id' },
        { name: 'IP', type: 'string', jsonPath: '.status.ip' },
      ],
    ),
    cilium('CiliumNodeConfig', 'ciliumnodeconfigs', true, undefined, undefined, 'v2alpha1'),
    crd({
      group: 'cilium.io',
      kind: 'CiliumLoadBalancerIPPool',
      plural: 'ciliumloadbalancerippools',
      // Promoted to cilium.io/v2 in 1.18, v2alpha1 still served.
      version: atLeast(version, 1, 18) ? 'v2' : 'v2alpha1',
      alsoServed: atLeast(version, 1, 18) ? ['v2alpha1'] : undefined,
      namespaced: false,
      shortNames: ['ippool', 'ippools', 'lbippool', 'lbippools'],
      columns: [
        { name: 'Disabled', type: 'boolean', jsonPath: '.spec.disabled' },
        {
          name: 'Conflicting',
          type: 'string',
          jsonPath: `.status.conditions[?(@.type=="${lbIpamNames(version).poolConflict}")].status`,
        },
        {
          name: 'IPs Available',
          type: 'string',
          jsonPath: `.status.conditions[?(@.type=="${lbIpamNames(version).ipsAvailable}")].message`,
        },
        age,
      ],
    }),
    crd({
      group: 'cilium.io',
      kind: 'CiliumNode',
      plural: 'ciliumnodes',
      version: 'v2',
      namespaced: false,
      shortNames: ['cn', 'ciliumn'],
    }),
  ]
  if (bgpControlPlane) {
    crds.push(
      crd({
        group: 'cilium.io',
        kind: 'CiliumBGPPeeringPolicy',
        plural: 'ciliumbgppeeringpolicies',
        version: 'v2alpha1',
        namespaced: false,
        shortNames: ['bgpp'],
      }),
    )
    if (atLeast(version, 1, 18)) crds.push(...bgpV2Crds())
  }
  return crds
}

/** Whether a Cilium version (`1.18.2`, `1.13.0-rc5`) is at least major.minor. */
export function atLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split(/[.-]/).map(Number)
  return a > major || (a === major && b >= minor)
}

/**
 * The BGP v2 CRDs as Cilium 1.18 registers them: cilium.io/v2 (v2alpha1 since 1.16, still served), cluster scoped, with
 * an Age column and the short names of pkg/k8s/apis/cilium.io/v2 bgp_*_types.go.
 */
function bgpV2Crds(): KObject[] {
  const v2 = (kind: string, shortName: string) =>
    crd({
      group: 'cilium.io',
      kind,
      plural: `${kind.toLowerCase()}s`,
      version: 'v2',
      alsoServed: ['v2alpha1'],
      namespaced: false,
      shortNames: [shortName],
      columns: [age],
    })
  return [
    v2('CiliumBGPClusterConfig', 'cbgpcluster'),
    v2('CiliumBGPPeerConfig', 'cbgppeer'),
    v2('CiliumBGPAdvertisement', 'cbgpadvert'),
    v2('CiliumBGPNodeConfig', 'cbgpnode'),
    v2('CiliumBGPNodeConfigOverride', 'cbgpnodeoverride'),
  ]
}

/** The seven CRDs of the MetalLB 0.13.10 manifest, in the manifest's order. */
export function metallbCrds(): KObject[] {
  const group = 'metallb.io'
  const m = (kind: string, plural: string, version: string, columns?: PrinterColumn[], alsoServed?: string[]) =>
    crd({ group, kind, plural, version, namespaced: true, columns, alsoServed })
  return [
    m('AddressPool', 'addresspools', 'v1beta1', undefined, ['v1alpha1']),
    m('BFDProfile', 'bfdprofiles', 'v1beta1'),
    m('BGPAdvertisement', 'bgpadvertisements', 'v1beta1'),
    m('BGPPeer', 'bgppeers', 'v1beta2', undefined, ['v1beta1']),
    m('Community', 'communities', 'v1beta1'),
    m('IPAddressPool', 'ipaddresspools', 'v1beta1', [
      { name: 'Auto Assign', type: 'boolean', jsonPath: '.spec.autoAssign' },
      { name: 'Avoid Buggy IPs', type: 'boolean', jsonPath: '.spec.avoidBuggyIPs' },
      { name: 'Addresses', type: 'string', jsonPath: '.spec.addresses' },
    ]),
    m('L2Advertisement', 'l2advertisements', 'v1beta1', [
      { name: 'IPAddressPools', type: 'string', jsonPath: '.spec.ipAddressPools' },
      { name: 'IPAddressPool Selectors', type: 'string', jsonPath: '.spec.ipAddressPoolSelectors' },
      { name: 'Interfaces', type: 'string', jsonPath: '.spec.interfaces' },
      { name: 'Node Selectors', type: 'string', jsonPath: '.spec.nodeSelectors', priority: 10 },
    ]),
  ]
}
