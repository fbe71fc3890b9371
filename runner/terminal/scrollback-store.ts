/**
 * Terminals' scrollback kept on disk, so that restarting the runner (or a crash) does not take a learner's output
 * with it: the next shell of the same terminal starts below the earlier output. Saved at most every `saveMs` while
 * output flows and once more when the terminal closes, atomically, the last `keepBytes` of it.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locale } from '../../protocol/course.ts'
import { writeFileAtomic } from '../progress/atomic-write.ts'
import type { PtySession } from './pty-session.ts'

export interface ScrollbackOptions {
  /** @default 256 KiB */
  keepBytes?: number
  /** @default 2000 */
  saveMs?: number
}

export class ScrollbackStore {
  private readonly keepBytes: number
  private readonly saveMs: number

  constructor(
    private readonly dir: string,
    options: ScrollbackOptions = {},
  ) {
    this.keepBytes = options.keepBytes ?? 256 * 1024
    this.saveMs = options.saveMs ?? 2000
  }

  /**
   * What a new shell of terminal `id` shows first: its saved output and a line saying a new shell starts below, in
   * the learner's language; null when nothing was saved. (Ids are course ids: letters, digits and dashes.)
   */
  history(id: string, locale: Locale): Buffer | null {
    const file = this.file(id)
    if (!existsSync(file)) return null
    const text =
      locale === 'zh'
        ? '以上是这个终端之前的输出，下面是新的 shell'
        : "above: this terminal's earlier output; below: a new shell"
    // Plain attributes, visible cursor and the normal screen first (47, not 1049, which would also move the cursor
    // to where a full-screen program saved it): the earlier output may have ended inside one, or inside a colour.
    return Buffer.concat([
      readFileSync(file),
      Buffer.from(`\x1b[0m\x1b[?25h\x1b[?47l\r\n\x1b[2m── ${text} ──\x1b[0m\r\n`),
    ])
  }

  /** Saves `session`'s output as it comes (throttled); the function returned saves one last time and stops. */
  follow(session: PtySession): () => void {
    let timer: NodeJS.Timeout | null = null
    const save = () => {
      timer = null
      try {
        mkdirSync(this.dir, { recursive: true, mode: 0o700 })
        const { seq, data } = session.replay(Math.max(0, session.seq - this.keepBytes))
        writeFileAtomic(this.file(session.id), seq > 0 ? fromLineStart(data) : data)
      } catch (error) {
        // A full disk, or a process out of file descriptors, loses this save and not the runner: thrown out of the
        // timer it would end the process and every terminal in it (a hub's hosted labs too). The next output retries.
        console.error(`lab runner: saving the output of terminal ${session.id} failed: ${(error as Error).message}`)
      }
    }
    const stop = session.onOutput(() => {
      timer ??= setTimeout(save, this.saveMs)
    })
    return () => {
      stop()
      if (timer) clearTimeout(timer)
      save()
    }
  }

  private file(id: string): string {
    return join(this.dir, `${id}.out`)
  }
}

/**
 * Output cut from its beginning starts at its first full line: a cut in the middle of a line could split an escape
 * sequence or a UTF-8 character, which the next terminal would print as garbage.
 */
function fromLineStart(data: Buffer): Buffer {
  const newline = data.indexOf(0x0a)
  return newline < 0 ? data : data.subarray(newline + 1)
}
