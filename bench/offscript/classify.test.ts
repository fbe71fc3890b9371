import { describe, expect, it } from 'vitest'
import { type CommandAnswer, classify } from './classify.ts'
import type { OffscriptCommand } from './commands.ts'

const command = (extra: Partial<OffscriptCommand> = {}): OffscriptCommand => ({
  tool: 'kubectl',
  command: 'kubectl get nodes -o wide',
  want: 'the nodes',
  ...extra,
})
const answer = (extra: Partial<CommandAnswer>): CommandAnswer => ({
  exitCode: 0,
  stdout: '',
  stderr: '',
  timedOut: false,
  daemonLog: [],
  ...extra,
})

describe('classify', () => {
  it('keeps FRR\'s own "Local Role: undefined" an answer', () => {
    const frr = 'BGP neighbor is 10.1.5.10, remote AS 65005, local AS 65005, internal link\n  Local Role: undefined\n'
    expect(classify(command(), answer({ stdout: frr })).class).toBe('answered')
  })

  it('keeps a real table with INTERNAL-IP an answer', () => {
    const table = 'NAME   STATUS   ROLES   AGE   VERSION   INTERNAL-IP   EXTERNAL-IP\nclab-bgp-worker   Ready ...\n'
    expect(classify(command(), answer({ stdout: table })).class).toBe('answered')
  })

  it("tells the twin's refusal from a tool error in the real tool's words", () => {
    const refused = "kubectl: 'top' is not available in the twin lab\nThe twin runs no metrics-server.\n"
    expect(classify(command(), answer({ exitCode: 1, stderr: refused })).class).toBe('honest limit')
    const notFound = 'Error from server (NotFound): pods "no-such-pod" not found\n'
    expect(classify(command(), answer({ exitCode: 1, stderr: notFound })).class).toBe('tool error')
  })

  it('calls "unknown command" right for a typo and a defect for a real command', () => {
    const unknown = 'error: unknown command "gt" for "kubectl"\n'
    expect(classify(command({ unknown: true }), answer({ exitCode: 1, stderr: unknown })).class).toBe('tool error')
    expect(classify(command(), answer({ exitCode: 1, stderr: unknown })).class).toBe('unknown command')
  })

  it('calls an answer without what the real tool says a wrong answer', () => {
    const help = command({ command: 'kubectl port-forward --help', expect: 'Forward one or more local ports to a pod' })
    const global = 'kubectl controls the Kubernetes cluster manager.\n'
    expect(classify(help, answer({ stdout: global })).class).toBe('wrong answer')
    expect(classify(help, answer({ stdout: 'Forward one or more local ports to a pod.\n' })).class).toBe('answered')
  })

  it('finds a JavaScript error, a stack in the daemon log, a timeout and an empty answer', () => {
    const js = "kubectl: Cannot read properties of undefined (reading 'spec')\n"
    expect(classify(command(), answer({ exitCode: 1, stderr: js })).class).toBe('internal error')
    const stack = ['[twin t] kubectl get x: TypeError: boom', '    at run (/app/kubectl.ts:10:5)']
    expect(classify(command(), answer({ exitCode: 1, stderr: 'kubectl: boom\n', daemonLog: stack })).class).toBe(
      'internal error',
    )
    expect(classify(command(), answer({ timedOut: true, exitCode: 143 })).class).toBe('internal error')
    expect(classify(command(), answer({})).class).toBe('internal error')
    expect(classify(command({ quiet: true }), answer({})).class).toBe('answered')
    expect(classify(command({ quiet: true }), answer({ exitCode: 28 })).class).toBe('tool error')
    expect(classify(command(), answer({ exitCode: 28 })).class).toBe('internal error')
    expect(classify(command(), answer({ exitCode: 1, stderr: 'twin: internal error\n' })).class).toBe('internal error')
    // The API server's words for an exec the container cannot run are the real answer, not the twin's failure.
    const api = 'error: Internal error occurred: error executing command in container: failed to exec in container: x\n'
    expect(classify(command({ unknown: true }), answer({ exitCode: 1, stderr: api })).class).toBe('tool error')
  })
})
