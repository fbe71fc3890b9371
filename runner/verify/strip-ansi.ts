/**
 * Terminal output as text a matcher can read: escape sequences (CSI, OSC, charset, bracketed paste) removed,
 * carriage-return overwrites resolved per line, CRLF normalized.
 */

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte escapes, and stray C1/C0 controls except \t \n \r.
const ANSI =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[()*+][0-9A-Za-z]|\x1b[@-Z\\-_]|\x1b|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g

export function stripAnsi(text: string): string {
  return text
    .replace(ANSI, '')
    .split('\n')
    .map((line) => {
      const clean = line.endsWith('\r') ? line.slice(0, -1) : line
      // A bare \r inside a line returns the cursor: what follows overwrites what came before (progress bars).
      if (!clean.includes('\r')) return clean
      return clean.split('\r').reduce((shown, part) => part + shown.slice(part.length), '')
    })
    .join('\n')
}
