import { readdir, readFile, stat } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { LineCounter, parseAllDocuments, type YAMLError } from 'yaml'
import { CodedError } from '../../../protocol/coded-error.ts'
import type { KObject } from '../cluster/store.ts'
import { METALLB_MANIFEST_PATH, metallbManifest } from './metallb-manifest.ts'

/** One object read from a manifest, with the name kubectl uses for its source in messages. */
export interface ManifestItem {
  object: KObject
  source: string
}

/** A manifest that could not be read or parsed; `message` is kubectl's whole error line. */
export class ManifestError extends CodedError<
  'TWIN_KUBECTL_NO_FILE' | 'TWIN_KUBECTL_URL' | 'TWIN_KUBECTL_YAML' | 'TWIN_KUBECTL_OBJECT'
> {
  constructor(message: string, code: ManifestError['code']) {
    super(code, message)
  }
}

/** go-yaml's wording for the mistakes eemeli/yaml reports, so the learner sees what kubectl prints. */
function goYamlReason(error: YAMLError): string {
  switch (error.code) {
    case 'TAB_AS_INDENT':
      return 'found character that cannot start any token'
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'UNEXPECTED_TOKEN':
      return 'mapping values are not allowed in this context'
    case 'MISSING_CHAR':
    case 'BAD_SCALAR_START':
      return 'found unexpected end of stream'
    case 'DUPLICATE_KEY':
      return 'mapping key already defined'
    default:
      return 'did not find expected key'
  }
}

/** Parses multi-document YAML (or JSON) into objects, with kubectl's errors: line numbers count from the document's start. */
export function parseManifest(text: string, source: string): ManifestItem[] {
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true })
  const items: ManifestItem[] = []
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const error = doc.errors[0]
    if (error) {
      // kubectl splits the stream at `---` lines and go-yaml counts from the first line after the separator.
      const start = lineCounter.linePos(doc.range[0]).line + (text.startsWith('---', doc.range[0]) ? 1 : 0)
      const line = lineCounter.linePos(error.pos[0]).line - start + 1
      throw new ManifestError(
        `error: error parsing ${source}: error converting YAML to JSON: yaml: line ${line}: ${goYamlReason(error)}`,
        'TWIN_KUBECTL_YAML',
      )
    }
    const value = doc.toJS()
    if (value === null || value === undefined) continue
    const list = value.kind === 'List' && Array.isArray(value.items) ? value.items : [value]
    for (const object of list) {
      if (typeof object !== 'object' || !object.kind) {
        throw new ManifestError(
          `error: error validating "${source}": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false`,
          'TWIN_KUBECTL_OBJECT',
        )
      }
      if (!object.apiVersion) {
        throw new ManifestError(
          `error: error validating "${source}": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false`,
          'TWIN_KUBECTL_OBJECT',
        )
      }
      if (!object.metadata?.name) {
        throw new ManifestError(
          `error: error when retrieving current configuration of:\nResource: "${object.kind}", Name: "", Namespace: ""\nfrom server for: "${source}": resource name may not be empty`,
          'TWIN_KUBECTL_OBJECT',
        )
      }
      items.push({ object: { ...object, metadata: { ...object.metadata } }, source })
    }
  }
  return items
}

/**
 * Reads what `-f` names: `-` (stdin), a file, a directory (its .yaml/.yml/.json files), or a URL. The lab is offline:
 * the only URL it knows is the MetalLB 0.13.10 manifest (also behind a mirror prefix, as in the seed lab).
 */
export async function readManifests(name: string, cwd: string, stdin: string | null): Promise<ManifestItem[]> {
  if (name === '-') return parseManifest(stdin ?? '', 'STDIN')
  if (/^https?:\/\//.test(name)) {
    if (name.endsWith(METALLB_MANIFEST_PATH)) return metallbManifest().map((object) => ({ object, source: name }))
    throw new ManifestError(
      `error: unable to read URL "${name}", server reported 404 Not Found, status code=404 (the lab is offline; it knows the MetalLB v0.13.10 manifest only)`,
      'TWIN_KUBECTL_URL',
    )
  }
  const path = isAbsolute(name) ? name : join(cwd, name)
  const info = await stat(path).catch(() => null)
  if (!info) throw new ManifestError(`error: the path "${name}" does not exist`, 'TWIN_KUBECTL_NO_FILE')
  if (info.isDirectory()) {
    const files = (await readdir(path)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()
    const items: ManifestItem[] = []
    for (const file of files) items.push(...parseManifest(await readFile(join(path, file), 'utf8'), join(name, file)))
    return items
  }
  return parseManifest(await readFile(path, 'utf8'), name)
}
