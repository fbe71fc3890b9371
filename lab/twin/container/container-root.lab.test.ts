import { describe, expect, it } from 'vitest'
import { until, useSeedLab } from '../../../support/lab-helpers.ts'

/**
 * A lab's own names (`/run/bgplab/<id>/...`, namespaces `<id>-...`) and the checkout's path (where the twin's code
 * is), which nothing inside a container may show.
 */
const LAB_NAME = new RegExp(`bgplab|\\btw[0-9a-f]{4}-|${process.cwd().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)

describe("the twin's containers are containers", () => {
  const { sh } = useSeedLab()

  it('a kind node sees its own processes only, its name and Ubuntu 21.10', async () => {
    const node = 'clab-bgp-control-plane'
    // Its pid 1, its BGP speaker (once the peering policy reached it) and ps: not the lab daemon (node), not FRR.
    const commands = await until("the node's speaker", async () => {
      const list = (await sh(`docker exec ${node} ps -e -o comm=`))
        .trim()
        .split('\n')
        .map((line) => line.trim())
      return list.includes('gobgpd') ? list : undefined
    })
    expect(commands).not.toContain('node')
    expect(commands).not.toContain('bgpd')
    expect(commands.length).toBeLessThan(10)
    expect(await sh(`docker exec ${node} hostname`)).toBe(`${node}\n`)
    expect(await sh(`docker exec ${node} cat /etc/hostname`)).toBe(`${node}\n`)
    expect(await sh(`docker exec ${node} cat /etc/os-release`)).toMatch(/^PRETTY_NAME="Ubuntu 21\.10"$/m)
    // Its speaker's API socket is at the node's own path, in its own /run: no command line names the lab.
    const args = await sh(`docker exec ${node} ps -e -o args=`)
    expect(args).toMatch(/^gobgpd .*--api-hosts unix:\/\/\/var\/run\/gobgp\/0\.sock$/m)
    expect(args).not.toMatch(LAB_NAME)
    expect(await sh(`docker exec ${node} ls /var/run/gobgp`)).toBe('0.sock\n')
    // Its /root is its own: no .bashrc or shell history of the machine's root.
    expect(await sh(`docker exec ${node} ls -A /root`)).toBe('')
  })

  it("a node's pid 1 is a plain `sleep infinity` that reaps what is orphaned in the node", async () => {
    const node = 'clab-bgp-worker2'
    expect(await sh(`docker exec ${node} ps -o args= -p 1`)).toBe('sleep infinity\n')
    // The subshell outlives its parent: pid 1 adopts it, and it must not stay a zombie once it ends.
    await sh(`docker exec ${node} sh -c '(sleep 0.2; exit 0) & exit 0'`)
    await until(
      'the orphan to end and be reaped',
      async () => !/sleep 0\.2|defunct/.test(await sh(`docker exec ${node} ps -e -o stat=,args=`)),
    )
  })

  it("a kind node's own shell has crictl where kindest/node has it, listing the node's pods", async () => {
    const node = 'clab-bgp-worker'
    expect(await sh(`docker exec ${node} bash -c 'command -v crictl; echo $PATH'`)).toBe(
      '/usr/local/bin/crictl\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n',
    )
    const containers = await sh(`docker exec ${node} bash -c 'crictl ps'`)
    expect(containers).toMatch(/^CONTAINER {11}IMAGE {15}CREATED +STATE {15}NAME {16}ATTEMPT {13}POD ID\n/)
    expect(containers).toMatch(/\sRunning {13}cilium-agent {8}0 {19}[0-9a-f]{13}\n/)
    const pod = (
      await sh(
        `kubectl get pods -l app=cni --field-selector spec.nodeName=${node} -o jsonpath='{.items[0].metadata.name}'`,
      )
    ).trim()
    // The machine's systemctl would say the node was not booted with systemd: the twin says what it does not run.
    expect(await sh(`docker exec ${node} sh -c 'systemctl status kubelet; echo "exit=$?"' 2>&1`)).toBe(
      "systemctl: 'systemctl' is not available in the twin lab\nThe twin's kind nodes run no systemd: their kubelet and containerd are emulated. See the node with kubectl describe node NAME, its containers with crictl ps.\nexit=1\n",
    )
    expect(await sh(`docker exec ${node} sh -c 'crictl pods'`)).toMatch(
      new RegExp(`^[0-9a-f]{13} .*\\s${pod}\\s+default\\s+0\\s+\\(default\\)$`, 'm'),
    )
  })

  it('docker exec gives the command stdin only with -i, as docker attaches it, and a piped script runs there', async () => {
    const node = 'clab-bgp-worker3'
    expect(await sh(`printf 'not for cat\\n' | docker exec ${node} cat`)).toBe('')
    const script = await sh(`printf 'hostname\\nps -e -o args=\\n' | docker exec -i ${node} sh`)
    expect(script).toMatch(new RegExp(`^${node}\\n[\\s\\S]*^sh$`, 'm'))
    expect(script).not.toMatch(LAB_NAME)
  })

  it("a router's shell finds its vtysh on a PATH that names nothing of the lab, and commits through FRR", async () => {
    const shell = await sh(
      "docker exec clab-bgp-leaf0 bash -c 'echo $PATH; echo $BASH_ENV; command -v vtysh; cat $(command -v vtysh)'",
    )
    expect(shell).toMatch(
      /^\/usr\/local\/sbin:\/usr\/local\/bin:\/usr\/sbin:\/usr\/bin:\/sbin:\/bin\n\/etc\/frr\/vyos-shell\.sh\n\/usr\/local\/bin\/vtysh\n#!\/bin\/sh\nexec \/usr\/bin\/vtysh /,
    )
    expect(shell).not.toMatch(LAB_NAME)
    expect(await sh("docker exec clab-bgp-leaf0 vtysh -c 'show ip bgp summary'")).toMatch(/10\.1\.5\.10\s+4\s+65005/)
    await sh(
      "docker exec clab-bgp-leaf0 bash -c 'configure; set protocols bgp 65005 neighbor 10.1.5.99 remote-as 65005; commit; exit'",
    )
    expect(await sh("docker exec clab-bgp-leaf0 vtysh -c 'show running-config'")).toMatch(
      /neighbor 10\.1\.5\.99 remote-as 65005/,
    )
  })

  it('a router runs its FRR daemons, is named after its clab node and is VyOS 1.2.8', async () => {
    const processes = await sh('docker exec clab-bgp-leaf0 ps -e -o comm=,args=')
    expect(processes).toMatch(/^zebra\s/m)
    expect(processes).toMatch(/^bgpd\s/m)
    expect(processes).not.toMatch(/^(gobgpd|node)\s/m)
    expect(processes).not.toMatch(LAB_NAME)
    expect(await sh('docker exec clab-bgp-leaf0 hostname')).toBe('leaf0\n')
    expect(await sh('docker exec clab-bgp-leaf0 cat /etc/os-release')).toMatch(/^VERSION_ID="1\.2\.8"$/m)
  })

  it('a pod is named after itself, runs its server and shows no name of the lab in `ip a`', async () => {
    const pod = (await sh(`kubectl get pods -l app=cni -o jsonpath='{.items[0].metadata.name}'`)).trim()
    expect(await sh(`kubectl exec ${pod} -- hostname`)).toBe(`${pod}\n`)
    const addresses = await sh(`kubectl exec ${pod} -- ip a`)
    expect(addresses).toMatch(/: eth0@if\d+: /)
    expect(addresses).toContain('link-netnsid 0')
    expect(addresses).not.toMatch(LAB_NAME)
    const processes = await sh(`kubectl exec ${pod} -- ps -e -o args=`)
    expect(processes).toMatch(/httpd -f -p 80/)
    expect(processes).not.toMatch(LAB_NAME)
    expect(processes).not.toMatch(/zebra|gobgpd/)
    expect(await sh(`kubectl exec ${pod} -- cat /etc/os-release`)).toMatch(/^ID=alpine$/m)
  })

  it('kubectl logs shows a request to a pod whose server logs them, as its command asks (httpd -v)', async () => {
    await sh(`cat <<'EOF' | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: web-logs
spec:
  containers:
  - name: web
    image: nicolaka/netshoot:v0.13
    command: ["/bin/sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec busybox-extras httpd -f -v -p 80 -h /www"]
EOF`)
    const ip = await until(
      "the pod's address",
      async () => (await sh("kubectl get pod web-logs -o jsonpath='{.status.podIP}'")).trim() || undefined,
    )
    expect(await sh(`kubectl logs web-logs`)).toBe('')
    expect(
      await sh(`docker exec clab-bgp-control-plane curl -s -o /dev/null -w '%{http_code}' http://${ip}/nothing-here`),
    ).toBe('404')
    const log = await until("the request in the pod's log", async () => {
      const text = await sh('kubectl logs web-logs')
      return text !== '' && text
    })
    expect(log).toMatch(/^\[::ffff:[\d.]+\]:\d+: response:404\n$/)
    // The seed's pods run httpd without -v: their log stays empty, as on the real lab.
    const cni = (await sh(`kubectl get pods -l app=cni -o jsonpath='{.items[0].metadata.name}'`)).trim()
    expect(await sh(`kubectl logs ${cni}`)).toBe('')
    await sh('kubectl delete pod web-logs')
  })

  it('a pod whose image or command the twin does not run says so in its log; only a stand-in image server answers', async () => {
    await sh('kubectl run sleeper --image=busybox -- sleep 3600')
    await sh('kubectl run nginx --image=nginx')
    const ipOf = (pod: string) =>
      until(
        `${pod}'s address`,
        async () => (await sh(`kubectl get pod ${pod} -o jsonpath='{.status.podIP}'`)).trim() || undefined,
      )
    const [sleeper, nginx] = [await ipOf('sleeper'), await ipOf('nginx')]
    expect(await sh('kubectl logs sleeper')).toBe(
      "The twin lab does not run this container's command (sleep 3600): it runs busybox httpd only. Open a shell in the pod with kubectl exec -it POD -- sh.\n",
    )
    // Nothing listens in it: its command serves nothing.
    expect(await sh(`docker exec clab-bgp-control-plane sh -c 'curl -s -m 3 http://${sleeper}/; echo "exit=$?"'`)).toBe(
      'exit=7\n',
    )
    const page = await until('the stand-in of nginx', async () => {
      const text = await sh(`docker exec clab-bgp-control-plane curl -s -m 3 http://${nginx}/`)
      return text !== '' && text
    })
    expect(page).toBe(
      `The twin lab does not run the image nginx: a stand-in answers HTTP on port 80 in its place.\nPodName: nginx | PodIP: eth0 ${nginx}/32\n`,
    )
    const log = await until("the request in nginx's log", async () => {
      const text = await sh('kubectl logs nginx')
      return text.includes('response:') && text
    })
    expect(log).toMatch(/^The twin lab does not run the image nginx: .*\n\[::ffff:[\d.]+\]:\d+: response:200\n$/)
    await sh('kubectl delete pod sleeper nginx')
  })

  it("a command exec'd in a pod has the container's environment, and one it lacks fails as containerd says", async () => {
    const pod = (await sh(`kubectl get pods -l app=cni -o jsonpath='{.items[0].metadata.name}'`)).trim()
    const env = await sh(`kubectl exec ${pod} -- env`)
    expect(env).toMatch(new RegExp(`^HOSTNAME=${pod}$`, 'm'))
    expect(env).toMatch(/^PATH=\/usr\/local\/sbin:\/usr\/local\/bin:\/usr\/sbin:\/usr\/bin:\/sbin:\/bin$/m)
    expect(env).toMatch(/^KUBERNETES_SERVICE_HOST=10\.96\.0\.1$/m)
    expect(env).not.toMatch(LAB_NAME)
    // netshoot's WORKDIR, and its zsh, which the twin does not carry, said so.
    expect(await sh(`kubectl exec ${pod} -- pwd`)).toBe('/root\n')
    expect(await sh(`kubectl exec ${pod} -- zsh -c true 2>&1; echo "exit=$?"`)).toMatch(
      /^zsh: 'zsh' is not available in the twin lab\nUse bash or sh/,
    )
    expect(await sh(`kubectl exec ${pod} -- etcdctl 2>&1; echo "exit=$?"`)).toMatch(
      /^error: Internal error occurred: .*OCI runtime exec failed: exec failed: unable to start container process: exec: "etcdctl": executable file not found in \$PATH: unknown\nexit=1\n$/,
    )
    expect(await sh(`docker exec clab-bgp-worker etcdctl 2>&1; echo "exit=$?"`)).toBe(
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "etcdctl": executable file not found in $PATH: unknown\nexit=126\n',
    )
  })

  it("a CoreDNS pod runs the cluster's DNS server in its container, on records at a path of its own; no node shows it", async () => {
    const pod = (
      await sh(`kubectl -n kube-system get pods -l k8s-app=kube-dns -o jsonpath='{.items[0].metadata.name}'`)
    ).trim()
    const processes = await sh(`kubectl -n kube-system exec ${pod} -- ps -e -o args=`)
    expect(processes).toMatch(/^\/usr\/sbin\/dnsmasq .*--addn-hosts=\/run\/coredns\/hosts/m)
    expect(processes).not.toMatch(LAB_NAME)
    for (const node of ['clab-bgp-control-plane', 'clab-bgp-worker', 'clab-bgp-worker2', 'clab-bgp-worker3']) {
      expect(await sh(`docker exec ${node} ps -e -o comm=`)).not.toMatch(/^dnsmasq$/m)
    }
    const client = (await sh(`kubectl get pods -l app=cni -o jsonpath='{.items[0].metadata.name}'`)).trim()
    expect(await sh(`kubectl exec ${client} -- nslookup kubernetes.default`)).toContain(
      'Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n',
    )
  })
  it("netshoot's tools: traceroute from busybox crosses the fabric; a tool the twin lacks says so", async () => {
    // server1 shares the control plane's network (rack 0); a pod on worker3 is in rack 1, behind leaf0, a spine, leaf1.
    const far = (
      await sh(
        'kubectl get pods -l app=cni -o jsonpath=\'{.items[?(@.spec.nodeName=="clab-bgp-worker3")].status.podIP}\'',
      )
    ).trim()
    // Tried again until every hop answered: a router rate-limits its ICMP errors (the kernel's icmp_ratelimit), so
    // a hop of a trace right after another may stay silent (`*`), on the real lab too.
    const trace = await until('a traceroute through the fabric', async () => {
      const out = await sh(`docker exec clab-bgp-server1 traceroute -n -q 1 -w 1 -m 8 ${far} 2>&1`)
      return out.includes(` ${far} `) && !out.includes('*') ? out : undefined
    })
    expect(trace).toMatch(/^ 1 +10\.1\.5\.1 /m)
    // From a pod, the first hop is its node's cilium_host address (its gateway), as with Cilium's routes.
    const pod = (
      await sh(
        'kubectl get pods -l app=cni -o jsonpath=\'{.items[?(@.spec.nodeName=="clab-bgp-control-plane")].metadata.name}\'',
      )
    ).trim()
    const first = await sh(`kubectl exec ${pod} -- traceroute -n -q 1 -w 1 -m 1 ${far} 2>&1`)
    expect(first).toMatch(/^ 1 +10\.98\.0\.1 /m)
    expect(await sh("docker exec clab-bgp-server1 sh -c 'command -v traceroute'")).toBe('/usr/local/bin/traceroute\n')
    const mtr = await sh("docker exec clab-bgp-server1 sh -c 'mtr 10.1.5.1; echo exit=$?' 2>&1")
    expect(mtr).toBe(
      "mtr: 'mtr' is not available in the twin lab\nTrace the path with traceroute -n <address>.\nexit=1\n",
    )
  })
})
