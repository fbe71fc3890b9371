/**
 * Chooses and creates a lab backend. `auto` takes the real lab where its tools work (a running Docker engine, kind,
 * containerlab, helm, kubectl) and the twin everywhere else, which is most machines and every CI run.
 */
import type { LabBackend } from './backend.ts'
import { LabError } from './lab-error.ts'
import { preflight } from './real/preflight.ts'

export type LabChoice = 'auto' | 'twin' | 'real'

export interface CreateLabOptions {
  /**
   * Folder that keeps the learner's lab files across restarts (edited configs and policies survive). Real lab
   * default: ~/cilium-bgp-lab; twin default: none, the files live and go with the lab.
   */
  workspace?: string
}

export async function resolveLabChoice(choice: LabChoice): Promise<'twin' | 'real'> {
  if (choice !== 'auto') return choice
  const found = await preflight()
  return found.missing.length === 0 ? 'real' : 'twin'
}

export async function createLab(choice: LabChoice, options: CreateLabOptions = {}): Promise<LabBackend> {
  const kind = await resolveLabChoice(choice)
  if (kind === 'real') {
    const { createRealBackend } = await import('./real/backend.ts')
    return createRealBackend({ workspace: options.workspace })
  }
  if (kind === 'twin') {
    const { createTwinBackend } = await import('./twin/backend.ts')
    return createTwinBackend({ keepWorkspace: options.workspace })
  }
  throw new LabError('LAB_UNKNOWN_KIND', `unknown lab "${String(choice)}": use auto, twin or real`)
}
