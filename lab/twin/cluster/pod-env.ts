import { CONTAINER_PATH } from '../container/exec-lookup.ts'
import type { KObject, ObjectStore } from './store.ts'

const envName = (name: string) => name.toUpperCase().replaceAll('-', '_')

/**
 * The variables the kubelet gives a container for a service (pkg/kubelet/envvars/envvars.go FromServices, 1.23):
 * `{SVC}_SERVICE_HOST`, `{SVC}_SERVICE_PORT` (first port) and one per named port, then docker-link variables per
 * port. A service without a cluster IP (headless) gives none.
 */
export function serviceEnv(service: KObject): string[] {
  const ip: string | undefined = service.spec?.clusterIP
  const ports: Array<{ name?: string; port: number; protocol?: string }> = service.spec?.ports ?? []
  if (!ip || ip === 'None' || ports.length === 0) return []
  const prefix = envName(service.metadata.name)
  const vars = [`${prefix}_SERVICE_HOST=${ip}`, `${prefix}_SERVICE_PORT=${ports[0].port}`]
  for (const port of ports) if (port.name) vars.push(`${prefix}_SERVICE_PORT_${envName(port.name)}=${port.port}`)
  ports.forEach((port, i) => {
    const protocol = port.protocol ?? 'TCP'
    const url = `${protocol.toLowerCase()}://${ip}:${port.port}`
    if (i === 0) vars.push(`${prefix}_PORT=${url}`)
    const each = `${prefix}_PORT_${port.port}_${protocol.toUpperCase()}`
    vars.push(
      `${each}=${url}`,
      `${each}_PROTO=${protocol.toLowerCase()}`,
      `${each}_PORT=${port.port}`,
      `${each}_ADDR=${ip}`,
    )
  })
  return vars
}

/**
 * The environment a command exec'd in a pod's first container starts with, as the container's processes have it:
 * the image's PATH, the host name the runtime sets, the container's own `env` (plain values and the downward API's
 * spec.nodeName, metadata.name, metadata.namespace, status.podIP), and the service variables of the kubelet
 * (kubelet_pods.go getServiceEnvVarMap: the pod's namespace's services, plus `kubernetes` of default, those that
 * existed when the pod started; none of the namespace's with enableServiceLinks: false), HOME of root. Nothing of the
 * lab host's environment reaches it. The kubelet builds the service variables from a map: their order is Go's
 * random map order on the real lab, sorted here.
 */
export function podEnv(store: ObjectStore, pod: KObject, hostname: string, tty: boolean): string[] {
  const started = pod.metadata.creationTimestamp ?? ''
  const namespace = pod.metadata.namespace ?? 'default'
  const links = pod.spec.enableServiceLinks !== false
  const services = store
    .list('Service')
    .filter(
      (s) =>
        (s.metadata.creationTimestamp ?? '') <= started &&
        ((links && s.metadata.namespace === namespace) ||
          (s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes')),
    )
  const own: string[] = []
  for (const variable of pod.spec.containers?.[0]?.env ?? []) {
    const value = variable.valueFrom ? downward(pod, variable.valueFrom.fieldRef?.fieldPath) : variable.value
    if (value !== undefined) own.push(`${variable.name}=${value}`)
  }
  const named = new Set(own.map((v) => v.slice(0, v.indexOf('='))))
  const fromServices = services
    .flatMap(serviceEnv)
    .filter((v) => !named.has(v.slice(0, v.indexOf('='))))
    .sort()
  return [
    `PATH=${CONTAINER_PATH}`,
    `HOSTNAME=${hostname}`,
    ...(tty ? ['TERM=xterm'] : []),
    ...own,
    ...fromServices,
    'HOME=/root',
  ]
}

/** A downward-API field of the pod (the ones the lab's manifests and charts use), or undefined for others. */
function downward(pod: KObject, path: string | undefined): string | undefined {
  if (path === 'spec.nodeName') return pod.spec.nodeName
  if (path === 'metadata.name') return pod.metadata.name
  if (path === 'metadata.namespace') return pod.metadata.namespace
  if (path === 'status.podIP') return pod.status?.podIP
  if (path === 'status.hostIP') return pod.status?.hostIP
  return undefined
}
