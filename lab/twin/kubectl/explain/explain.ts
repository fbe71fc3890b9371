import type { Cluster } from '../../cluster/cluster.ts'
import { type Args, flag, flagOn } from '../args.ts'
import { resolveTypes } from '../get.ts'
import { KubectlError, type Out } from '../kubectl-error.ts'
import {
  gvkKey,
  hasKind,
  kindSchema,
  mapValues,
  resolve,
  type SchemaNode,
  shape,
  typeName,
  uncovered,
  uncoveredPrimitive,
} from './schema.ts'
import { ExplainWriter } from './wrap-text.ts'

/** model_printer.go: fields at 3 columns, descriptions at 5; fields_printer.go: a field's description 2 further. */
const FIELD_INDENT = 3
const DESCRIPTION_INDENT = 5
const FIELD_DESCRIPTION_INDENT = 2

/** Where the explained schema sits: the kind and version printed, the words typed (for an honest refusal). */
interface Context {
  kind: string
  groupVersion: string
  what: string
}

const target = (node: SchemaNode, what: string) => resolve(node.$ref!, what)

/** field_lookup.go LookupSchemaForField: arrays, maps and references pass through; a primitive ends the walk early. */
function lookup(node: SchemaNode, path: string[], what: string): SchemaNode {
  if (path.length === 0) return node
  switch (shape(node)) {
    case 'reference':
      return lookup(target(node, what), path, what)
    case 'array':
      return lookup(node.items ?? {}, path, what)
    case 'map':
      return lookup(mapValues(node), path, what)
    case 'kind': {
      const field = node.properties![path[0]]
      if (!field) throw new KubectlError(`error: field "${path[0]}" does not exist`)
      return lookup(field, path.slice(1), what)
    }
    default:
      return node
  }
}

/** fields_printer.go regularFieldsPrinter: each field sorted, `name\t<type>[ -required-]`, its description, a blank line. */
function printFields(node: SchemaNode, w: ExplainWriter, what: string): void {
  const kind = shape(node)
  if (kind === 'reference') return printFields(target(node, what), w, what)
  if (kind === 'array') return printFields(node.items ?? {}, w, what)
  if (kind === 'map') return printFields(mapValues(node), w, what)
  if (kind !== 'kind') return
  for (const key of Object.keys(node.properties!).sort()) {
    const field = node.properties![key]
    w.write(`${key}\t<${typeName(field)}>${node.required?.includes(key) ? ' -required-' : ''}`)
    w.nested(FIELD_DESCRIPTION_INDENT).wrapped(field.description ?? '')
    w.write('')
  }
}

/**
 * recursive_fields_printer.go (1.23): every field's name and type, its own fields 3 columns further; a reference
 * already being printed on the way down is not followed again (a schema may contain itself).
 */
function printFieldsRecursively(node: SchemaNode, w: ExplainWriter, what: string, visiting: Set<string>): void {
  const kind = shape(node)
  if (kind === 'reference') {
    // VisitPrimitive prints nothing, so a primitive the twin carries no text for (Quantity) needs none here.
    if (visiting.has(node.$ref!) || uncoveredPrimitive(node.$ref!)) return
    visiting.add(node.$ref!)
    printFieldsRecursively(target(node, what), w, what, visiting)
    visiting.delete(node.$ref!)
    return
  }
  if (kind === 'array') return printFieldsRecursively(node.items ?? {}, w, what, visiting)
  if (kind === 'map') return printFieldsRecursively(mapValues(node), w, what, visiting)
  if (kind !== 'kind') return
  for (const key of Object.keys(node.properties!).sort()) {
    w.write(`${key}\t<${typeName(node.properties![key])}>`)
    printFieldsRecursively(node.properties![key], w.nested(FIELD_INDENT), what, visiting)
  }
}

/**
 * model_printer.go: walks down references, arrays and maps collecting their descriptions and the first type name,
 * then prints the kind and version, `RESOURCE: name <type>` (an object) or `FIELD: name <type>` (a primitive), the
 * descriptions (a blank line between them, `<empty>` when all are), and an object's fields.
 */
function printModel(name: string, root: SchemaNode, ctx: Context, recursive: boolean): string {
  const w = new ExplainWriter()
  const descriptions: string[] = []
  let type = ''
  const header = () => w.write(`KIND:     ${ctx.kind}`).write(`VERSION:  ${ctx.groupVersion}\n`)
  const describe = (node: SchemaNode) => {
    w.write('DESCRIPTION:')
    const all = [...descriptions, node.description ?? '']
    let empty = true
    all.forEach((text, i) => {
      if (!text) return
      empty = false
      if (i !== 0) w.write('')
      w.nested(DESCRIPTION_INDENT).wrapped(text)
    })
    if (empty) w.nested(DESCRIPTION_INDENT).wrapped('<empty>')
  }
  let node = root
  for (;;) {
    const kind = shape(node)
    if (kind === 'reference') {
      descriptions.push(node.description ?? '')
      node = target(node, ctx.what)
      continue
    }
    if (kind === 'array' || kind === 'map') {
      descriptions.push(node.description ?? '')
      type ||= typeName(node)
      node = kind === 'array' ? (node.items ?? {}) : mapValues(node)
      continue
    }
    header()
    if (kind === 'kind') {
      type ||= 'Object'
      if (name) w.write(`RESOURCE: ${name} <${type}>\n`)
      describe(node)
      w.write('\nFIELDS:')
      const fields = w.nested(FIELD_INDENT)
      if (recursive) printFieldsRecursively(node, fields, ctx.what, new Set())
      else printFields(node, fields, ctx.what)
    } else if (kind === 'primitive') {
      type ||= node.type!
      w.write(`FIELD:    ${name} <${type}>\n`)
      describe(node)
    } else describe(node)
    return w.toString()
  }
}

const USAGE = "\nSee 'kubectl explain -h' for help and examples"

/**
 * `kubectl explain RESOURCE[.field.path] [--recursive] [--api-version=GROUP/VERSION]` (1.23: cmd/explain/explain.go
 * and pkg/explain): the schema the API server publishes for the kind, here from the files in schemas/ (see
 * PROVENANCE.md). A custom resource is explained only while its CRD is installed, as discovery lists it.
 */
export function explain(cluster: Cluster, args: Args, out: Out): number {
  if (args.positional.length === 0)
    throw new KubectlError(
      `error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n${USAGE}`,
    )
  if (args.positional.length > 1)
    throw new KubectlError(`error: We accept only this format: explain RESOURCE\n${USAGE}`)
  const what = args.positional[0]
  // splitDotNotation: a trailing period is ignored.
  const [resource, ...path] = what.replace(/\.$/, '').split('.')
  const [type] = resolveTypes(cluster, resource)
  let [group, version] = [type.group, type.version]
  const apiVersion = flag(args, 'api-version')
  if (apiVersion !== undefined) {
    const parts = apiVersion.split('/')
    if (parts.length > 2) throw new KubectlError(`error: unexpected GroupVersion string: ${apiVersion}`)
    ;[group, version] = parts.length === 2 ? parts : ['', parts[0]]
  }
  const key = gvkKey(group, version, type.kind)
  if (!hasKind(key)) {
    // The API server publishes only versions it serves; a served kind the twin does not vendor is refused honestly.
    if (
      apiVersion !== undefined &&
      (group !== type.group || !servedVersions(cluster, type.kind, type.group).includes(version))
    ) {
      throw new KubectlError(`error: couldn't find resource for "${group}/${version}, Kind=${type.kind}"`)
    }
    throw uncovered(what)
  }
  const ctx = { kind: type.kind, groupVersion: group ? `${group}/${version}` : version, what }
  const schema = lookup(kindSchema(key, what), path, what)
  out.stdout(printModel(path.at(-1) ?? '', schema, ctx, flagOn(args, 'recursive')))
  return 0
}

/** The versions a kind is served in: its CRD's, or the built-in type's one. */
function servedVersions(cluster: Cluster, kind: string, group: string): string[] {
  const crd = cluster.store
    .list('CustomResourceDefinition')
    .find((c) => c.spec.group === group && c.spec.names.kind === kind)
  if (crd)
    return crd.spec.versions
      .filter((v: { served?: boolean }) => v.served !== false)
      .map((v: { name: string }) => v.name)
  return resolveTypes(cluster, kind.toLowerCase())
    .filter((t) => t.group === group)
    .map((t) => t.version)
}
