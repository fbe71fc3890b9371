/**
 * The page's keyboard shortcuts. Alt+Shift+letter, matched on the physical key (`event.code`) so they work on every
 * keyboard layout and on macOS, where Option+Shift+letter types a character: no browser, screen reader or shell uses
 * these, and the terminal passes them to the page (terminal-keys.ts).
 */
export const SHORTCUTS = {
  /** Run the first step on the page that has not passed. */
  runNext: { code: 'KeyR', keys: 'Alt+Shift+R' },
  /** Move from the page to the terminal, and back to where you were. */
  terminal: { code: 'KeyT', keys: 'Alt+Shift+T' },
} as const

export type Shortcut = keyof typeof SHORTCUTS

export function shortcutOf(event: KeyboardEvent): Shortcut | undefined {
  if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return undefined
  return (Object.keys(SHORTCUTS) as Shortcut[]).find((name) => SHORTCUTS[name].code === event.code)
}

export const isPageShortcut = (event: KeyboardEvent): boolean => shortcutOf(event) !== undefined
