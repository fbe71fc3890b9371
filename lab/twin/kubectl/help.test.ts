import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

const fake = useFakeCluster('kubectl-help-')
const kubectl = (argv: string[]) => fake.call(kubectlTool, argv, null)

const HELP = join(dirname(fileURLToPath(import.meta.url)), 'help')
const text = (name: string) => readFileSync(join(HELP, `${name}.txt`), 'utf8')

describe("kubectl's per-command help", () => {
  it("prints 1.23's own text for VERB --help, -h and help VERB, with or without a cluster", async () => {
    const get = { exitCode: 0, stdout: text('get'), stderr: '' }
    for (const argv of [
      ['get', '--help'],
      ['get', '-h'],
      ['help', 'get'],
      ['get', 'pods', '--help'],
    ])
      expect(await kubectl(argv)).toEqual(get)
    fake.createKindCluster()
    expect(await kubectl(['-n', 'kube-system', 'logs', '-h'])).toEqual({
      exitCode: 0,
      stdout: text('logs'),
      stderr: '',
    })
    // The flag is honoured before the command's other flags are checked, as cobra prints help before running.
    expect((await kubectl(['port-forward', 'svc/cni', '18080:80', '--help'])).stdout).toBe(text('port-forward'))
  })

  it('lays out each text as kubectl 1.23 does: Long, Examples, one line a flag with its default, Usage, the tip', async () => {
    const { stdout } = await kubectl(['get', '--help'])
    expect(stdout.startsWith('Display one or many resources.\n\n Prints a table')).toBe(true)
    // templates.Examples indents every line, the blank ones too.
    expect(stdout).toContain('Examples:\n  # List all pods in ps output format\n  kubectl get pods\n  \n')
    // 1.23's flagsUsages (before kubernetes/kubernetes#104736): `  -X, --name=default: usage`, strings quoted.
    expect(stdout).toMatch(
      /^ {2}-A, --all-namespaces=false: If present, list the requested object\(s\) across all namespaces\./m,
    )
    expect(stdout).toMatch(/^ {6}--chunk-size=500: Return large lists in chunks/m)
    expect(stdout).toMatch(/^ {2}-o, --output='': Output format\. One of: json\|yaml\|name\|/m)
    expect(stdout).toMatch(/\nUsage:\n {2}kubectl get \[\(-o\|--output=\)json\|yaml\|.*\[flags\] \[options\]\n\n/)
    expect(
      stdout.endsWith('Use "kubectl options" for a list of global command-line options (applies to all commands).\n'),
    ).toBe(true)
  })

  it("prints a subcommand's own text, through its aliases, and the group's for anything else", async () => {
    expect((await kubectl(['rollout', 'status', 'ds/cilium', '--help'])).stdout).toBe(text('rollout-status'))
    expect((await kubectl(['help', 'rollout', 'restart'])).stdout).toBe(text('rollout-restart'))
    expect((await kubectl(['top', 'pods', '--help'])).stdout).toBe(text('top-pod'))
    expect((await kubectl(['create', 'deploy', 'web', '--help'])).stdout).toBe(text('create-deployment'))
    expect((await kubectl(['config', 'use', '--help'])).stdout).toBe(text('config-use-context'))
    expect((await kubectl(['rollout', 'frob', '--help'])).stdout).toBe(text('rollout'))
    expect((await kubectl(['api-versions', '--help'])).stdout).toContain(
      'Print the supported API versions on the server',
    )
    expect((await kubectl(['diff', '--help'])).stdout).toContain('KUBECTL_EXTERNAL_DIFF')
  })

  it("answers honestly where no text is vendored, naming 1.23's reference, never with another command's help", async () => {
    const refused = (what: string, anchor: string) => ({
      exitCode: 1,
      stdout: '',
      stderr: `kubectl: '${what}' is not available in the twin lab\nkubectl's reference for 1.23: https://v1-23.docs.kubernetes.io/docs/reference/generated/kubectl/kubectl-commands#${anchor}\n`,
    })
    // create secret's own subcommands: their help is not create secret's.
    expect(await kubectl(['create', 'secret', 'generic', '--help'])).toEqual(refused('create --help', 'create'))
    expect(await kubectl(['help', 'set'])).toEqual(refused('help set', 'set'))
    // A real command the twin does not have keeps its own answer, with --help too.
    expect((await kubectl(['attach', '--help'])).stderr).toMatch(
      /^kubectl: 'attach' is not available in the twin lab\n/,
    )
  })

  it("prints kubectl options, the flags every command takes, with the caller's home in --cache-dir", async () => {
    const options = await kubectl(['options'])
    expect(options.exitCode).toBe(0)
    expect(options.stdout.startsWith('The following options can be passed to any command:\n\n')).toBe(true)
    expect(options.stdout).toContain("\n      --cache-dir='/root/.kube/cache': Default cache directory\n")
    expect(options.stdout).toMatch(/^ {2}-n, --namespace='': If present, the namespace scope for this CLI request$/m)
    // Its own help is empty in 1.23 (OptionsHelpTemplate).
    expect(await kubectl(['options', '--help'])).toEqual({ exitCode: 0, stdout: '', stderr: '' })
  })

  it('names the source of every vendored text in PROVENANCE.md', () => {
    const provenance = readFileSync(join(HELP, 'PROVENANCE.md'), 'utf8')
    const files = readdirSync(HELP).filter((f) => f.endsWith('.txt'))
    expect(files.length).toBeGreaterThan(25)
    expect(provenance).toContain('| `global-options.txt` | `kubectl options` (with `HOME=/root`')
    for (const file of files.filter((f) => f !== 'global-options.txt'))
      expect(provenance).toMatch(
        new RegExp(
          `^\\| \`${file}\` \\| \`kubectl .+ --help\`[^|]* \\| \`staging/src/k8s\\.io/kubectl/pkg/\\S+\\.go\` \\|$`,
          'm',
        ),
      )
  })
})
