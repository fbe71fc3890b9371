import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { until } from '../../support/lab-helpers.ts'
import { describeLabBackendContract } from '../contract-suite.ts'
import { createTwinBackend } from './backend.ts'
import { MARKER_DIR } from './net/lab-marker.ts'
import { listNamespaces } from './net/netns.ts'
import { isAlive, processRef } from './net/processes.ts'
import { memoryCgroup } from './sandbox/lab-cgroup.ts'

describeLabBackendContract('twin', () => createTwinBackend(), {
  toolCommands: [
    'kubectl version --client',
    'kubectl version --client --short',
    'helm version --short',
    'kind version',
    'containerlab version',
    'docker ps',
  ],
})

/** The lab id and run dir, read from the workspace path `<stateRoot>/<id>/home/lab`. */
function labOf(workspace: string) {
  const runDir = join(workspace, '..', '..')
  const id = runDir.split('/').at(-1)!
  const marker = JSON.parse(readFileSync(join(MARKER_DIR, `${id}.json`), 'utf8')) as {
    owner: { pid: number; startTime: number }
  }
  return { id, runDir, daemon: marker.owner }
}

async function labNamespaces(id: string) {
  return (await listNamespaces()).filter((name) => name.startsWith(`${id}-`))
}

describe('twin backend', () => {
  it("puts the lab tools first on PATH, with the real lab's prompt, and leaves nothing after down", async () => {
    const backend = createTwinBackend()
    try {
      await backend.up()
      const { id, runDir, daemon } = labOf(backend.status().workspace!)
      const tools = await backend.exec('for t in kind clab containerlab docker helm kubectl; do command -v $t; done')
      expect(tools.stdout.trim().split('\n')).toEqual(
        ['kind', 'clab', 'containerlab', 'docker', 'helm', 'kubectl'].map((t) => join(runDir, 'bin', t)),
      )
      const spec = backend.shell()
      const shell = spawn(spec.file, spec.args, { env: spec.env, cwd: spec.cwd })
      let stderr = ''
      shell.stderr.on('data', (chunk) => (stderr += chunk))
      shell.stdin.end('exit\n')
      await new Promise((resolve) => shell.on('exit', resolve))
      expect(stderr).toContain('root@kind:~/lab# ')
      expect(await labNamespaces(id)).toEqual([`${id}-host`])
      await backend.down()
      expect(await labNamespaces(id)).toEqual([])
      expect(isAlive(daemon)).toBe(false)
      expect(existsSync(runDir)).toBe(false)
      expect(existsSync(join(MARKER_DIR, `${id}.json`))).toBe(false)
    } finally {
      await backend.down()
    }
  })

  it('starts the daemon (and so what it starts: routers, speakers, pods) in the cgroup it is given', async () => {
    const cgroup = memoryCgroup(`bgplab-test-${process.pid}`)
    const backend = createTwinBackend({ cgroup: cgroup.path })
    try {
      await backend.up()
      const { daemon } = labOf(backend.status().workspace!)
      expect(readFileSync(join(cgroup.path, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number)).toEqual([
        daemon.pid,
      ])
      expect(cgroup.read().usage).toBeGreaterThan(0)
    } finally {
      await backend.down()
      cgroup.remove()
    }
  })

  it('runs two labs side by side without either seeing the other', async () => {
    const [a, b] = [createTwinBackend(), createTwinBackend()]
    try {
      await Promise.all([a.up(), b.up()])
      expect(a.status().workspace).not.toBe(b.status().workspace)
      await a.exec('brctl addbr br-leaf0 && ip link set br-leaf0 up')
      const inB = await b.exec('brctl addbr br-leaf0 && ip -br link show type bridge')
      expect(inB).toMatchObject({ exitCode: 0 })
      expect(inB.stdout.trim().split('\n')).toHaveLength(1)
      const inA = await a.exec('ip -br link show type bridge')
      expect(inA.stdout).toMatch(/^br-leaf0\s.*[<,]UP[,>]/)
    } finally {
      await Promise.all([a.down(), b.down()])
    }
  })

  it("keeps the learner's edits in a kept workspace across labs", async () => {
    const kept = mkdtempSync(join(tmpdir(), 'twin-kept-'))
    try {
      for (const round of [1, 2]) {
        const backend = createTwinBackend({ keepWorkspace: kept })
        try {
          await backend.up()
          if (round === 1)
            await backend.exec("sed -i 's/router-id 10.1.5.1$/router-id 10.1.5.77/' startup-conf/leaf0-boot.cfg")
          const config = await backend.exec('pwd; grep router-id startup-conf/leaf0-boot.cfg')
          expect(config.stdout).toBe(`${backend.status().workspace}\n            router-id 10.1.5.77\n`)
        } finally {
          await backend.down()
        }
      }
      expect(existsSync(join(kept, 'cilium.bgp.clab.yml'))).toBe(true)
    } finally {
      rmSync(kept, { recursive: true, force: true })
    }
  })

  it("tears the lab down when the runner dies (the daemon's stdin closes)", async () => {
    // A runner in its own process: it brings a lab up, prints where it is, then gets SIGKILLed.
    const script = `import { createTwinBackend } from ${JSON.stringify(join(import.meta.dirname, 'backend.ts'))}
      const lab = createTwinBackend(); await lab.up(); console.log(lab.status().workspace); setInterval(() => {}, 1000)`
    const runner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const workspace = await new Promise<string>((resolve) =>
      runner.stdout.once('data', (chunk) => resolve(String(chunk).trim())),
    )
    const { id, runDir, daemon } = labOf(workspace)
    expect(await labNamespaces(id)).toEqual([`${id}-host`])
    runner.kill('SIGKILL')
    await until(
      'the orphaned lab to be torn down',
      async () => (await labNamespaces(id)).length === 0 && !existsSync(runDir),
      { timeoutMs: 20_000, intervalMs: 100 },
    )
    await until('the daemon to exit', () => !isAlive(daemon), { timeoutMs: 20_000, intervalMs: 100 })
  })

  it('cleans the leftovers of a crashed lab on the next up', async () => {
    const first = createTwinBackend()
    const second = createTwinBackend()
    try {
      await first.up()
      const crashed = labOf(first.status().workspace!)
      // A crash that gives the daemon no chance to clean up: its namespace, run dir and marker stay behind.
      process.kill(crashed.daemon.pid, 'SIGKILL')
      await until('the daemon to die', () => !isAlive(processRef(crashed.daemon.pid)) || !isAlive(crashed.daemon), {
        timeoutMs: 20_000,
        intervalMs: 100,
      })
      expect(await labNamespaces(crashed.id)).toEqual([`${crashed.id}-host`])
      await second.up()
      expect(await labNamespaces(crashed.id)).toEqual([])
      expect(existsSync(crashed.runDir)).toBe(false)
      expect(second.status().state).toBe('ready')
    } finally {
      await first.down()
      await second.down()
    }
  })
})
