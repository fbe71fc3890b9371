import { describe, expect, it } from 'vitest'
import { useSeedLab } from '../../../support/lab-helpers.ts'

/**
 * kubectl diff, get --raw and a command's help through the twin backend: the shim, the daemon and GNU diff on the lab
 * host, as a learner's terminal reaches them.
 */

const { lab, sh } = useSeedLab()

describe('kubectl diff, get --raw and help through the twin backend', () => {
  it('diffs the applied peering policies: nothing for the file as applied, a unified diff for a changed one', async () => {
    expect(await lab().exec('kubectl diff -f bgp_peering_policy.yaml')).toMatchObject({ exitCode: 0, stdout: '' })
    const changed = await lab().exec(
      "sed 's/exportPodCIDR: true/exportPodCIDR: false/' bgp_peering_policy.yaml | kubectl diff -f -",
    )
    expect(changed.exitCode).toBe(1)
    // Cluster-scoped: an empty namespace between the kind and the name; the spec change bumps the generation.
    expect(changed.stdout).toMatch(
      /^diff -u -N \/tmp\/LIVE-\d+\/cilium\.io\.v2alpha1\.CiliumBGPPeeringPolicy\.\.rack0 \/tmp\/MERGED-\d+\/cilium\.io\.v2alpha1\.CiliumBGPPeeringPolicy\.\.rack0\n/,
    )
    expect(changed.stdout).toContain('   virtualRouters:\n-  - exportPodCIDR: true\n+  - exportPodCIDR: false\n')
    expect(changed.stdout).toContain('-  generation: 1\n+  generation: 2\n')
    expect(changed.stdout).toMatch(
      /\ndiff -u -N \/tmp\/LIVE-\d+\/cilium\.io\.v2alpha1\.CiliumBGPPeeringPolicy\.\.rack1 /,
    )
    // The dry run changed nothing: the routes still come from the pod CIDRs.
    expect(
      await sh("kubectl get ciliumbgppeeringpolicy rack0 -o jsonpath='{.spec.virtualRouters[0].exportPodCIDR}'"),
    ).toBe('true')
  }, 60_000)

  it('answers get --raw from the lab API server and prints 1.23 help', async () => {
    expect(await sh('kubectl get --raw /readyz')).toBe('ok')
    expect(await sh('kubectl get --raw /apis/cilium.io/v2alpha1/ciliumbgppeeringpolicies')).toMatch(
      /^\{"apiVersion":"cilium\.io\/v2alpha1","items":\[\{"apiVersion":"cilium\.io\/v2alpha1","kind":"CiliumBGPPeeringPolicy",/,
    )
    expect((await sh('kubectl api-versions')).split('\n')).toContain('cilium.io/v2alpha1')
    expect((await sh('kubectl diff --help')).split('\n')[0]).toBe(
      'Diff configurations specified by file name or stdin between the current online configuration, and the configuration as it would be if applied.',
    )
  }, 60_000)
})
