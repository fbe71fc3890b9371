import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { readCourse } from '../course/load-course.ts'
import { lockOf } from './gates.ts'
import { ProgressStore } from './progress-store.ts'

let dir = ''
afterEach(() => rmSync(dir, { recursive: true, force: true }))

it('persists atomically and survives a new store on the same directory', () => {
  dir = mkdtempSync(join(tmpdir(), 'lab-progress-'))
  const store = new ProgressStore(dir)
  store.updateChapter('setup', (c) => c.stepsDone.push('write-config'))
  store.update((p) => (p.currentChapter = 'setup'))
  expect(readdirSync(dir)).toEqual(['progress.json'])
  const again = new ProgressStore(dir)
  expect(again.chapter('setup').stepsDone).toEqual(['write-config'])
  expect(again.progress.currentChapter).toBe('setup')
  expect(JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8')).version).toBe(1)
})

it('refuses a corrupt file with a code instead of starting over silently', () => {
  dir = mkdtempSync(join(tmpdir(), 'lab-progress-'))
  writeFileSync(join(dir, 'progress.json'), '{"version": 1, "chapters": ')
  expect(() => new ProgressStore(dir)).toThrow(expect.objectContaining({ code: 'LAB_PROGRESS_CORRUPT' }))
  expect(existsSync(join(dir, 'progress.json'))).toBe(true)
})

it('opens a chapter when the chapters it requires completed, within the instructor pace', () => {
  dir = mkdtempSync(join(tmpdir(), 'lab-progress-'))
  const { course } = readCourse('test/fixtures/course/steps')
  const store = new ProgressStore(dir)
  const state = (id: string) => store.chapter(id)
  expect(lockOf(course, 'setup', state, null)).toBeNull()
  expect(lockOf(course, 'routing', state, null)).toEqual({ kind: 'requires', missing: ['setup'] })
  store.updateChapter('setup', (c) => (c.checksPassed = ['config-written']))
  expect(lockOf(course, 'routing', state, null)).toEqual({ kind: 'requires', missing: ['setup'] })
  store.updateChapter('setup', (c) => ((c.checksPassed = ['config-written', 'service-running']), (c.completed = true)))
  expect(lockOf(course, 'routing', state, null)).toBeNull()
  expect(lockOf(course, 'routing', state, { upToOrder: 1 })).toEqual({ kind: 'instructor', upToOrder: 1 })
})
