/**
 * The course's pages and step files agree: every chapter has an English and a Chinese page that name the chapter in
 * their front matter, reference every step of the chapter exactly once and in the file's order, show the Check panel
 * when the chapter has checks, and point only at images that exist; a Chinese page shows the Chinese version of a
 * diagram wherever there is one (docs/public/diagrams/zh/), and that version is the same drawing as the English one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { type Chapter, chapterSchema } from '../../protocol/course.ts'

const root = join(import.meta.dirname, '..', '..')
const stepFiles = readdirSync(join(root, 'steps'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
const chapters: Chapter[] = stepFiles.map((f) =>
  chapterSchema.parse(parse(readFileSync(join(root, 'steps', f), 'utf8'))),
)

const diagramsDir = join(root, 'docs', 'public', 'diagrams')
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

  it('gate the five sections in order: each gated chapter requires the one before it', () => {
    const gated = chapters.filter((c) => c.section)
    expect(gated.map((c) => c.section)).toEqual(['lab-setup', 'cilium-bgp', 'metallb', 'lb-ipam', 'bgp-v2'])
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

  it('link only to images that exist, in their own language where there is one', () => {
    const dir = join(root, 'docs', locale === 'en' ? '' : 'zh')
    const images = readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .flatMap((page) =>
        [...readFileSync(join(dir, page), 'utf8').matchAll(/!\[[^\]]*\]\((\/[^)\s]+)/g)].map((m) => ({
          page,
          path: m[1],
        })),
      )
    expect(images.filter((i) => i.path.startsWith('/diagrams/')).length).toBeGreaterThan(0)
    for (const { page, path } of images) {
      expect(existsSync(join(root, 'docs', 'public', path)), `${page}: ${path}`).toBe(true)
      const english = path.match(/^\/diagrams\/([^/]+)$/)?.[1]
      if (locale === 'zh' && english)
        expect(
          existsSync(join(diagramsDir, 'zh', english)),
          `${page}: ${path} has a Chinese version, /diagrams/zh/${english}`,
        ).toBe(false)
      if (locale === 'en') expect(path.startsWith('/diagrams/zh/'), `${page}: ${path}`).toBe(false)
    }
  })
})

describe('Chinese diagrams', () => {
  const zh = readdirSync(join(diagramsDir, 'zh')).filter((f) => f.endsWith('.svg'))
  const shape = (svg: string) => ({
    viewBox: svg.match(/viewBox="([^"]+)"/)?.[1],
    style: svg.match(/<style>[\s\S]*?<\/style>/)?.[0],
    elements: [...svg.matchAll(/<(rect|line|path|marker) [^>]*>/g)].map((m) => m[0]),
  })

  it.each(zh)('%s is the English drawing with Chinese title and description', (name) => {
    const svg = readFileSync(join(diagramsDir, 'zh', name), 'utf8')
    expect(shape(svg)).toEqual(shape(readFileSync(join(diagramsDir, name), 'utf8')))
    expect(svg).toMatch(/<title id="title">[^<]*\p{Script=Han}[^<]*<\/title>/u)
    expect(svg).toMatch(/<desc id="desc">[^<]*\p{Script=Han}[^<]*<\/desc>/u)
  })
})
