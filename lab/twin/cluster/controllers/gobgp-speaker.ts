import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { enterContainer, linkOut } from '../../container/container-root.ts'
import { dockerContainer, NODE_GOBGP_DIR } from '../../container/container-specs.ts'
import type { TwinContext } from '../../context.ts'
import { addPeer, type PeerTimers } from './gobgp-add-peer.ts'

/** What one Cilium virtual router asks of its BGP server. */
export interface RouterConfig {
  asn: number
  routerId: string
  /** Without timers a neighbor gets GoBGP's defaults (hold 90 s, keepalive 30 s, connect retry 120 s), as in Cilium 1.13. */
  neighbors: { address: string; asn: number; timers?: PeerTimers }[]
  /**
   * Listen on port 179 so the leaf, which has the node configured as a neighbor, connects at once: GoBGP 3 waits
   * 5-10 s before its first outgoing connection, which would make every lab start 8-10 s slower. The paths and
   * session are the same as Cilium's dial-out; only who opens the TCP connection differs.
   */
  listen: boolean
}

type Neighbor = RouterConfig['neighbors'][number]
/** Other timers make another neighbor: its session is reset, so that the leaf negotiates the new hold time. */
const neighborKey = (n: Neighbor) =>
  `${n.address} as ${n.asn}` +
  (n.timers ? ` timers ${n.timers.connectRetry}/${n.timers.holdTime}/${n.timers.keepalive}` : '')

/**
 * Where a server that must not take the leaves' connections listens: GoBGP's CLI cannot say "no port" (-1), and a
 * second server on the node cannot share port 179, so it gets a port of its own on loopback, out of the fabric's reach.
 */
const unreachablePort = (slot: number) => 1790 + slot

/** Where the lab reaches the speakers' API sockets: `<node>-<slot>.sock`, a link into the node present while that speaker runs. */
export const speakerDir = (lab: TwinContext) => join(lab.runDir, 'gobgp')

/**
 * One gobgpd in a node's namespace (API on a unix socket), holding at most one BGP server: the BGP server of one
 * Cilium virtual router. The process starts with the node's agent and stays; the BGP server inside it is created,
 * changed and stopped through the API, as Cilium's agent does with its embedded GoBGP, so a policy never waits for a
 * process to start. Paths are added with origin IGP and no next hop, so GoBGP advertises the session's local
 * address, like Cilium.
 */
export class GobgpSpeaker {
  private paths = new Set<string>()
  private daemon: { stop(): Promise<void> } | null = null
  private current: RouterConfig | null = null

  constructor(
    private readonly lab: TwinContext,
    readonly node: string,
    /** Which of the node's virtual routers this process serves (0 is the one the leaves connect to). */
    readonly slot: number,
  ) {}

  /** The BGP server running in this process, or null when there is none. */
  get config(): RouterConfig | null {
    return this.current
  }

  get socket(): string {
    return join(speakerDir(this.lab), `${this.node}-${this.slot}.sock`)
  }

  /** Starts gobgpd with no BGP server (it does not listen on 179 until `configure` gives it one). */
  async start(): Promise<void> {
    await mkdir(speakerDir(this.lab), { recursive: true })
    // In the node's container: its hostname is the FQDN capability the leaf shows (as a real node's would), and its
    // API socket is at the node's own path (`ps` there names nothing of the lab), where this.socket links.
    const container = dockerContainer(this.lab, this.lab.containers.get(this.node)!)
    const enter = await enterContainer(this.lab, container)
    const inside = join(NODE_GOBGP_DIR, `${this.slot}.sock`)
    await linkOut(this.lab, container, inside, this.socket)
    this.daemon = await this.lab.startDaemon(`gobgpd-${this.node}-${this.slot}`, [
      ...enter,
      'gobgpd',
      '-p',
      '--pprof-disable',
      '--api-hosts',
      `unix://${inside}`,
    ])
    // Wait for the API socket to appear before calling it: each `gobgp` call is a process start (about 20 ms of CPU),
    // and four nodes polling with it slowed every speaker's start on a 2-core machine.
    for (let i = 0; i < 300; i++) {
      if (existsSync(this.socket) && (await this.gobgp(['global'])).exitCode === 0) return
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    throw new Error(`gobgpd of ${this.node} did not answer on ${this.socket}`)
  }

  /**
   * Makes the BGP server `config` advertising exactly `prefixes`; null stops the server (its peers get a Cease and
   * drop its routes). Another local ASN, router id or listen mode replaces the server. Returns true when it created a
   * server (the agent logs that).
   */
  async configure(config: RouterConfig | null, prefixes: string[] = []): Promise<boolean> {
    const current = this.current
    if (
      current &&
      (!config ||
        config.asn !== current.asn ||
        config.routerId !== current.routerId ||
        config.listen !== current.listen)
    ) {
      await this.check(['global', 'del', 'all'])
      this.current = null
      this.paths.clear()
    }
    if (!config) return false
    const created = this.current === null
    if (created) {
      const listen = config.listen
        ? ['listen-port', '179']
        : ['listen-port', String(unreachablePort(this.slot)), 'listen-addresses', '127.0.0.1']
      await this.check(['global', 'as', String(config.asn), 'router-id', config.routerId, ...listen])
      this.current = { ...config, neighbors: [] }
    }
    // Paths before neighbors: a session coming up finds its routes ready for the first update.
    await this.advertise(prefixes)
    await this.setNeighbors(config.neighbors)
    this.current = config
    return created
  }

  async stop(): Promise<void> {
    await this.daemon?.stop()
    this.daemon = null
    // The agent CLI reads the node's speakers from the sockets there are: a stopped one must not look alive.
    await rm(this.socket, { force: true })
    this.current = null
    this.paths.clear()
  }

  /**
   * A removed neighbor gets a Cease and its routes leave the peer; an added one comes up when the leaf connects. A
   * neighbor whose timers changed is removed and added again: GoBGP keeps a session's negotiated hold time until it
   * is reset, and Cilium's agent hard-resets a peer whose timers change.
   */
  private async setNeighbors(neighbors: Neighbor[]): Promise<void> {
    const wanted = new Set(neighbors.map(neighborKey))
    const had = new Set(this.current!.neighbors.map(neighborKey))
    for (const n of this.current!.neighbors)
      if (!wanted.has(neighborKey(n))) await this.check(['neighbor', 'del', n.address])
    // Through the API, as Cilium's agent adds its peers: the `gobgp neighbor add` CLI cannot set timers.
    for (const n of neighbors) {
      if (had.has(neighborKey(n))) continue
      await addPeer(this.socket, n).catch((error) => {
        throw new Error(`gobgp neighbor add ${n.address} (${this.node}): ${error.message}`)
      })
    }
  }

  /** Makes the advertised prefixes exactly `prefixes` (adds and withdraws the difference). */
  private async advertise(prefixes: string[]): Promise<void> {
    const wanted = new Set(prefixes)
    for (const prefix of this.paths) {
      if (!wanted.has(prefix)) await this.check(['global', 'rib', 'del', '-a', 'ipv4', prefix])
    }
    for (const prefix of wanted) {
      if (!this.paths.has(prefix)) await this.check(['global', 'rib', 'add', '-a', 'ipv4', prefix, 'origin', 'igp'])
    }
    this.paths = wanted
  }

  private gobgp(args: string[]) {
    return this.lab.run(['gobgp', '--target', `unix://${this.socket}`, ...args], { timeoutMs: 5000 })
  }

  private async check(args: string[]): Promise<void> {
    const result = await this.gobgp(args)
    if (result.exitCode !== 0) throw new Error(`gobgp ${args.join(' ')} (${this.node}): ${result.stderr.trim()}`)
  }
}
