/**
 * xterm.js terminals, one per terminal id, living as long as the page: a component mounts the terminal's element
 * where it is shown, so navigating between chapter pages keeps the scrollback. xterm is imported only in the browser
 * (a static import breaks the SSR build). Output is written with xterm's callback, which acknowledges the bytes to the
 * runner: that is the flow control that keeps a 200 MB burst from overflowing xterm's write buffer.
 * Keys: Ctrl+Shift+C/V copy and paste, the page's shortcuts pass through (terminal-keys.ts); the screen-reader mode
 * follows the learner's choice (terminal-screen-reader.ts).
 */

import type { FitAddon } from '@xterm/addon-fit'
import type { Terminal } from '@xterm/xterm'
import { watch } from 'vue'
import { AckBatcher } from '../../../protocol/ack-batcher'
import { splitInput } from '../../../protocol/terminal-input'
import { attachTerminalKeys } from './terminal-keys'
import { loadScreenReaderMode, screenReaderMode } from './terminal-screen-reader'
import { attachTerminal, lab, onRefusal, send } from './use-lab'

export interface LabXterm {
  term: Terminal
  fit: FitAddon
  element: HTMLElement
  /** Seq of the next byte expected. */
  seq: number
  exitCode: number | null
}

/** What the learner is told (through the page's live region) when the terminal could not do what they asked. */
export interface TerminalNotices {
  inputNotSent(): void
  /** The runner dropped what was typed: the terminal's program has not read its input (LAB_INPUT_FULL). */
  inputDropped(): string
  clipboardRefused(action: 'copy' | 'paste'): void
}

const terminals = new Map<string, Promise<LabXterm>>()
let followingScreenReaderMode = false

export function openTerminal(id: string, notices: TerminalNotices): Promise<LabXterm> {
  let existing = terminals.get(id)
  if (!existing) {
    existing = create(id, notices)
    terminals.set(id, existing)
  }
  if (!followingScreenReaderMode) {
    followingScreenReaderMode = true
    watch(screenReaderMode, async (on) => {
      for (const entry of terminals.values()) (await entry).term.options.screenReaderMode = on
    })
  }
  return existing
}

async function create(id: string, notices: TerminalNotices): Promise<LabXterm> {
  const [{ Terminal }, { FitAddon }] = await Promise.all([
    import('@xterm/xterm'),
    import('@xterm/addon-fit'),
    import('@xterm/xterm/css/xterm.css'),
  ])
  const element = document.createElement('div')
  element.className = 'lab-xterm'
  const term = new Terminal({
    cursorBlink: true,
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
    fontSize: 13,
    scrollback: 10000,
    screenReaderMode: loadScreenReaderMode(),
    theme: { background: '#0d1117', foreground: '#e6edf3', cursor: '#58a6ff', selectionBackground: '#264f78' },
  })
  const fit = new FitAddon()
  term.loadAddon(fit)
  term.open(element)
  attachTerminalKeys(term, { onClipboardError: (action) => notices.clipboardRefused(action) })
  const entry: LabXterm = { term, fit, element, seq: 0, exitCode: null }
  term.onData((data) => {
    // Typed or pasted while the socket is down: said out loud, never dropped without a word.
    if (!lab.connected) return notices.inputNotSent()
    if (entry.exitCode === null) {
      for (const piece of splitInput(data)) send({ type: 'input', terminal: id, data: piece })
      return
    }
    // The shell ended (exit, Ctrl-D): a key starts a new one; the runner's replay then resets this screen.
    entry.exitCode = null
    send({ type: 'attach', terminal: id, fromSeq: entry.seq, cols: term.cols, rows: term.rows })
  })
  term.onResize(({ cols, rows }) => send({ type: 'resize', terminal: id, cols, rows }))
  // Said out loud and shown in the terminal itself (on this screen only), so nobody types on into a dropped void.
  onRefusal((code, terminal) => {
    if (code === 'LAB_INPUT_FULL' && terminal === id) term.write(`\r\n\x1b[33m[${notices.inputDropped()}]\x1b[0m\r\n`)
  })
  const acks = new AckBatcher((bytes) => send({ type: 'ack', terminal: id, bytes }))
  attachTerminal(id, {
    seq: () => entry.seq,
    size: () => ({ cols: Math.max(term.cols, 2), rows: Math.max(term.rows, 1) }),
    write(seq, data) {
      // Frames overlapping what we have (a replay racing live output) are trimmed: each byte is written once.
      const skip = entry.seq - seq
      if (skip >= data.length) return acks.written(data.length)
      const fresh = skip > 0 ? data.subarray(skip) : data
      entry.seq = seq + data.length
      const bytes = data.length
      const end = entry.seq
      term.write(fresh, () => {
        acks.written(bytes)
        // What xterm has written so far, readable by tests and the burst benchmark.
        element.dataset.written = String(end)
      })
    },
    reset(seq) {
      term.reset()
      entry.seq = seq
    },
    exited(code) {
      entry.exitCode = code
      term.write(`\r\n\x1b[2m[the shell exited with code ${code}; press any key for a new one]\x1b[0m\r\n`)
    },
  })
  return entry
}
