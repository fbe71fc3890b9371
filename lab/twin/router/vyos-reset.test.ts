import { describe, expect, it } from 'vitest'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { opReset } from './vyos-reset.ts'

function reset(command: string) {
  let stderr = ''
  const io: ToolIO = {
    argv: [],
    cwd: '/',
    env: {},
    stdin: '',
    tty: false,
    stdout: () => {},
    stderr: (text) => (stderr += text),
  }
  const result = opReset(io, command.split(' ').slice(1).filter(Boolean))
  return { result, stderr }
}

/** The vtysh arguments a reset runs (after the vtysh path). */
const vtysh = (command: string) => {
  const { result } = reset(command)
  return 'execLocal' in result ? result.execLocal.slice(1) : result
}

describe('reset (VyOS operational mode)', () => {
  it("clears a BGP peer, or all of them, in the router's vtysh", () => {
    expect(vtysh('reset ip bgp 10.1.10.2')).toEqual(['-c', 'clear ip bgp 10.1.10.2'])
    expect(vtysh('reset ip bgp all')).toEqual(['-c', 'clear ip bgp *'])
    expect(vtysh('reset ip bgp 10.1.10.2 soft in')).toEqual(['-c', 'clear ip bgp 10.1.10.2 soft in'])
  })

  it("answers an unfinished or wrong command in vyatta-op's words, and refuses the rest of reset", () => {
    expect(reset('reset ip bgp')).toEqual({
      result: { exitCode: 1 },
      stderr: '\n  Incomplete command: reset ip bgp\n\n',
    })
    expect(reset('reset').stderr).toBe('\n  Incomplete command: reset\n\n')
    expect(reset('reset ip bgp spine0').stderr).toBe('\n  Invalid command: reset ip bgp [spine0]\n\n')
    expect(() => reset('reset conntrack')).toThrow(NotEmulatedError)
  })
})
