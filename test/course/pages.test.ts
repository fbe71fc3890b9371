/**
 * The course's pages and step files agree: every chapter has an English and a Chinese page that name the chapter in
 * their front matter, reference every step of the chapter exactly once and in the file's order, show the Check panel
 * when the chapter has checks, and point only at diagrams that exist.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { chapterSchema, type Chapter } from '../../protocol/course.ts'

const root = join(import.meta.dirname, '..', '..')
const stepFiles = readdirSync(join(root, 'steps')).filter((f) => f.endsWith('.yaml')).sort()
const chapters: Chapter[] = stepFiles.map((f) => chapterSchema.parse(parse(readFileSync(join(root, 'steps', f), 'utf8'))))

const pagePath = (locale: 'en' | 'zh', id: string) => join(root, 'docs', locale === 'en' ? '' : 'zh', `${id}.md`)

describe('course step files', () => {
  it('are numbered in course order, named after their chapter id', () => {
    expect(stepFiles.map((f) => f.replace(/^\d+-|\.yaml$/g, ''))).toEqual(chapters.map((c) => c.id))
    expect(stepFiles.map((f) => Number(f.slice(0, 2)))).toEqual(chapters.map((c) => c.order))
  })

  it('use step ids that are unique across the course', () => {
    const ids = chapters.flatMap((c) => c.steps.map((s) => s.id))
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
  })

  it('gate the four sections in order: each gated chapter requires the one before it', () => {
    const gated = chapters.filter((c) => c.section)
    expect(gated.map((c) => c.section)).toEqual(['lab-setup', 'cilium-bgp', 'metallb', 'lb-ipam'])
    for (let i = 1; i < gated.length; i++) expect(gated[i].requires).toContain(gated[i - 1].id)
    for (const c of gated) expect(c.checks.length, `${c.id} has checks`).toBeGreaterThan(0)
  })
})

describe.each(['en', 'zh'] as const)('%s pages', (locale) => {
  it.each(chapters.map((c) => [c.id, c] as const))('%s references its steps in order', (_id, chapter) => {
    const page = readFileSync(pagePath(locale, chapter.id), 'utf8')
    expect(page).toMatch(new RegExp(`^---\\n(?:.*\\n)*?chapter: ${chapter.id}\\n(?:.*\\n)*?---\\n`))
    const referenced = [...page.matchAll(/^::: lab-step ([a-z0-9-]+)\s*$/gm)].map((m) => m[1])
    expect(referenced).toEqual(chapter.steps.map((s) => s.id))
    expect(/^::: lab-checks\s*$/m.test(page)).toBe(chapter.checks.length > 0)
  })

  it('link only to diagrams that exist', () => {
    const pages = chapters.map((c) => readFileSync(pagePath(locale, c.id), 'utf8')).join('\n')
    const diagrams = [...pages.matchAll(/\]\((\/diagrams\/[^)]+)\)/g)].map((m) => m[1])
    expect(diagrams.length).toBeGreaterThan(0)
    for (const d of diagrams) expect(existsSync(join(root, 'docs', 'public', d)), d).toBe(true)
  })
})
