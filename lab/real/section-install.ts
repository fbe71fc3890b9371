/**
 * What the real lab runs before a section whose versions differ from the lab the learner built. The BGP v2 section
 * needs Kubernetes 1.30 or later for Cilium 1.18, and no Cilium 1.13 runs there, so the cluster is built again on
 * the newer node image (with the course's own install.sh, the image and the control-plane taint's name changed), the
 * fabric is attached to the new nodes, Cilium 1.18 is installed with the chapter's values (cilium-1.18.sh), and the
 * objects of chapters 5 and 6 are applied again: 1.18 still honours the v1 peering policies, so the chapter's
 * v1 -> v2 migration stays live.
 */
import type { ExecOptions, ExecResult } from '../backend.ts'
import { LabError } from '../lab-error.ts'
import { runBash } from '../run-bash.ts'
import { BASE_VERSIONS, versionsFor } from './lab-versions.ts'
import { describeMissing, type PreflightResult, preflight, realTools } from './preflight.ts'

/** One command of a section's installer, run in the lab folder. */
export interface InstallCommand {
  /** What it does, for the progress line and the error. */
  what: string
  run: string
  timeoutMs: number
  /** The course file it pipes through sed, and each text it replaces: a test proves the texts are there. */
  rewrites?: { file: string; replace: [from: string, to: string][] }
}

/** `sed ... file | bash`: runs a course script with some of its text replaced, leaving the learner's file as it is. */
function rewritten(file: string, replace: [string, string][]): string {
  return `sed ${replace.map(([from, to]) => `-e 's#${from}#${to}#'`).join(' ')} ${file} | bash`
}

const MINUTE = 60_000

/** The commands that prepare the real lab for `section`, in order; none when the section runs on the base lab. */
export function sectionInstall(section: string): InstallCommand[] {
  const versions = versionsFor(section)
  if (versions === BASE_VERSIONS) return []
  const kindRewrites: [string, string][] = [
    [BASE_VERSIONS.nodeImage, versions.nodeImage],
    // Kubernetes 1.24 renamed the control plane's taint: the old name would leave the node unschedulable.
    ['node-role.kubernetes.io/master:NoSchedule-', 'node-role.kubernetes.io/control-plane:NoSchedule-'],
  ]
  // The chapter's script upgrades an existing release; on the new cluster there is none yet.
  const ciliumRewrites: [string, string][] = [['helm upgrade cilium ', 'helm upgrade --install cilium ']]
  return [
    // The fabric's servers live in the kind nodes' network namespaces: they go before the nodes do.
    { what: 'remove the fabric', run: 'clab destroy -t cilium.bgp.clab.yml --cleanup', timeoutMs: 5 * MINUTE },
    {
      what: `remove the Kubernetes ${BASE_VERSIONS.kubernetes} cluster`,
      run: 'kind delete cluster --name clab-bgp',
      timeoutMs: 5 * MINUTE,
    },
    {
      what: `create the cluster on ${versions.nodeImage} (Kubernetes ${versions.kubernetes})`,
      run: rewritten('install.sh', kindRewrites),
      timeoutMs: 15 * MINUTE,
      rewrites: { file: 'install.sh', replace: kindRewrites },
    },
    {
      what: 'keep the rack bridges',
      run: 'for b in br-leaf0 br-leaf1; do ip link show $b >/dev/null 2>&1 || brctl addbr $b; ip link set $b up; done',
      timeoutMs: MINUTE,
    },
    { what: 'attach the fabric to the new nodes', run: 'clab deploy -t cilium.bgp.clab.yml', timeoutMs: 10 * MINUTE },
    {
      what: `install Cilium ${versions.cilium} with the chapter's values`,
      run: `helm repo add cilium https://helm.cilium.io --force-update && ${rewritten('cilium-1.18.sh', ciliumRewrites)}`,
      timeoutMs: 10 * MINUTE,
      rewrites: { file: 'cilium-1.18.sh', replace: ciliumRewrites },
    },
    {
      what: 'wait for the Cilium agents',
      run: 'kubectl -n kube-system rollout status ds/cilium --timeout=600s',
      timeoutMs: 11 * MINUTE,
    },
    // Where chapters 5 and 6 left the lab: the policies with a serviceSelector, and chapter 6's pools. Their `cidrs`
    // is a field 1.18 no longer has: the API server drops it (kubectl 1.33 would refuse it outright, hence warn), so
    // the service starts pending, as it does after the twin's in-place upgrade.
    {
      what: "the test pods, chapter 5's v1 peering policies and chapter 6's pools",
      run: 'kubectl apply -f cni.yaml && kubectl apply -f bgp_peering_policy_services.yaml && kubectl apply --validate=warn -f lb-ipam.yaml',
      timeoutMs: 2 * MINUTE,
    },
    {
      what: 'wait for the pods',
      run: 'kubectl wait --for=condition=Ready pods --all --timeout=300s',
      timeoutMs: 6 * MINUTE,
    },
  ]
}

export interface InstallSectionOptions {
  /** The lab folder (the course's files). */
  workspace: string
  /** Told before each command. */
  progress?: (message: string) => void
  signal?: AbortSignal
  /** How a command runs. [run=runBash] */
  run?: (command: string, options: ExecOptions) => Promise<ExecResult>
  /** How the tools are checked. [check=preflight of the section's tools] */
  check?: () => Promise<PreflightResult>
}

/** The last lines of a failed command's output, enough to see why without flooding the message. */
const tail = (text: string, lines = 20) => text.trimEnd().split('\n').slice(-lines).join('\n')

/**
 * Prepares the real lab for `section`: checks the section's tools (LAB_TOOLS_MISSING with each install command), then
 * runs its commands in order, stopping at the first that fails (LAB_SECTION_INSTALL_FAILED with its output).
 */
export async function installSection(section: string, options: InstallSectionOptions): Promise<void> {
  const commands = sectionInstall(section)
  if (commands.length === 0) return
  const found = await (options.check ?? (() => preflight(realTools(versionsFor(section)))))()
  if (found.missing.length > 0)
    throw new LabError('LAB_TOOLS_MISSING', `Section ${section}: ${describeMissing(found.missing)}`)
  const run = options.run ?? ((command: string, execOptions: ExecOptions) => runBash(command, execOptions))
  for (const command of commands) {
    options.progress?.(command.what)
    const result = await run(command.run, {
      cwd: options.workspace,
      timeoutMs: command.timeoutMs,
      signal: options.signal,
    })
    if (result.exitCode !== 0) {
      throw new LabError(
        'LAB_SECTION_INSTALL_FAILED',
        [
          `Preparing the real lab for section ${section} failed: ${command.what}.`,
          `  command: ${command.run}`,
          `  exit code: ${result.exitCode}${result.timedOut ? ` (timed out after ${command.timeoutMs / 1000} s)` : ''}`,
          tail(`${result.stdout}${result.stderr}`),
        ].join('\n'),
      )
    }
  }
}
