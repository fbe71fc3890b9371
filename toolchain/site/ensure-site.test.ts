import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { createServer, get, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { execa, type ResultPromise } from 'execa'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { serveStatic } from '../../http/static-site.ts'
import { ensureSite, SiteBuildError, type SiteBuilder, type SiteSources } from './ensure-site.ts'

const childScript = join(import.meta.dirname, 'fixtures/ensure-site-process.ts')
let root: string
let sources: SiteSources
let builds: number
let log: string[]

/** A stand-in for `vitepress build`: the page is the text of docs/index.md, so a test sees which build it reads. */
const build: SiteBuilder = async (site, into) => {
  builds++
  const page = readFileSync(join(site.docsDir, 'index.md'))
  mkdirSync(join(into, 'guide'), { recursive: true })
  writeFileSync(join(into, 'index.html'), page)
  writeFileSync(join(into, 'guide/page.html'), page)
}
const say = (line: string) => void log.push(line)

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lab-site-'))
  sources = { root, docsDir: join(root, 'docs'), stepsDir: join(root, 'steps'), outDir: join(root, '.vitepress/dist') }
  for (const dir of ['docs', 'steps', '.vitepress/theme', 'shared']) mkdirSync(join(root, dir), { recursive: true })
  writeFileSync(join(root, 'docs/index.md'), 'v1')
  writeFileSync(join(root, 'steps/setup.yaml'), 'id: setup\n')
  writeFileSync(
    join(root, '.vitepress/config.ts'),
    "import { title } from '../shared/title.ts'\nexport default { title }\n",
  )
  writeFileSync(join(root, 'shared/title.ts'), "export const title = 'Lab'\n")
  writeFileSync(join(root, 'package-lock.json'), '{}\n')
  builds = 0
  log = []
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const served = () => readFileSync(join(sources.outDir, 'index.html'), 'utf8')
const buildFolders = () => readdirSync(join(root, '.vitepress')).filter((name) => /^dist\.[0-9a-f]{16}/.test(name))

function touchAll(path: string, when: Date): void {
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) touchAll(join(path, name), when)
  utimesSync(path, when, when)
}

it('does not build again for unchanged sources, even when every mtime is newer than the build', async () => {
  await ensureSite(sources, say, build)
  const site = realpathSync(sources.outDir)
  for (const input of ['docs', 'steps', '.vitepress/config.ts', 'shared'])
    touchAll(join(root, input), new Date(Date.now() + 60_000))
  await ensureSite(sources, say, build)
  expect(builds).toBe(1)
  expect(realpathSync(sources.outDir)).toBe(site)
  expect(log).toEqual([
    'Building the course site (no built site yet)...',
    expect.stringMatching(/^Site built in \d+\.\d s\.$/),
  ])
})

it('rebuilds when a page, a chapter or a module the config imports changes, keeping only the new and the replaced build', async () => {
  await ensureSite(sources, say, build)
  for (const [file, text] of [
    ['docs/index.md', 'v2'],
    ['steps/setup.yaml', 'id: setup2\n'],
    ['shared/title.ts', "export const title = 'Lab 2'\n"],
  ]) {
    const before = realpathSync(sources.outDir)
    writeFileSync(join(root, file!), text!)
    await ensureSite(sources, say, build)
    expect(realpathSync(sources.outDir), file).not.toBe(before)
  }
  expect(builds).toBe(4)
  expect(served()).toBe('v2')
  expect(log).toContain('Building the course site (its pages, chapters or theme changed since the last build)...')
  expect(buildFolders()).toHaveLength(2)
})

it('switches back to the build it kept when an edit is undone, without building', async () => {
  await ensureSite(sources, say, build)
  writeFileSync(join(root, 'docs/index.md'), 'v2')
  await ensureSite(sources, say, build)
  writeFileSync(join(root, 'docs/index.md'), 'v1')
  await ensureSite(sources, say, build)
  expect(builds).toBe(2)
  expect(served()).toBe('v1')
})

it('keeps serving the previous site when a build fails, and leaves no half-built folder', async () => {
  await ensureSite(sources, say, build)
  writeFileSync(join(root, 'docs/index.md'), 'v2')
  const failing: SiteBuilder = async (_, into) => {
    mkdirSync(into)
    writeFileSync(join(into, 'index.html'), 'half')
    throw new SiteBuildError('LAB_SITE_BUILD_FAILED', 'the site build failed (exit code 1)')
  }
  await expect(ensureSite(sources, say, failing)).rejects.toMatchObject({ code: 'LAB_SITE_BUILD_FAILED' })
  expect(served()).toBe('v1')
  expect(buildFolders()).toHaveLength(1)
})

it('replaces a plain folder left by `vitepress build` with the link to a build', async () => {
  mkdirSync(sources.outDir)
  writeFileSync(join(sources.outDir, 'index.html'), 'old')
  await ensureSite(sources, say, build)
  expect(served()).toBe('v1')
  expect(log[0]).toBe('Building the course site (its pages, chapters or theme changed since the last build)...')
})

/** Starts `ensureSite` in another process with a build that finishes when the test writes "go" to its stdin. */
function start(): { child: ResultPromise; output: () => string } {
  const child = execa(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(sources), 'held'], {
    all: true,
    reject: false,
  })
  let output = ''
  child.all!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return { child, output: () => output }
}

function outputMatches(starts: ReturnType<typeof start>[], done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!done()) return
      for (const s of starts) s.child.all!.off('data', check)
      resolve()
    }
    for (const s of starts) s.child.all!.on('data', check)
    check()
  })
}

it('builds once when two starts run at once: the second waits for the first, then uses its site', async () => {
  const starts = [start(), start()]
  const builder = () => starts.find((s) => s.output().includes('Building the course site'))
  const waiter = () => starts.find((s) => s.output().includes('Waiting for another start'))
  await outputMatches(starts, () => !!builder() && !!waiter())
  for (const s of starts) s.child.stdin!.end('go\n')
  const results = await Promise.all(starts.map((s) => s.child))
  expect(results.map((r) => r.exitCode)).toEqual([0, 0])
  expect(waiter()!.output()).toContain(
    `Waiting for another start to finish building the site (pid ${builder()!.child.pid})...`,
  )
  expect(waiter()!.output()).toContain('The other start built the site; using it.')
  expect(waiter()!.output()).not.toContain('Building')
  expect(readFileSync(join(root, 'builds.log'), 'utf8').trim().split('\n')).toEqual([String(builder()!.child.pid)])
  expect(served()).toBe('v1')
})

it('lets the next start build when the one building is killed: the lock dies with it, its half-built folder goes', async () => {
  const first = start()
  await outputMatches([first], () => first.output().includes('Building the course site'))
  const second = start()
  await outputMatches([second], () =>
    second.output().includes(`Waiting for another start to finish building the site (pid ${first.child.pid})`),
  )
  first.child.kill('SIGKILL')
  await first.child
  await outputMatches([second], () => second.output().includes('Building the course site'))
  second.child.stdin!.end('go\n')
  expect((await second.child).exitCode, second.output()).toBe(0)
  expect(readFileSync(join(root, 'builds.log'), 'utf8').trim().split('\n')).toEqual([String(second.child.pid)])
  expect(served()).toBe('v1')
  expect(buildFolders()).toEqual([basename(realpathSync(sources.outDir))])
})

it('answers every request with 200 while rebuilds in another process switch the site under a running server', async () => {
  await ensureSite(sources, say, build)
  const server: Server = createServer((request, response) =>
    serveStatic(sources.outDir, new URL(request.url!, 'http://x').pathname, response),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const fetchPage = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path }, (response) => {
        let body = ''
        response.on('data', (chunk: Buffer) => (body += chunk.toString()))
        response.on('end', () => resolve({ status: response.statusCode!, body }))
      }).on('error', reject)
    })

  let rebuilding = true
  const answers: { status: number; body: string }[] = []
  const polling = (async () => {
    while (rebuilding) answers.push(...(await Promise.all(['/', '/guide/page', '/index.html'].map(fetchPage))))
  })()
  const versions = ['v2', 'v3', 'v4', 'v5', 'v6']
  for (const version of versions) {
    writeFileSync(join(root, 'docs/index.md'), version)
    const rebuild = start()
    rebuild.child.stdin!.end('go\n')
    expect((await rebuild.child).exitCode, rebuild.output()).toBe(0)
  }
  rebuilding = false
  await polling
  server.close()

  expect(answers.filter((a) => a.status !== 200)).toEqual([])
  // The polling spanned the switches: it read more than one build.
  expect(new Set(answers.map((a) => a.body)).size).toBeGreaterThan(1)
  expect(served()).toBe('v6')
})
