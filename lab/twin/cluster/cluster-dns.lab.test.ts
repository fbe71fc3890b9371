import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { labShell, SEED_LAB_BUILD, until, waitForExit } from '../../../support/lab-helpers.ts'
import type { LabBackend } from '../../backend.ts'
import { createTwinBackend } from '../backend.ts'

/**
 * Cluster DNS through the twin backend and the learner's commands: on the seed lab, a test pod resolves the
 * kubernetes service, its own namespace's services by short name and full name, and kube-system's by
 * `<svc>.<ns>`, from the resolv.conf kind gives pods; names outside the cluster are refused by the lab's own server;
 * a new service resolves once applied, and stops once deleted; nothing of it outlives the lab.
 */
let lab: LabBackend
let runDir: string
let pod: string

const sh = labShell(() => lab)
/** A command in the test pod; exit code and both streams (a failed lookup exits non-zero). */
const inPod = (command: string) => lab.exec(`kubectl exec ${pod} -- ${command}`)

/** dnsmasq processes in this lab's namespaces, the CoreDNS pods' (their command lines name nothing of the lab). */
const dnsServers = () => {
  const id = runDir.split('/').at(-1)
  const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter((ns) => ns.startsWith(`${id}-`))
  const pids = namespaces.flatMap((ns) =>
    execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number),
  )
  return pids.filter(
    (pid) => existsSync(`/proc/${pid}/comm`) && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'dnsmasq',
  )
}

const webService = `cat <<'EOF' | kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: cni
  ports:
  - port: 8080
    targetPort: 80
EOF`

beforeAll(async () => {
  lab = createTwinBackend()
  await lab.up()
  runDir = join(lab.status().workspace!, '..', '..')
  for (const command of SEED_LAB_BUILD) await sh(command)
  pod = (await sh(`kubectl get pods -l app=cni -o jsonpath='{.items[0].metadata.name}'`)).trim()
  // A CoreDNS pod on another node is reached over the fabric, as on the real lab: its pod CIDR reaches the test pod's
  // node once BGP has converged after the last build command (about a second), not before.
  const servers = (
    await sh(`kubectl -n kube-system get pods -l k8s-app=kube-dns -o jsonpath='{.items[*].status.podIP}'`)
  )
    .trim()
    .split(' ')
  for (const ip of servers)
    await until(
      `an answer from the DNS server ${ip}`,
      async () =>
        (await inPod(`dig +time=1 +tries=1 +short @${ip} kube-dns.kube-system.svc.cluster.local`)).stdout.trim() ===
        '10.96.0.10',
    )
}, 180_000)

afterAll(async () => {
  const servers = dnsServers()
  const id = runDir?.split('/').at(-1)
  await lab?.down()
  expect(await waitForExit(servers)).toEqual([])
  expect(dnsServers()).toEqual([])
  expect(existsSync('/etc/netns') ? readdirSync('/etc/netns').filter((name) => name.startsWith(`${id}-`)) : []).toEqual(
    [],
  )
}, 60_000)

describe('cluster DNS', () => {
  it('runs one server per CoreDNS pod behind the kube-dns service', async () => {
    expect(dnsServers()).toHaveLength(2)
    const endpoints = await sh(
      `kubectl get endpoints kube-dns -n kube-system -o jsonpath='{.subsets[0].addresses[*].ip}'`,
    )
    const corednsIps = await sh(
      `kubectl get pods -n kube-system -l k8s-app=kube-dns -o jsonpath='{.items[*].status.podIP}'`,
    )
    expect(endpoints.split(' ').sort()).toEqual(corednsIps.split(' ').sort())
  })

  it("gives pods kind's resolv.conf", async () => {
    const resolv = await inPod('cat /etc/resolv.conf')
    expect(resolv.stdout).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    )
  })

  it('resolves kubernetes.default, a short name, a full name and another namespace through 10.96.0.10', async () => {
    const kubernetes = await inPod('nslookup kubernetes.default')
    expect(kubernetes.stdout.trimEnd()).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1',
    )
    const cniIp = (await sh(`kubectl get svc cni -o jsonpath='{.spec.clusterIP}'`)).trim()
    expect((await inPod('nslookup cni')).stdout).toContain(`Name:\tcni.default.svc.cluster.local\nAddress: ${cniIp}\n`)
    expect((await inPod('dig +short cni.default.svc.cluster.local')).stdout).toBe(`${cniIp}\n`)
    expect((await inPod('dig +short +tcp kube-dns.kube-system.svc.cluster.local')).stdout).toBe('10.96.0.10\n')
    expect((await inPod('nslookup kube-dns.kube-system')).stdout).toContain(
      'Name:\tkube-dns.kube-system.svc.cluster.local\nAddress: 10.96.0.10\n',
    )
  })

  it('answers names outside the cluster itself, without forwarding them', async () => {
    const outside = await inPod('nslookup example.com')
    expect(outside.exitCode).not.toBe(0)
    expect(outside.stdout).toContain("** server can't find example.com: NXDOMAIN")
    // The lab's own server answered, at the first try (it has no upstream to ask).
    const dig = (await inPod('dig +tries=1 example.com')).stdout
    expect(dig).toMatch(/status: NXDOMAIN/)
    expect(dig).toMatch(/;; SERVER: 10\.96\.0\.10#53/)
    expect((await inPod('dig +tries=1 nosuch.default.svc.cluster.local')).stdout).toMatch(/status: NXDOMAIN/)
  })

  it('resolves a service once applied and no more once deleted; a headless one by its pods', async () => {
    await sh(webService)
    const ip = (await sh(`kubectl get svc web -o jsonpath='{.spec.clusterIP}'`)).trim()
    expect((await inPod('nslookup web')).stdout).toContain(`Name:\tweb.default.svc.cluster.local\nAddress: ${ip}\n`)
    await sh('kubectl delete svc web')
    const gone = await inPod('nslookup web')
    expect(gone.exitCode).not.toBe(0)
    expect(gone.stdout).toContain("** server can't find web: NXDOMAIN")
    await sh(webService.replace('spec:\n', 'spec:\n  clusterIP: None\n'))
    const podIps = (await sh(`kubectl get pods -l app=cni -o jsonpath='{.items[*].status.podIP}'`)).split(' ').sort()
    expect((await inPod('dig +short web.default.svc.cluster.local')).stdout.split('\n').filter(Boolean).sort()).toEqual(
      podIps,
    )
  })
})
