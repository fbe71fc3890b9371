import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ExecOptions, ExecResult } from '../backend.ts'
import { LabError } from '../lab-error.ts'
import { installSection, sectionInstall } from './section-install.ts'

const workspace = join(import.meta.dirname, '../../workspace')
const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '', timedOut: false, durationMs: 1 })

/** Runs the installer with every command recorded and answered by `answer`; tools all present. */
async function recorded(section: string, answer: (command: string) => ExecResult = () => ok()) {
  const calls: { command: string; options: ExecOptions }[] = []
  const progress: string[] = []
  const done = installSection(section, {
    workspace: '/lab',
    progress: (m) => progress.push(m),
    check: async () => ({ tools: {}, missing: [] }),
    run: async (command, options) => {
      calls.push({ command, options })
      return answer(command)
    },
  })
  return { done, calls, progress }
}

describe('the BGP v2 section on the real lab', () => {
  it('rebuilds the cluster on kindest/node:v1.33.1, reattaches the fabric and installs Cilium 1.18.2 with the chapter values', async () => {
    const { done, calls, progress } = await recorded('bgp-v2')
    await done
    expect(calls.map((c) => c.command)).toEqual([
      'clab destroy -t cilium.bgp.clab.yml --cleanup',
      'kind delete cluster --name clab-bgp',
      "sed -e 's#kindest/node:v1.23.4#kindest/node:v1.33.1#' -e 's#node-role.kubernetes.io/master:NoSchedule-#node-role.kubernetes.io/control-plane:NoSchedule-#' install.sh | bash",
      'for b in br-leaf0 br-leaf1; do ip link show $b >/dev/null 2>&1 || brctl addbr $b; ip link set $b up; done',
      'clab deploy -t cilium.bgp.clab.yml',
      "helm repo add cilium https://helm.cilium.io --force-update && sed -e 's#helm upgrade cilium #helm upgrade --install cilium #' cilium-1.18.sh | bash",
      'kubectl -n kube-system rollout status ds/cilium --timeout=600s',
      'kubectl apply -f cni.yaml && kubectl apply -f bgp_peering_policy_services.yaml && kubectl apply --validate=warn -f lb-ipam.yaml',
      'kubectl wait --for=condition=Ready pods --all --timeout=300s',
    ])
    expect(calls.every((c) => c.options.cwd === '/lab')).toBe(true)
    expect(progress[2]).toBe('create the cluster on kindest/node:v1.33.1 (Kubernetes 1.33.1)')
  })

  it("rewrites text the course's scripts really hold (a sed that matches nothing would build the old cluster)", () => {
    const rewrites = sectionInstall('bgp-v2').flatMap((c) => (c.rewrites ? [c.rewrites] : []))
    expect(rewrites.map((r) => r.file)).toEqual(['install.sh', 'cilium-1.18.sh'])
    for (const { file, replace } of rewrites) {
      const text = readFileSync(join(workspace, file), 'utf8')
      for (const [from] of replace) expect(text, `${file} holds "${from}"`).toContain(from)
    }
    expect(readFileSync(join(workspace, 'cilium-1.18.sh'), 'utf8')).toContain('--version 1.18.2')
  })

  it('stops at the first failing command with LAB_SECTION_INSTALL_FAILED, what it was doing and its output', async () => {
    const { done, calls } = await recorded('bgp-v2', (command) =>
      command.startsWith('clab deploy') ? { ...ok(), exitCode: 1, stderr: 'Error: containerlab needs docker\n' } : ok(),
    )
    const error = await done.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LabError)
    expect((error as LabError).code).toBe('LAB_SECTION_INSTALL_FAILED')
    expect((error as Error).message).toContain(
      'Preparing the real lab for section bgp-v2 failed: attach the fabric to the new nodes.',
    )
    expect((error as Error).message).toContain('Error: containerlab needs docker')
    expect(calls.at(-1)!.command).toBe('clab deploy -t cilium.bgp.clab.yml')
  })

  it('runs nothing when a tool is missing, and says which with its install command', async () => {
    const calls: string[] = []
    const error = await installSection('bgp-v2', {
      workspace: '/lab',
      check: async () => ({
        tools: { kind: 'kind v0.18.0 go1.20.2 linux/amd64' },
        missing: [
          {
            name: 'kind',
            probe: 'kind version',
            version: { pattern: /^kind v0\.29\./, needs: 'kind v0.29.0' },
            found: 'kind v0.18.0 go1.20.2 linux/amd64',
            install:
              'curl -Lo /usr/local/bin/kind https://kind.sigs.k8s.io/dl/v0.29.0/kind-linux-amd64 && chmod +x /usr/local/bin/kind',
          },
        ],
      }),
      run: async (command) => {
        calls.push(command)
        return ok()
      },
    }).catch((e: unknown) => e)
    expect((error as LabError).code).toBe('LAB_TOOLS_MISSING')
    expect((error as Error).message).toContain(
      'kind: needs kind v0.29.0, found "kind v0.18.0 go1.20.2 linux/amd64": curl -Lo /usr/local/bin/kind https://kind.sigs.k8s.io/dl/v0.29.0/kind-linux-amd64',
    )
    expect(calls).toEqual([])
  })

  it('leaves the sections of the seed lab alone', async () => {
    expect(sectionInstall('lb-ipam')).toEqual([])
    const { done, calls } = await recorded('lb-ipam')
    await done
    expect(calls).toEqual([])
  })
})
