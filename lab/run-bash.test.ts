import { describe, expect, it } from 'vitest'
import { runBash } from './run-bash.ts'
import { isAlive, processRef } from './twin/net/processes.ts'

describe('runBash', () => {
  it('returns output and exit code without throwing', async () => {
    const r = await runBash('echo out; echo err >&2; exit 3')
    expect(r).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false })
  })

  it('passes input on stdin', async () => {
    expect((await runBash('tr a-z A-Z', { input: 'bgp' })).stdout).toBe('BGP')
  })

  it('kills a hanging command and its children at the timeout', async () => {
    const marker = `run-bash-test-${process.pid}-${Date.now()}`
    const r = await runBash(`sleep 30 & echo $! > /tmp/${marker}; wait`, { timeoutMs: 300 })
    expect(r.timedOut).toBe(true)
    const { readFileSync, rmSync } = await import('node:fs')
    const child = processRef(Number(readFileSync(`/tmp/${marker}`, 'utf8')))
    rmSync(`/tmp/${marker}`)
    // Dead, or a zombie nobody reaps (a container's PID 1 may not): either way it no longer runs.
    await expect.poll(() => isAlive(child), { timeout: 3000 }).toBe(false)
  })
})
