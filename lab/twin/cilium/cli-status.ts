import { tabwriteText } from './tab-text.ts'

/** What `cilium status` of cilium-cli summarizes, gathered from the store. */
export interface CliStatus {
  /** Kind and name of each workload (`DaemonSet cilium`) with its pod counts; absent ones are not listed. */
  workloads: { type: 'DaemonSet' | 'Deployment'; name: string; desired: number; ready: number; available: number }[]
  /** Running containers per workload name. */
  running: Record<string, number>
  pods: { all: number; byCilium: number }
  helmChartVersion: string
  /** Workload name -> image -> pod count. */
  images: Record<string, Record<string, number>>
  /** Whether the operator runs (its summary is an error otherwise), and the envoy DaemonSet exists. */
  operatorMissing: boolean
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

/**
 * cilium-cli's `cilium status` summary (cilium/cilium cilium-cli/status/status.go Status.Format): the logo box with
 * each component's summary, then workloads, containers, cluster pods, the helm chart version and images through a
 * tabwriter of padding 4. Go prints its maps in random order; the twin sorts them. Hubble Relay and ClusterMesh are
 * not deployed in the lab (disabled); without a cilium-envoy DaemonSet Envoy runs embedded in the agent.
 */
export function formatCliStatus(s: CliStatus): string {
  const agent = s.workloads.find((w) => w.name === 'cilium')
  const agentSummary = agent && agent.ready < agent.desired ? `${RED}${agent.desired - agent.ready} errors${RESET}` : OK
  let text = `${YELLOW}    /¯¯\\\n`
  text += `${CYAN} /¯¯${YELLOW}\\__/${GREEN}¯¯\\${RESET}\tCilium:\t${agentSummary}\n`
  text += `${CYAN} \\__${RED}/¯¯\\${GREEN}__/${RESET}\tOperator:\t${s.operatorMissing ? `${RED}1 errors${RESET}` : OK}\n`
  text += `${GREEN} /¯¯${RED}\\__/${MAGENTA}¯¯\\${RESET}\tEnvoy DaemonSet:\t${s.envoy ? OK : `${CYAN}disabled (using embedded mode)${RESET}`}\n`
  text += `${GREEN} \\__${BLUE}/¯¯\\${MAGENTA}__/${RESET}\tHubble Relay:\t${DISABLED}\n`
  text += `${BLUE}${BLUE}${BLUE}    \\__/${RESET}\tClusterMesh:\t${DISABLED}\n`
  text += '\n'
  for (const w of s.workloads) text += `${w.type}\t${w.name}\t${podState(w)}\n`
  let header = 'Containers:'
  for (const name of Object.keys(s.running).sort()) {
    text += `${header}\t${name}\tRunning: ${GREEN}${s.running[name]}${RESET}\n`
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
  return tabwriteText(text, 0, 4)
}
