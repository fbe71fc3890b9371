import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import type { KObject } from '../store.ts'
import { podLogNote, podPage, podServer } from './pod-server.ts'

const pod = (container: object): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'nginx', ...container }] },
})

describe('what serves in a workload pod, from its command and image', () => {
  it("runs the command's busybox httpd on its port, logging requests with -v only", () => {
    const cni = parseAllDocuments(readFileSync(new URL('../../../../workspace/cni.yaml', import.meta.url), 'utf8')).map(
      (d) => d.toJS(),
    )
    const template = cni.find((o) => o.kind === 'DaemonSet').spec.template
    const seed = podServer({ ...template, apiVersion: 'v1', kind: 'Pod', metadata: { name: 'cni-x' } })
    expect(seed).toEqual({ kind: 'httpd', port: '80', verbose: false })
    expect(podLogNote(seed)).toBeNull()
    expect(podPage(seed, 'cni-x', '10.98.1.7')).toBe('PodName: cni-x | PodIP: eth0 10.98.1.7/32\n')
    expect(podServer(pod({ command: ['/bin/sh', '-c', 'exec busybox-extras httpd -f -v -p 8080 -h /www'] }))).toEqual({
      kind: 'httpd',
      port: '8080',
      verbose: true,
    })
    expect(podServer(pod({ command: ['busybox', 'httpd', '-fvv'] }))).toMatchObject({ port: '80', verbose: true })
    expect(podServer(pod({ args: ['httpd', '-f', '-p', '80'] }))).toMatchObject({ verbose: false })
  })

  it("says plainly what it does not run: an image's own server (a stand-in answers) or another command (nothing does)", () => {
    const nginx = podServer(pod({}))
    expect(nginx).toEqual({ kind: 'stand-in', image: 'nginx' })
    expect(podPage(nginx, 'web-1', '10.98.0.9')).toBe(
      'The twin lab does not run the image nginx: a stand-in answers HTTP on port 80 in its place.\nPodName: web-1 | PodIP: eth0 10.98.0.9/32\n',
    )
    expect(podLogNote(nginx)).toMatch(/^The twin lab does not run the image nginx/)
    const sleeper = podServer(pod({ image: 'busybox', command: ['sleep', '3600'] }))
    expect(sleeper).toEqual({ kind: 'not-run', command: 'sleep 3600' })
    expect(podLogNote(sleeper)).toMatch(/^The twin lab does not run this container's command \(sleep 3600\)/)
  })
})
