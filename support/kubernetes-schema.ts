/**
 * The subset of the Kubernetes API the manifests in deploy/kubernetes use, as strict zod schemas written from the
 * API reference (core/v1 Namespace, Secret, Service, Pod spec; apps/v1 Deployment, StatefulSet; kustomize's
 * Kustomization). Strict objects: a misspelled or misplaced field fails, as `kubectl apply --validate=strict` would.
 */
import { z } from 'zod'

const name = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
  .max(63)
const labels = z.record(z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9_.-]+$/), z.string().max(63))
const metadata = z.strictObject({ name, namespace: name.optional(), labels: labels.optional() })
const quantity = z.union([z.string().regex(/^\d+(\.\d+)?(m|Mi|Gi|Ki)?$/), z.number()])
const portRef = z.union([z.number().int().min(1).max(65535), name])

const envVar = z.strictObject({
  name: z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
  value: z.string().optional(),
  valueFrom: z
    .union([
      z.strictObject({ secretKeyRef: z.strictObject({ name, key: z.string() }) }),
      z.strictObject({ fieldRef: z.strictObject({ fieldPath: z.string() }) }),
    ])
    .optional(),
})

const capability = z.enum([
  'SYS_ADMIN',
  'NET_ADMIN',
  'NET_RAW',
  'NET_BIND_SERVICE',
  'KILL',
  'SETUID',
  'SETGID',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'ALL',
])
const securityContext = z.strictObject({
  runAsUser: z.number().int().optional(),
  runAsNonRoot: z.boolean().optional(),
  allowPrivilegeEscalation: z.boolean().optional(),
  privileged: z.boolean().optional(),
  appArmorProfile: z.strictObject({ type: z.enum(['RuntimeDefault', 'Unconfined', 'Localhost']) }).optional(),
  seccompProfile: z.strictObject({ type: z.enum(['RuntimeDefault', 'Unconfined', 'Localhost']) }).optional(),
  capabilities: z
    .strictObject({ drop: z.array(capability).optional(), add: z.array(capability).optional() })
    .optional(),
})

export const containerSchema = z.strictObject({
  name,
  image: z.string().min(1),
  args: z.array(z.string()).optional(),
  ports: z.array(z.strictObject({ name: name.max(15), containerPort: z.number().int().min(1).max(65535) })).optional(),
  env: z.array(envVar).optional(),
  readinessProbe: z
    .strictObject({ tcpSocket: z.strictObject({ port: portRef }), periodSeconds: z.number().int().positive() })
    .optional(),
  resources: z
    .strictObject({
      requests: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
      limits: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
    })
    .optional(),
  securityContext: securityContext.optional(),
  volumeMounts: z.array(z.strictObject({ name, mountPath: z.string().startsWith('/') })).optional(),
})
export type Container = z.infer<typeof containerSchema>

const podTemplate = z.strictObject({
  metadata: z.strictObject({ labels }),
  spec: z.strictObject({
    automountServiceAccountToken: z.boolean().optional(),
    hostNetwork: z.boolean().optional(),
    hostPID: z.boolean().optional(),
    containers: z.array(containerSchema).min(1),
    volumes: z
      .array(z.strictObject({ name, emptyDir: z.strictObject({ medium: z.literal('Memory').optional() }).optional() }))
      .optional(),
  }),
})
const selector = z.strictObject({ matchLabels: labels })

export const manifestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ apiVersion: z.literal('v1'), kind: z.literal('Namespace'), metadata }),
  z.strictObject({
    apiVersion: z.literal('v1'),
    kind: z.literal('Secret'),
    metadata,
    type: z.literal('Opaque'),
    stringData: z.record(z.string(), z.string()),
  }),
  z.strictObject({
    apiVersion: z.literal('v1'),
    kind: z.literal('Service'),
    metadata,
    spec: z.strictObject({
      type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).optional(),
      clusterIP: z.literal('None').optional(),
      selector: labels,
      ports: z.array(z.strictObject({ name, port: z.number().int().min(1).max(65535), targetPort: portRef })).min(1),
    }),
  }),
  z.strictObject({
    apiVersion: z.literal('apps/v1'),
    kind: z.literal('Deployment'),
    metadata,
    spec: z.strictObject({ replicas: z.number().int().min(0), selector, template: podTemplate }),
  }),
  z.strictObject({
    apiVersion: z.literal('apps/v1'),
    kind: z.literal('StatefulSet'),
    metadata,
    spec: z.strictObject({
      serviceName: name,
      replicas: z.number().int().min(0),
      podManagementPolicy: z.enum(['OrderedReady', 'Parallel']).optional(),
      selector,
      template: podTemplate,
    }),
  }),
  z.strictObject({
    apiVersion: z.literal('kustomize.config.k8s.io/v1beta1'),
    kind: z.literal('Kustomization'),
    resources: z.array(z.string()).min(1),
  }),
])
export type Manifest = z.infer<typeof manifestSchema>
