import { expect, it } from 'vitest'
import { INPUT_MAX_CHARS, splitInput } from './terminal-input.ts'

it('splits a large paste into messages under the limit that join back to the same text', () => {
  const paste = 'kubectl get pods -A\n'.repeat(60_000)
  const pieces = splitInput(paste)
  expect(pieces.length).toBe(Math.ceil(paste.length / INPUT_MAX_CHARS))
  expect(pieces.every((p) => p.length <= INPUT_MAX_CHARS)).toBe(true)
  expect(pieces.join('')).toBe(paste)
})

it('keeps a surrogate pair in one piece', () => {
  const pieces = splitInput('ab😀cd', 3)
  expect(pieces).toEqual(['ab', '😀c', 'd'])
  expect(splitInput('')).toEqual([])
})
