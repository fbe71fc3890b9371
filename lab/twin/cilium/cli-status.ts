import { tabwriteText } from './tab-text.ts'

/** An error or warning cilium-cli collected about a workload (its name) or one of its pods. */
export interface StatusProblem {
  workload: string
  /** The pod's name, or the workload's when it is about the workload itself. */
  pod: string
  message: string
}

/** What `cilium status` of cilium-cli summarizes, gathered from the store. */
export interface CliStatus {
  /** Kind and name of each workload (`DaemonSet cilium`) with its pod counts; absent ones are not listed. */
  workloads: { type: 'DaemonSet' | 'Deployment'; name: string; desired: number; ready: number; available: number }[]
  /** Workload name -> pod phase -> count: a workload looked for has an entry, empty when it has no pod. */
  phases: Record<string, Record<string, number>>
  pods: { all: number; byCilium: number }
  helmChartVersion: string
  /** Workload name -> image -> pod count. */
  images: Record<string, Record<string, number>>
  errors: StatusProblem[]
  warnings: StatusProblem[]
  /** Workloads not deployed that cilium-cli calls disabled (the operator's Deployment when it is not found). */
  disabled: string[]
  /** Whether the cilium-envoy DaemonSet exists. */
  envoy: boolean
}

// cilium-cli/status/status.go colors, printed whether or not the output is a terminal.
const RED = '\x1b[31m'
const YELLOW = '\x1b[33m'
const BLUE = '\x1b[34m'
const GREEN = '\x1b[32m'
const MAGENTA = '\x1b[35m'
const CYAN = '\x1b[36m'
const RESET = '\x1b[0m'

const OK = `${GREEN}OK${RESET}`
const DISABLED = `${CYAN}disabled${RESET}`

/** PodStateCount.Format: only the non-zero counts, ready and available yellow while below desired. */
function podState(w: CliStatus['workloads'][number]): string {
  const color = w.ready < w.desired ? YELLOW : GREEN
  const items: string[] = []
  if (w.desired > 0) items.push(`Desired: ${w.desired}`)
  if (w.ready > 0) items.push(`Ready: ${color}${w.ready}/${w.desired}${RESET}`)
  if (w.available > 0) items.push(`Available: ${color}${w.available}/${w.desired}${RESET}`)
  const unavailable = w.desired - w.available
  if (unavailable > 0) items.push(`Unavailable: ${RED}${unavailable}/${w.desired}${RESET}`)
  return items.join(', ')
}

/** Status.statusSummary: the workload's error and warning counts and "disabled", or OK when there is none. */
function summary(s: CliStatus, name: string): string {
  const errors = s.errors.filter((p) => p.workload === name).length
  const warnings = s.warnings.filter((p) => p.workload === name).length
  const items: string[] = []
  if (errors > 0) items.push(`${RED}${errors} errors${RESET}`)
  if (warnings > 0) items.push(`${YELLOW}${warnings} warnings${RESET}`)
  if (s.disabled.includes(name)) items.push(DISABLED)
  return items.length ? items.join(', ') : OK
}

/** formatPhaseCount: each phase seen with its count, Failed and Unknown red, the others green. */
const phaseCount = (phases: Record<string, number>) =>
  Object.keys(phases)
    .sort()
    .map((phase) => `${phase}: ${['Failed', 'Unknown'].includes(phase) ? RED : GREEN}${phases[phase]}${RESET}`)
    .join(', ')

/**
 * cilium-cli's `cilium status` summary (cilium/cilium cilium-cli/status/status.go Status.Format): the logo box with
 * each component's summary, then workloads, containers, cluster pods, the helm chart version, images, and the errors
 * and warnings collected, through a tabwriter of padding 4. Go prints its maps in random order; the twin sorts them.
 * Hubble Relay and ClusterMesh are not deployed in the lab (disabled); without a cilium-envoy DaemonSet Envoy runs
 * embedded in the agent.
 */
export function formatCliStatus(s: CliStatus): string {
  let text = `${YELLOW}    /¯¯\\\n`
  text += `${CYAN} /¯¯${YELLOW}\\__/${GREEN}¯¯\\${RESET}\tCilium:\t${summary(s, 'cilium')}\n`
  text += `${CYAN} \\__${RED}/¯¯\\${GREEN}__/${RESET}\tOperator:\t${summary(s, 'cilium-operator')}\n`
  text += `${GREEN} /¯¯${RED}\\__/${MAGENTA}¯¯\\${RESET}\tEnvoy DaemonSet:\t${s.envoy ? OK : `${CYAN}disabled (using embedded mode)${RESET}`}\n`
  text += `${GREEN} \\__${BLUE}/¯¯\\${MAGENTA}__/${RESET}\tHubble Relay:\t${DISABLED}\n`
  text += `${BLUE}${BLUE}${BLUE}    \\__/${RESET}\tClusterMesh:\t${DISABLED}\n`
  text += '\n'
  for (const w of s.workloads) text += `${w.type}\t${w.name}\t${podState(w)}\n`
  let header = 'Containers:'
  for (const name of Object.keys(s.phases).sort()) {
    text += `${header}\t${name}\t${phaseCount(s.phases[name])}\n`
    header = ''
  }
  text += `Cluster Pods:\t${s.pods.byCilium}/${s.pods.all} managed by Cilium\n`
  text += `Helm chart version:\t${s.helmChartVersion}\n`
  header = 'Image versions'
  for (const name of Object.keys(s.images).sort()) {
    for (const image of Object.keys(s.images[name]).sort()) {
      text += `${header}\t${name}\t${image}: ${s.images[name][image]}\n`
      header = ''
    }
  }
  const byName = (a: StatusProblem, b: StatusProblem) =>
    a.workload.localeCompare(b.workload) || a.pod.localeCompare(b.pod)
  for (const [title, problems] of [
    ['Errors:', s.errors],
    ['Warnings:', s.warnings],
  ] as const) {
    header = title
    for (const p of [...problems].sort(byName)) {
      text += `${header}\t${p.workload}\t${p.pod}\t${p.message}\n`
      header = ''
    }
  }
  return tabwriteText(text, 0, 4)
}
