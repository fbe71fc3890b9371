import { parse } from 'yaml'
import { AdmissionError, admit } from '../cluster/admission.ts'
import type { Cluster } from '../cluster/cluster.ts'
import { qualifiedSingular } from '../cluster/resources.ts'
import type { KObject } from '../cluster/store.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { type Args, flag } from './args.ts'
import { KubectlError, NO_RESOURCES } from './kubectl-error.ts'
import { renderObjects } from './output.ts'
import { type Target, targetObjects } from './target-objects.ts'

/** Set in the environment of the second call, the one that carries the edited file on stdin. */
export const EDITED_ENV = 'TWIN_KUBECTL_EDITED'

// kubectl 1.23 pkg/cmd/util/editor/editoptions.go: the header of the file, and the words when nothing changed.
const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`

/**
 * Run by the shim in the learner's terminal (the editor needs it): writes the object to a temp file as kubectl does
 * (`/tmp/kubectl-edit-*.yaml`), opens $KUBE_EDITOR, else $EDITOR, else vi, then hands the file back to
 * `kubectl <same arguments>` with EDITED_ENV set, and removes the file. $1 is the content, the rest kubectl's argv.
 * The editor line goes to a shell as kubectl's editor.go does (`KUBE_EDITOR="code --wait"`, quoted sed scripts).
 */
const SCRIPT = `f=$(mktemp "\${TMPDIR:-/tmp}/kubectl-edit-XXXXXXXXXX.yaml") || exit 1
printf '%s' "$1" > "$f"
shift
editor=\${KUBE_EDITOR:-\${EDITOR:-vi}}
if ! sh -c "$editor \\"\\$1\\"" sh "$f"; then
  echo "error: there was a problem with the editor \\"$editor\\"" >&2
  rm -f "$f"
  exit 1
fi
${EDITED_ENV}=1 kubectl "$@" < "$f"
rc=$?
rm -f "$f"
exit $rc`

const withoutComments = (text: string) =>
  text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n')

/** What an edit may change: everything but status and what the server keeps (uid, resourceVersion, timestamps). */
function desired(object: KObject): string {
  const { status: _status, metadata, ...rest } = object
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ts, ...meta } = metadata
  return JSON.stringify({ ...rest, metadata: meta })
}

/** The object as the editor shows it: `-o json` or, by default, yaml. */
const shown = (target: Target, output: string | undefined) =>
  renderObjects(output === 'json' ? 'json' : 'yaml', [target], true, false)!

/** Stores what the learner saved, with kubectl edit's answers (stderr for a cancelled edit). */
function save(cluster: Cluster, target: Target, edited: string, output: string | undefined, io: ToolIO): number {
  const text = withoutComments(edited)
  if (!text.trim()) {
    io.stderr('Edit cancelled, saved file was empty.\n')
    return 0
  }
  if (text === withoutComments(shown(target, output))) {
    io.stderr('Edit cancelled, no changes made.\n')
    return 0
  }
  let object: KObject
  try {
    object = parse(text)
  } catch (error) {
    throw new KubectlError(`error: error parsing edited file: ${(error as Error).message.split('\n')[0]}`)
  }
  const current = target.object
  if (
    !object ||
    object.apiVersion !== current.apiVersion ||
    object.kind !== current.kind ||
    object.metadata?.name !== current.metadata.name
  ) {
    throw new KubectlError('error: At least one of apiVersion, kind and name was changed')
  }
  const next: KObject = { ...object, metadata: { ...object.metadata, namespace: current.metadata.namespace } }
  if (current.status === undefined) delete next.status
  else next.status = current.status
  if (desired(next) === desired(current)) {
    io.stderr('Edit cancelled, no changes made.\n')
    return 0
  }
  try {
    cluster.store.update(admit(cluster.store, target.type, next, current))
  } catch (error) {
    if (error instanceof AdmissionError)
      throw new KubectlError(
        `error: ${target.type.plural}${target.type.group ? `.${target.type.group}` : ''} "${target.name}" could not be patched: ${error.message}`,
      )
    throw error
  }
  io.stdout(`${qualifiedSingular(target.type)}/${target.name} edited\n`)
  return 0
}

/**
 * `kubectl edit TYPE NAME`: the first call hands the shim a script that opens the learner's editor on the object;
 * the script calls kubectl again with the edited file, which is then stored (`edited`) or found unchanged
 * (`Edit cancelled, no changes made.`). Errors are reported once rather than reopening the editor.
 */
export function edit(cluster: Cluster, args: Args, io: ToolIO): { exitCode: number } | { execLocal: string[] } {
  if (args.positional.length === 0) throw new KubectlError(`error: ${NO_RESOURCES}`)
  const targets = targetObjects(cluster, args)
  if (targets.length !== 1)
    throw new KubectlError("error: the twin's kubectl edit takes one object at a time: kubectl edit TYPE NAME")
  const [target] = targets
  const output = flag(args, 'output')
  if (io.env[EDITED_ENV]) return { exitCode: save(cluster, target, io.stdin ?? '', output, io) }
  return { execLocal: ['sh', '-c', SCRIPT, 'kubectl-edit', HEADER + shown(target, output), ...io.argv] }
}
