import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import type { KObject } from '../store.ts'
import { logsRequests } from './pod-network.ts'

const pod = (container: object): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'x', ...container }] },
})

describe("a pod server's request log", () => {
  it("follows the pod's command: busybox httpd logs requests with -v only, an image's own server always", () => {
    const cni = parseAllDocuments(readFileSync(new URL('../../../../workspace/cni.yaml', import.meta.url), 'utf8')).map(
      (d) => d.toJS(),
    )
    const template = cni.find((o) => o.kind === 'DaemonSet').spec.template
    expect(logsRequests({ ...template, apiVersion: 'v1', kind: 'Pod', metadata: { name: 'cni-x' } })).toBe(false)
    expect(logsRequests(pod({ command: ['/bin/sh', '-c', 'exec busybox-extras httpd -f -v -p 80 -h /www'] }))).toBe(
      true,
    )
    expect(logsRequests(pod({ command: ['busybox', 'httpd', '-fvv', '-p', '80'] }))).toBe(true)
    expect(logsRequests(pod({ args: ['httpd', '-f', '-p', '80'] }))).toBe(false)
    expect(logsRequests(pod({}))).toBe(true)
  })
})
