import { execFileSync } from 'node:child_process'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { EDITED_ENV } from './edit.ts'
import { kubectlTool } from './kubectl.ts'

const fake = useFakeCluster('kubectl-edit-')

/** A kubectl call with the environment the shim forwards (the second call of an edit carries EDITED_ENV). */
async function kubectl(argv: string[], env: Record<string, string> = {}, stdin: string | null = null) {
  let stdout = ''
  let stderr = ''
  const io = {
    argv,
    cwd: fake.dir,
    env,
    stdin,
    tty: true,
    stdout: (t: string) => void (stdout += t),
    stderr: (t: string) => void (stderr += t),
  }
  const result = await kubectlTool(io, fake.lab)
  return { ...result, stdout, stderr }
}

function createCluster() {
  fake.createKindCluster()
}

/** Runs the shim's part of an edit: the script with `editor`, and a `kubectl` on PATH that keeps what it was given. */
function runScript(execLocal: string[], editor: string): { argv: string; env: string; stdin: string } {
  const bin = join(fake.dir, 'bin')
  execFileSync('mkdir', ['-p', bin])
  writeFileSync(
    join(bin, 'kubectl'),
    `#!/bin/sh\necho "$@" > "${fake.dir}/argv"\necho "$${EDITED_ENV}" > "${fake.dir}/env"\ncat > "${fake.dir}/stdin"\n`,
  )
  chmodSync(join(bin, 'kubectl'), 0o755)
  execFileSync(execLocal[0], execLocal.slice(1), {
    env: { PATH: `${bin}:${process.env.PATH}`, KUBE_EDITOR: editor, TMPDIR: fake.dir },
  })
  const read = (name: string) => readFileSync(join(fake.dir, name), 'utf8')
  return { argv: read('argv').trim(), env: read('env').trim(), stdin: read('stdin') }
}

describe('kubectl edit', () => {
  it("opens $KUBE_EDITOR on the object with kubectl's header, then stores what was saved: edited", async () => {
    createCluster()
    const first = await kubectl(['edit', 'deploy', 'coredns', '-n', 'kube-system'])
    if (!('execLocal' in first)) throw new Error('expected the editor to be handed to the shim')
    const content = first.execLocal[4]
    expect(content).toMatch(
      /^# Please edit the object below\. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit\. If an error occurs while saving this file will be\n# reopened with the relevant failures\.\n#\napiVersion: apps\/v1\nkind: Deployment\n/,
    )
    const shim = runScript(first.execLocal, "sed -i 's/replicas: 2/replicas: 5/'")
    expect(shim.argv).toBe('edit deploy coredns -n kube-system')
    expect(shim.env).toBe('1')
    expect(shim.stdin).toBe(content.replace('replicas: 2', 'replicas: 5'))
    const second = await kubectl(['edit', 'deploy', 'coredns', '-n', 'kube-system'], { [EDITED_ENV]: '1' }, shim.stdin)
    expect(second).toEqual({ exitCode: 0, stdout: 'deployment.apps/coredns edited\n', stderr: '' })
    expect(fake.cluster.store.get('Deployment', 'kube-system', 'coredns')!.spec.replicas).toBe(5)
  })

  it('cancels when nothing changed or the file is empty; refuses a changed name', async () => {
    createCluster()
    const first = await kubectl(['edit', 'svc', 'kubernetes'])
    if (!('execLocal' in first)) throw new Error('expected the editor to be handed to the shim')
    const unchanged = runScript(first.execLocal, 'true').stdin
    const again = (stdin: string) => kubectl(['edit', 'svc', 'kubernetes'], { [EDITED_ENV]: '1' }, stdin)
    expect(await again(unchanged)).toEqual({ exitCode: 0, stdout: '', stderr: 'Edit cancelled, no changes made.\n' })
    expect(await again('# nothing\n\n')).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'Edit cancelled, saved file was empty.\n',
    })
    expect(await again(unchanged.replace('name: kubernetes', 'name: other'))).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: At least one of apiVersion, kind and name was changed\n',
    })
    expect(await kubectl(['edit', 'svc', 'nope'])).toMatchObject({
      exitCode: 1,
      stderr: 'Error from server (NotFound): services "nope" not found\n',
    })
  })
})
