/**
 * One polite live region for the page (rendered by LabLayout): step verdicts, check verdicts and what a shortcut did
 * are spoken by screen readers without moving focus. The region exists before anything is announced, which is what
 * makes screen readers read a change.
 */
import { nextTick, type Ref, ref } from 'vue'

/**
 * The text of a polite live region and how to say something in it. A component whose changes must not cut into the
 * page's verdicts (the topology diagram) renders a region of its own with it.
 */
export function liveText(): { text: Ref<string>; say: (words: string) => void } {
  const text = ref('')
  return {
    text,
    say(words) {
      // Emptied first, so the same words said twice (a step run twice) are read twice.
      text.value = ''
      void nextTick().then(() => {
        text.value = words
      })
    },
  }
}

const page = liveText()
export const announcement = page.text
export const announce = page.say
