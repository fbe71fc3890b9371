/**
 * The terminals' screen-reader mode (xterm's `screenReaderMode`: the screen's rows kept as text in the accessibility
 * tree, new output spoken through a live region). Off by default: it costs a DOM copy of the screen on every write.
 * The choice is kept in this origin's localStorage, so it holds across pages, reloads and restarts.
 */
import { ref } from 'vue'

const KEY = 'lab-terminal-screen-reader'
export const screenReaderMode = ref(false)
let loaded = false

/** Reads the stored choice (once; in the browser only). */
export function loadScreenReaderMode(): boolean {
  if (!loaded && typeof localStorage !== 'undefined') {
    loaded = true
    screenReaderMode.value = localStorage.getItem(KEY) === 'on'
  }
  return screenReaderMode.value
}

export function setScreenReaderMode(on: boolean): void {
  screenReaderMode.value = on
  localStorage.setItem(KEY, on ? 'on' : 'off')
}
