/**
 * The chapter schema as JSON Schema, for editors: a steps file starting with
 * `# yaml-language-server: $schema=../protocol/chapter.schema.json` gets completion and inline errors. Generated
 * from protocol/course.ts (`npm run validate -- --write-schema`); a test keeps the committed file current.
 */
import { join } from 'node:path'
import { z } from 'zod'
import { chapterSchema } from '../../protocol/course.ts'

export const CHAPTER_JSON_SCHEMA_FILE = join('protocol', 'chapter.schema.json')

export function chapterJsonSchemaText(): string {
  // Refinements (one matcher kind, regexes that compile) are not expressible here; validate checks them.
  const schema = z.toJSONSchema(chapterSchema, { io: 'input', unrepresentable: 'any' })
  return `${JSON.stringify({ ...schema, title: 'Course chapter (steps/*.yaml)' }, null, 2)}\n`
}
