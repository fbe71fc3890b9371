import { afterEach, describe, expect, it } from 'vitest'
import { until, useSeedLab } from '../../../support/lab-helpers.ts'
import { type PtyTerminal, ptyTerminal } from '../../../support/pty-terminal.ts'

/**
 * Interactive execs into the seed lab's containers, typed on the lab host's shell in a real terminal as a learner
 * does: each gets a pty of the container (docker 24 / kubectl 1.23 with -t), follows the terminal's size, and gives
 * the terminal back as it was.
 */
const HOST = 'root@kind:~/lab# '
const { lab, sh } = useSeedLab()

let term: PtyTerminal | undefined
afterEach(() => term?.pty.kill())

/**
 * Which devpts instance a shell's terminal belongs to, and which one its /dev/pts shows: the device numbers that
 * `stat` prints for them (ptys of two instances may have the same name and minor number, never the same device).
 */
const DEVICES = 'stat -L -c %d /proc/self/fd/0 /dev/pts\r'

/** The devices DEVICES printed after `mark`, once the prompt `prompt` follows them (the lab host's shell prints a CR first). */
async function devices({ shows, screen }: PtyTerminal, mark: number, prompt: string): Promise<string[]> {
  const printed = new RegExp(`^[^\\n]*\\n\r?(\\d+)\r\n(\\d+)\r\n${prompt}$`)
  await shows(printed, mark)
  return printed.exec(screen().slice(mark))!.slice(1)
}

/** The lab host's shell on a new 100x30 terminal, at its prompt, and the device of the lab host's /dev/pts. */
async function labHostTerminal(): Promise<PtyTerminal & { hostPts: string }> {
  const spec = lab().shell()
  const opened = ptyTerminal(spec.file, spec.args, { env: spec.env, cwd: spec.cwd, timeoutMs: 20_000 })
  term = opened
  await opened.shows(HOST)
  const [, hostPts] = await devices(opened, opened.type(DEVICES), HOST)
  return { ...opened, hostPts }
}

/** Asserts that the shell at the prompt `prompt` runs on a pty of its container's own /dev/pts, not the lab host's. */
async function onOwnPty(host: PtyTerminal & { hostPts: string }, prompt: string) {
  const [pty, pts] = await devices(host, host.type(DEVICES), prompt)
  expect(pty).toBe(pts)
  expect(pts).not.toBe(host.hostPts)
}

describe('interactive execs in the twin', () => {
  it("docker exec -it: the container's own pty, its size following the terminal's, and the prompt back as it was", async () => {
    const host = await labHostTerminal()
    const { type, shows, screen, pty } = host
    await shows(/# $/, type('docker exec -it clab-bgp-leaf0 sh\r'))
    await onOwnPty(host, '# ')
    // Its console (containerlab starts it with a tty) holds /dev/pts/0.
    let mark = type('tty; stty size\r')
    await shows(/\/dev\/pts\/1\r\n30 100\r\n# $/, mark)
    pty.resize(120, 40)
    mark = type('stty size; tput cols\r')
    await shows('40 120\r\n120\r\n# ', mark)
    mark = type('exit\r')
    await shows(HOST, mark)
    // dash gives the terminal's process group back to a session it leads: nothing to complain about on exit.
    expect(screen()).not.toContain('Cannot set tty process group')
    mark = type('stty -a | grep -o " icanon\\| echo "\r')
    await shows(' icanon\r\n echo \r\n', mark)
    mark = type('echo typed back')
    await shows('echo typed back', mark)
  })

  it("a kind node's bash: job control of its own, Ctrl-C for its command only, the exit code back", async () => {
    const host = await labHostTerminal()
    const { type, shows } = host
    await shows('root@clab-bgp-control-plane:/# ', type('docker exec -it clab-bgp-control-plane bash\r'))
    await onOwnPty(host, 'root@clab-bgp-control-plane:/# ')
    let mark = type('sleep 60\r')
    await shows('sleep 60\r\n', mark)
    type('\x1a')
    await shows(/\[1\]\+ +Stopped +sleep 60\r\n/, mark)
    mark = type('fg\r')
    await shows('sleep 60\r\n', mark)
    type('\x03')
    await shows(/\^C\r\nroot@clab-bgp-control-plane:\/# $/, mark)
    mark = type('exit\r')
    await shows(HOST, mark)
    mark = type('docker exec -it clab-bgp-control-plane sh -c \'exit 3\'; echo "code $?"\r')
    await shows(`code 3\r\n${HOST}`, mark)
  })

  it("kubectl exec -it: the pod's own pty, and kubectl's line for a failed command", async () => {
    const host = await labHostTerminal()
    const { type, shows } = host
    await shows(/# $/, type('kubectl exec -it ds/cni -- sh\r'))
    await onOwnPty(host, '# ')
    // A pod's container has no console: the exec's pty is the first.
    let mark = type('tty\r')
    await shows(/\/dev\/pts\/0\r\n# $/, mark)
    mark = type('exit 4\r')
    await shows(`command terminated with exit code 4\r\n${HOST}`, mark)
    mark = type('echo "code $?"\r')
    await shows('code 4\r\n', mark)
  })

  it('-i without -t: no tty and no prompt, typed lines reach the command; -t alone: a tty', async () => {
    const { type, shows } = await labHostTerminal()
    type('docker exec -i clab-bgp-leaf0 sh\r')
    // Typed ahead while the lab host's bash still holds the terminal: a newline ends the line whatever its mode.
    let mark = type('tty\n')
    await shows('not a tty\r\n', mark)
    mark = type('\x04')
    await shows(HOST, mark)
    // The pty ends lines with CRLF and the terminal, not raw with no input attached, adds its own CR: as with docker.
    mark = type('docker exec -t clab-bgp-leaf0 tty </dev/null\r')
    await shows(/\/dev\/pts\/\d+\r\r\n/, mark)
  })

  it("a closed terminal ends the exec's shell and its command in the container, as a hung-up pty does", async () => {
    const { type, shows, pty } = await labHostTerminal()
    await shows(/# $/, type('docker exec -it clab-bgp-spine1 sh\r'))
    await shows('sleep 301\r\n', type('sleep 301\r'))
    const running = async () => (await sh('docker exec clab-bgp-spine1 ps -e -o args=')).split('\n')
    await until('the sleep in spine1', async () => (await running()).includes('sleep 301'))
    pty.kill()
    await until('no shell nor sleep left in spine1', async () => {
      const left = await running()
      return !left.includes('sleep 301') && !left.includes('sh')
    })
  })
})
