/**
 * What the real lab needs on the machine, how to tell whether it is there, and the exact command that installs it.
 * The versions are the seed lab's (kind 0.18, containerlab 0.54, Kubernetes 1.23): newer kind images change node
 * names and the Kubernetes version the course's expected outputs show.
 */
import { runBash } from '../run-bash.ts'

export interface RealTool {
  name: string
  /** Prints a version line; exit 0 when the tool works. */
  probe: string
  install: string
}

export const REAL_TOOLS: RealTool[] = [
  {
    name: 'docker',
    // `docker info` fails without a running engine, which is what the lab needs (the CLI alone is not enough).
    probe: "docker info --format 'docker {{.ServerVersion}}'",
    install: 'curl -fsSL https://get.docker.com | sh   # then: systemctl start docker',
  },
  {
    name: 'kind',
    probe: 'kind version',
    install:
      'curl -Lo /usr/local/bin/kind https://kind.sigs.k8s.io/dl/v0.18.0/kind-linux-amd64 && chmod +x /usr/local/bin/kind',
  },
  {
    name: 'containerlab',
    probe: 'containerlab version | grep -m1 version',
    install: 'bash -c "$(curl -sL https://get.containerlab.dev)" -- -v 0.54.2',
  },
  {
    name: 'helm',
    probe: 'helm version --short',
    install: 'curl -fsSL https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-3 | bash',
  },
  {
    name: 'kubectl',
    probe: 'kubectl version --client --short 2>/dev/null || kubectl version --client',
    install:
      'curl -Lo /usr/local/bin/kubectl https://dl.k8s.io/release/v1.23.4/bin/linux/amd64/kubectl && chmod +x /usr/local/bin/kubectl',
  },
  { name: 'brctl', probe: 'command -v brctl', install: 'apt-get install -y bridge-utils' },
]

export interface PreflightResult {
  tools: Record<string, string | null>
  missing: RealTool[]
}

export async function preflight(tools: RealTool[] = REAL_TOOLS): Promise<PreflightResult> {
  const results = await Promise.all(tools.map((tool) => runBash(tool.probe, { timeoutMs: 10_000 })))
  const found: Record<string, string | null> = {}
  const missing: RealTool[] = []
  tools.forEach((tool, i) => {
    const r = results[i]
    const line = r.stdout.trim().split('\n')[0] ?? ''
    found[tool.name] = r.exitCode === 0 ? line || 'present' : null
    if (r.exitCode !== 0) missing.push(tool)
  })
  return { tools: found, missing }
}

/** The learner-facing text listing each missing tool with its install command. */
export function describeMissing(missing: RealTool[]): string {
  return [
    `The real lab needs ${missing.map((t) => t.name).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} missing or not working:`,
    ...missing.map((t) => `  ${t.name}: ${t.install}`),
    'Or run the course on the twin lab, which needs none of them: npm run learn -- --lab twin',
  ].join('\n')
}
