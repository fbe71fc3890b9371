import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { CHAPTER_JSON_SCHEMA_FILE, chapterJsonSchemaText } from './chapter-json-schema.ts'

it('the committed editor schema matches protocol/course.ts (regenerate: npm run validate -- --write-schema)', () => {
  expect(readFileSync(CHAPTER_JSON_SCHEMA_FILE, 'utf8')).toBe(chapterJsonSchemaText())
  expect(JSON.parse(chapterJsonSchemaText()).required).toEqual(expect.arrayContaining(['id', 'order', 'title']))
})
