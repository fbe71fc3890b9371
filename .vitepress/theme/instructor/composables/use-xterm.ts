/**
 * An xterm.js terminal mounted into an element, loaded with a dynamic import (a static import breaks the SSR build
 * and puts xterm on every page). Read-only unless `onInput` is given: then keystrokes go to `onInput`.
 * Keyboard: Tab belongs to the shell, so Alt+Shift+T leaves the terminal for what follows it on the page;
 * Ctrl+Shift+C/V copy and paste; the screen-reader mode is the one the learner pages keep.
 */
import type { Terminal } from '@xterm/xterm'
import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import { focusAfter } from '../../composables/focus-after.ts'
import { shortcutOf } from '../../composables/lab-shortcuts.ts'
import { attachTerminalKeys } from '../../composables/terminal-keys.ts'
import { loadScreenReaderMode } from '../../composables/terminal-screen-reader.ts'

export interface XtermOptions {
  /** [fontSize=14] */
  fontSize?: number
  /** The terminal input's accessible name (what a screen reader says on entering it). */
  label: string
  onInput?: (data: string) => void
  /** Called once the terminal exists, with its writer; may return a cleanup. */
  onReady: (write: (data: string) => void, terminal: Terminal) => (() => void) | undefined
}

export function useXterm(element: Ref<HTMLElement | undefined>, options: XtermOptions): void {
  let terminal: Terminal | undefined
  let cleanup: (() => void) | undefined
  let observer: ResizeObserver | undefined
  let disposed = false
  const leave = (event: KeyboardEvent) => {
    if (shortcutOf(event) !== 'terminal' || !element.value) return
    event.preventDefault()
    event.stopPropagation()
    focusAfter(element.value)
  }
  onMounted(async () => {
    const [{ Terminal }, { FitAddon }] = await Promise.all([
      import('@xterm/xterm'),
      import('@xterm/addon-fit'),
      import('@xterm/xterm/css/xterm.css'),
    ])
    if (disposed || !element.value) return
    terminal = new Terminal({
      fontSize: options.fontSize ?? 14,
      disableStdin: !options.onInput,
      cursorBlink: Boolean(options.onInput),
      convertEol: false,
      scrollback: 5000,
      screenReaderMode: loadScreenReaderMode(),
    })
    const fit = new FitAddon()
    terminal.loadAddon(fit)
    terminal.open(element.value)
    terminal.textarea?.setAttribute('aria-label', options.label)
    attachTerminalKeys(terminal, { onClipboardError: () => {} })
    element.value.addEventListener('keydown', leave, true)
    fit.fit()
    observer = new ResizeObserver(() => fit.fit())
    observer.observe(element.value)
    if (options.onInput) terminal.onData(options.onInput)
    const t = terminal
    cleanup = options.onReady((data) => t.write(data), t)
  })
  onBeforeUnmount(() => {
    disposed = true
    element.value?.removeEventListener('keydown', leave, true)
    cleanup?.()
    observer?.disconnect()
    terminal?.dispose()
  })
}
