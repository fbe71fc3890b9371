import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { createTwinContext, type LabContext } from './context.ts'
import { labHostPaths } from './daemon/lab-host.ts'

const made: LabContext[] = []
const stateRoot = mkdtempSync(join(tmpdir(), 'twin-context-'))
afterEach(async () => {
  for (const lab of made.splice(0)) await lab.teardown()
  rmSync(stateRoot, { recursive: true, force: true })
})

it("keeps the lab host's HOME (workspace, shell history) to its owner, whatever the umask", async () => {
  const umask = process.umask(0)
  let lab: LabContext
  try {
    lab = createTwinContext({ stateRoot })
    made.push(lab)
  } finally {
    process.umask(umask)
  }
  const { home, workspace } = labHostPaths(lab.runDir)
  expect(statSync(home).mode & 0o777).toBe(0o700)
  expect(existsSync(workspace)).toBe(true)
  // The run dir itself stays open to traverse: FRR's own user reaches its routers' folders through it.
  expect(statSync(lab.runDir).mode & 0o055).not.toBe(0)
})
