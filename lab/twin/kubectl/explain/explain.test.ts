import { describe, expect, it } from 'vitest'
import { ciliumCrds, metallbCrds } from '../../cluster/crds.ts'
import { useFakeCluster } from '../../cluster/fake-cluster.ts'
import { kubectlTool } from '../kubectl.ts'
import { wrapText } from './wrap-text.ts'

/** `kubectl explain` in kubectl 1.23's layout, from the vendored schemas, on a cluster with or without Cilium's CRDs. */
const fake = useFakeCluster('kubectl-explain-')
const kubectl = (...argv: string[]) => fake.call(kubectlTool, argv)

function createCluster(cilium = false) {
  fake.cluster.store.setCluster({
    name: 'kind',
    podSubnet: '10.98.0.0/16',
    serviceSubnet: '10.96.0.0/16',
    disableDefaultCNI: true,
    createdAt: 0,
    nodes: [],
  })
  if (cilium) for (const crd of ciliumCrds(true)) fake.cluster.store.create(crd)
}

const STANDARD = [
  '   apiVersion\t<string>',
  '     APIVersion defines the versioned schema of this representation of an',
  '     object. Servers should convert recognized schemas to the latest internal',
  '     value, and may reject unrecognized values. More info:',
  '     https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  '',
  '   kind\t<string>',
  '     Kind is a string value representing the REST resource this object',
  '     represents. Servers may infer this from the endpoint the client submits',
  '     requests to. Cannot be updated. In CamelCase. More info:',
  '     https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
  '',
  '   metadata\t<Object>',
  "     Standard object's metadata. More info:",
  '     https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  '',
]

describe('kubectl explain', () => {
  it('explains a resource: kind, version, description and each field with its type', async () => {
    createCluster()
    expect(await kubectl('explain', 'pods')).toEqual({
      exitCode: 0,
      stderr: '',
      stdout: [
        'KIND:     Pod',
        'VERSION:  v1',
        '',
        'DESCRIPTION:',
        '     Pod is a collection of containers that can run on a host. This resource is',
        '     created by clients and scheduled onto hosts.',
        '',
        'FIELDS:',
        ...STANDARD,
        '   spec\t<Object>',
        '     Specification of the desired behavior of the pod. More info:',
        '     https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
        '',
        '   status\t<Object>',
        '     Most recently observed status of the pod. This data may not be up to date.',
        '     Populated by the system. Read-only. More info:',
        '     https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
        '',
        '',
      ].join('\n'),
    })
  })

  it('follows a field path through references and lists: RESOURCE for an object, FIELD for a primitive, -required-', async () => {
    createCluster()
    const ports = await kubectl('explain', 'svc.spec.ports')
    expect(ports.stdout.split('\n').slice(0, 12)).toEqual([
      'KIND:     Service',
      'VERSION:  v1',
      '',
      'RESOURCE: ports <[]Object>',
      '',
      'DESCRIPTION:',
      '     The list of ports that are exposed by this service. More info:',
      '     https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
      '',
      "     ServicePort contains information on service's port.",
      '',
      'FIELDS:',
    ])
    expect(ports.stdout).toContain(
      '\n   port\t<integer> -required-\n     The port that will be exposed by this service.\n\n',
    )
    expect(ports.stdout).toContain('\n   targetPort\t<string>\n')
    expect(await kubectl('explain', 'deployment.spec.replicas')).toEqual({
      exitCode: 0,
      stderr: '',
      stdout:
        'KIND:     Deployment\nVERSION:  apps/v1\n\nFIELD:    replicas <integer>\n\nDESCRIPTION:\n     Number of desired pods. This is a pointer to distinguish between explicit\n     zero and not specified. Defaults to 1.\n',
    })
    expect((await kubectl('explain', 'cm.data.')).stdout).toMatch(
      /^KIND: {5}ConfigMap\nVERSION: {2}v1\n\nFIELD: {4}data <map\[string\]string>\n\nDESCRIPTION:\n {5}Data contains the configuration data\./,
    )
    expect((await kubectl('explain', 'endpointslices')).stdout).toContain('\n   addressType\t<string> -required-\n')
    const containers = (await kubectl('explain', 'deploy.spec.template.spec.containers')).stdout
    expect(containers.split('\n').slice(0, 11)).toEqual([
      'KIND:     Deployment',
      'VERSION:  apps/v1',
      '',
      'RESOURCE: containers <[]Object>',
      '',
      'DESCRIPTION:',
      '     List of containers belonging to the pod. Containers cannot currently be',
      '     added or removed. There must be at least one container in a Pod. Cannot be',
      '     updated.',
      '',
      '     A single application container that you want to run within a pod.',
    ])
    expect(containers).toContain('\n   name\t<string> -required-\n')
    expect(containers).toContain('\n   resources\t<Object>\n')
    expect((await kubectl('explain', 'pod.spec')).stdout).toContain('\n   overhead\t<map[string]string>\n')
    expect((await kubectl('explain', 'nodes.spec.taints')).stdout).toContain('\n   effect\t<string> -required-\n')
  })

  it('explains status types and probes: a probe, a node status, a service load balancer, a workload status', async () => {
    createCluster()
    const probe = (await kubectl('explain', 'pod.spec.containers.livenessProbe')).stdout
    expect(probe.split('\n').slice(0, 13)).toEqual([
      'KIND:     Pod',
      'VERSION:  v1',
      '',
      'RESOURCE: livenessProbe <Object>',
      '',
      'DESCRIPTION:',
      '     Periodic probe of container liveness. Container will be restarted if the',
      '     probe fails. Cannot be updated. More info:',
      '     https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes',
      '',
      '     Probe describes a health check to be performed against a container to',
      '     determine whether it is alive or ready to receive traffic.',
      '',
    ])
    // Fields whose own definition is not carried still print their type, as the API server's reference says Object.
    expect(probe).toContain('\n   exec\t<Object>\n     Exec specifies the action to take.\n\n')
    expect(probe).toContain(
      '\n   failureThreshold\t<integer>\n     Minimum consecutive failures for the probe to be considered failed after\n     having succeeded. Defaults to 3. Minimum value is 1.\n\n',
    )
    expect((await kubectl('explain', 'pods.spec.containers.readinessProbe.httpGet')).stdout).toContain(
      '\n   port\t<string> -required-\n     Name or number of the port to access on the container. Number must be in\n',
    )
    const node = (await kubectl('explain', 'node.status')).stdout
    expect(node).toContain('\n   capacity\t<map[string]string>\n')
    expect(node).toContain('\n   addresses\t<[]Object>\n')
    // A description's enum list keeps its line breaks (formatter.go starts a new line at a list item).
    expect(node).toContain(
      '     Possible enum values:\n     - `"Pending"` means the node has been created/added by the system, but not\n     configured.\n',
    )
    expect(await kubectl('explain', 'svc.status.loadBalancer.ingress')).toEqual({
      exitCode: 0,
      stderr: '',
      stdout: [
        'KIND:     Service',
        'VERSION:  v1',
        '',
        'RESOURCE: ingress <[]Object>',
        '',
        'DESCRIPTION:',
        '     Ingress is a list containing ingress points for the load-balancer. Traffic',
        '     intended for the service should be sent to these ingress points.',
        '',
        '     LoadBalancerIngress represents the status of a load-balancer ingress point:',
        '     traffic intended for the service should be sent to an ingress point.',
        '',
        'FIELDS:',
        '   hostname\t<string>',
        '     Hostname is set for load-balancer ingress points that are DNS based',
        '     (typically AWS load-balancers)',
        '',
        '   ip\t<string>',
        '     IP is set for load-balancer ingress points that are IP based (typically GCE',
        '     or OpenStack load-balancers)',
        '',
        '   ports\t<[]Object>',
        '     Ports is a list of records of service ports If used, every port defined in',
        '     the service should have an entry in it',
        '',
        '',
      ].join('\n'),
    })
    expect((await kubectl('explain', 'svc.status.conditions')).stdout).toContain(
      '\n   lastTransitionTime\t<string> -required-\n',
    )
    expect((await kubectl('explain', 'deploy.status.readyReplicas')).stdout).toBe(
      'KIND:     Deployment\nVERSION:  apps/v1\n\nFIELD:    readyReplicas <integer>\n\nDESCRIPTION:\n     readyReplicas is the number of pods targeted by this Deployment with a\n     Ready Condition.\n',
    )
    expect((await kubectl('explain', 'ds.status')).stdout).toContain('\n   numberReady\t<integer> -required-\n')
    expect((await kubectl('explain', 'pods.status.containerStatuses')).stdout).toContain(
      '\n   restartCount\t<integer> -required-\n',
    )
  })

  it('lists every field of a pod recursively: names and types only, each level 3 columns further', async () => {
    createCluster()
    const { exitCode, stdout } = await kubectl('explain', 'pods', '--recursive')
    expect(exitCode).toBe(0)
    const lines = stdout.split('\n')
    // The layout of a real `kubectl explain node --recursive` (dty1er/kubecolor's explain printer test keeps one):
    // the kind's description, then `name\t<type>` per field, nested fields 3 columns further, no descriptions.
    expect(lines.slice(0, 41)).toEqual([
      'KIND:     Pod',
      'VERSION:  v1',
      '',
      'DESCRIPTION:',
      '     Pod is a collection of containers that can run on a host. This resource is',
      '     created by clients and scheduled onto hosts.',
      '',
      'FIELDS:',
      '   apiVersion\t<string>',
      '   kind\t<string>',
      '   metadata\t<Object>',
      '      annotations\t<map[string]string>',
      '      clusterName\t<string>',
      '      creationTimestamp\t<string>',
      '      deletionGracePeriodSeconds\t<integer>',
      '      deletionTimestamp\t<string>',
      '      finalizers\t<[]string>',
      '      generateName\t<string>',
      '      generation\t<integer>',
      '      labels\t<map[string]string>',
      '      managedFields\t<[]Object>',
      '         apiVersion\t<string>',
      '         fieldsType\t<string>',
      '         fieldsV1\t<map[string]>',
      '         manager\t<string>',
      '         operation\t<string>',
      '         subresource\t<string>',
      '         time\t<string>',
      '      name\t<string>',
      '      namespace\t<string>',
      '      ownerReferences\t<[]Object>',
      '         apiVersion\t<string>',
      '         blockOwnerDeletion\t<boolean>',
      '         controller\t<boolean>',
      '         kind\t<string>',
      '         name\t<string>',
      '         uid\t<string>',
      '      resourceVersion\t<string>',
      '      selfLink\t<string>',
      '      uid\t<string>',
      '   spec\t<Object>',
    ])
    expect(stdout).toContain(
      [
        '         livenessProbe\t<Object>',
        '            exec\t<Object>',
        '               command\t<[]string>',
        '            failureThreshold\t<integer>',
        '            grpc\t<Object>',
        '               port\t<integer>',
        '               service\t<string>',
        '            httpGet\t<Object>',
        '               host\t<string>',
        '               httpHeaders\t<[]Object>',
        '                  name\t<string>',
        '                  value\t<string>',
        '               path\t<string>',
        '               port\t<string>',
        '               scheme\t<string>',
      ].join('\n'),
    )
    // A map of quantities lists no fields below it, as a primitive has none.
    expect(stdout).toContain('\n            limits\t<map[string]string>\n            requests\t<map[string]string>\n')
    expect(stdout).toContain(
      '\n         configMap\t<Object>\n            defaultMode\t<integer>\n            items\t<[]Object>\n',
    )
    expect(lines.slice(-6)).toEqual([
      '      podIPs\t<[]Object>',
      '         ip\t<string>',
      '      qosClass\t<string>',
      '      reason\t<string>',
      '      startTime\t<string>',
      '',
    ])
    expect(stdout).not.toContain('is not available')
    for (const kind of [
      'nodes',
      'svc',
      'ns',
      'cm',
      'sa',
      'events',
      'endpoints',
      'endpointslices',
      'deploy',
      'ds',
      'rs',
    ])
      expect((await kubectl('explain', kind, '--recursive')).exitCode).toBe(0)
  })

  it('explains nested fields of the pod spec, the node status and an endpoint slice from their own definitions', async () => {
    createCluster()
    expect(await kubectl('explain', 'pod.spec.containers.livenessProbe.exec')).toEqual({
      exitCode: 0,
      stderr: '',
      stdout: [
        'KIND:     Pod',
        'VERSION:  v1',
        '',
        'RESOURCE: exec <Object>',
        '',
        'DESCRIPTION:',
        '     Exec specifies the action to take.',
        '',
        '     ExecAction describes a "run in container" action.',
        '',
        'FIELDS:',
        '   command\t<[]string>',
        '     Command is the command line to execute inside the container, the working',
        "     directory for the command is root ('/') in the container's filesystem. The",
        "     command is simply exec'd, it is not run inside a shell, so traditional",
        "     shell instructions ('|', etc) won't work. To use a shell, you need to",
        '     explicitly call out to that shell. Exit status of 0 is treated as',
        '     live/healthy and non-zero is unhealthy.',
        '',
        '',
      ].join('\n'),
    })
    const affinity = (
      await kubectl('explain', 'pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution')
    ).stdout
    expect(affinity).toContain('RESOURCE: requiredDuringSchedulingIgnoredDuringExecution <Object>\n')
    expect(affinity).toContain('\n   nodeSelectorTerms\t<[]Object> -required-\n')
    expect((await kubectl('explain', 'deploy.spec.template.spec.volumes.hostPath.path')).stdout).toMatch(
      /^KIND: {5}Deployment\nVERSION: {2}apps\/v1\n\nFIELD: {4}path <string>\n\nDESCRIPTION:\n {5}Path of the directory on the host\./,
    )
    expect((await kubectl('explain', 'node.status.nodeInfo')).stdout).toContain(
      '\n   kubeletVersion\t<string> -required-\n',
    )
    expect((await kubectl('explain', 'endpointslices.endpoints.conditions')).stdout).toContain(
      '\n   ready\t<boolean>\n',
    )
    // A field the schema itself leaves without a description prints as kubectl does: its name and type only.
    expect((await kubectl('explain', 'ns.status.conditions')).stdout).toContain(
      '\n   message\t<string>\n\n   reason\t<string>\n\n',
    )
  })

  it('explains the Cilium CRDs while they are installed, recursively too', async () => {
    createCluster()
    expect(await kubectl('explain', 'ciliumbgppeeringpolicies')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: the server doesn\'t have a resource type "ciliumbgppeeringpolicies"\n',
    })
    createCluster(true)
    expect(await kubectl('explain', 'bgpp.spec.virtualRouters', '--recursive')).toEqual({
      exitCode: 0,
      stderr: '',
      stdout: [
        'KIND:     CiliumBGPPeeringPolicy',
        'VERSION:  cilium.io/v2alpha1',
        '',
        'RESOURCE: virtualRouters <[]Object>',
        '',
        'DESCRIPTION:',
        '     A list of CiliumBGPVirtualRouter(s) which instructs the BGP control plane',
        '     how to instantiate virtual BGP routers.',
        '',
        '     CiliumBGPVirtualRouter defines a discrete BGP virtual router configuration.',
        '',
        'FIELDS:',
        '   exportPodCIDR\t<boolean>',
        '   localASN\t<integer>',
        '   neighbors\t<[]Object>',
        '      peerASN\t<integer>',
        '      peerAddress\t<string>',
        '   serviceSelector\t<Object>',
        '      matchExpressions\t<[]Object>',
        '         key\t<string>',
        '         operator\t<string>',
        '         values\t<[]string>',
        '      matchLabels\t<map[string]string>',
        '',
      ].join('\n'),
    })
    const pool = await kubectl('explain', 'ippools')
    expect(pool.stdout.split('\n').slice(0, 8)).toEqual([
      'KIND:     CiliumLoadBalancerIPPool',
      'VERSION:  cilium.io/v2alpha1',
      '',
      'DESCRIPTION:',
      '     CiliumLoadBalancerIPPool is a Kubernetes third-party resource which is used',
      '     to defined pools of IPs which the operator can use to to allocate and',
      '     advertise IPs for Services of type LoadBalancer.',
      '',
    ])
    expect(pool.stdout).toContain('\n   metadata\t<Object> -required-\n')
    expect(pool.stdout).toContain(
      '\n   spec\t<Object> -required-\n     Spec is a human readable description for a BGP load balancer ip pool.\n\n',
    )
  })

  it("explains MetalLB's kinds once its CRDs are applied; a bare status object's description twice", async () => {
    createCluster()
    expect((await kubectl('explain', 'ipaddresspools')).stderr).toBe(
      'error: the server doesn\'t have a resource type "ipaddresspools"\n',
    )
    for (const crd of metallbCrds()) fake.cluster.store.create(crd)
    expect(await kubectl('explain', 'ipaddresspools.spec.addresses')).toEqual({
      exitCode: 0,
      stderr: '',
      stdout: [
        'KIND:     IPAddressPool',
        'VERSION:  metallb.io/v1beta1',
        '',
        'FIELD:    addresses <[]string>',
        '',
        'DESCRIPTION:',
        '     A list of IP address ranges over which MetalLB has authority. You can list',
        '     multiple ranges in a single pool, they will all share the same settings.',
        '     Each range can be either a CIDR prefix, or an explicit start-end range of',
        '     IPs.',
        '',
      ].join('\n'),
    })
    expect((await kubectl('explain', 'l2advertisement.spec')).stdout).toContain(
      '\n   interfaces\t<[]string>\n     A list of interfaces to announce from.',
    )
    expect((await kubectl('explain', 'ipaddresspools.status')).stdout).toBe(
      'KIND:     IPAddressPool\nVERSION:  metallb.io/v1beta1\n\nDESCRIPTION:\n     IPAddressPoolStatus defines the observed state of IPAddressPool.\n\n     IPAddressPoolStatus defines the observed state of IPAddressPool.\n',
    )
    expect((await kubectl('explain', 'ipaddresspools')).stdout).toContain('\n   status\t<map[string]>\n')
    // The other five kinds of the manifest, each in the version served by default (BGPPeer's is v1beta2).
    expect(await kubectl('explain', 'bgppeers.spec.peerASN')).toEqual({
      exitCode: 0,
      stderr: '',
      stdout:
        'KIND:     BGPPeer\nVERSION:  metallb.io/v1beta2\n\nFIELD:    peerASN <integer>\n\nDESCRIPTION:\n     AS number to expect from the remote end of the session.\n',
    })
    const peer = (await kubectl('explain', 'bgppeers.spec')).stdout
    expect(peer).toContain('\n   myASN\t<integer> -required-\n')
    expect(peer).toContain('\n   passwordSecret\t<Object>\n')
    expect((await kubectl('explain', 'bgpadvertisements.spec.nodeSelectors')).stdout).toContain(
      '     NodeSelectors allows to limit the nodes to announce as next hops for the\n',
    )
    expect((await kubectl('explain', 'addresspools')).stdout).toMatch(
      /^KIND: {5}AddressPool\nVERSION: {2}metallb\.io\/v1beta1\n/,
    )
    expect((await kubectl('explain', 'bfdprofiles.spec')).stdout).toContain('\n   detectMultiplier\t<integer>\n')
    expect((await kubectl('explain', 'communities.spec.communities', '--recursive')).stdout).toContain(
      'FIELDS:\n   name\t<string>\n   value\t<string>\n',
    )
    // An older version the API server still serves is not vendored: refused honestly rather than answered from another.
    expect(await kubectl('explain', 'addresspools', '--api-version=metallb.io/v1alpha1')).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(/^kubectl: 'explain addresspools' is not available in the twin lab\n/),
    })
  })

  it("answers kubectl's errors, and honestly where the twin carries no schema", async () => {
    createCluster(true)
    // Quantity's description is the one text the vendored schemas lack (their JSON Schema form drops it).
    expect(await kubectl('explain', 'pods.spec.containers.resources.limits')).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(
        /^kubectl: 'explain pods.spec.containers.resources.limits' is not available in the twin lab\n/,
      ),
    })
    expect(await kubectl('explain', 'pods.spec.nope')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: field "nope" does not exist\n',
    })
    expect(await kubectl('explain', 'svc.spec.nope')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: field "nope" does not exist\n',
    })
    expect(await kubectl('explain', 'bgpp.spec.virtualRouters.asn')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: field "asn" does not exist\n',
    })
    expect(await kubectl('explain', 'frobs')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: the server doesn\'t have a resource type "frobs"\n',
    })
    expect(await kubectl('explain', 'deploy', '--api-version=apps/v2')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: couldn\'t find resource for "apps/v2, Kind=Deployment"\n',
    })
    expect((await kubectl('explain', 'deploy', '--api-version=apps/v1')).stdout).toMatch(
      /^KIND: {5}Deployment\nVERSION: {2}apps\/v1\n/,
    )
    expect(await kubectl('explain', 'ciliumendpoints')).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(/^kubectl: 'explain ciliumendpoints' is not available in the twin lab\n/),
    })
    expect(await kubectl('explain')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n\nSee \'kubectl explain -h\' for help and examples\n',
    })
    expect(await kubectl('explain', 'pods', 'svc')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "error: We accept only this format: explain RESOURCE\n\nSee 'kubectl explain -h' for help and examples\n",
    })
  })

  it("wraps as kubectl's formatter: code blocks, list items and lines ending in a colon keep their breaks", () => {
    expect(wrapText('Example:\n  Name: "x",\n    code block\n\nnext - item\n - `"A"` is a', 20)).toEqual([
      'Example:',
      'Name: "x",',
      '    code block',
      '',
      'next - item',
      '- `"A"` is a',
    ])
    expect(wrapText('a-very-long-word-without-spaces b', 10)).toEqual(['a-very-long-word-without-spaces', 'b'])
  })
})
