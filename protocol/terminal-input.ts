/**
 * Keystrokes and pastes on their way to a terminal. One `input` message holds at most {@link INPUT_MAX_CHARS}
 * characters, so even a message of control characters (each escaped to six in JSON) stays far below the socket's
 * 1 MiB message limit; a larger paste goes as several messages, in order, and reaches the shell whole.
 */
export const INPUT_MAX_CHARS = 65536

/** `data` in pieces of at most `max` characters, never splitting a surrogate pair (an emoji stays one character). */
export function splitInput(data: string, max = INPUT_MAX_CHARS): string[] {
  const pieces: string[] = []
  for (let start = 0; start < data.length; ) {
    let end = Math.min(start + max, data.length)
    const last = data.charCodeAt(end - 1)
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end--
    pieces.push(data.slice(start, end))
    start = end
  }
  return pieces
}
