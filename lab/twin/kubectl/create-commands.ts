import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, isAbsolute, join } from 'node:path'
import type { Cluster } from '../cluster/cluster.ts'
import type { KObject } from '../cluster/store.ts'
import type { Args } from './args.ts'
import { createGenerated } from './create-object.ts'
import { KubectlError, type Out } from './kubectl-error.ts'

const usage = (sub: string, message: string) =>
  new KubectlError(`error: ${message}\nSee 'kubectl create ${sub} -h' for help and examples`)
const values = (args: Args, name: string) => args.flags.get(name) ?? []

/** The one NAME a create subcommand takes (cmdutil.NameFromCommandArgs). */
function nameOf(sub: string, args: Args): string {
  if (args.positional.length !== 2) throw usage(sub, `exactly one NAME is required, got ${args.positional.length - 1}`)
  return args.positional[1]
}

/** `nginx`, `k8s.gcr.io/echoserver:1.4` -> `echoserver`: create deployment's container name (parseImageName). */
const containerName = (image: string) => basename(image.split('@')[0]).split(':')[0]

/** `kubectl create namespace NAME` */
export function createNamespace(cluster: Cluster, args: Args, out: Out): void {
  const name = nameOf('namespace', args)
  createGenerated(
    cluster,
    args,
    out,
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: {}, status: {} },
    'created',
  )
}

/** `kubectl create deployment NAME --image=IMAGE... [--replicas=N] [--port=P] [-- COMMAND ARGS]`, as 1.23's generator builds it. */
export function createDeployment(cluster: Cluster, args: Args, out: Out): void {
  const name = nameOf('deployment', args)
  const images = values(args, 'image')
  if (images.length === 0) throw new KubectlError('error: required flag(s) "image" not set')
  const replicas = Number(values(args, 'replicas').at(-1) ?? 1)
  const port = values(args, 'port').at(-1)
  const command = args.afterDash ?? []
  if (command.length && images.length > 1)
    throw new KubectlError('error: cannot specify multiple --image options and command')
  const labels = { app: name }
  const containers = images.map((image) => ({
    ...(command.length ? { command } : {}),
    image,
    name: containerName(image),
    ...(port ? { ports: [{ containerPort: Number(port) }] } : {}),
    resources: {},
  }))
  const object: KObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labels, name },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      strategy: {},
      template: { metadata: { labels }, spec: { containers } },
    },
    status: {},
  }
  createGenerated(cluster, args, out, object, 'created')
}

/** `--from-file=[key=]path`: a file's content under its name (or the key), or every regular file of a directory. */
async function fromFile(source: string, cwd: string): Promise<[string, string][]> {
  const eq = source.indexOf('=')
  const [key, path] = eq > 0 ? [source.slice(0, eq), source.slice(eq + 1)] : [undefined, source]
  const full = isAbsolute(path) ? path : join(cwd, path)
  const info = await stat(full).catch(() => null)
  if (!info) throw new KubectlError(`error: error reading ${path}: no such file or directory`)
  if (!info.isDirectory()) return [[key ?? basename(path), await readFile(full, 'utf8')]]
  if (key) throw new KubectlError(`error: cannot give a key name for a directory path`)
  const entries: [string, string][] = []
  for (const file of (await readdir(full)).sort()) {
    if ((await stat(join(full, file))).isFile()) entries.push([file, await readFile(join(full, file), 'utf8')])
  }
  return entries
}

/** `--from-env-file`: KEY=VALUE lines, `#` comments and blank lines skipped. */
async function fromEnvFile(path: string, cwd: string): Promise<[string, string][]> {
  const text = await readFile(isAbsolute(path) ? path : join(cwd, path), 'utf8').catch(() => {
    throw new KubectlError(`error: error reading ${path}: no such file or directory`)
  })
  return text
    .split('\n')
    .filter((line) => line.trim() && !line.trimStart().startsWith('#'))
    .map((line) => {
      const eq = line.indexOf('=')
      return eq < 0 ? [line.trim(), ''] : [line.slice(0, eq).trim(), line.slice(eq + 1)]
    })
}

/** `kubectl create configmap NAME [--from-literal=k=v] [--from-file=[key=]path] [--from-env-file=path]` (create_configmap.go). */
export async function createConfigMap(cluster: Cluster, args: Args, out: Out, cwd: string): Promise<void> {
  const name = nameOf('configmap', args)
  if (
    values(args, 'from-env-file').length &&
    (values(args, 'from-file').length || values(args, 'from-literal').length)
  ) {
    throw new KubectlError('error: from-env-file cannot be combined with from-file or from-literal')
  }
  const entries: [string, string][] = []
  for (const literal of values(args, 'from-literal')) {
    const eq = literal.indexOf('=')
    if (eq <= 0) throw new KubectlError(`error: invalid literal source ${literal}, expected key=value`)
    entries.push([literal.slice(0, eq), literal.slice(eq + 1)])
  }
  for (const source of values(args, 'from-file')) entries.push(...(await fromFile(source, cwd)))
  for (const source of values(args, 'from-env-file')) entries.push(...(await fromEnvFile(source, cwd)))
  const data: Record<string, string> = {}
  for (const [key, value] of entries) {
    if (Object.hasOwn(data, key))
      throw new KubectlError(
        `error: cannot add key ${key}, another key by that name already exists in Data for ConfigMap "${name}"`,
      )
    data[key] = value
  }
  const object: KObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name },
    ...(entries.length ? { data } : {}),
  }
  createGenerated(cluster, args, out, object, 'created')
}
