/**
 * The live topology diagram on a chapter page of the course, in Chromium: it shows what the lab's routers and cluster
 * answer (FRR 8.4's own JSON, runner/topology/fixtures), in English and Chinese, as a table a screen reader can read,
 * announces a router that stops, and passes axe in light and dark. The lab is a fixture lab with `docker` and
 * `kubectl` on PATH that answer the probes from the files the test puts in the lab.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createRunner, type Runner } from '../../runner/runner.ts'
import { axeViolations, describeViolations } from '../../support/axe.ts'
import { launchChromium } from '../../support/chromium.ts'
import { FixtureLab } from '../../support/fixture-lab.ts'
import { root } from '../../support/fixture-site.ts'
import { loadCourse, stepsDir } from '../../toolchain/course/load-course.ts'
import { courseSite, ensureSite } from '../../toolchain/site/ensure-site.ts'

const fixtures = join(root, 'runner/topology/fixtures')
const shots = join(root, 'test-results/screenshots')
const course = courseSite(root)
/** The probes' commands as the real lab answers them, from the files under the lab's topology/ (none: not running). */
const SHIMS = {
  docker: `#!/bin/sh
router=\${2#clab-bgp-}
case "$5" in *summary*) file=$router-summary.json ;; *) file=$router-routes.json ;; esac
[ -f "topology/$file" ] && exec cat "topology/$file"
echo "Error response from daemon: Container $2 is not running" >&2
exit 1
`,
  kubectl: `#!/bin/sh
[ -f "topology/$2.json" ] && exec cat "topology/$2.json"
echo 'The connection to the server localhost:8080 was refused' >&2
exit 1
`,
}
let bin: string
let savedPath: string | undefined
let lab: FixtureLab
let runner: Runner | undefined
let stateDir: string
let browser: { context: BrowserContext; profile: string }
let page: Page

/** The lab answers as at one moment of the course (a folder of runner/topology/fixtures), or as not built yet (null). */
function labAt(scene: string | null): void {
  rmSync(join(lab.dir, 'topology'), { recursive: true, force: true })
  if (scene === null) return
  for (const file of readdirSync(join(fixtures, scene)))
    lab.setState(`topology/${file}`, readFileSync(join(fixtures, scene, file), 'utf8'))
}

beforeAll(async () => {
  await ensureSite(course, (line) => console.log(line))
  mkdirSync(shots, { recursive: true })
  bin = mkdtempSync(join(tmpdir(), 'lab-topology-bin-'))
  for (const [name, script] of Object.entries(SHIMS)) {
    writeFileSync(join(bin, name), script)
    chmodSync(join(bin, name), 0o755)
  }
  // The fixture lab's probes run with this process's environment.
  savedPath = process.env.PATH
  process.env.PATH = `${bin}:${savedPath}`
  stateDir = mkdtempSync(join(tmpdir(), 'lab-topology-state-'))
  lab = new FixtureLab()
  await lab.up()
  runner = await createRunner({ lab, course: loadCourse(stepsDir(root)).course, stateDir, siteDir: course.outDir })
  browser = await launchChromium()
  page = await browser.context.newPage()
  // The page moves the link's token into its storage and drops it from the address.
  await page.goto(`${runner.url}?token=${runner.token}`)
  await page.waitForURL(runner.url)
})

afterAll(async () => {
  await browser?.context.close()
  await runner?.close()
  await lab?.down()
  process.env.PATH = savedPath
  rmSync(bin, { recursive: true, force: true })
  rmSync(stateDir, { recursive: true, force: true })
  if (browser) rmSync(browser.profile, { recursive: true, force: true })
})

const diagram = () => page.getByTestId('lab-topology')

/** A picture of the diagram to look at (test-results/screenshots), the docked terminal folded so it covers nothing. */
async function picture(name: string, hideTerminal: string): Promise<void> {
  const hide = page.getByRole('button', { name: hideTerminal })
  if (await hide.count()) await hide.click()
  await diagram().screenshot({ path: join(shots, name) })
}
const rows = (table: string) => diagram().getByRole('table', { name: table }).locator('tbody tr').allInnerTexts()

/** Opens a page of the course in a theme, the lab answering as after chapter 5 (MetalLB) unless the test changes it. */
async function open(path: string, theme: 'light' | 'dark' = 'light'): Promise<void> {
  labAt('metallb')
  await page.goto(`${runner!.url}${path}`)
  await page.evaluate(`localStorage.setItem('vitepress-theme-appearance', '${theme}')`)
  await page.reload()
  await expect.poll(() => page.evaluate('document.documentElement.classList.contains("dark")')).toBe(theme === 'dark')
}

it('shows the sessions with their states and the routes with ECMP, as a figure and as tables', async () => {
  await open('bgp-metallb')
  await expect
    .poll(() => diagram().getByTestId('lab-topology-summary').innerText())
    .toBe('8 of 8 BGP sessions Established.')
  const figure = diagram().getByRole('img', { name: 'Topology of the lab' })
  expect(await figure.getAttribute('aria-labelledby')).toBeTruthy()
  // What the routes list under each leaf says, without opening anything.
  expect(await diagram().locator('[data-routes="leaf0"] li').allInnerTexts()).toEqual([
    '10.98.0.0/24 pods of control-plane → control-plane (10.1.5.10)',
    '10.98.1.0/24 pods of worker3 → spine0 (10.1.10.2), spine1 (10.1.12.2) (ECMP)',
    '10.98.2.0/24 pods of worker2 → spine0 (10.1.10.2), spine1 (10.1.12.2) (ECMP)',
    '10.98.3.0/24 pods of worker → worker (10.1.5.11)',
    '172.18.0.200/32 service default/cni → control-plane (10.1.5.10), worker (10.1.5.11) (ECMP)',
  ])
  await picture('topology-en.png', 'Hide terminal')
  await diagram().getByText('Sessions and routes as tables').click()
  expect(await rows('BGP sessions')).toEqual([
    'leaf0\tclab-bgp-control-plane\tEstablished',
    'leaf0\tclab-bgp-worker\tEstablished',
    'leaf1\tclab-bgp-worker2\tEstablished',
    'leaf1\tclab-bgp-worker3\tEstablished',
    'spine0\tleaf0\tEstablished',
    'spine0\tleaf1\tEstablished',
    'spine1\tleaf0\tEstablished',
    'spine1\tleaf1\tEstablished',
  ])
  expect(await rows('Routes')).toContain('spine0\t172.18.0.200/32\tservice default/cni\tleaf0 (10.1.10.1)')
})

it('follows the lab: a stopped leaf is announced, its sessions drawn and listed as not Established', async () => {
  await open('bgp-metallb')
  await expect
    .poll(() => diagram().getByTestId('lab-topology-summary').innerText())
    .toBe('8 of 8 BGP sessions Established.')
  labAt('leaf1-stopped')
  await expect
    .poll(() => diagram().getByTestId('lab-topology-summary').innerText())
    .toBe('4 of 8 BGP sessions Established. Not answering: leaf1.')
  const announcer = page.getByTestId('lab-topology-announcer')
  await expect.poll(() => announcer.innerText()).toContain('leaf1 does not answer')
  const said = await announcer.innerText()
  expect(said).toContain('spine0 - leaf1 session Active')
  expect(said).toContain('leaf1 - worker2 session unknown')
  // The pattern carries the state: dashed for Active, dotted for unknown, solid for Established.
  const lineClass = (session: string) => diagram().locator(`[data-session="${session}"] line`).getAttribute('class')
  expect(await lineClass('spine0|leaf1')).toContain('is-down')
  expect(await lineClass('leaf1|clab-bgp-worker2')).toContain('is-unknown')
  expect(await lineClass('spine0|leaf0')).toContain('is-up')
  expect(await diagram().locator('[data-session="spine0|leaf1"] text').textContent()).toBe('Active')
  // A router that does not answer has unknown routes, not none.
  expect(await diagram().locator('[data-routes="leaf1"] li').allInnerTexts()).toEqual([
    'Unknown: leaf1 does not answer.',
  ])
  await picture('topology-en-leaf1-stopped.png', 'Hide terminal')
  await diagram().getByText('Sessions and routes as tables').click()
  expect(await rows('BGP sessions')).toContain('spine1\tleaf1\tActive')
})

it('shows a lab taken down (or not built yet) as routers that do not answer and no sessions, without an error', async () => {
  await open('bgp-at-work')
  labAt(null)
  await expect
    .poll(() => diagram().getByTestId('lab-topology-summary').innerText())
    .toBe('0 of 0 BGP sessions Established. Not answering: spine0, spine1, leaf0, leaf1.')
  expect(await diagram().getByText('No cluster yet: the nodes appear once it is created.').count()).toBe(1)
  expect(describeViolations('/bgp-at-work (no lab)', await axeViolations(page))).toEqual([])
})

it('speaks Chinese on the Chinese page', async () => {
  await open('zh/bgp-metallb')
  await expect
    .poll(() => diagram().getByTestId('lab-topology-summary').innerText())
    .toBe('8 个 BGP 会话中 8 个已建立（Established）。')
  await picture('topology-zh.png', '隐藏终端')
  await diagram().getByText('以表格查看会话和路由').click()
  expect(await rows('BGP 会话')).toContain('spine0\tleaf1\t已建立')
  expect(await diagram().locator('[data-routes="leaf1"] li').first().innerText()).toBe(
    '10.98.0.0/24 control-plane 的 Pod → spine0 (10.1.34.2), spine1 (10.1.11.2) (ECMP 等价多路径)',
  )
})

it('has no WCAG 2.1 AA violation in light and dark, tables open, in both languages', async () => {
  const problems: string[] = []
  for (const path of ['bgp-metallb', 'zh/bgp-metallb']) {
    for (const theme of ['light', 'dark'] as const) {
      await open(path, theme)
      await diagram().getByRole('img').waitFor()
      await diagram().locator('details summary').click()
      problems.push(...describeViolations(`/${path} (${theme})`, await axeViolations(page)))
      if (theme === 'dark')
        await diagram()
          .getByRole('img')
          .screenshot({ path: join(shots, `topology-${path.startsWith('zh') ? 'zh' : 'en'}-dark.png`) })
    }
  }
  expect(problems).toEqual([])
})
