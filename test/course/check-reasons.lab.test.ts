/**
 * The MetalLB chapter's checks fail for the reason the chapter teaches: with MetalLB's address assigned but the
 * policies still without a serviceSelector, the service has its address while spine0 has no route to it, and the
 * check says to look at the serviceSelector. Applying the selector makes the same checks pass. Runs on a fresh twin.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { LabBackend } from '../../lab/backend.ts'
import { createLab } from '../../lab/index.ts'
import type { Chapter } from '../../protocol/course.ts'
import { runCheck } from '../../runner/verify/run-check.ts'
import { root } from '../../support/fixture-site.ts'
import { loadCourse, stepsDir } from '../../toolchain/course/load-course.ts'

const { course } = loadCourse(stepsDir(root))
const chapter = (section: string): Chapter => course.chapters.find((c) => c.section === section)!
let lab: LabBackend | undefined

async function sh(command: string): Promise<string> {
  const result = await lab!.exec(command, { timeoutMs: 300_000 })
  expect(result.exitCode, `${command}\n${result.stdout}\n${result.stderr}`).toBe(0)
  return result.stdout
}

async function checkById(ch: Chapter, id: string) {
  const check = ch.checks.find((c) => c.id === id)!
  return runCheck({ ...check, retries: Math.min(check.retries ?? 0, 5) }, lab!, 'en')
}

beforeAll(async () => {
  lab = await createLab('twin')
  await lab.up()
  for (const section of ['lab-setup', 'cilium-bgp'])
    for (const command of chapter(section).solution!.run!) await sh(command)
  await sh(
    'kubectl apply -f https://raw.githubusercontent.com/metallb/metallb/v0.13.10/config/manifests/metallb-native.yaml',
  )
  await sh('until kubectl apply -f metallb-l2-ip-config.yaml; do sleep 2; done')
})

afterAll(() => lab?.down())

it('blames the missing serviceSelector until the policies announce the service', async () => {
  const metallb = chapter('metallb')
  const address = await checkById(metallb, 'svc-has-address')
  expect(address.ok, address.actual).toBe(true)

  const before = await checkById(metallb, 'lb-route-on-spine0')
  expect(before.ok).toBe(false)
  expect(before.reason).toContain("the policy's serviceSelector")
  // The expectation names the address the lab assigned, read from the service, not one written in the course.
  const ip = (await sh("kubectl get svc cni -o jsonpath='{.status.loadBalancer.ingress[0].ip}'")).trim()
  expect(before.expected).toContain(`Routing entry for ${ip}/32`)
  expect(before.output).toContain('% Network not in table')

  await sh('kubectl apply -f bgp_peering_policy_services.yaml')
  for (const id of ['lb-route-on-spine0', 'lb-route-on-spine1', 'lb-curl-from-spine0']) {
    const after = await checkById(metallb, id)
    expect(after.ok, `${id}: ${after.expected} / ${after.actual}`).toBe(true)
  }
})
