/**
 * The three patch types of `kubectl patch --type`, applied as the API server applies them (k8s.io/apiserver
 * pkg/endpoints/handlers/patch.go): JSON merge patch (RFC 7386, evanphx/json-patch MergePatch), JSON patch (RFC 6902,
 * evanphx/json-patch), and strategic merge patch (k8s.io/apimachinery pkg/util/strategicpatch) for built-in types.
 */

import { CodedError } from '../../../protocol/coded-error.ts'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

/** A patch the server cannot apply; `message` is the server's reason. */
export class PatchError extends CodedError<'TWIN_KUBECTL_PATCH'> {
  constructor(message: string) {
    super('TWIN_KUBECTL_PATCH', message)
  }
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** RFC 7386: objects merge key by key, `null` removes a key, anything else (lists too) replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch)
  const result: JsonObject = isObject(target) ? { ...target } : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key]
    else result[key] = mergePatch(result[key] ?? null, value)
  }
  return result
}

/**
 * The merge keys of the built-in types' lists the lab's objects hold (`patchMergeKey` in k8s.io/api's Go tags): a
 * strategic patch merges these lists item by item; every other list is replaced, as the tags say.
 */
function mergeKey(path: string[]): string | undefined {
  const field = path.at(-1)
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name'
    case 'volumeMounts':
      return 'mountPath'
    case 'ports':
      // Container ports merge on containerPort, a Service's on port.
      return path.includes('containers') || path.includes('initContainers') ? 'containerPort' : 'port'
    case 'taints':
      return 'key'
    case 'conditions':
    case 'addresses':
      return 'type'
    case 'hostAliases':
      return 'ip'
    default:
      return undefined
  }
}

function strategicList(target: Json[], patch: Json[], path: string[]): Json[] {
  const key = mergeKey(path)
  if (!key || !patch.every(isObject))
    return patch.filter((item) => !(isObject(item) && item.$patch !== undefined)).map((item) => structuredClone(item))
  const result = target.map((item) => structuredClone(item))
  for (const item of patch as JsonObject[]) {
    if (item.$patch === 'replace')
      return patch.filter((i) => !(isObject(i) && i.$patch === 'replace')).map((i) => structuredClone(i))
    const at = result.findIndex((existing) => isObject(existing) && existing[key] === item[key])
    if (item.$patch === 'delete') {
      if (at >= 0) result.splice(at, 1)
    } else if (at >= 0) result[at] = strategicMerge(result[at], item, path)
    else result.push(strategicMerge(null, item, path))
  }
  return result
}

/** strategicpatch.StrategicMergePatch for the lists above: `null` deletes, `$patch: replace|delete` directives, merge keys. */
export function strategicMerge(target: Json, patch: Json, path: string[] = []): Json {
  if (!isObject(patch)) return structuredClone(patch)
  if (patch.$patch === 'replace') {
    const { $patch: _directive, ...rest } = patch
    return structuredClone(rest)
  }
  if (patch.$patch === 'delete') return {}
  const result: JsonObject = isObject(target) ? { ...target } : {}
  for (const [key, value] of Object.entries(patch)) {
    // $setElementOrder and $retainKeys only order or prune what the patch already says for the lab's objects.
    if (key.startsWith('$')) continue
    if (value === null) delete result[key]
    else if (Array.isArray(value))
      result[key] = strategicList(Array.isArray(result[key]) ? (result[key] as Json[]) : [], value, [...path, key])
    else result[key] = strategicMerge(result[key] ?? null, value, [...path, key])
  }
  return result
}

/** An RFC 6901 pointer's tokens (`/spec/ports/0` -> spec, ports, 0). */
function pointer(path: unknown): string[] {
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/')))
    throw new PatchError(`invalid JSON pointer: ${JSON.stringify(path)}`)
  return path === ''
    ? []
    : path
        .slice(1)
        .split('/')
        .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** The container of the pointer's last token, and that token; throws evanphx/json-patch's "missing" error. */
function locate(doc: Json, tokens: string[], op: string, path: string): { parent: JsonObject | Json[]; last: string } {
  let node: Json = doc
  for (const token of tokens.slice(0, -1)) {
    const next: Json | undefined = Array.isArray(node) ? node[Number(token)] : isObject(node) ? node[token] : undefined
    if (next === undefined || next === null || typeof next !== 'object')
      throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`)
    node = next
  }
  if (node === null || typeof node !== 'object')
    throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`)
  return { parent: node, last: tokens.at(-1)! }
}

function read(doc: Json, path: unknown, op: string): Json {
  const tokens = pointer(path)
  if (tokens.length === 0) return doc
  const { parent, last } = locate(doc, tokens, op, String(path))
  const value = Array.isArray(parent) ? parent[Number(last)] : parent[last]
  if (value === undefined)
    throw new PatchError(`${op} operation does not apply: doc is missing path: "${String(path)}": missing value`)
  return value
}

function remove(doc: Json, path: unknown, op: string): Json {
  const tokens = pointer(path)
  const { parent, last } = locate(doc, tokens, op, String(path))
  const value = read(doc, path, op)
  if (Array.isArray(parent)) parent.splice(Number(last), 1)
  else delete parent[last]
  return value
}

function add(doc: Json, path: unknown, value: Json, op: string): Json {
  const tokens = pointer(path)
  if (tokens.length === 0) return structuredClone(value)
  const { parent, last } = locate(doc, tokens, op, String(path))
  if (!Array.isArray(parent)) parent[last] = structuredClone(value)
  else if (last === '-') parent.push(structuredClone(value))
  else {
    const index = Number(last)
    if (!Number.isInteger(index) || index < 0 || index > parent.length)
      throw new PatchError(`${op} operation does not apply: doc is missing path: "${String(path)}": missing value`)
    parent.splice(index, 0, structuredClone(value))
  }
  return doc
}

/** RFC 6902 operations in order on a copy; a failed `test` or a missing path fails the whole patch. */
export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations))
    throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch')
  let doc = structuredClone(target)
  for (const operation of operations) {
    if (!isObject(operation)) throw new PatchError('json: cannot unmarshal into Go value of type jsonpatch.Operation')
    const { op, path, from } = operation
    const value = operation.value ?? null
    switch (op) {
      case 'add':
        doc = add(doc, path, value, 'add')
        break
      case 'remove':
        remove(doc, path, 'remove')
        break
      case 'replace':
        read(doc, path, 'replace')
        remove(doc, path, 'replace')
        doc = add(doc, path, value, 'replace')
        break
      case 'move':
        doc = add(doc, path, remove(doc, from, 'move'), 'move')
        break
      case 'copy':
        doc = add(doc, path, structuredClone(read(doc, from, 'copy')), 'copy')
        break
      case 'test':
        if (JSON.stringify(read(doc, path, 'test')) !== JSON.stringify(value))
          throw new PatchError(`testing value ${String(path)} failed: test failed`)
        break
      default:
        throw new PatchError(`Unexpected kind: ${String(op)}`)
    }
  }
  return doc
}
