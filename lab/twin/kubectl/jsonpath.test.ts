import { describe, expect, it } from 'vitest'
import { evaluate, JsonPathError, renderTemplate } from './jsonpath.ts'

const list = {
  items: [
    {
      metadata: { name: 'cni-8cnm5' },
      status: { podIP: '10.98.0.18', conditions: [{ type: 'Ready', status: 'True' }] },
    },
    {
      metadata: { name: 'cni-lzwwq' },
      status: { podIP: '10.98.2.249', conditions: [{ type: 'Ready', status: 'False' }] },
    },
  ],
}

describe('kubectl JSONPath', () => {
  it('walks fields, indexes, wildcards and filters', () => {
    expect(evaluate(list, '.items[*].metadata.name')).toEqual(['cni-8cnm5', 'cni-lzwwq'])
    expect(evaluate(list, '.items[-1].status.podIP')).toEqual(['10.98.2.249'])
    expect(evaluate(list, '.items[*].status.conditions[?(@.status=="True")].type')).toEqual(['Ready'])
    expect(evaluate(list, ".items[0]['metadata'].name")).toEqual(['cni-8cnm5'])
  })

  it('renders templates with text, ranges and string literals', () => {
    expect(renderTemplate('{.items[*].status.podIP}', list)).toBe('10.98.0.18 10.98.2.249')
    expect(renderTemplate('{range .items[*]}{.metadata.name} {.status.podIP}{"\\n"}{end}', list)).toBe(
      'cni-8cnm5 10.98.0.18\ncni-lzwwq 10.98.2.249\n',
    )
    expect(renderTemplate('ip={.items[0].status.podIP}', list)).toBe('ip=10.98.0.18')
  })

  it('refuses broken templates', () => {
    expect(() => renderTemplate('{range .items[*]}{.x}', list)).toThrow(JsonPathError)
    expect(() => renderTemplate('{.items[0}', list)).toThrow(JsonPathError)
  })
})
