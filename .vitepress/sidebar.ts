/**
 * The sidebar per locale, from the pages themselves: chapter pages (front matter `chapter:`) in course order, titled
 * from the steps files, then the other pages by title (front matter or first heading); `sidebar: false` pages are
 * left out. Nothing to keep in sync by hand.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DefaultTheme } from 'vitepress'
import { parse as parseYaml } from 'yaml'
import type { Course, Locale } from '../protocol/course.ts'

interface PageEntry {
  link: string
  text: string
  order: number
  chapter?: string
}

/** The pages of one locale, chapter pages first in course order. */
export function pagesOf(docsDir: string, locale: Locale, course: Course): PageEntry[] {
  const dir = locale === 'en' ? docsDir : join(docsDir, locale)
  const prefix = locale === 'en' ? '/' : `/${locale}/`
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md') && name !== 'index.md')
    .flatMap((name) => {
      const text = readFileSync(join(dir, name), 'utf8')
      const front = /^---\n([\s\S]*?)\n---\n/.exec(text)
      const data = (front ? parseYaml(front[1]) : null) as {
        chapter?: string
        title?: string
        sidebar?: boolean
        layout?: string
      } | null
      if (data?.sidebar === false || data?.layout === 'home') return []
      const chapter = course.chapters.find((c) => c.id === data?.chapter)
      const body = front ? text.slice(front[0].length) : text
      const heading = data?.title ?? /^#\s+(.+)$/m.exec(body)?.[1]?.trim() ?? name.replace(/\.md$/, '')
      return [
        {
          link: prefix + name.replace(/\.md$/, ''),
          text: chapter ? chapter.title[locale] : heading,
          order: chapter ? chapter.order : Number.MAX_SAFE_INTEGER,
          chapter: chapter?.id,
        },
      ]
    })
    .sort((a, b) => a.order - b.order || a.link.localeCompare(b.link))
}

/** Chapter id -> its page link, per locale: the gate links a locked chapter to what is missing. */
export function chapterLinks(docsDir: string, course: Course): Record<Locale, Record<string, string>> {
  const links = (locale: Locale) =>
    Object.fromEntries(pagesOf(docsDir, locale, course).flatMap((p) => (p.chapter ? [[p.chapter, p.link]] : [])))
  return { en: links('en'), zh: links('zh') }
}

export function sidebarFor(docsDir: string, locale: Locale, course: Course): DefaultTheme.SidebarItem[] {
  const pages = pagesOf(docsDir, locale, course)
  const chapters = pages.filter((p) => p.chapter)
  const others = pages.filter((p) => !p.chapter)
  const items: DefaultTheme.SidebarItem[] = [
    { text: locale === 'zh' ? '课程' : 'Course', items: chapters.map(({ text, link }) => ({ text, link })) },
  ]
  if (others.length > 0)
    items.push({
      text: locale === 'zh' ? '参考' : 'Reference',
      items: others.map(({ text, link }) => ({ text, link })),
    })
  return items
}
