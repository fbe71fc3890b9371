/**
 * An xterm.js terminal mounted into an element, loaded with a dynamic import (a static import breaks the SSR build
 * and puts xterm on every page). Read-only unless `onInput` is given: then keystrokes go to `onInput`.
 */
import type { Terminal } from '@xterm/xterm'
import { onBeforeUnmount, onMounted, type Ref } from 'vue'

export interface XtermOptions {
  /** [fontSize=14] */
  fontSize?: number
  onInput?: (data: string) => void
  /** Called once the terminal exists, with its writer; may return a cleanup. */
  onReady: (write: (data: string) => void, terminal: Terminal) => (() => void) | void
}

export function useXterm(element: Ref<HTMLElement | undefined>, options: XtermOptions): void {
  let terminal: Terminal | undefined
  let cleanup: (() => void) | void
  let observer: ResizeObserver | undefined
  let disposed = false
  onMounted(async () => {
    const [{ Terminal }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit'), import('@xterm/xterm/css/xterm.css')])
    if (disposed || !element.value) return
    terminal = new Terminal({
      fontSize: options.fontSize ?? 14,
      disableStdin: !options.onInput,
      cursorBlink: Boolean(options.onInput),
      convertEol: false,
      scrollback: 5000,
      screenReaderMode: false,
    })
    const fit = new FitAddon()
    terminal.loadAddon(fit)
    terminal.open(element.value)
    fit.fit()
    observer = new ResizeObserver(() => fit.fit())
    observer.observe(element.value)
    if (options.onInput) terminal.onData(options.onInput)
    const t = terminal
    cleanup = options.onReady((data) => t.write(data), t)
  })
  onBeforeUnmount(() => {
    disposed = true
    cleanup?.()
    observer?.disconnect()
    terminal?.dispose()
  })
}
