/**
 * The real lab: the seed's own tools (docker, kind, containerlab, helm) on the learner's machine. The learner builds
 * the lab with the course's commands; this backend checks the tools, lays out the lab files, runs probes with bash on
 * the machine, and gives the terminal a login shell in the lab folder.
 */
import { EventEmitter } from 'node:events'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { ExecOptions, LabBackend, LabEvents, LabStatus, ShellSpec } from '../backend.ts'
import { copyWorkspace } from '../copy-workspace.ts'
import { LabError } from '../lab-error.ts'
import { runBash } from '../run-bash.ts'
import { describeMissing, preflight } from './preflight.ts'
import { installSection, sectionInstall } from './section-install.ts'

export interface RealBackendOptions {
  /** Folder that receives the lab files. Default: ~/cilium-bgp-lab. */
  workspace?: string
}

/** In the workspace: the section the lab was last rebuilt for (absent: the lab as the learner built it). */
const SECTION_MARKER = '.lab-section'

/** What `down` removes: exactly what the course's steps create, nothing else of the machine's. */
const TEARDOWN = [
  'clab destroy -t cilium.bgp.clab.yml --cleanup',
  'kind delete cluster --name clab-bgp',
  'ip link del br-leaf0',
  'ip link del br-leaf1',
]

export function createRealBackend(options: RealBackendOptions = {}): LabBackend {
  const workspace = options.workspace ?? join(homedir(), 'cilium-bgp-lab')
  const events = new EventEmitter()
  let status: LabStatus = { kind: 'real', state: 'not-started', workspace }

  const setStatus = (next: Partial<LabStatus>) => {
    status = { ...status, ...next }
    events.emit('status', status)
  }
  const progress = (phase: string, message: string) => events.emit('progress', { phase, message })

  return {
    kind: 'real',
    async up() {
      setStatus({ state: 'starting', reason: undefined })
      progress('preflight', 'checking docker, kind, containerlab, helm, kubectl, brctl')
      const found = await preflight()
      setStatus({ tools: found.tools })
      if (found.missing.length > 0) {
        const reason = describeMissing(found.missing)
        setStatus({ state: 'failed', reason })
        throw new LabError('LAB_TOOLS_MISSING', reason)
      }
      progress('workspace', `lab files in ${workspace}`)
      await copyWorkspace(workspace)
      setStatus({ state: 'ready' })
    },
    async down() {
      if (status.state === 'not-started' || status.state === 'stopped') return
      setStatus({ state: 'stopping' })
      for (const command of TEARDOWN) {
        progress('teardown', command)
        await runBash(`${command} >/dev/null 2>&1 || true`, { cwd: workspace, timeoutMs: 120_000 })
      }
      rmSync(join(workspace, SECTION_MARKER), { force: true })
      setStatus({ state: 'stopped' })
    },
    // Rebuilds what `section` needs (section-install.ts), once: the section the lab was last built for is kept in the
    // workspace, so a runner started again does not rebuild a cluster the learner has already worked in.
    async prepareSection(section: string, sectionOptions: { signal?: AbortSignal } = {}) {
      const marker = join(workspace, SECTION_MARKER)
      if (
        sectionInstall(section).length === 0 ||
        (existsSync(marker) && readFileSync(marker, 'utf8').trim() === section)
      )
        return
      setStatus({ state: 'starting', reason: undefined })
      try {
        await installSection(section, {
          workspace,
          signal: sectionOptions.signal,
          progress: (message) => progress(`section ${section}`, message),
        })
      } catch (error) {
        setStatus({ state: 'failed', reason: error instanceof Error ? error.message : String(error) })
        throw error
      }
      writeFileSync(marker, `${section}\n`)
      setStatus({ state: 'ready' })
    },
    status: () => status,
    exec: (command: string, execOptions: ExecOptions = {}) => runBash(command, { cwd: workspace, ...execOptions }),
    shell(): ShellSpec {
      return { file: 'bash', args: ['-l'], env: { ...(process.env as Record<string, string>) }, cwd: workspace }
    },
    on<E extends keyof LabEvents>(event: E, listener: LabEvents[E]) {
      events.on(event, listener)
      return () => events.off(event, listener)
    },
  }
}
