import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { NotEmulatedError } from '../../daemon/not-emulated.ts'

/**
 * One OpenAPI schema as the API server publishes it, trimmed to what kubectl explain reads: a `$ref` to a
 * definition, an array's `items`, a map's `additionalProperties`, an object's `properties` and `required`, a
 * primitive's `type`, and the descriptions. A definition with `uncovered` is one the twin does not vendor (with its
 * `type` when that is a primitive).
 */
export interface SchemaNode {
  description?: string
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean'
  $ref?: string
  items?: SchemaNode
  additionalProperties?: SchemaNode
  properties?: Record<string, SchemaNode>
  required?: string[]
  uncovered?: true
}

/** A vendored schema file: where it was read, the kinds it describes (`group/version/Kind` -> definition), the definitions. */
interface SchemaFile {
  source: string
  kinds: Record<string, string>
  definitions: Record<string, SchemaNode>
}

const here = dirname(fileURLToPath(import.meta.url))

let loaded: { kinds: Map<string, string>; definitions: Map<string, SchemaNode> } | undefined

/** Every file of schemas/, read once: the twin needs no network to explain. */
function schemas() {
  if (loaded) return loaded
  const kinds = new Map<string, string>()
  const definitions = new Map<string, SchemaNode>()
  const dir = join(here, 'schemas')
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const file = JSON.parse(readFileSync(join(dir, name), 'utf8')) as SchemaFile
    for (const [gvk, definition] of Object.entries(file.kinds)) kinds.set(gvk, definition)
    // A definition one file carries is not hidden by another file's stub for it (CRDs refer to ObjectMeta too).
    for (const [id, node] of Object.entries(file.definitions))
      if (!node.uncovered || !definitions.has(id)) definitions.set(id, node)
  }
  loaded = { kinds, definitions }
  return loaded
}

/** The group/version/kind key of the vendored files: `apps/v1/Deployment`, `v1/Pod` for the core group. */
export const gvkKey = (group: string, version: string, kind: string) =>
  group ? `${group}/${version}/${kind}` : `${version}/${kind}`

/** Whether the twin vendors the kind's schema at all (the API server publishes every served kind's). */
export const hasKind = (key: string) => schemas().kinds.has(key)

/** The kind's definition itself (LookupResource gives the kind, not a reference with a description of its own). */
export const kindSchema = (key: string, what: string): SchemaNode => resolve(schemas().kinds.get(key)!, what)

/** The honest answer for a part of a schema the twin does not carry. */
export const uncovered = (what: string) =>
  new NotEmulatedError(
    'kubectl',
    `explain ${what}`,
    'The twin carries the schemas of the fields the lab uses; kubectl get TYPE NAME -o yaml shows the fields of a live object.',
  )

/** Whether a `$ref` names a primitive definition the twin carries only the type of (Quantity: a string). */
export const uncoveredPrimitive = (ref: string): boolean => {
  const node = schemas().definitions.get(ref)
  return node?.uncovered === true && node.type !== undefined
}

/** A `$ref`'s definition; one the twin does not vendor is refused as `explain <what>`. */
export function resolve(ref: string, what: string): SchemaNode {
  const node = schemas().definitions.get(ref)
  if (!node || node.uncovered) throw uncovered(what)
  return node
}

/**
 * kube-openapi's proto kinds: a reference, an array, a map (an object without properties), a kind (an object with
 * properties), a primitive, or arbitrary (no type: anything goes).
 */
export function shape(node: SchemaNode): 'reference' | 'array' | 'map' | 'kind' | 'primitive' | 'arbitrary' {
  if (node.$ref) return 'reference'
  if (node.type === 'array') return 'array'
  if (node.properties && Object.keys(node.properties).length) return 'kind'
  if (node.type === 'object') return 'map'
  return node.type ? 'primitive' : 'arbitrary'
}

/**
 * A map's values: its additionalProperties, or, for an object with neither properties nor additionalProperties (a
 * CRD's `status: {type: object}`), what kube-openapi's parseMap makes of it: arbitrary values carrying the map's own
 * description (so kubectl prints that description twice).
 */
export const mapValues = (node: SchemaNode): SchemaNode =>
  node.additionalProperties ?? { description: node.description }

/** explain/typename.go GetTypeName: `Object`, `[]Object`, `map[string]string`, `string`; an uncovered reference is an Object. */
export function typeName(node: SchemaNode): string {
  switch (shape(node)) {
    case 'reference': {
      const target = schemas().definitions.get(node.$ref!)
      // An uncovered definition keeps its type when it is a primitive (Quantity is a string), else it is an object.
      if (!target || target.uncovered) return target?.type ?? 'Object'
      return typeName(target)
    }
    case 'array':
      return `[]${node.items ? typeName(node.items) : ''}`
    case 'map':
      return `map[string]${typeName(mapValues(node))}`
    case 'kind':
      return 'Object'
    case 'primitive':
      return node.type!
    default:
      return ''
  }
}
