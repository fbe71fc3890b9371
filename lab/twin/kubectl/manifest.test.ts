import { describe, expect, it } from 'vitest'
import { ManifestError, parseManifest, readManifests } from './manifest.ts'

describe('parseManifest', () => {
  it('reads every document of a multi-document file, skipping empty ones', () => {
    const items = parseManifest(
      '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n',
      'f.yaml',
    )
    expect(items.map((i) => `${i.object.kind}/${i.object.metadata.name}`)).toEqual(['Service/a', 'Namespace/b'])
  })

  it("reports YAML errors like kubectl, counting lines from the document's start", () => {
    const text =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  labels: x: y\n'
    const error = (() => {
      try {
        parseManifest(text, 'cni.yaml')
      } catch (e) {
        return e as ManifestError
      }
    })()
    expect(error).toBeInstanceOf(ManifestError)
    expect(error!.code).toBe('TWIN_KUBECTL_YAML')
    expect(error!.message).toBe(
      'error: error parsing cni.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context',
    )
  })

  it('refuses an object without kind', () => {
    expect(() => parseManifest('apiVersion: v1\nmetadata:\n  name: a\n', 'x.yaml')).toThrow(/kind not set/)
  })

  it('knows the MetalLB 0.13.10 manifest offline, also behind a mirror prefix', async () => {
    const items = await readManifests(
      'https://mirror.example/https://raw.githubusercontent.com/metallb/metallb/v0.13.10/config/manifests/metallb-native.yaml',
      '/',
      null,
    )
    expect(items).toHaveLength(24)
    expect(items[0].object.kind).toBe('Namespace')
    await expect(readManifests('https://example.com/other.yaml', '/', null)).rejects.toThrow(/unable to read URL/)
    await expect(readManifests('missing.yaml', '/nonexistent', null)).rejects.toThrow(
      'error: the path "missing.yaml" does not exist',
    )
  })
})
