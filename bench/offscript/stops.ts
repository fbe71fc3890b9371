/**
 * Stops: the points of the course where off-script commands are typed. A stop is a chapter's end ("bgp-at-work") or
 * the moment just before one of its steps ("build-the-lab before cilium-install"), and each one declares the lab
 * state it leaves, which the probe reads after every command (lab-probe.ts): the lab differs a lot along the course
 * (before Cilium the nodes are NotReady and no node peers with its leaf), so one probe cannot fit every stop.
 */
import type { Chapter } from '../../protocol/course.ts'

/** Where every command without `at:` is typed: the end of chapter 6, where the first two rounds were written. */
export const DEFAULT_STOP = 'bgp-lb-ipam'

/** What a stop's lab shows, read on the kubectl and leaf0 side. */
export interface StopState {
  /** How many of the four kind nodes are Ready (the others NotReady). */
  ready: number
  /** How many of leaf0's four BGP sessions (two spines, the two rack0 nodes) are Established. */
  established: number
  /** Routes leaf0 holds from BGP at this stop (`show ip route <prefix> longer-prefixes`, `B>*` lines). */
  routes?: { prefix: string; count: number; what: string }
}

/** The stops commands.yaml may name, in course order, with the state each leaves. */
export const STOPS: Record<string, StopState> = {
  // Nodes joined but no CNI: kubelet reports NetworkPluginNotReady; leaf0 peers with its spines only.
  'build-the-lab before cilium-install': {
    ready: 0,
    established: 2,
    routes: { prefix: '10.98.0.0/16', count: 0, what: 'no pod CIDR' },
  },
  // Cilium runs with the BGP control plane on, but no peering policy: still no node session.
  'build-the-lab': { ready: 4, established: 2, routes: { prefix: '10.98.0.0/16', count: 0, what: 'no pod CIDR' } },
  // The peering policies: every node peers with its leaf, and leaf0 routes the four pod CIDRs.
  'bgp-at-work': { ready: 4, established: 4, routes: { prefix: '10.98.0.0/16', count: 4, what: 'the four pod CIDRs' } },
  // MetalLB gave the cni service an address of its pool, which the nodes announce as a /32.
  'bgp-metallb': {
    ready: 4,
    established: 4,
    routes: { prefix: '172.18.0.192/27', count: 1, what: "the service's MetalLB /32" },
  },
  // MetalLB gone, LB-IPAM gave the service an address of the red pool.
  'bgp-lb-ipam': {
    ready: 4,
    established: 4,
    routes: { prefix: '30.0.10.0/24', count: 1, what: "the service's 30.0.10.x/32" },
  },
}

export interface Stop {
  /** As written in `at:`. */
  name: string
  chapter: string
  /** The step the stop is just before; absent: the chapter's end. */
  beforeStep?: string
  state: StopState
}

/** `<chapter>` or `<chapter> before <step>`, one of STOPS; a mistake names what exists. */
export function parseStop(at: string): Stop {
  const state = STOPS[at]
  if (!state) throw new Error(`unknown stop "${at}": one of ${Object.keys(STOPS).join(', ')}`)
  const [chapter, beforeStep] = at.split(' before ')
  return { name: at, chapter, beforeStep, state }
}

/** The stops in course order, so a sweep walks the course as a learner does. */
export const stopOrder = (name: string) => Object.keys(STOPS).indexOf(name)

/**
 * The chapters whose solutions bring a fresh lab to `stop`: every chapter before it, then for a stop before a step
 * the chapter cut there, with no solution of its own, so it replays the steps before that one (what a learner typed
 * by then; optional steps only look, and replaySolutions skips them).
 */
export function chaptersTo(stop: Stop, chapters: Chapter[]): { chapters: Chapter[]; order: number } {
  const chapter = chapters.find((c) => c.id === stop.chapter)
  if (!chapter) throw new Error(`stop "${stop.name}": the course has no chapter "${stop.chapter}"`)
  const earlier = chapters.filter((c) => c.order < chapter.order)
  if (!stop.beforeStep) return { chapters: [...earlier, chapter], order: chapter.order + 1 }
  const index = chapter.steps.findIndex((s) => s.id === stop.beforeStep)
  if (index < 0) throw new Error(`stop "${stop.name}": chapter "${chapter.id}" has no step "${stop.beforeStep}"`)
  const cut: Chapter = { ...chapter, solution: undefined, steps: chapter.steps.slice(0, index) }
  return { chapters: [...earlier, cut], order: chapter.order + 1 }
}
