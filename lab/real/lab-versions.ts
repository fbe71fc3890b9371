/**
 * The real lab's version matrix, per section of the course. Chapters 3 to 8 follow the seed walkthrough (kind 0.18,
 * Kubernetes 1.23, Cilium 1.13, MetalLB 0.13); the BGP v2 section needs a cluster Cilium 1.18 is tested on, which no
 * Cilium 1.13 runs on, so that section rebuilds the cluster (see section-install.ts).
 */
export interface LabVersions {
  kind: string
  /** The kind node image, which fixes the cluster's Kubernetes version. */
  nodeImage: string
  kubernetes: string
  /** kubectl matching the cluster (Kubernetes supports one minor version of skew). */
  kubectl: string
  cilium: string
  /** cilium-cli, for the sections whose steps run `cilium`. */
  ciliumCli?: string
  metallb?: string
  containerlab: string
}

export const BASE_VERSIONS: LabVersions = {
  kind: 'v0.18.0',
  nodeImage: 'kindest/node:v1.23.4',
  kubernetes: '1.23.4',
  kubectl: 'v1.23.4',
  cilium: '1.13.0-rc5',
  metallb: 'v0.13.10',
  containerlab: '0.54.2',
}

/**
 * Cilium 1.18's documentation lists Kubernetes 1.30 to 1.33 as e2e-tested; kind v0.29.0's default node image is
 * kindest/node:v1.33.1. cilium-cli's stable release is the one Cilium's install guide fetches.
 */
export const BGP_V2_VERSIONS: LabVersions = {
  kind: 'v0.29.0',
  nodeImage: 'kindest/node:v1.33.1',
  kubernetes: '1.33.1',
  kubectl: 'v1.33.1',
  cilium: '1.18.2',
  ciliumCli: 'stable',
  containerlab: '0.54.2',
}

/** The versions a section of the course runs on the real lab. */
export const versionsFor = (section: string | undefined): LabVersions =>
  section === 'bgp-v2' ? BGP_V2_VERSIONS : BASE_VERSIONS
