/**
 * What the real lab needs on the machine, how to tell whether it is there, and the exact command that installs it.
 * The versions come from the section's row of the version matrix (lab-versions.ts): the seed lab's (kind 0.18,
 * containerlab 0.54, Kubernetes 1.23) up to chapter 8, newer kind and kubectl plus cilium-cli for the BGP v2 section.
 */
import { runBash } from '../run-bash.ts'
import { BASE_VERSIONS, type LabVersions } from './lab-versions.ts'

export interface RealTool {
  name: string
  /** Prints a version line; exit 0 when the tool works. */
  probe: string
  /** The version the lab needs, when another one would not do: the probe's first line must match it. */
  version?: { pattern: RegExp; needs: string }
  install: string
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** `vMAJOR.MINOR.` of a version, for a patch-insensitive match (`v0.29.0` -> `v0\.29\.`). */
const minorPrefix = (version: string) => escapeRegExp(version.replace(/\d+$/, ''))

/** kubectl within one minor version of the cluster's, the skew Kubernetes supports (`v1.33.1` -> v1.32 to v1.34). */
function kubectlSkew(version: string): RegExp {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number)
  return new RegExp(`v${major}\\.(${minor - 1}|${minor}|${minor + 1})\\.\\d`)
}

/**
 * The tools of the real lab at `versions`. The seed lab's row takes any version found, as it always has (a choice of
 * `auto` keeps picking the real lab where it did); a section with its own row needs its versions of kind and kubectl.
 */
export function realTools(versions: LabVersions = BASE_VERSIONS): RealTool[] {
  const strict = versions !== BASE_VERSIONS
  const tools: RealTool[] = [
    {
      name: 'docker',
      // `docker info` fails without a running engine, which is what the lab needs (the CLI alone is not enough).
      probe: "docker info --format 'docker {{.ServerVersion}}'",
      install: 'curl -fsSL https://get.docker.com | sh   # then: systemctl start docker',
    },
    {
      name: 'kind',
      probe: 'kind version',
      // A kind release knows the node images of its own time: an older one cannot boot a newer image.
      ...(strict
        ? { version: { pattern: new RegExp(`^kind ${minorPrefix(versions.kind)}`), needs: `kind ${versions.kind}` } }
        : {}),
      install: `curl -Lo /usr/local/bin/kind https://kind.sigs.k8s.io/dl/${versions.kind}/kind-linux-amd64 && chmod +x /usr/local/bin/kind`,
    },
    {
      name: 'containerlab',
      probe: 'containerlab version | grep -m1 version',
      install: `bash -c "$(curl -sL https://get.containerlab.dev)" -- -v ${versions.containerlab}`,
    },
    {
      name: 'helm',
      probe: 'helm version --short',
      install: 'curl -fsSL https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-3 | bash',
    },
    {
      name: 'kubectl',
      probe: 'kubectl version --client --short 2>/dev/null || kubectl version --client',
      // Kubernetes supports one minor version of skew between kubectl and the API server.
      ...(strict
        ? {
            version: {
              pattern: kubectlSkew(versions.kubectl),
              needs: `kubectl ${versions.kubectl} (one minor version either side works)`,
            },
          }
        : {}),
      install: `curl -Lo /usr/local/bin/kubectl https://dl.k8s.io/release/${versions.kubectl}/bin/linux/amd64/kubectl && chmod +x /usr/local/bin/kubectl`,
    },
    { name: 'brctl', probe: 'command -v brctl', install: 'apt-get install -y bridge-utils' },
  ]
  if (versions.ciliumCli) {
    tools.push({
      name: 'cilium',
      // cilium-cli's own version line; an agent CLI named cilium would not print it.
      probe: 'cilium version --client 2>/dev/null | grep -m1 "cilium-cli"',
      // Cilium's install guide: the release named in cilium-cli's stable.txt.
      install:
        'v=$(curl -s https://raw.githubusercontent.com/cilium/cilium-cli/main/stable.txt) && curl -fL https://github.com/cilium/cilium-cli/releases/download/$v/cilium-linux-amd64.tar.gz | tar xzC /usr/local/bin',
    })
  }
  return tools
}

/** A tool the lab cannot use, and what the probe found instead when the tool runs at another version. */
export interface MissingTool extends RealTool {
  found?: string
}

export interface PreflightResult {
  tools: Record<string, string | null>
  missing: MissingTool[]
}

export async function preflight(tools: RealTool[] = realTools()): Promise<PreflightResult> {
  const results = await Promise.all(tools.map((tool) => runBash(tool.probe, { timeoutMs: 10_000 })))
  const found: Record<string, string | null> = {}
  const missing: MissingTool[] = []
  tools.forEach((tool, i) => {
    const r = results[i]
    const line = r.stdout.trim().split('\n')[0] ?? ''
    found[tool.name] = r.exitCode === 0 ? line || 'present' : null
    if (r.exitCode !== 0) missing.push(tool)
    else if (tool.version && !tool.version.pattern.test(line)) missing.push({ ...tool, found: line })
  })
  return { tools: found, missing }
}

/** The learner-facing text listing each missing tool (or the version found instead) with its install command. */
export function describeMissing(missing: MissingTool[]): string {
  return [
    `The real lab needs ${missing.map((t) => t.name).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} missing or not working:`,
    ...missing.map((t) =>
      t.found !== undefined && t.version
        ? `  ${t.name}: needs ${t.version.needs}, found "${t.found}": ${t.install}`
        : `  ${t.name}: ${t.install}`,
    ),
    'Or run the course on the twin lab, which needs none of them: npm run learn -- --lab twin',
  ].join('\n')
}
