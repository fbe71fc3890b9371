import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { readCourse } from '../../toolchain/course/load-course.ts'
import { lockOf } from './gates.ts'
import { ProgressStore } from './progress-store.ts'

let dir = ''
afterEach(() => rmSync(dir, { recursive: true, force: true }))

it('persists atomically and survives a new store on the same directory', () => {
  dir = mkdtempSync(join(tmpdir(), 'lab-progress-'))
  const store = new ProgressStore(dir)
  store.updateChapter('setup', (c) => c.stepsDone.push('write-config'))
  store.update((p) => (p.currentChapter = 'setup'))
  expect(readdirSync(dir).sort()).toEqual(['progress.json', 'progress.key', 'progress.last-good.json'])
  const again = new ProgressStore(dir)
  expect(again.chapter('setup').stepsDone).toEqual(['write-config'])
  expect(again.progress.currentChapter).toBe('setup')
  expect(JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8')).version).toBe(1)
})

it('refuses a corrupt file in one line that names it and the last good copy, and keeps the file', () => {
  dir = mkdtempSync(join(tmpdir(), 'lab-progress-'))
  new ProgressStore(dir).updateChapter('setup', (c) => c.stepsDone.push('write-config'))
  writeFileSync(join(dir, 'progress.json'), '{"version": 1, "chapters": ')
  const error = (() => {
    try {
      new ProgressStore(dir)
    } catch (e) {
      return e as Error & { code: string }
    }
  })()
  expect(error?.code).toBe('LAB_PROGRESS_CORRUPT')
  expect(error?.message).not.toContain('\n')
  expect(error?.message).toContain(join(dir, 'progress.json'))
  expect(error?.message).toContain(`mv '${join(dir, 'progress.last-good.json')}' '${join(dir, 'progress.json')}'`)
  expect(readFileSync(join(dir, 'progress.json'), 'utf8')).toBe('{"version": 1, "chapters": ')
  // Following the advice brings the progress back.
  cpSync(join(dir, 'progress.last-good.json'), join(dir, 'progress.json'))
  expect(new ProgressStore(dir).chapter('setup').stepsDone).toEqual(['write-config'])
})

it('opens no chapter for a progress file edited by hand or copied from another learner', () => {
  dir = mkdtempSync(join(tmpdir(), 'lab-progress-'))
  const other = mkdtempSync(join(tmpdir(), 'lab-progress-other-'))
  try {
    new ProgressStore(dir).update((p) => (p.currentChapter = 'setup'))
    const file = join(dir, 'progress.json')
    const edited = JSON.parse(readFileSync(file, 'utf8'))
    edited.chapters.setup = { stepsDone: [], checksPassed: [], completed: true }
    writeFileSync(file, JSON.stringify(edited))
    expect(() => new ProgressStore(dir)).toThrow(expect.objectContaining({ code: 'LAB_PROGRESS_UNSIGNED' }))

    const friend = new ProgressStore(other)
    friend.updateChapter('setup', (c) => (c.completed = true))
    cpSync(join(other, 'progress.json'), file)
    expect(() => new ProgressStore(dir)).toThrow(expect.objectContaining({ code: 'LAB_PROGRESS_UNSIGNED' }))
  } finally {
    rmSync(other, { recursive: true, force: true })
  }
})

it('adopts a progress file written before signing, once', () => {
  dir = mkdtempSync(join(tmpdir(), 'lab-progress-'))
  writeFileSync(
    join(dir, 'progress.json'),
    JSON.stringify({
      version: 1,
      currentChapter: 'setup',
      chapters: { setup: { stepsDone: ['write-config'], checksPassed: [], completed: false } },
    }),
  )
  expect(new ProgressStore(dir).chapter('setup').stepsDone).toEqual(['write-config'])
  expect(JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8')).mac).toMatch(/^[0-9a-f]{64}$/)
})

it('reads a file saved with a byte-order mark and removes temp files of runners that died mid-write', () => {
  dir = mkdtempSync(join(tmpdir(), 'lab-progress-'))
  new ProgressStore(dir).update((p) => (p.currentChapter = 'setup'))
  const file = join(dir, 'progress.json')
  writeFileSync(file, `\uFEFF${readFileSync(file, 'utf8')}`)
  const deadPid = spawnSync('true').pid
  writeFileSync(`${file}.${deadPid}.tmp`, '{"half":')
  writeFileSync(`${file}.${process.ppid}.tmp`, 'a live writer')
  expect(new ProgressStore(dir).progress.currentChapter).toBe('setup')
  expect(existsSync(`${file}.${deadPid}.tmp`)).toBe(false)
  expect(existsSync(`${file}.${process.ppid}.tmp`)).toBe(true)
})

it('opens a chapter when the chapters it requires completed, within the instructor pace', () => {
  dir = mkdtempSync(join(tmpdir(), 'lab-progress-'))
  const { course } = readCourse('support/fixture-course/steps')
  const store = new ProgressStore(dir)
  const state = (id: string) => store.chapter(id)
  expect(lockOf(course, 'setup', state, null)).toBeNull()
  expect(lockOf(course, 'routing', state, null)).toEqual({ kind: 'requires', missing: ['setup'] })
  store.updateChapter('setup', (c) => (c.checksPassed = ['config-written']))
  expect(lockOf(course, 'routing', state, null)).toEqual({ kind: 'requires', missing: ['setup'] })
  store.updateChapter('setup', (c) => {
    c.checksPassed = ['config-written', 'service-running']
    c.completed = true
  })
  expect(lockOf(course, 'routing', state, null)).toBeNull()
  expect(lockOf(course, 'routing', state, { upToOrder: 1 })).toEqual({ kind: 'instructor', upToOrder: 1 })
})
