import { expect, it } from 'vitest'
import { describeMissing, preflight } from './preflight.ts'

it('reports each tool with its version or as missing with its install command', async () => {
  const result = await preflight([
    { name: 'bash', probe: 'bash --version | head -1', install: 'apt-get install -y bash' },
    { name: 'no-such-tool', probe: 'no-such-tool-xyz --version', install: 'apt-get install -y no-such-tool' },
  ])
  expect(result.tools.bash).toMatch(/GNU bash/)
  expect(result.tools['no-such-tool']).toBeNull()
  const text = describeMissing(result.missing)
  expect(text).toContain('no-such-tool: apt-get install -y no-such-tool')
  expect(text).not.toContain('bash:')
  expect(text).toContain('--lab twin')
})
