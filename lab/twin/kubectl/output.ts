import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { stringify } from 'yaml'
import { CodedError } from '../../../protocol/coded-error.ts'
import { qualifiedSingular, type ResourceType } from '../cluster/resources.ts'
import type { KObject } from '../cluster/store.ts'
import { renderTemplate as renderGoTemplate, TemplateError } from '../docker/go-template.ts'
import { evaluate, formatValue, renderTemplate } from './jsonpath.ts'
import { tabwrite } from './tabwriter.ts'

/** A list as `kubectl get -o json|yaml` prints it. */
export const asList = (items: KObject[]) => ({
  apiVersion: 'v1',
  items,
  kind: 'List',
  metadata: { resourceVersion: '' },
})

/** Keys in sorted order at every level, as kubectl prints unstructured objects (apiVersion, kind, metadata, ...). */
export const sortKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(sortKeys)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
        )
      : value

/** Stable error for an `-o` kubectl does not know. */
export class OutputError extends CodedError<'TWIN_KUBECTL_OUTPUT'> {
  constructor(message: string) {
    super('TWIN_KUBECTL_OUTPUT', message)
  }
}

/** `-o go-template-file=PATH` (and `templatefile=`) read as `-o go-template=<its text>`, relative to the shell's directory. */
export function readTemplateFile(format: string | undefined, cwd: string): string | undefined {
  const file = /^(?:go-template-file|templatefile)=(.*)$/s.exec(format ?? '')?.[1]
  if (file === undefined) return format
  try {
    return `go-template=${readFileSync(resolve(cwd, file), 'utf8')}`
  } catch {
    throw new OutputError(`error: error reading --template ${file}, open ${file}: no such file or directory`)
  }
}

/**
 * Renders objects in a non-table format (`json`, `yaml`, `name`, `jsonpath=...`, `go-template=...`, `custom-columns=...`), or returns
 * undefined when `format` asks for a table (default or `wide`).
 */
export function renderObjects(
  format: string | undefined,
  typed: { type: ResourceType; object: KObject }[],
  single: boolean,
  noHeaders: boolean,
): string | undefined {
  if (format === undefined || format === 'wide') return undefined
  const objects = typed.map((t) => t.object)
  const root = single && objects.length === 1 ? objects[0] : asList(objects)
  if (format === 'json') return `${JSON.stringify(sortKeys(root), null, 4)}\n`
  // go-yaml's layout: sequences not indented under their key, multi-line strings as literal blocks, no folding; its
  // YAML 1.1 resolver quotes strings that would read back as another type (timestamps, "yes", "on").
  if (format === 'yaml')
    return stringify(sortKeys(root), { indentSeq: false, lineWidth: 0, blockQuote: 'literal', schema: 'yaml-1.1' })
  if (format === 'name') return typed.map((t) => `${qualifiedSingular(t.type)}/${t.object.metadata.name}\n`).join('')
  const jsonpath = /^jsonpath=(.*)$/s.exec(format)
  if (jsonpath) return renderTemplate(jsonpath[1], root)
  const goTemplate = /^(?:go-)?template=(.*)$/s.exec(format)
  if (goTemplate) {
    try {
      return renderGoTemplate(goTemplate[1], root, { goValues: true, tabs: false })
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error
      // Go finds unknown functions and unclosed blocks when parsing, the rest when executing (kubectl's two wordings).
      if (/^(function|unexpected EOF)/.test(error.message))
        throw new OutputError(`error: error parsing template ${goTemplate[1]}, template: output:1: ${error.message}`)
      throw new OutputError(`error: error executing template "${goTemplate[1]}": template: output:1: ${error.message}`)
    }
  }
  const columns = /^custom-columns=(.*)$/s.exec(format)
  if (columns) {
    const specs = columns[1].split(',').map((spec) => {
      const colon = spec.indexOf(':')
      if (colon < 0) throw new OutputError(`error: expected <header>:<json-path-expr> in "${spec}"`)
      return { header: spec.slice(0, colon), path: spec.slice(colon + 1).replace(/^\{(.*)\}$/, '$1') }
    })
    const rows = objects.map((o) =>
      specs.map((s) => {
        const values = evaluate(o, s.path)
        return values.length ? values.map(formatValue).join(',') : '<none>'
      }),
    )
    return tabwrite(noHeaders ? rows : [specs.map((s) => s.header), ...rows])
  }
  throw new OutputError(
    `error: unable to match a printer suitable for the output format "${format}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`,
  )
}
