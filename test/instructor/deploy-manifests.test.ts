/**
 * deploy/kubernetes validated without a cluster: every document against the API subset schema, then the references
 * between them (selectors, named ports, secret keys, the headless service, the kustomization's file list) and the
 * security settings the twin needs (and the hub does not).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isScalar, isSeq, parseAllDocuments } from 'yaml'
import { type Container, type Manifest, manifestSchema } from '../../support/kubernetes-schema.ts'

const dir = 'deploy/kubernetes'
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
const sources = files.map((file) => ({ file, docs: parseAllDocuments(readFileSync(join(dir, file), 'utf8')) }))
const manifests: Array<{ file: string; manifest: Manifest }> = []
for (const { file, docs } of sources) {
  for (const [i, doc] of docs.entries()) {
    const parsed = manifestSchema.safeParse(doc.toJS())
    if (!parsed.success)
      throw new Error(
        `${file} document ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`,
      )
    manifests.push({ file, manifest: parsed.data })
  }
}
const of = <K extends Manifest['kind']>(kind: K) =>
  manifests.map((m) => m.manifest).filter((m): m is Extract<Manifest, { kind: K }> => m.kind === kind)
const workloads = [...of('Deployment'), ...of('StatefulSet')]
const container = (workload: string): Container =>
  workloads.find((w) => w.metadata.name === workload)!.spec.template.spec.containers[0]
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v)

describe('deploy/kubernetes', () => {
  it('parses against the API schema, all in the workshop namespace', () => {
    expect(files).toEqual([
      'hub.yaml',
      'kustomization.yaml',
      'learner-lab-service.yaml',
      'learner-lab.yaml',
      'namespace.yaml',
      'secret.yaml',
    ])
    const namespace = of('Namespace')[0].metadata.name
    for (const { manifest } of manifests) {
      if (manifest.kind !== 'Namespace' && manifest.kind !== 'Kustomization')
        expect(manifest.metadata.namespace).toBe(namespace)
    }
  })

  it('lists every manifest file in the kustomization', () => {
    expect([...of('Kustomization')[0].resources].sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml'))
  })

  it("selects each workload's own pods and reaches named container ports", () => {
    for (const w of workloads) expect(matches(w.spec.selector.matchLabels, w.spec.template.metadata.labels)).toBe(true)
    for (const service of of('Service')) {
      const selected = workloads.filter((w) =>
        matches(
          Object.fromEntries(Object.entries(service.spec.selector).filter(([k]) => !k.startsWith('statefulset.'))),
          w.spec.template.metadata.labels,
        ),
      )
      expect(selected, `${service.metadata.name} selects a workload`).toHaveLength(1)
      const ports = selected[0].spec.template.spec.containers.flatMap((c) => c.ports ?? []).map((p) => p.name)
      for (const port of service.spec.ports) expect(ports).toContain(port.targetPort)
    }
    for (const set of of('StatefulSet')) {
      expect(of('Service').find((s) => s.metadata.name === set.spec.serviceName)?.spec.clusterIP).toBe('None')
    }
  })

  it('reads only secret keys that exist, and the lab joins the hub through its Service', () => {
    const secrets = of('Secret')
    for (const w of workloads) {
      for (const env of w.spec.template.spec.containers.flatMap((c) => c.env ?? [])) {
        const ref = env.valueFrom && 'secretKeyRef' in env.valueFrom ? env.valueFrom.secretKeyRef : undefined
        if (ref)
          expect(Object.keys(secrets.find((s) => s.metadata.name === ref.name)?.stringData ?? {})).toContain(ref.key)
      }
    }
    const link = new URL(secrets[0].stringData['join-link'])
    const hub = of('Service').find((s) => s.metadata.name === 'hub')!
    expect(link.hostname).toBe(`hub.${hub.metadata.namespace}.svc`)
    expect(Number(link.port)).toBe(hub.spec.ports[0].port)
    expect(new URLSearchParams(link.hash.slice(1)).get('code')).toBe(secrets[0].stringData['workshop-code'])
  })

  it('gives the lab the capabilities the twin needs, each explained, and the hub none', () => {
    const lab = container('learner-lab').securityContext!
    expect(lab.privileged).toBe(false)
    expect(lab.capabilities?.drop).toEqual(['ALL'])
    expect(lab.capabilities?.add).toEqual(expect.arrayContaining(['SYS_ADMIN', 'NET_ADMIN', 'NET_RAW']))
    const hub = container('hub').securityContext!
    expect(hub).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } })
    expect(hub.capabilities?.add).toBeUndefined()
    // The "why" of each added capability is the comment above it in learner-lab.yaml.
    const doc = sources.find((s) => s.file === 'learner-lab.yaml')!.docs[0]
    const add = doc.getIn(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'capabilities', 'add'], true)
    expect(isSeq(add)).toBe(true)
    if (!isSeq(add)) return
    // yaml attaches the comment above the first item to the list itself.
    let explained = Boolean(add.commentBefore)
    for (const item of add.items) {
      if (!isScalar(item)) throw new Error('capability is not a scalar')
      // One comment may explain a group of related capabilities listed right under it.
      if (item.commentBefore) explained = true
      expect(explained, `${String(item.value)} has a comment saying why`).toBe(true)
    }
  })

  it('runs the roles the image entry script knows', () => {
    const entry = readFileSync('deploy/entrypoint.sh', 'utf8')
    for (const w of workloads) {
      const role = w.spec.template.spec.containers[0].args?.[0]
      expect(entry).toContain(`\n  ${role})\n`)
    }
  })
})
