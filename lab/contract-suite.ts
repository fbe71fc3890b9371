/**
 * The contract every LabBackend passes, as a vitest suite to call from a backend's own test file:
 * `describeLabBackendContract('twin', () => createTwinBackend())`. It covers what the runner relies on: status
 * transitions and events, probes through `exec` (exit codes, stdin, cwd, timeouts that kill the whole command), the
 * learner's shell, and an idempotent `down`.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabState } from '../protocol/messages.ts'
import type { LabBackend } from './backend.ts'

export interface ContractOptions {
  /** The workspace holds the course's lab files (install.sh, the topology). [courseFiles=true] */
  courseFiles?: boolean
  /**
   * Commands of the lab's own tools that must answer through `exec` in the workspace, as the course's first steps
   * run them (e.g. `kubectl version --client`): exit 0 and some output. [toolCommands=[]]
   */
  toolCommands?: string[]
}

/** Running, not a zombie: a killed child waits as a zombie until something reaps it, which depends on the machine. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3))
  } catch {
    return false
  }
}

export function describeLabBackendContract(
  name: string,
  create: () => LabBackend,
  options: ContractOptions = {},
): void {
  describe(`LabBackend contract: ${name}`, () => {
    let lab: LabBackend
    const states: LabState[] = []
    const phases: string[] = []

    beforeAll(async () => {
      lab = create()
      expect(lab.status().state).toBe('not-started')
      lab.on('status', (status) => states.push(status.state))
      lab.on('progress', (progress) => phases.push(progress.phase))
      await lab.up()
    })

    afterAll(async () => {
      await lab?.down()
    })

    it('comes up through starting to ready, reporting progress', () => {
      expect(states[0]).toBe('starting')
      expect(states.at(-1)).toBe('ready')
      expect(phases.length).toBeGreaterThan(0)
      expect(lab.status()).toMatchObject({ kind: lab.kind, state: 'ready' })
    })

    it('treats a second up as a no-op', async () => {
      const before = states.length
      await lab.up()
      expect(lab.status().state).toBe('ready')
      expect(states.slice(before).every((state) => state === 'ready')).toBe(true)
    })

    it('runs probes in the workspace and returns output and exit code without throwing', async () => {
      const workspace = lab.status().workspace!
      const result = await lab.exec('pwd; echo oops >&2; exit 3')
      expect(result).toMatchObject({ exitCode: 3, stdout: `${workspace}\n`, stderr: 'oops\n', timedOut: false })
      if (options.courseFiles ?? true) expect(existsSync(join(workspace, 'cilium.bgp.clab.yml'))).toBe(true)
    })

    it.skipIf(!options.toolCommands?.length)("runs the lab's tools in the workspace", async () => {
      for (const command of options.toolCommands ?? []) {
        const result = await lab.exec(command, { timeoutMs: 30_000 })
        expect({ command, exitCode: result.exitCode, stderr: result.stderr }).toEqual({
          command,
          exitCode: 0,
          stderr: expect.any(String),
        })
        expect(result.stdout.trim(), command).not.toBe('')
      }
    })

    it('feeds input to the command', async () => {
      expect((await lab.exec('tr a-z A-Z', { input: 'peering\n' })).stdout).toBe('PEERING\n')
    })

    it('kills a timed-out command and everything it started', async () => {
      const pidFile = join(lab.status().workspace!, '.contract-child.pid')
      const result = await lab.exec(`sleep 60 & echo $! > ${pidFile}; wait`, { timeoutMs: 500 })
      expect(result).toMatchObject({ timedOut: true, exitCode: 124 })
      expect(result.durationMs).toBeLessThan(5000)
      const child = Number(readFileSync(pidFile, 'utf8'))
      for (let i = 0; i < 50 && isAlive(child); i++) await new Promise((resolve) => setTimeout(resolve, 20))
      expect(isAlive(child)).toBe(false)
    })

    it('stops a command when its signal aborts', async () => {
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 200)
      const result = await lab.exec('sleep 30', { signal: controller.signal })
      expect(result.exitCode).not.toBe(0)
      expect(result.durationMs).toBeLessThan(5000)
    })

    it('gives a shell that runs what the learner types, in the workspace', async () => {
      const spec = lab.shell()
      const shell = spawn(spec.file, spec.args, { env: spec.env, cwd: spec.cwd, stdio: ['pipe', 'pipe', 'pipe'] })
      let stdout = ''
      shell.stdout.on('data', (chunk) => (stdout += chunk))
      shell.stdin.end('echo "answer $((6 * 7)) in $PWD"\nexit\n')
      const code = await new Promise((resolve) => shell.on('exit', resolve))
      expect(code).toBe(0)
      expect(stdout).toContain(`answer 42 in ${lab.status().workspace}`)
    })

    it('goes down to stopped, and a second down is harmless', async () => {
      await lab.down()
      expect(lab.status().state).toBe('stopped')
      await lab.down()
      expect(lab.status().state).toBe('stopped')
      expect(states).toContain('stopping')
    })
  })
}
