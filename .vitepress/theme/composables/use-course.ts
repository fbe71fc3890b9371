/** The course (from the steps files, via `virtual:lab-course`) seen from the current page and locale. */

import course from 'virtual:lab-course'
import { useData } from 'vitepress'
import { computed } from 'vue'
import type { Chapter, Locale, Localized } from '../../../protocol/course'
import { uiText } from './ui-text'

export function useCourse() {
  const { lang, frontmatter } = useData()
  const locale = computed<Locale>(() => (lang.value.startsWith('zh') ? 'zh' : 'en'))
  const chapter = computed<Chapter | undefined>(() => course.chapters.find((c) => c.id === frontmatter.value.chapter))
  return {
    course,
    locale,
    chapter,
    ui: computed(() => uiText[locale.value]),
    t: (text: Localized | undefined) => (text ? text[locale.value] : ''),
    chapterById: (id: string) => course.chapters.find((c) => c.id === id),
    linkOf: (id: string) => course.links[locale.value][id] ?? course.links.en[id],
  }
}
