/**
 * A learner's progress on disk (steps done, checks passed, chapters completed, current chapter), written
 * atomically (temp file, fsync, rename) so a crash or a killed runner never leaves half a file.
 *
 * The file is signed (HMAC-SHA256 with a key made on first use and kept beside it, owner-only): a progress file
 * edited by hand, or copied from another learner, opens no chapter. A copy of the last file read or written is kept
 * as `progress.last-good.json`, so a file damaged outside the runner never costs the learner their progress. What
 * the signature does not stop (a root shell on the same machine can read the key) is in SECURITY.md.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { CodedError } from '../../protocol/coded-error.ts'
import { removeStaleTemps, writeFileAtomic } from './atomic-write.ts'

const chapterStateSchema = z.object({
  stepsDone: z.array(z.string()).default([]),
  /** Checks whose latest run passed. */
  checksPassed: z.array(z.string()).default([]),
  /** Every check passed in one run once: sticky, so a later lab change does not re-lock the chapters after it. */
  completed: z.boolean().default(false),
})

const progressSchema = z.object({
  version: z.literal(1),
  currentChapter: z.string().nullable().default(null),
  chapters: z.record(z.string(), chapterStateSchema).default({}),
})

export type ChapterState = z.infer<typeof chapterStateSchema>
export type Progress = z.infer<typeof progressSchema>

export class ProgressStoreError extends CodedError<'LAB_PROGRESS_CORRUPT' | 'LAB_PROGRESS_UNSIGNED'> {}

export class ProgressStore {
  readonly file: string
  /** The copy of the last progress read or written whole. */
  readonly lastGood: string
  private readonly key: Buffer
  private state: Progress

  /** @param dir directory of this learner's progress (created if missing, owner-only). */
  constructor(dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    removeStaleTemps(dir)
    this.file = join(dir, 'progress.json')
    this.lastGood = join(dir, 'progress.last-good.json')
    const keyFile = join(dir, 'progress.key')
    // A progress file from before signing is adopted once, when no key exists yet; from then on a signature is needed.
    const adopt = !existsSync(keyFile)
    if (adopt) writeFileAtomic(keyFile, randomBytes(32).toString('hex'))
    this.key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex')
    if (existsSync(this.file)) {
      this.state = this.read(adopt)
      this.write(this.state)
    } else {
      this.state = progressSchema.parse({ version: 1 })
    }
  }

  get progress(): Readonly<Progress> {
    return this.state
  }

  chapter(id: string): ChapterState {
    return this.state.chapters[id] ?? { stepsDone: [], checksPassed: [], completed: false }
  }

  /** Applies a change and persists it before returning. */
  update(change: (progress: Progress) => void): void {
    const next = structuredClone(this.state)
    change(next)
    this.write(next)
    this.state = next
  }

  /** Mutates the chapter's entry (created on first use). */
  updateChapter(id: string, change: (chapter: ChapterState) => void): void {
    this.update((p) => {
      const chapter = (p.chapters[id] ??= { stepsDone: [], checksPassed: [], completed: false })
      change(chapter)
    })
  }

  private read(adopt: boolean): Progress {
    const fail = (code: ProgressStoreError['code'], why: string): never => {
      const restore = existsSync(this.lastGood)
        ? `restore the last good copy with: mv '${this.lastGood}' '${this.file}'; or `
        : ''
      throw new ProgressStoreError(
        code,
        `cannot use the progress file ${this.file}: ${why}. It is left as it is; ${restore}move it away to start over`,
      )
    }
    let raw: unknown
    try {
      // An editor may have saved it with a byte-order mark, which JSON.parse refuses.
      raw = JSON.parse(readFileSync(this.file, 'utf8').replace(/^\uFEFF/, ''))
    } catch (error) {
      return fail('LAB_PROGRESS_CORRUPT', `it is not JSON (${(error as Error).message})`)
    }
    const { mac, ...body } = (raw && typeof raw === 'object' ? raw : {}) as { mac?: unknown }
    if (typeof mac === 'string' ? !this.signedBy(body, mac) : !adopt) {
      return fail(
        'LAB_PROGRESS_UNSIGNED',
        'it was not written by this runner (edited by hand, or copied from elsewhere)',
      )
    }
    const parsed = progressSchema.safeParse(body)
    if (!parsed.success)
      return fail(
        'LAB_PROGRESS_CORRUPT',
        `${parsed.error.issues[0]?.path.join('.') || 'the file'}: ${parsed.error.issues[0]?.message}`,
      )
    return parsed.data
  }

  private sign(body: object): string {
    return createHmac('sha256', this.key).update(JSON.stringify(body)).digest('hex')
  }

  private signedBy(body: object, mac: string): boolean {
    const expected = Buffer.from(this.sign(body), 'hex')
    const given = Buffer.from(mac, 'hex')
    return given.length === expected.length && timingSafeEqual(given, expected)
  }

  private write(progress: Progress): void {
    const text = `${JSON.stringify({ ...progress, mac: this.sign(progress) }, null, 2)}\n`
    writeFileAtomic(this.file, text)
    writeFileAtomic(this.lastGood, text)
  }
}
