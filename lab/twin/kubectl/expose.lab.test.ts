import { describe, expect, it } from 'vitest'
import { until, useSeedLab } from '../../../support/lab-helpers.ts'

/** What kubectl create deployment and expose make is a Service the twin's controllers serve, as an applied one is. */

const { sh } = useSeedLab()

describe('kubectl expose through the twin backend', () => {
  it('a deployment exposed on a ClusterIP answers curl from a node', async () => {
    expect(await sh('kubectl create deployment web --image=nginx --replicas=2 --port=80')).toBe(
      'deployment.apps/web created\n',
    )
    expect(await sh('kubectl expose deployment web --port=8080 --target-port=80')).toBe('service/web exposed\n')
    const ip = (await sh("kubectl get svc web -o jsonpath='{.spec.clusterIP}'")).trim()
    expect(ip).toMatch(/^10\.96\.\d+\.\d+$/)
    // Retried while the pods get their addresses and kube-proxy's rules follow the endpoints.
    const answer = await until(`an answer from ${ip}:8080 on worker2`, () =>
      sh(`docker exec clab-bgp-worker2 curl -s -m 3 http://${ip}:8080/`),
    )
    // nginx is an image the twin does not run: its stand-in says so plainly, then names the pod that answered.
    expect(answer).toMatch(
      /^The twin lab does not run the image nginx: a stand-in answers HTTP on port 80 in its place\.\nPodName: web-\w+-\w{5} \| PodIP: eth0 10\.98\.\d+\.\d+\/32/,
    )
  }, 90_000)
})
