import { describe, expect, it } from 'vitest'
import { until, useSeedLab } from '../../../support/lab-helpers.ts'

/**
 * The seed's service chapters through the twin backend and the learner's commands: MetalLB's address reachable from
 * the nodes but not the fabric until a serviceSelector announces it, curl from spine0 to the pods behind it, the
 * switch to LB-IPAM, and withdrawal when the policies go.
 */

const { sh } = useSeedLab()

/** spine0's kernel route to `prefix`, or undefined. */
const spineRoute = async (prefix: string) => {
  const routes = JSON.parse(await sh('docker exec clab-bgp-spine0 ip -j route show proto bgp')) as { dst: string }[]
  return routes.find((r) => r.dst === prefix)
}

/** curl from spine0, retried while the fabric converges (sessions come back one by one after a policy change). */
const curlFromSpine = (ip: string) =>
  until(`an answer from ${ip} on spine0`, () => sh(`docker exec clab-bgp-spine0 curl -s -m 3 http://${ip}/`))

const lbIp = async () => (await sh(`kubectl get svc cni -o jsonpath='{.status.loadBalancer.ingress[0].ip}'`)).trim()

describe('LoadBalancer services through the twin backend', () => {
  it('MetalLB: 172.18.0.200 answers from the nodes, the fabric has no route until the serviceSelector policy', async () => {
    await sh(
      'kubectl apply -f https://raw.githubusercontent.com/metallb/metallb/v0.13.10/config/manifests/metallb-native.yaml',
    )
    await sh('kubectl apply -f metallb-l2-ip-config.yaml')
    expect(await lbIp()).toBe('172.18.0.200')
    // Retried: kube-proxy sends worker2's request to any cni pod, and one on another rack is reachable only once the
    // leaves have learned the pod CIDRs (the policy was applied moments ago, as a learner would).
    const fromNode = await until('an answer from 172.18.0.200 on worker2', () =>
      sh('docker exec clab-bgp-worker2 curl -s -m 3 http://172.18.0.200/'),
    )
    expect(fromNode).toMatch(/^PodName: cni-\w{5} \| PodIP: eth0 10\.98\.\d+\.\d+\/32/)
    expect(await spineRoute('172.18.0.200')).toBeUndefined()
    await sh('kubectl delete ciliumbgppeeringpolicies rack0 rack1 && kubectl apply -f bgp_peering_policy_services.yaml')
    await until('172.18.0.200 on spine0', () => spineRoute('172.18.0.200'))
    const answers = new Set<string>()
    for (let i = 0; i < 8; i++) answers.add(await curlFromSpine('172.18.0.200'))
    for (const answer of answers) expect(answer).toMatch(/^PodName: cni-\w{5} \| PodIP: eth0 10\.98\.\d+\.\d+\/32/)
    expect(answers.size).toBeGreaterThan(1)
  }, 90_000)

  it('LB-IPAM: the red pool gives an address that spine0 reaches, withdrawn with the policies', async () => {
    await sh(
      'kubectl delete -f https://raw.githubusercontent.com/metallb/metallb/v0.13.10/config/manifests/metallb-native.yaml',
    )
    await sh('kubectl delete -f cni.yaml && kubectl apply -f cni.yaml')
    expect(await sh('kubectl get svc cni --no-headers')).toMatch(/^cni\s+LoadBalancer\s+\S+\s+<pending>\s/)
    await sh('kubectl apply -f lb-ipam.yaml')
    const ip = await lbIp()
    expect(ip).toMatch(/^30\.0\.10\.\d+$/)
    await until(`${ip} on spine0`, () => spineRoute(ip))
    expect(await curlFromSpine(ip)).toMatch(/^PodName: cni-\w{5}/)
    expect(await spineRoute('172.18.0.200')).toBeUndefined()
    await sh('kubectl delete -f bgp_peering_policy_services.yaml')
    await until(`${ip} withdrawn from spine0`, async () => ((await spineRoute(ip)) ? undefined : true))
  }, 90_000)
  it('a pod reaching its own service gets an answer every time, also when it is the backend picked (hairpin)', async () => {
    await sh('kubectl apply -f bgp_peering_policy.yaml')
    const pods = (await sh("kubectl get pods -l app=cni -o jsonpath='{.items[*].metadata.name}'")).trim().split(' ')
    const ips = (await sh("kubectl get pods -l app=cni -o jsonpath='{.items[*].status.podIP}'")).trim().split(' ')
    // The fabric first (the last test deleted the peering policies): every pod reaches every other pod directly.
    for (const pod of pods) {
      await until(`${pod} reaching every cni pod`, async () => {
        for (const ip of ips) await sh(`kubectl exec ${pod} -- curl -s -o /dev/null -m 2 http://${ip}`)
        return true
      })
    }
    for (const pod of pods) {
      // Eight tries each: with four backends, a pod picks itself about twice.
      const codes = await sh(
        `kubectl exec ${pod} -- sh -c 'for i in 1 2 3 4 5 6 7 8; do curl -s -o /dev/null -m 3 -w "%{http_code} " http://cni.default.svc.cluster.local; done'`,
      )
      expect(codes.trim()).toBe('200 200 200 200 200 200 200 200')
    }
  }, 120_000)
})
