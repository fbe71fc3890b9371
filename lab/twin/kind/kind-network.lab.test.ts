import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addKindNode } from '../cluster/fake-lab.ts'
import { createTwinContext, type LabContext } from '../context.ts'
import { bridgeOf } from '../net/docker-network.ts'
import { listNamespaces } from '../net/netns.ts'
import { announceL2, attachNode, createKindNetwork, KIND_NETWORK, withdrawL2 } from './kind-network.ts'

/** Two kind nodes on the kind network and the lab host: MetalLB's layer 2 answer moving from one node to the other. */
let lab: LabContext
let stateRoot: string
const VIP = '172.18.0.200'
const nodes = ['kn-a', 'kn-b']

const host = (argv: string[]) => lab.run(argv, { ns: lab.ns('host') })
const neighbour = async () => (await host(['ip', 'neigh', 'show', VIP, 'dev', bridgeOf(KIND_NETWORK)])).stdout

beforeAll(async () => {
  stateRoot = mkdtempSync(join(tmpdir(), 'twin-kind-network-'))
  lab = createTwinContext({ stateRoot })
  await lab.addNamespace(lab.ns('host'))
  await createKindNetwork(lab)
  for (const [i, name] of nodes.entries()) {
    await lab.addNamespace(lab.ns(name), { forwarding: true })
    await attachNode(lab, lab.ns(name), i)
    addKindNode(lab, name)
  }
})

afterAll(async () => {
  if (!lab) return
  await lab.teardown()
  expect((await listNamespaces()).filter((name) => name.startsWith(`${lab.id}-`))).toEqual([])
  rmSync(stateRoot, { recursive: true, force: true })
})

describe('MetalLB layer 2 on the kind network', () => {
  it('answers ARP from the announcing node, with the address on none of its interfaces', async () => {
    await announceL2(lab, lab.ns('kn-a'), VIP)
    expect((await host(['ping', '-c', '1', '-W', '2', VIP])).stdout).toContain('1 received')
    expect(await neighbour()).toContain('lladdr 02:42:ac:12:00:02 ')
    expect((await lab.run(['ip', 'addr'], { ns: lab.ns('kn-a') })).stdout).not.toContain(VIP)
  })

  it("moves to the new leader at once, as the speaker's gratuitous ARP makes the neighbours learn its MAC", async () => {
    await withdrawL2(lab, lab.ns('kn-a'), VIP)
    await announceL2(lab, lab.ns('kn-b'), VIP)
    // Before any new traffic: the lab host's entry already names kn-b.
    expect(await neighbour()).toContain('lladdr 02:42:ac:12:00:03 ')
    expect((await host(['ping', '-c', '1', '-W', '2', VIP])).stdout).toContain('1 received')
    expect((await lab.run(['ip', 'route', 'show', 'table', 'local', VIP], { ns: lab.ns('kn-a') })).stdout).toBe('')
  })
})
