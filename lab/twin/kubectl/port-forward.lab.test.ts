import { describe, expect, it } from 'vitest'
import { until, useSeedLab } from '../../../support/lab-helpers.ts'

/** kubectl's streaming verbs on the seed lab's host: port-forward into a pod, logs -f of a Cilium agent. */

const { sh } = useSeedLab()

/** Whether a process of the lab host still runs. */
const alive = async (pid: string) => (await sh(`kill -0 ${pid} 2>/dev/null && echo yes || true`)).trim() === 'yes'

describe('kubectl port-forward and logs -f through the twin backend', () => {
  it("port-forward svc/cni answers curl on the lab host's loopback and stops on SIGINT, leaving no process", async () => {
    // The shim's pid; the forwarder is its child (the shim runs it with the learner's terminal).
    const shim = (await sh('kubectl port-forward svc/cni 18080:80 > pf.out 2>&1 & echo $!')).trim()
    const lines = await until('the forwarding lines', async () => {
      const out = await sh('cat pf.out')
      return out.includes('[::1]') && out
    })
    expect(lines).toBe('Forwarding from 127.0.0.1:18080 -> 80\nForwarding from [::1]:18080 -> 80\n')
    expect(await sh('curl -s -m 5 http://127.0.0.1:18080/')).toMatch(
      /^PodName: cni-[\w-]+ \| PodIP: eth0 10\.98\.\d+\.\d+\/32/,
    )
    expect(await sh('cat pf.out')).toContain('Handling connection for 18080\n')
    // Only the lab host's loopback: the pod is not reachable on another address of the lab host.
    expect(await sh('ss -Htln "sport = :18080" | awk \'{print $4}\' | sort')).toBe('127.0.0.1:18080\n[::1]:18080\n')
    const relay = (await sh(`pgrep -P ${shim}`)).trim()
    await sh(`kill -INT ${relay}`)
    await until('the forwarder and the shim to end', async () => !(await alive(relay)) && !(await alive(shim)))
    expect(await sh('ps -eo args | grep -c "[p]ort-forward-relay" || true')).toBe('0\n')
    expect(await sh('curl -s -m 2 http://127.0.0.1:18080/ || echo refused')).toBe('refused\n')
  }, 60_000)

  it('logs -f of a Cilium agent streams a line the agent logs later, until its caller is gone', async () => {
    const agent = (
      await sh("kubectl -n kube-system get pods -l k8s-app=cilium -o jsonpath='{.items[0].metadata.name}'")
    ).trim()
    const shim = (await sh(`kubectl -n kube-system logs -f ${agent} > follow.out 2>&1 & echo $!`)).trim()
    await until("the agent's log so far", async () => (await sh('cat follow.out')).includes('Registering BGP servers'))
    expect(await sh('cat follow.out')).not.toContain('Policy selection failed')
    // A second policy selecting the agent's rack (the seed names each policy after its rack label): its agent logs that
    // it cannot choose.
    const node = (await sh(`kubectl -n kube-system get pod ${agent} -o jsonpath='{.spec.nodeName}'`)).trim()
    const rack = (await sh(`kubectl get node ${node} -o jsonpath='{.metadata.labels.rack}'`)).trim()
    const policy = `ciliumbgppeeringpolicy/${rack}`
    await sh(
      `kubectl get ${policy} -o yaml | sed 's/^  name: .*/  name: conflicting/' | grep -v 'resourceVersion\\|uid:' | kubectl apply -f -`,
    )
    try {
      await until('the new line in the stream', async () =>
        (await sh('cat follow.out')).includes('msg="Policy selection failed"'),
      )
    } finally {
      await sh('kubectl delete ciliumbgppeeringpolicy conflicting')
    }
    await sh(`kill ${shim}`)
    await until('the follower to end', async () => !(await alive(shim)))
  }, 60_000)
})
