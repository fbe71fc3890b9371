import { createHash } from 'node:crypto'

/** The alphabet of Kubernetes' generated name suffixes (k8s.io/apimachinery/pkg/util/rand): no vowels, no 0/1/3. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** `cni-` -> `cni-8cnm5`: a generateName suffix of 5 characters. */
export function generateName(
  prefix: string,
  taken: (name: string) => boolean = () => false,
  random = Math.random,
): string {
  for (;;) {
    let suffix = ''
    for (let i = 0; i < 5; i++) suffix += ALPHABET[Math.floor(random() * ALPHABET.length)]
    if (!taken(prefix + suffix)) return prefix + suffix
  }
}

/** A stable pod-template-hash (as in `coredns-64897985d-...`), derived from the pod template. */
export function templateHash(template: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(template)).digest()
  let hash = ''
  for (let i = 0; i < 10; i++) hash += ALPHABET[digest[i] % ALPHABET.length]
  return hash
}
