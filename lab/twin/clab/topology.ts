import { existsSync } from 'node:fs'
import { basename, dirname, isAbsolute, resolve } from 'node:path'
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml'
import { LabError } from '../../lab-error.ts'

/** A containerlab topology file, reduced to what the twin builds: VyOS routers, bridges and namespace-sharing nodes. */
export interface ClabNode {
  name: string
  kind: 'linux' | 'bridge'
  image?: string
  /** `network-mode: container:<name>`: the container whose namespace this node shares. */
  sharesWith?: string
  exec: string[]
  /** VyOS boot config on the machine (absolute), from the bind onto /opt/vyatta/etc/config/config.boot. */
  vyosConfig?: string
  /** `clab-<lab>-<node>`, the docker-visible name. */
  container: string
  line: number
}

export interface ClabEndpoint {
  node: string
  iface: string
}

export interface ClabLink {
  a: ClabEndpoint
  b: ClabEndpoint
  line: number
}

export interface Topology {
  name: string
  file: string
  /** The file name as the learner gave it, for messages. */
  fileName: string
  nodes: Map<string, ClabNode>
  links: ClabLink[]
}

const VYOS_CONFIG_PATH = '/opt/vyatta/etc/config/config.boot'
const SUPPORTED_KINDS = ['bridge', 'linux']

/** A topology error, worded like containerlab's own (`Error: ...` on stderr, exit 1). */
export function clabError(message: string): LabError {
  return new LabError('TWIN_CLAB_TOPOLOGY', message)
}

/** Twin-only limit (not a containerlab error): what the namespaces can stand in for. */
function twinLimit(message: string): LabError {
  return new LabError('TWIN_CLAB_UNSUPPORTED', message)
}

export function isRouterImage(image: string | undefined): boolean {
  return Boolean(image?.startsWith('vyos/'))
}

export function parseTopology(source: string, file: string, fileName: string): Topology {
  const lineCounter = new LineCounter()
  const doc = parseDocument(source, { lineCounter })
  if (doc.errors.length > 0) {
    const error = doc.errors[0]
    const line = error.linePos?.[0].line ?? 0
    throw clabError(
      `failed to parse topology file ${fileName}: yaml: line ${line}: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
    )
  }
  const lineOf = (node: YamlNode | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 0)
  const data = (doc.toJS() ?? {}) as {
    name?: string
    topology?: { nodes?: Record<string, Record<string, unknown> | null>; links?: Array<{ endpoints?: unknown }> }
  }
  if (!data.name) throw clabError(`topology file ${fileName} has no "name"`)
  const dir = dirname(file)
  const nodes = new Map<string, ClabNode>()
  const yamlNodes = doc.getIn(['topology', 'nodes'], true)
  for (const [name, raw] of Object.entries(data.topology?.nodes ?? {})) {
    const spec = raw ?? {}
    const line = isMap(yamlNodes) ? lineOf(yamlNodes.get(name, true) as YamlNode) : 0
    const kind = String(spec.kind ?? '')
    if (!SUPPORTED_KINDS.includes(kind)) {
      throw clabError(
        `constructing node "${name}": kind "${kind}" is not supported. Supported kinds are "${SUPPORTED_KINDS.join(', ')}"`,
      )
    }
    const node: ClabNode = {
      name,
      kind: kind as ClabNode['kind'],
      exec: [],
      container: `clab-${data.name}-${name}`,
      line,
    }
    if (typeof spec.image === 'string') node.image = spec.image
    const mode = spec['network-mode']
    if (typeof mode === 'string') {
      if (!mode.startsWith('container:'))
        throw twinLimit(`node "${name}": network-mode "${mode}" is not supported by the twin (only container:<name>)`)
      node.sharesWith = mode.slice('container:'.length)
    }
    node.exec = Array.isArray(spec.exec) ? spec.exec.map(String) : []
    for (const bind of Array.isArray(spec.binds) ? spec.binds.map(String) : []) {
      const [hostPath, containerPath] = bind.split(':')
      // Only the VyOS boot config matters to the twin: its "containers" share the machine's filesystem, so other
      // binds (/lib/modules for the real VyOS image) have nothing to mount and are not checked.
      if (containerPath !== VYOS_CONFIG_PATH) continue
      const onHost = isAbsolute(hostPath) ? hostPath : resolve(dir, hostPath)
      if (!existsSync(onHost)) {
        throw clabError(`node "${name}": failed to verify bind path: stat ${onHost}: no such file or directory`)
      }
      node.vyosConfig = onHost
    }
    if (kind === 'linux' && !isRouterImage(node.image) && !node.sharesWith) {
      throw twinLimit(
        `node "${name}": the twin runs linux nodes as VyOS routers (image vyos/...) or as network-mode: container:<node>; image "${node.image ?? ''}" is neither`,
      )
    }
    nodes.set(name, node)
  }
  const yamlLinks = doc.getIn(['topology', 'links'], true)
  const links = (data.topology?.links ?? []).map((link, index) => {
    const line = isSeq(yamlLinks) ? lineOf(yamlLinks.items[index] as YamlNode) : 0
    const endpoints = Array.isArray(link?.endpoints) ? link.endpoints.map(String) : []
    if (endpoints.length !== 2)
      throw clabError(`${fileName}:${line}: a link needs exactly two endpoints, like ["leaf0:eth1", "spine0:eth1"]`)
    const [a, b] = endpoints.map((endpoint) => {
      const [node, iface] = endpoint.split(':')
      if (!node || !iface) throw clabError(`${fileName}:${line}: endpoint "${endpoint}" must be <node>:<interface>`)
      if (!nodes.has(node))
        throw clabError(
          `${fileName}:${line}: node "${node}" referenced in link endpoint "${endpoint}" is not defined in topology.nodes`,
        )
      if (iface.length > 15)
        throw clabError(`${fileName}:${line}: interface name "${iface}" is longer than 15 characters`)
      return { node, iface }
    })
    return { a, b, line }
  })
  return { name: data.name, file, fileName: basename(fileName), nodes, links }
}
