import { expect, it } from 'vitest'
import { BGP_V2_VERSIONS } from './lab-versions.ts'
import { describeMissing, preflight, realTools } from './preflight.ts'

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

it('counts a tool at another version as missing, and says which version it found', async () => {
  const result = await preflight([
    {
      name: 'old-kind',
      probe: 'echo "kind v0.18.0 go1.20.2 linux/amd64"',
      version: { pattern: /^kind v0\.29\./, needs: 'kind v0.29.0' },
      install: 'install kind 0.29',
    },
    {
      name: 'new-kind',
      probe: 'echo "kind v0.29.0 go1.24.2 linux/amd64"',
      version: { pattern: /^kind v0\.29\./, needs: 'kind v0.29.0' },
      install: 'install kind 0.29',
    },
  ])
  expect(result.missing.map((t) => t.name)).toEqual(['old-kind'])
  expect(describeMissing(result.missing)).toContain(
    'old-kind: needs kind v0.29.0, found "kind v0.18.0 go1.20.2 linux/amd64": install kind 0.29',
  )
})

it('asks the BGP v2 section for kind 0.29, a kubectl near 1.33 and cilium-cli', () => {
  const tools = Object.fromEntries(realTools(BGP_V2_VERSIONS).map((t) => [t.name, t]))
  expect(tools.kind.install).toContain('https://kind.sigs.k8s.io/dl/v0.29.0/kind-linux-amd64')
  expect(tools.kind.version!.pattern.test('kind v0.29.0 go1.24.2 linux/amd64')).toBe(true)
  expect(tools.kind.version!.pattern.test('kind v0.18.0 go1.20.2 linux/amd64')).toBe(false)
  expect(
    ['v1.32.4', 'v1.33.1', 'v1.34.0'].map((v) => tools.kubectl.version!.pattern.test(`Client Version: ${v}`)),
  ).toEqual([true, true, true])
  expect(tools.kubectl.version!.pattern.test('Client Version: v1.23.4')).toBe(false)
  expect(tools.kubectl.install).toContain('https://dl.k8s.io/release/v1.33.1/bin/linux/amd64/kubectl')
  expect(tools.cilium.install).toContain('cilium-cli/main/stable.txt')
  expect(realTools().map((t) => t.name)).not.toContain('cilium')
  expect(realTools().filter((t) => t.version)).toEqual([])
})
