import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TwinContext } from '../../context.ts'

/** What one Cilium virtual router asks of its BGP server. */
export interface RouterConfig {
  asn: number
  routerId: string
  neighbors: { address: string; asn: number }[]
  /**
   * Listen on port 179 so the leaf, which has the node configured as a neighbor, connects at once: GoBGP 3 waits
   * 5-10 s before its first outgoing connection, which would make every lab start 8-10 s slower. The paths and
   * session are the same as Cilium's dial-out; only who opens the TCP connection differs.
   */
  listen: boolean
}

type Neighbor = RouterConfig['neighbors'][number]
const neighborKey = (n: Neighbor) => `${n.address} as ${n.asn}`

function toml(c: RouterConfig): string {
  const neighbors = c.neighbors
    .map(n => `[[neighbors]]\n  [neighbors.config]\n    neighbor-address = "${n.address}"\n    peer-as = ${n.asn}\n  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "ipv4-unicast"\n`)
    .join('')
  return `[global.config]\n  as = ${c.asn}\n  router-id = "${c.routerId}"\n  port = ${c.listen ? 179 : -1}\n\n${neighbors}`
}

/**
 * One GoBGP speaker (gobgpd in the node's namespace, API on a unix socket) standing for one Cilium BGP server:
 * paths are added with origin IGP and no next hop, so GoBGP advertises the session's local address, like Cilium.
 * Neighbors and paths change through the API while gobgpd runs; only a new local ASN, router id or listen port needs
 * a new gobgpd (GoBGP cannot change its global config live).
 */
export class GobgpSpeaker {
  private paths = new Set<string>()
  private daemon: { stop(): Promise<void> } | null = null
  private current: RouterConfig

  constructor(
    private readonly lab: TwinContext,
    readonly node: string,
    config: RouterConfig,
  ) {
    this.current = config
  }

  get config(): RouterConfig {
    return this.current
  }

  get socket(): string {
    return join(this.lab.runDir, 'gobgp', `${this.node}-${this.config.asn}.sock`)
  }

  /** Whether `config` can be reached through the API: same ASN, router id and port; neighbors may differ. */
  canReconfigure(config: RouterConfig): boolean {
    const { asn, routerId, listen } = this.current
    return config.asn === asn && config.routerId === routerId && config.listen === listen
  }

  /**
   * Makes the neighbors exactly `config.neighbors` through the API: a removed neighbor gets a Cease and its routes
   * leave the peer; an added one comes up as soon as the leaf connects (gobgpd keeps listening).
   */
  async reconfigure(config: RouterConfig): Promise<void> {
    if (!this.canReconfigure(config)) throw new Error(`gobgpd of ${this.node}: AS ${config.asn} router id ${config.routerId} needs a restart`)
    const wanted = new Set(config.neighbors.map(neighborKey))
    const had = new Set(this.current.neighbors.map(neighborKey))
    for (const n of this.current.neighbors) if (!wanted.has(neighborKey(n))) await this.check(['neighbor', 'del', n.address])
    for (const n of config.neighbors) if (!had.has(neighborKey(n))) await this.check(['neighbor', 'add', n.address, 'as', String(n.asn)])
    this.current = config
  }

  async start(): Promise<void> {
    const dir = join(this.lab.runDir, 'gobgp')
    await mkdir(dir, { recursive: true })
    const file = join(dir, `${this.node}-${this.config.asn}.toml`)
    await writeFile(file, toml(this.config))
    // unshare --uts gives gobgpd the node's hostname for the FQDN capability the leaf shows (as a real node's would).
    this.daemon = await this.lab.startDaemon(
      `gobgpd-${this.node}-${this.config.asn}`,
      ['unshare', '--uts', 'sh', '-c', `hostname "$0" && exec gobgpd -f "$1" -p --pprof-disable --api-hosts "unix://$2"`, this.node, file, this.socket],
      { ns: this.lab.ns(this.node) },
    )
    for (let i = 0; i < 100; i++) {
      if ((await this.gobgp(['global'])).exitCode === 0) return
      await new Promise(resolve => setTimeout(resolve, 30))
    }
    throw new Error(`gobgpd of ${this.node} did not answer on ${this.socket}`)
  }

  /** Makes the advertised prefixes exactly `prefixes` (adds and withdraws the difference). */
  async advertise(prefixes: string[]): Promise<void> {
    const wanted = new Set(prefixes)
    for (const prefix of this.paths) {
      if (!wanted.has(prefix)) await this.check(['global', 'rib', 'del', '-a', 'ipv4', prefix])
    }
    for (const prefix of wanted) {
      if (!this.paths.has(prefix)) await this.check(['global', 'rib', 'add', '-a', 'ipv4', prefix, 'origin', 'igp'])
    }
    this.paths = wanted
  }

  async stop(): Promise<void> {
    await this.daemon?.stop()
    this.daemon = null
  }

  private gobgp(args: string[]) {
    return this.lab.run(['gobgp', '--target', `unix://${this.socket}`, ...args], { timeoutMs: 5000 })
  }

  private async check(args: string[]): Promise<void> {
    const result = await this.gobgp(args)
    if (result.exitCode !== 0) throw new Error(`gobgp ${args.join(' ')} (${this.node}): ${result.stderr.trim()}`)
  }
}
