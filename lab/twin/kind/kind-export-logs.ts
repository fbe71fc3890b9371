import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { KUBERNETES_VERSION } from '../cluster/bootstrap.ts'
import { type Cluster, type LogLine, rfc3339Nano } from '../cluster/cluster.ts'
import type { TwinContext } from '../context.ts'
import { inspectContainer } from '../docker/docker-inspect.ts'

/**
 * `kind export logs [DIR]` as kind 0.18 lays the folder out (pkg/cluster/internal/providers/docker: `kind-version.txt`
 * at the top, a folder per node with `kubernetes-version.txt`, `inspect.json` and `pods/<ns>_<pod>_<uid>/<container>/0.log`
 * in the CRI log format). The twin writes what it has: the versions, each node's container as docker inspect would
 * describe it, and the pods' output (the emulated agents' logs). The nodes' journal, kubelet, containerd and serial
 * logs are systemd's and containerd's, which the twin does not run, so those files are absent.
 */
export const KIND_VERSION = 'kind v0.18.0 go1.20.2 linux/amd64'

/** A pod log line as the kubelet writes it under /var/log/pods: `<RFC3339Nano> <stream> F <text>`. */
function criLine(line: LogLine): string {
  return `${rfc3339Nano(line.time)} stderr F ${line.text}`
}

/** Writes the logs into `dir` (a fresh temp folder when not given); returns the folder, as kind prints it. */
export async function exportLogs(
  lab: TwinContext,
  cluster: Cluster,
  dir: string | undefined,
  cwd: string,
): Promise<string> {
  const root = dir === undefined ? mkdtempSync(join(tmpdir(), '')) : isAbsolute(dir) ? dir : join(cwd, dir)
  mkdirSync(root, { recursive: true })
  writeFileSync(join(root, 'kind-version.txt'), `${KIND_VERSION}\n`)
  for (const node of cluster.store.cluster?.nodes ?? []) {
    const nodeDir = join(root, node.name)
    mkdirSync(nodeDir, { recursive: true })
    writeFileSync(join(nodeDir, 'kubernetes-version.txt'), `${KUBERNETES_VERSION}\n`)
    const info = lab.containers.get(node.name)
    if (info)
      writeFileSync(join(nodeDir, 'inspect.json'), `${JSON.stringify([await inspectContainer(lab, info)], null, 4)}\n`)
    for (const pod of cluster.store.list('Pod').filter((p) => p.spec?.nodeName === node.name)) {
      const lines = cluster.logs.get(pod.metadata.name) ?? []
      for (const container of (pod.spec.containers ?? []) as Array<{ name: string }>) {
        const podDir = join(
          nodeDir,
          'pods',
          `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`,
          container.name,
        )
        mkdirSync(podDir, { recursive: true })
        writeFileSync(join(podDir, '0.log'), lines.map((line) => `${criLine(line)}\n`).join(''))
      }
    }
  }
  return root
}
