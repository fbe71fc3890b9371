import type { Controller } from '../cluster.ts'
import { nodesController } from './nodes.ts'
import { workloadsController } from './workloads.ts'

/** The control loops in the order one pass runs them: node facts first, then what depends on them. */
export function controllers(): Controller[] {
  return [nodesController, workloadsController]
}
