import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { processesOf, waitForExit } from '../../support/lab-helpers.ts'
import { listNamespaces } from './net/netns.ts'

/**
 * The twin as an unprivileged user (nobody): the backend puts the whole lab in a user namespace of its own. The
 * runner side runs as nobody in a child process that builds the fabric and prints what FRR and the kernel say.
 */
const NOBODY = 65534
const dir = mkdtempSync(join(tmpdir(), 'twin-rootless-'))
chmodSync(dir, 0o755)
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

const script = `
import { createTwinBackend } from ${JSON.stringify(join(import.meta.dirname, 'backend.ts'))}
const lab = createTwinBackend()
const out = {}
try {
  await lab.up()
  const sh = async (command) => (await lab.exec(command, { timeoutMs: 60000 }))
  out.id = (await sh('id -u')).stdout.trim()
  out.kind = (await sh('bash install.sh >/dev/null 2>&1; docker ps --format "{{.Names}}" | sort')).stdout
  out.deploy = (await sh('brctl addbr br-leaf0 && ip link set br-leaf0 up && brctl addbr br-leaf1 && ip link set br-leaf1 up && clab deploy -t cilium.bgp.clab.yml 2>/dev/null')).exitCode
  for (let i = 0; i < 120; i++) {
    const routes = JSON.parse((await sh('docker exec clab-bgp-leaf0 ip -j route show 10.1.8.0/24')).stdout || '[]')
    if (routes[0]?.nexthops?.length === 2) { out.ecmp = routes[0].nexthops.map((hop) => hop.gateway).sort(); break }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  out.summary = JSON.parse((await sh("docker exec clab-bgp-leaf0 vtysh -c 'show bgp summary json'")).stdout)
  out.workspace = lab.status().workspace
} finally {
  await lab.down()
  out.state = lab.status().state
  console.log(JSON.stringify(out))
}
`

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Some kernels (or distribution policies) refuse user namespaces to unprivileged users: nothing to test there. */
function userNamespacesAllowed(): boolean {
  try {
    execFileSync('setpriv', [
      '--reuid',
      String(NOBODY),
      '--regid',
      String(NOBODY),
      '--clear-groups',
      'unshare',
      '--user',
      '--map-root-user',
      'true',
    ])
    return true
  } catch {
    return false
  }
}

function runAsNobody(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'setpriv',
      ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', process.execPath, '--import', tsx, file],
      { cwd: dir, env: { ...process.env, HOME: dir }, timeout: 180_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

describe.skipIf(!userNamespacesAllowed())('the twin without root', () => {
  it('builds the fabric in a user namespace and leaves nothing behind', async () => {
    const file = join(dir, 'runner.mjs')
    writeFileSync(file, script)
    const result = await runAsNobody(file)
    // On failure, show what the unprivileged runner printed.
    const out = JSON.parse(result.stdout.trim().split('\n').at(-1) || '{}')
    expect({ stderr: result.stderr, ...out }).toMatchObject({ stderr: expect.not.stringMatching(/Error/) })
    expect(out.id).toBe('0')
    expect(out.kind.trim().split('\n')).toEqual([
      'clab-bgp-control-plane',
      'clab-bgp-worker',
      'clab-bgp-worker2',
      'clab-bgp-worker3',
    ])
    expect(out.deploy).toBe(0)
    expect(out.ecmp).toEqual(['10.1.10.2', '10.1.12.2'])
    expect(out.summary.ipv4Unicast.peers['10.1.10.2'].state).toBe('Established')
    expect(out.state).toBe('stopped')
    // The lab's namespaces never appeared on the machine, and no process of the lab's user is left.
    const id = out.workspace.split('/').at(-3)
    expect((await listNamespaces()).filter((name) => name.startsWith(`${id}-`))).toEqual([])
    // The lab's last processes (the daemon's unshare and node) can still be ending when the runner's output arrives:
    // wait for those, by pid, then nothing of the lab's user may be left.
    await waitForExit((await processesOf(NOBODY)).map((p) => p.pid))
    expect(await processesOf(NOBODY)).toEqual([])
  })
})
