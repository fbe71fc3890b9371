import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { copyWorkspace } from './copy-workspace.ts'

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

it('copies the lab files and keeps the ones the learner edited', async () => {
  dir = await mkdtemp(join(tmpdir(), 'ws-'))
  const first = await copyWorkspace(dir)
  expect(first).toContain('install.sh')
  expect(first).toContain(join('startup-conf', 'leaf0-boot.cfg'))
  await writeFile(join(dir, 'cni.yaml'), 'edited by the learner\n')
  const second = await copyWorkspace(dir)
  expect(second).toEqual([])
  expect(await readFile(join(dir, 'cni.yaml'), 'utf8')).toBe('edited by the learner\n')
})
