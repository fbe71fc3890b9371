/**
 * Marks chapters in the default theme's sidebar as completed or locked, from the runner's progress. The sidebar has
 * no per-item slot, so the marks are data attributes on its links, styled in lab.css. Call from a component's setup.
 */

import { useRoute, withBase } from 'vitepress'
import { nextTick, onMounted, watch } from 'vue'
import { useCourse } from './use-course'
import { lab } from './use-lab'

export function useSidebarMarks(): void {
  const route = useRoute()
  const { course, locale } = useCourse()
  const mark = async () => {
    await nextTick()
    const progress = lab.progress
    const links = course.links[locale.value]
    for (const [chapterId, link] of Object.entries(links)) {
      const state = progress?.chapters[chapterId]
      const value = !state ? '' : state.completed ? 'done' : state.locked ? 'locked' : 'open'
      document.querySelectorAll<HTMLAnchorElement>(`.VPSidebar a[href="${withBase(link)}"]`).forEach((a) => {
        if (value) a.dataset.labChapter = value
        else delete a.dataset.labChapter
      })
    }
  }
  onMounted(() => watch([() => lab.progress, () => route.path, locale], mark, { immediate: true, deep: true }))
}
