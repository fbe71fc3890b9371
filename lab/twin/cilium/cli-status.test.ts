import { describe, expect, it } from 'vitest'
import { formatCliStatus } from './cli-status.ts'

const plain = (text: string) => text.replace(/\x1b\[\d+m/g, '')

describe('cilium status (cilium-cli)', () => {
  it('prints the logo box aligned through the colour codes, then workloads, pods, chart and images', () => {
    const text = formatCliStatus({
      workloads: [
        { type: 'DaemonSet', name: 'cilium', desired: 4, ready: 4, available: 4 },
        { type: 'Deployment', name: 'cilium-operator', desired: 1, ready: 1, available: 1 },
      ],
      phases: { cilium: { Running: 4 }, 'cilium-operator': { Running: 1 } },
      pods: { all: 3, byCilium: 3 },
      helmChartVersion: '1.18.2',
      images: {
        cilium: { 'quay.io/cilium/cilium:v1.18.2': 4 },
        'cilium-operator': { 'quay.io/cilium/operator-generic:v1.18.2': 1 },
      },
      errors: [],
      warnings: [],
      disabled: [],
      envoy: false,
    })
    expect(plain(text).split('\n')).toEqual([
      '    /¯¯\\',
      ' /¯¯\\__/¯¯\\    Cilium:             OK',
      ' \\__/¯¯\\__/    Operator:           OK',
      ' /¯¯\\__/¯¯\\    Envoy DaemonSet:    disabled (using embedded mode)',
      ' \\__/¯¯\\__/    Hubble Relay:       disabled',
      '    \\__/       ClusterMesh:        disabled',
      '',
      'DaemonSet              cilium             Desired: 4, Ready: 4/4, Available: 4/4',
      'Deployment             cilium-operator    Desired: 1, Ready: 1/1, Available: 1/1',
      'Containers:            cilium             Running: 4',
      '                       cilium-operator    Running: 1',
      'Cluster Pods:          3/3 managed by Cilium',
      'Helm chart version:    1.18.2',
      'Image versions         cilium             quay.io/cilium/cilium:v1.18.2: 4',
      '                       cilium-operator    quay.io/cilium/operator-generic:v1.18.2: 1',
      '',
    ])
    expect(text).toContain('\x1b[32mOK\x1b[0m')
  })

  it('before Cilium is installed: the agent DaemonSet not found as an error, the operator disabled, pending pods counted', () => {
    const text = formatCliStatus({
      workloads: [],
      phases: { cilium: {}, 'cilium-operator': {} },
      pods: { all: 3, byCilium: 0 },
      helmChartVersion: '',
      images: {},
      errors: [{ workload: 'cilium', pod: 'cilium', message: 'daemonsets.apps "cilium" not found' }],
      warnings: [],
      disabled: ['cilium-operator'],
      envoy: false,
    })
    expect(plain(text).split('\n')).toEqual([
      '    /¯¯\\',
      ' /¯¯\\__/¯¯\\    Cilium:             1 errors',
      ' \\__/¯¯\\__/    Operator:           disabled',
      ' /¯¯\\__/¯¯\\    Envoy DaemonSet:    disabled (using embedded mode)',
      ' \\__/¯¯\\__/    Hubble Relay:       disabled',
      '    \\__/       ClusterMesh:        disabled',
      '',
      'Containers:            cilium             ',
      '                       cilium-operator    ',
      'Cluster Pods:          0/3 managed by Cilium',
      'Helm chart version:    ',
      'Errors:                cilium    cilium    daemonsets.apps "cilium" not found',
      '',
    ])
  })
})
