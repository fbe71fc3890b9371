import { execFile } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import { realKubectl } from '../../../support/real-kubectl.ts'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

/**
 * The twin's kubectl against a real kubectl v1.23.0 (support/real-kubectl.ts) on what kubectl answers before it
 * talks to an API server: usage errors, missing arguments, flag errors. The real one runs with no kubeconfig (its
 * `Config not found` warning is left out); the twin with a lab cluster, so any difference is in kubectl itself.
 * Left out: the answers 1.23.0 writes through klog (`E... run.go:120] "command failed" err=...`: unknown commands,
 * required flags), a 1.23.0 formatting that later patch releases do not share.
 */
const fake = useFakeCluster('real-kubectl-')

const CASES: string[][] = [
  ['exec'],
  ['exec', 'mypod'],
  ['exec', '-it'],
  ['logs'],
  ['logs', 'a', 'b', 'c'],
  ['get'],
  ['describe'],
  ['delete'],
  ['apply'],
  ['apply', '-f'],
  ['label', 'nodes'],
  ['taint', 'nodes'],
  ['port-forward'],
  ['port-forward', 'mypod'],
  ['expose'],
  ['rollout'],
  ['rollout', 'status'],
  ['top'],
  ['get', 'pods', '--frob'],
  ['get', 'pods', '--namespce', 'kube-system'],
  ['cordon'],
  ['drain'],
  ['api-versions', 'extra'],
  ['edit'],
  ['annotate'],
  ['patch', 'pod', 'x'],
  ['create'],
  ['config', 'use-context'],
  ['version', '--output=foo'],
  ['--bogus', 'get', 'pods'],
  ['get', 'pods', '-Z'],
  ['top', 'bogus'],
  ['rollout', 'bogus'],
  ['config'],
  ['config', 'bogus'],
  ['create', '-f'],
  ['create', 'deploy', '--frob'],
  ['rollout', 'status', '--frob'],
  ['auth'],
  ['label'],
  ['diff'],
  ['top', 'node', '--frob'],
  ['apply', '-k'],
  ['delete', '--all', '-f', 'x'],
  ['logs', '--tail=x', 'p'],
  ['get', 'pods', '--sort-by'],
  ['annotate', 'pods'],
  ['logs', '--since=5x', 'p'],
  ['logs', '--since=10', 'p'],
  ['rollout', 'status', 'ds/x', '--timeout=5 minutes'],
]

function real(argv: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      realKubectl(),
      argv,
      { env: { PATH: process.env.PATH, HOME: fake.dir, KUBECONFIG: '/nonexistent' } },
      (error, stdout, stderr) =>
        resolve({
          exitCode: error ? Number(error.code ?? 1) : 0,
          stdout,
          stderr: stderr.replace(/^W\d{4} [\d:.]+ +\d+ loader\.go:\d+\] Config not found: \/nonexistent\n/gm, ''),
        }),
    )
  })
}

describe('the twin kubectl against a real kubectl v1.23.0, before any API server', () => {
  beforeAll(() => void realKubectl(), 300_000)

  it.each(CASES.map((argv) => [argv.join(' '), argv]))('kubectl %s', async (_, argv) => {
    fake.createKindCluster({ cilium: true })
    const theirs = await real(argv)
    expect(theirs.stderr).not.toMatch(/command failed|connection to the server/)
    const ours = await fake.call(kubectlTool, argv)
    expect({ exitCode: ours.exitCode, stdout: ours.stdout, stderr: ours.stderr }).toEqual(theirs)
  })
})
