/**
 * The twin's sandbox (root): what root in the lab cannot undo, and what is left when a sandboxed lab fails. The hosted
 * lab's view of the hub and of other labs is tested in test/hosting-sandbox.lab.test.ts.
 */
import { chmodSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { processesOf, until, waitForExit } from '../../../support/lab-helpers.ts'
import type { LabBackend } from '../../backend.ts'
import { createTwinBackend } from '../backend.ts'
import { DAEMON_LOG_LINE_MAX } from '../daemon/daemon-log.ts'
import { labCgroupsOf } from './lab-cgroup.ts'

const labs: LabBackend[] = []
const dirs: string[] = []

// Each test's lab goes with the test, failed or not: a lab left up would hold its cgroups into the next test.
afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.down()
})
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/**
 * Root in the lab has the daemon's uid, so it can take a copy of the daemon's stderr (pidfd_getfd, allowed between
 * processes of one uid) and write into the caller's log: here 4 MiB with a single newline at the end, then `done`.
 */
const STDERR_FLOOD = `perl -e '
  my $pidfd = syscall(434, 1, 0); die "pidfd_open: $!\\n" if $pidfd < 0;
  my $fd = syscall(438, $pidfd, 2, 0); die "pidfd_getfd: $!\\n" if $fd < 0;
  open(my $out, ">&=", $fd) or die "open: $!\\n";
  my $data = ("a" x (4 << 20)) . "\\n";
  for (my $sent = 0; $sent < length $data;) {
    my $wrote = syswrite($out, $data, length($data) - $sent, $sent);
    if (defined $wrote) { $sent += $wrote; next }
    die "write: $!\\n" unless $!{EAGAIN};
    my $ready = ""; vec($ready, $fd, 1) = 1; select(undef, $ready, undef, 5);
  }
  print "done\\n";
'`

/**
 * Root in the lab watching for a process it may open in the machine's mount namespace: each command the runner runs
 * in the lab (a probe, a terminal) enters it. Holds `/proc/<pid>/root` first, then reads the namespace: a process never
 * goes back, so a match means the root it holds is the machine's `/` (its /tmp and /run, not the lab's private ones).
 * Stops at the first catch, or when /run/stop-watching appears.
 */
const WATCH_ENTRIES = `perl -e '
  my $machine = shift;
  until (-e "/run/stop-watching") {
    opendir(my $proc, "/proc") or die "proc: $!\\n";
    for my $pid (grep { /^\\d+$/ && $_ != 1 && $_ != $$ } readdir $proc) {
      opendir(my $root, "/proc/$pid/root") or next;
      if ((readlink("/proc/$pid/ns/mnt") // "") eq $machine) { print "caught $pid\\n"; exit }
    }
  }
  print "none\\n";
'`

/**
 * What the lab's own /tmp may hold: the checkout is shared read-only at its own path, so a checkout under /tmp (a CI
 * clone) shows its top folder there, and nothing else of the machine's /tmp.
 */
const REPO = resolve(import.meta.dirname, '../../..')
const SHARED_IN_TMP = REPO.startsWith('/tmp/') ? [REPO.split('/')[2]] : []

function sandboxed(options: Parameters<typeof createTwinBackend>[0] = {}): LabBackend {
  const lab = createTwinBackend({ ...options, sandbox: true })
  labs.push(lab)
  return lab
}

async function labUid(lab: LabBackend): Promise<number> {
  return Number((await lab.exec('cat /proc/self/uid_map')).stdout.trim().split(/\s+/)[1])
}

describe('the twin sandbox', () => {
  it("keeps its mounts: root in the lab cannot unmount /proc or /tmp to see the machine's", async () => {
    const lab = sandboxed()
    await lab.up()
    const result = await lab.exec('umount /proc; umount /tmp; ps -e --no-headers | wc -l; ls -A /tmp')
    expect(result.stderr).toMatch(/umount: \/proc: not mounted[\s\S]*umount: \/tmp: not mounted/)
    // The lab's own processes (the daemon, the shell, ps, wc), not the machine's hundreds; a /tmp of its own.
    const [processes, ...files] = result.stdout.trim().split('\n')
    expect(Number(processes)).toBeLessThan(10)
    expect(files).toEqual(SHARED_IN_TMP)
  })

  it('leaves no cgroup and no process when its daemon dies', async () => {
    const lab = sandboxed()
    await lab.up()
    const uid = await labUid(lab)
    expect(labCgroupsOf(process.pid).length).toBeGreaterThan(0)
    const daemon = (await processesOf(uid)).find((p) => p.command.includes('--rootless'))!
    process.kill(daemon.pid, 'SIGKILL')
    await until('the lab to fail', () => lab.status().state === 'failed')
    await waitForExit((await processesOf(uid)).map((p) => p.pid))
    expect(await processesOf(uid)).toEqual([])
    await until("the lab's cgroups to go", () => labCgroupsOf(process.pid).length === 0)
  })

  it("holds a line the learner writes into the daemon's log to a bounded length", async () => {
    const logged: string[] = []
    const lab = sandboxed({ onLog: (line) => logged.push(line) })
    await lab.up()
    const flood = await lab.exec(STDERR_FLOOD, { timeoutMs: 120_000 })
    expect(flood.stderr).toBe('')
    expect(flood.stdout).toBe('done\n')
    const flooded = await until('the flooded line to reach the log', () => logged.find((l) => l.startsWith('aaaa')))
    // Its length and end, not the line: a failure would print megabytes.
    expect({ length: flooded.length, end: flooded.slice(-6) }).toEqual({
      length: DAEMON_LOG_LINE_MAX + 6,
      end: ' [cut]',
    })
    expect((await lab.exec('echo still here')).stdout).toBe('still here\n')
  })

  it("lets root in the lab hold no process that enters it while it is still in the machine's namespaces", async () => {
    const lab = sandboxed()
    await lab.up()
    let watching = true
    const watcher = lab
      .exec(`${WATCH_ENTRIES} '${readlinkSync('/proc/self/ns/mnt')}'`, { timeoutMs: 120_000 })
      .finally(() => (watching = false))
    // Commands entering the lab, as the runner's probes and terminals do, while it watches: when the lab's uid joined
    // the lab's namespaces by itself, it caught one within a few hundred.
    for (let i = 0; i < 1500 && watching; i++) await lab.exec('true')
    await lab.exec('touch /run/stop-watching')
    expect((await watcher).stdout).toBe('none\n')
  })

  it("refuses to start, and leaves nothing, when its uid cannot read the course's files", async () => {
    const source = mkdtempSync(join(tmpdir(), 'sandbox-private-'))
    dirs.push(source)
    chmodSync(source, 0o700)
    const lab = sandboxed({ workspaceSource: source })
    await expect(lab.up()).rejects.toMatchObject({
      code: 'TWIN_SANDBOX_UNREADABLE',
      message: expect.stringContaining(source),
    })
    expect(lab.status()).toMatchObject({ state: 'failed' })
    expect(labCgroupsOf(process.pid)).toEqual([])
  })
})
