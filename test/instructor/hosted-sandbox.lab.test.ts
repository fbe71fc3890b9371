/**
 * A hosted lab is a sandbox (root): two learners join a hub whose environment holds the instructor secret and the
 * workshop code, each gets a sandboxed twin, and from the first learner's lab (a probe, and the shell of the runner's
 * terminal) nothing of the hub or of the other lab is reachable, while the course's lab still builds and converges
 * inside the sandbox's limits. When the hub stops, nothing of either lab is left on the machine.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { HostedLabManager } from '../../hosting/hosted-lab-manager.ts'
import { sandboxedTwin } from '../../hosting/sandboxed-twin.ts'
import { runnerLabStarter } from '../../hosting/start-runner-lab.ts'
import { hubChapters } from '../../instructor/hub/course-outline.ts'
import { createHub, type Hub } from '../../instructor/hub/create-hub.ts'
import type { LabBackend } from '../../lab/backend.ts'
import { labCgroupsOf } from '../../lab/twin/sandbox/lab-cgroup.ts'
import { type HostedJoinResponse, hubPaths } from '../../protocol/hub.ts'
import { labShell, processesOf, SEED_LAB_BUILD, until, waitForExit } from '../../support/lab-helpers.ts'
import { loadCourse, stepsDir } from '../../toolchain/course/load-course.ts'
import { NodeLabClient } from '../../toolchain/self-test/node-lab-client.ts'

const { course } = loadCourse(stepsDir())
const SECRET = `instructor-${randomBytes(8).toString('hex')}`
const CODE = `code-${randomBytes(8).toString('hex')}`
const MEMORY_LIMIT = 512 * 2 ** 20
const saved = { INSTRUCTOR_SECRET: process.env.INSTRUCTOR_SECRET, WORKSHOP_CODE: process.env.WORKSHOP_CODE }
// Where the hub keeps hosted labs in a workshop (scripts/instructor.ts: <repo>/.lab/hosted), not a private /tmp of the lab.
const repoLab = resolve(import.meta.dirname, '..', '..', '.lab')
mkdirSync(repoLab, { recursive: true })
const stateRoot = mkdtempSync(join(repoLab, 'hosted-sandbox-test-'))
const labs: Array<{ lab: LabBackend; stateDir: string }> = []
let hub: Hub | undefined

afterAll(async () => {
  await hub?.close()
  for (const { lab } of labs) await lab.down()
  rmSync(stateRoot, { recursive: true, force: true })
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

async function joinHub(name: string): Promise<HostedJoinResponse> {
  const response = await fetch(`${hub!.url}${hubPaths.join}`, {
    method: 'POST',
    body: JSON.stringify({ code: CODE, name }),
  })
  expect(response.status).toBe(200)
  return (await response.json()) as HostedJoinResponse
}

describe('a hosted lab is a sandbox', () => {
  it('keeps the hub and the other lab out of reach, and still runs the course within its limits', async () => {
    process.env.INSTRUCTOR_SECRET = SECRET
    process.env.WORKSHOP_CODE = CODE
    hub = await createHub({
      chapters: hubChapters(course),
      flushMs: 50,
      instructorSecret: SECRET,
      workshopCode: CODE,
    })
    const manager = new HostedLabManager({
      hubUrl: hub.url,
      workshopCode: hub.workshopCode,
      chapters: course.chapters,
      onJoined: (id) => hub!.core.markHosted(id),
      onExpired: (id) => void hub!.core.remove(id),
      start: runnerLabStarter({
        course,
        stateRoot,
        host: '127.0.0.1',
        createLab: async (stateDir) => {
          const lab = await sandboxedTwin({ memoryBytes: MEMORY_LIMIT })(stateDir)
          labs.push({ lab, stateDir })
          return lab
        },
      }),
    })
    hub.setHosted(manager)
    const ana = await joinHub('Ana')
    const ben = await joinHub('Ben')
    const [anaLab, benLab] = labs
    const inAna = (command: string) => anaLab.lab.exec(command, { timeoutMs: 120_000 })
    const sh = labShell(() => anaLab.lab)

    // Ben uses his lab: his progress and his terminal's output are on the hub's disk.
    const benUrl = new URL(ben.labUrl)
    const benClient = await NodeLabClient.connect(benUrl.origin, benUrl.searchParams.get('token')!)
    try {
      expect(
        await benClient.request({ type: 'open-chapter', chapterId: course.chapters[0].id, locale: 'en' }),
      ).toMatchObject({ ok: true })
      benClient.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 100, rows: 30 })
      benClient.send({ type: 'input', terminal: 'main', data: 'echo ben-$((6*7))\n' })
      await benClient.waitFor(() => benClient.text().includes('ben-42'), 30_000)
    } finally {
      benClient.close()
    }
    const benFiles = await until("Ben's progress and scrollback on disk", () => {
      const files = readdirSync(join(benLab.stateDir, 'local'), { recursive: true, withFileTypes: true }).filter((f) =>
        f.isFile(),
      )
      return files.some((f) => f.parentPath.endsWith('terminals')) && files.map((f) => join(f.parentPath, f.name))
    })

    // The hub's processes: not listed (every process the lab sees is its own, of uid 0 in it), not signalable.
    const processes = (await sh('ps -e -o uid=,args=')).trim().split('\n')
    expect(processes.filter((line) => !line.trim().startsWith('0 '))).toEqual([])
    expect(processes.join('\n')).not.toMatch(/vitest/)
    expect(await inAna(`kill -0 ${process.pid}`)).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(/No such process/),
    })

    // The secrets: in no environment the lab can read.
    const environments = await sh('env; cat /proc/[0-9]*/environ 2>/dev/null | tr "\\0" "\\n"')
    expect(environments).toMatch(/^HOME=/m)
    expect(environments).not.toContain(SECRET)
    expect(environments).not.toContain(CODE)
    expect(environments).not.toMatch(/INSTRUCTOR_SECRET|WORKSHOP_CODE/)

    // The hub's state dir, Ben's state dir, his progress and scrollback, his lab's files: none can be read.
    const benWorkspace = benLab.lab.status().workspace!
    for (const path of [stateRoot, benLab.stateDir, join(benLab.stateDir, 'local'), benWorkspace]) {
      expect(await inAna(`ls ${path}`), path).toMatchObject({ exitCode: 2 })
    }
    for (const file of benFiles) expect(await inAna(`cat ${file}`), file).toMatchObject({ exitCode: 1, stdout: '' })

    // The lab's own name, and root in it is an unprivileged uid of its own outside.
    expect((await sh('hostname')).trim()).toBe('kind')
    const outsideUid = async (lab: LabBackend) => {
      const [inside, outside, count] = (await lab.exec('cat /proc/self/uid_map')).stdout.trim().split(/\s+/).map(Number)
      expect({ inside, count }).toEqual({ inside: 0, count: 1 })
      return outside
    }
    const uids = [await outsideUid(anaLab.lab), await outsideUid(benLab.lab)]
    expect(uids[0]).toBeGreaterThanOrEqual(65_536)
    expect(uids[1]).not.toBe(uids[0])

    // The same from the shell of Ana's terminal (what the browser shows).
    const anaUrl = new URL(ana.labUrl)
    const anaClient = await NodeLabClient.connect(anaUrl.origin, anaUrl.searchParams.get('token')!)
    try {
      anaClient.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 200, rows: 50 })
      anaClient.send({
        type: 'input',
        terminal: 'main',
        data: `env; hostname; kill -0 ${process.pid} || echo hub-not-reachable; ls ${benLab.stateDir} || echo ben-not-readable; echo done-$((6*7))\n`,
      })
      // The prompt after the commands carries the runner's shell-integration marker (D, exit status 0): its rc, in
      // the runner's state dir, is readable by the lab's uid.
      const text = await anaClient.waitFor(
        () => /done-42[\s\S]*\x1b\]133;D;0[;\x07]/.test(anaClient.text()) && anaClient.text(),
        30_000,
      )
      expect(text).not.toMatch(/lab-shell-integration.bash: Permission denied/)
      expect(text).toMatch(/^kind\r?$/m)
      expect(text).toMatch(/^hub-not-reachable\r?$/m)
      expect(text).toMatch(/^ben-not-readable\r?$/m)
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain(CODE)
    } finally {
      anaClient.close()
    }

    // The limits are in force, from the kernel's side...
    const cgroups = labCgroupsOf(process.pid)
    expect(cgroups.length).toBeGreaterThan(0)
    const limit = (file: string) =>
      cgroups
        .filter((dir) => readdirSync(dir).includes(file))
        .map((dir) => readFileSync(join(dir, file), 'utf8').trim())
    expect([...limit('pids.max'), ...limit('memory.limit_in_bytes'), ...limit('memory.max')]).toEqual(
      expect.arrayContaining(['512', String(MEMORY_LIMIT)]),
    )
    // One CPU: a quota of one period (v1: cpu.cfs_quota_us, v2: cpu.max "quota period").
    expect([...limit('cpu.cfs_quota_us'), ...limit('cpu.max')]).toEqual(
      expect.arrayContaining([expect.stringMatching(/^100000( 100000)?$/)]),
    )

    // ...and from the lab's: the course's lab builds and converges, a fork loop stops at the pids limit, an allocation
    // past the memory limit is killed, and the lab goes on working after both.
    for (const command of SEED_LAB_BUILD) await sh(`${command} >/dev/null 2>&1`)
    const converged = () =>
      until(
        'leaf0 to route 10.1.8.0/24 over both spines',
        async () =>
          JSON.parse((await sh('docker exec clab-bgp-leaf0 ip -j route show 10.1.8.0/24')) || '[]')[0]?.nexthops
            ?.length === 2,
        { timeoutMs: 60_000 },
      )
    await converged()
    const forked = await sh(
      `perl -e 'my @kids; while (1) { my $pid = fork(); if (!defined $pid) { print scalar(@kids), " $!\\n"; last } if (!$pid) { sleep 60; exit } push @kids, $pid } kill "KILL", @kids; waitpid($_, 0) for @kids'`,
    )
    const [count, ...why] = forked.trim().split(' ')
    expect(Number(count)).toBeLessThan(512)
    expect(why.join(' ')).toMatch(/Resource temporarily unavailable/)
    const allocated = await inAna(`perl -e '$x = "a" x ${MEMORY_LIMIT + 64 * 2 ** 20}; print "allocated\\n"'`)
    expect(allocated.stdout).not.toContain('allocated')
    expect(allocated.exitCode).toBe(137)
    await converged()
    expect(await sh('kubectl get nodes --no-headers | wc -l')).toMatch(/^4\s*$/)

    // Stopping the hub stops both labs: no process of their uids, no cgroup, no state dir is left.
    await hub.close()
    hub = undefined
    for (const { lab } of labs) expect(lab.status().state).toBe('stopped')
    for (const uid of uids) {
      await waitForExit((await processesOf(uid)).map((p) => p.pid))
      expect(await processesOf(uid)).toEqual([])
    }
    expect(labCgroupsOf(process.pid)).toEqual([])
    expect(readdirSync(stateRoot)).toEqual([])
  }, 240_000)
})
