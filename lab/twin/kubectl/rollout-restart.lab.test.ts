import { describe, expect, it } from 'vitest'
import { until, useSeedLab } from '../../../support/lab-helpers.ts'

/** A restart rolls new pods that really run: new names, addresses from their node's pod CIDR, answering over the fabric. */

const { sh } = useSeedLab()

interface PodRow {
  name: string
  ip: string
  node: string
}

async function webPods(): Promise<PodRow[]> {
  const text = await sh(
    'kubectl get pods -l app=web -o jsonpath=\'{range .items[*]}{.metadata.name} {.status.podIP} {.spec.nodeName}{"\\n"}{end}\'',
  )
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, ip, node] = line.split(' ')
      return { name, ip, node }
    })
}

/** Whether an IPv4 address lies in a CIDR. */
function inCidr(ip: string, cidr: string): boolean {
  const toNumber = (a: string) => a.split('.').reduce((n, octet) => n * 256 + Number(octet), 0)
  const [base, bits] = cidr.split('/')
  const size = 2 ** (32 - Number(bits))
  return Math.floor(toNumber(ip) / size) === Math.floor(toNumber(base) / size)
}

describe('kubectl rollout restart through the twin backend', () => {
  it("replaces a deployment's pods by the next revision's, each reachable from another node", async () => {
    expect(await sh('kubectl create deployment web --image=nginx --replicas=2 --port=80')).toBe(
      'deployment.apps/web created\n',
    )
    expect(await sh('kubectl rollout status deployment/web --timeout=90s')).toMatch(
      /deployment "web" successfully rolled out\n$/,
    )
    const before = await webPods()
    expect(before).toHaveLength(2)
    expect(await sh('kubectl rollout restart deployment/web')).toBe('deployment.apps/web restarted\n')
    expect(await sh('kubectl rollout status deployment/web --timeout=90s')).toMatch(
      /deployment "web" successfully rolled out\n$/,
    )
    const after = await until('two running pods of the new revision only', async () => {
      const pods = await webPods()
      return pods.length === 2 && pods.every((p) => p.ip && !before.some((b) => b.name === p.name)) && pods
    })
    for (const pod of after) {
      const cidr = (await sh(`kubectl get node ${pod.node} -o jsonpath='{.spec.podCIDR}'`)).trim()
      expect(inCidr(pod.ip, cidr), `${pod.ip} in ${pod.node}'s ${cidr}`).toBe(true)
      const answer = await until(`an answer from ${pod.name} at ${pod.ip}`, () =>
        sh(`docker exec clab-bgp-worker2 curl -s -m 3 http://${pod.ip}/`),
      )
      // nginx is an image the twin does not run: its stand-in says so, then names the pod that answered.
      expect(answer).toMatch(
        new RegExp(`^PodName: ${pod.name} \\| PodIP: eth0 ${pod.ip.replaceAll('.', '\\.')}/32`, 'm'),
      )
    }
    expect(await sh('kubectl rollout history deployment/web')).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n',
    )
  }, 180_000)
})
