import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

/** `kubectl get -o go-template=...|go-template-file=...` through the twin's Go template engine. */
const fake = useFakeCluster('go-template-test-')
const kubectl = (argv: string[]) => fake.call(kubectlTool, argv)

function createCluster() {
  fake.createKindCluster({ nodes: [], bare: true })
  for (const [name, rack] of [
    ['n1', 'rack0'],
    ['n2', 'rack1'],
  ]) {
    fake.cluster.store.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { rack, 'kubernetes.io/os': 'linux' } },
      status: { addresses: [{ type: 'InternalIP', address: name === 'n1' ? '10.1.5.10' : '10.1.8.10' }] },
    })
  }
}

describe('kubectl get -o go-template', () => {
  it('renders range, index, if/else, len, printf and Go map values', async () => {
    createCluster()
    const template =
      '{{range .items}}{{.metadata.name}} {{index .metadata.labels "rack"}} {{range .status.addresses}}{{if eq .type "InternalIP"}}{{.address}}{{end}}{{end}}{{"\\n"}}{{end}}'
    expect(await kubectl(['get', 'nodes', '-o', `go-template=${template}`])).toEqual({
      exitCode: 0,
      stdout: 'n1 rack0 10.1.5.10\nn2 rack1 10.1.8.10\n',
      stderr: '',
    })
    expect(
      (
        await kubectl([
          'get',
          'node',
          'n1',
          '-o',
          'go-template={{len .metadata.labels}} {{.metadata.labels}} {{printf "%s/%d" .kind 3}} {{if .spec}}spec{{else}}none{{end}} {{.nope}}',
        ])
      ).stdout,
    ).toBe('2 map[kubernetes.io/os:linux rack:rack0] Node/3 none <no value>')
    writeFileSync(join(fake.dir, 'names.tmpl'), '{{range $i, $n := .items}}{{$i}}={{$n.metadata.name}} {{end}}')
    expect((await kubectl(['get', 'nodes', '-o', 'go-template-file=names.tmpl'])).stdout).toBe('0=n1 1=n2 ')
    expect(await kubectl(['get', 'nodes', '-o', 'go-template-file=missing.tmpl'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: error reading --template missing.tmpl, open missing.tmpl: no such file or directory\n',
    })
    expect((await kubectl(['get', 'nodes', '-o', 'go-template={{nope .items}}'])).stderr).toBe(
      'error: error parsing template {{nope .items}}, template: output:1: function "nope" not defined\n',
    )
  })
})
