import { afterEach, beforeEach, expect, it } from 'vitest'
import { checkSchema } from '../../protocol/course.ts'
import { FixtureLab } from '../../support/fixture-lab.ts'
import { runCheck } from './run-check.ts'

let lab: FixtureLab
beforeEach(async () => {
  lab = new FixtureLab({
    files: {
      'nodes.json': '{"items":[{"name":"a","cidr":"10.98.0.0/24"},{"name":"b","cidr":"10.98.1.0/24"}]}',
      'routes/a': '10.98.0.0/24 via 10.1.5.1\n',
    },
  })
  await lab.up()
})
afterEach(() => lab.down())

const fail = { en: 'a node has no route', zh: '有节点没有路由' }

it('captures a list, runs the probe per item and reports the failing item in the locale', async () => {
  const check = checkSchema.parse({
    id: 'routes',
    title: fail,
    let: { nodes: { probe: { run: 'cat nodes.json' }, jsonPath: '$.items[*].name', all: true } },
    each: 'nodes',
    probe: { run: 'cat routes/{{item}} 2>&1 || true' },
    expect: [{ contains: '10.98' }],
    fail,
  })
  const failed = await runCheck(check, lab, 'zh')
  expect(failed).toMatchObject({
    ok: false,
    reason: '有节点没有路由',
    expected: '[b] output contains "10.98"',
    attempts: 1,
  })
  expect(failed.actual).toContain('[b] cat: routes/b: No such file or directory')
  lab.setState('routes/b', '10.98.1.0/24 via 10.1.5.1\n')
  expect(await runCheck(check, lab, 'en')).toMatchObject({ ok: true, reason: '' })
})

it('polls until the lab catches up', async () => {
  const check = checkSchema.parse({
    id: 'later',
    title: fail,
    probe: { run: 'cat flag 2>/dev/null; true' },
    expect: [{ contains: 'up' }],
    retries: 10,
    intervalMs: 100,
    fail,
  })
  setTimeout(() => lab.setState('flag', 'up'), 250)
  const result = await runCheck(check, lab, 'en')
  expect(result.ok).toBe(true)
  expect(result.attempts).toBeGreaterThan(1)
})

it('kills a hanging probe at its timeout and reports it', async () => {
  const check = checkSchema.parse({
    id: 'hang',
    title: fail,
    probe: { run: 'sleep 30; echo never' },
    expect: [{ contains: 'never' }],
    timeoutMs: 300,
    fail,
  })
  const started = Date.now()
  const result = await runCheck(check, lab, 'en')
  expect(Date.now() - started).toBeLessThan(5000)
  expect(result).toMatchObject({
    ok: false,
    timedOut: true,
    expected: 'the probe to finish',
    actual: 'timed out after 300 ms and was killed',
  })
})

it('fills the failure reason with the captured values and the failing item', async () => {
  const check = checkSchema.parse({
    id: 'route-per-node',
    title: fail,
    let: {
      nodes: { probe: { run: 'cat nodes.json' }, jsonPath: '$.items[*].name', all: true },
      first: { probe: { run: 'cat nodes.json' }, jsonPath: '$.items[0].cidr' },
    },
    each: 'nodes',
    probe: { run: 'cat routes/{{item}} 2>&1 || true' },
    expect: [{ contains: '10.98' }],
    fail: { en: 'node {{item}} has no route (first CIDR {{first}}, {{unknown}} stays)', zh: '节点 {{item}} 没有路由' },
  })
  expect((await runCheck(check, lab, 'en')).reason).toBe(
    'node b has no route (first CIDR 10.98.0.0/24, {{unknown}} stays)',
  )
  expect((await runCheck(check, lab, 'zh')).reason).toBe('节点 b 没有路由')
})
