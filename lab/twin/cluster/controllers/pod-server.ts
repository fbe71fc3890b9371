import type { KObject } from '../store.ts'

/**
 * What serves in a workload pod, read from its first container's command and image. The twin runs one server, the
 * machine's busybox httpd; what else a pod would run is said plainly, never silently replaced:
 *  - busybox httpd in the command (the seed's netshoot pods: `busybox-extras httpd -f -p 80 -h /www`): busybox httpd
 *    on the command's -p port, logging each request with -v only, serving the page the seed's command writes (the
 *    pod's name and address);
 *  - another command (`sleep 3600`, a shell loop, a server the twin lacks): nothing listens, and the pod's log says
 *    the command was not run;
 *  - no command: the image's own server (nginx), which the twin does not run: a stand-in busybox httpd on port 80,
 *    whose page and log say so, and which logs each request, as an image's server does.
 */
export type PodServer =
  | { kind: 'httpd'; port: string; verbose: boolean }
  | { kind: 'stand-in'; image: string }
  | { kind: 'not-run'; command: string }

export function podServer(pod: KObject): PodServer {
  const container = pod.spec.containers?.[0] ?? {}
  const typed: string[] = [...(container.command ?? []), ...(container.args ?? [])]
  if (typed.length === 0) return { kind: 'stand-in', image: container.image ?? '' }
  const words = typed.join(' ').split(/\s+/)
  const httpd = words.findIndex((word) => /(^|\/)httpd$/.test(word))
  if (httpd < 0) return { kind: 'not-run', command: typed.join(' ') }
  const options = words.slice(httpd + 1)
  const port = options.findIndex((word) => word === '-p')
  return {
    kind: 'httpd',
    port: port >= 0 && options[port + 1] ? options[port + 1] : '80',
    verbose: options.some((word) => /^-[a-zA-Z]*v/.test(word)),
  }
}

/** The page a pod's server answers: the seed's `PodName: ... | PodIP: ...`, after what a stand-in is. */
export function podPage(server: PodServer, pod: string, ip: string): string {
  const seed = `PodName: ${pod} | PodIP: eth0 ${ip}/32\n`
  return server.kind === 'stand-in' ? `${standInNote(server.image)}\n${seed}` : seed
}

const standInNote = (image: string) =>
  `The twin lab does not run the image ${image || '(none)'}: a stand-in answers HTTP on port 80 in its place.`

/** The line a pod's log starts with when its container does not run as its spec says, or null when it does. */
export function podLogNote(server: PodServer): string | null {
  if (server.kind === 'stand-in') return standInNote(server.image)
  if (server.kind === 'not-run')
    return `The twin lab does not run this container's command (${server.command}): it runs busybox httpd only. Open a shell in the pod with kubectl exec -it POD -- sh.`
  return null
}
