/**
 * The keys a terminal keeps from the shell: Ctrl+Shift+C copies the selection, Ctrl+Shift+V pastes (as in GNOME
 * Terminal, Windows Terminal and VS Code; Ctrl+C stays the shell's interrupt), and the page's shortcuts
 * (Alt+Shift+letter, see lab-shortcuts.ts) go to the page instead of the shell. The clipboard API needs a secure
 * context: http://127.0.0.1 and http://localhost are one.
 */
import type { Terminal } from '@xterm/xterm'
import { isPageShortcut } from './lab-shortcuts'

export interface TerminalKeyOptions {
  /** Told when the clipboard refused (no permission, no secure context), so the learner hears why nothing happened. */
  onClipboardError(action: 'copy' | 'paste', error: unknown): void
}

const isCtrlShift = (event: KeyboardEvent, code: string) =>
  event.ctrlKey && event.shiftKey && !event.altKey && !event.metaKey && event.code === code

export function attachTerminalKeys(term: Terminal, options: TerminalKeyOptions): void {
  term.attachCustomKeyEventHandler((event) => {
    if (isPageShortcut(event)) return false
    const copy = isCtrlShift(event, 'KeyC')
    const paste = isCtrlShift(event, 'KeyV')
    if (!copy && !paste) return true
    // Also keeps the browser's own paste event from pasting a second time.
    event.preventDefault()
    if (event.type !== 'keydown') return false
    if (copy && term.hasSelection())
      navigator.clipboard
        .writeText(term.getSelection())
        .catch((error: unknown) => options.onClipboardError('copy', error))
    // term.paste brackets the text when the shell asked for bracketed paste, like a paste from the context menu.
    if (paste)
      navigator.clipboard.readText().then(
        (text) => term.paste(text),
        (error: unknown) => options.onClipboardError('paste', error),
      )
    return false
  })
}
