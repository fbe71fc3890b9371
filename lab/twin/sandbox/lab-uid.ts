/**
 * The unprivileged uid a sandboxed lab runs as, one per lab: root inside the lab is this uid outside, so the lab owns
 * nothing on the machine, and two labs cannot signal, trace or read each other's processes (the kernel allows all
 * three between processes of one uid).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { LabError } from '../../lab-error.ts'

/**
 * 0x70000000: above the ranges container managers hand out (systemd-nspawn up to 0x6FFFFFFF, subuid ranges from
 * 100000), below 2^31 where tools that print uids as signed numbers go wrong. No account has such a uid.
 */
export const LAB_UID_BASE = 0x70000000
const LAB_UID_COUNT = 65_536

const taken = new Set<number>()

/** Uids of the processes running now (their real uid). */
function runningUids(): Set<number> {
  const uids = new Set<number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      uids.add(Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]))
    } catch {
      // Gone since the listing.
    }
  }
  return uids
}

/**
 * A uid of the lab range that no lab of this process holds and no process runs as (a lab of another hub on this
 * machine), starting at a random slot so that two hubs rarely try the same one. `release` gives it back.
 */
export function allocateLabUid(): { uid: number; release(): void } {
  const running = runningUids()
  const start = Math.floor(Math.random() * LAB_UID_COUNT)
  for (let i = 0; i < LAB_UID_COUNT; i++) {
    const uid = LAB_UID_BASE + ((start + i) % LAB_UID_COUNT)
    if (taken.has(uid) || running.has(uid)) continue
    taken.add(uid)
    return { uid, release: () => taken.delete(uid) }
  }
  throw new LabError('TWIN_SANDBOX_UIDS', `all ${LAB_UID_COUNT} sandbox uids (from ${LAB_UID_BASE}) are in use`)
}
