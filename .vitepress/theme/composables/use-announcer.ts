/**
 * One polite live region for the page (rendered by LabLayout): step verdicts, check verdicts and what a shortcut did
 * are spoken by screen readers without moving focus. The region exists before anything is announced, which is what
 * makes screen readers read a change.
 */
import { nextTick, ref } from 'vue'

export const announcement = ref('')

export function announce(text: string): void {
  // Emptied first, so the same words said twice (a step run twice) are read twice.
  announcement.value = ''
  void nextTick(() => (announcement.value = text))
}
