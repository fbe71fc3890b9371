/**
 * The command-line tools of the images the lab's containers stand for, where the machine lacks them. The containers
 * run the machine's binaries, so a tool that the image has and the machine does not would answer "command not
 * found": a learner would think the image lacks it. netshoot (nicolaka/netshoot, its README's package list) is the
 * lab's troubleshooting image; busybox gives the lab some of its tools as applets (traceroute, nc, arping, telnet),
 * and the rest answer that the twin does not have them, with what to use instead. Likewise the system tools of kind
 * nodes and VyOS routers whose machine counterparts would describe another system.
 */
import { existsSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { NotEmulatedError } from '../daemon/not-emulated.ts'

/** The machine's busybox, whose applets run by the name they are called with. */
const BUSYBOX = ['/usr/bin/busybox', '/bin/busybox'].find((path) => existsSync(path))

/** Tools of netshoot that busybox provides as applets. */
const NETSHOOT_APPLETS = ['traceroute', 'traceroute6', 'nc', 'arping', 'telnet']

/** Tools of netshoot (its Dockerfile's apk list and fetched binaries) the twin does not carry, each with what does the job in the lab. */
const NETSHOOT_MISSING: Record<string, string> = {
  mtr: 'Trace the path with traceroute -n <address>.',
  iperf: 'The twin measures no bandwidth; reach a service with curl.',
  iperf3: 'The twin measures no bandwidth; reach a service with curl.',
  nmap: 'Check one port with nc -zv <address> <port>, or curl for HTTP.',
  tshark: 'Capture with tcpdump -ni <interface>.',
  termshark: 'Capture with tcpdump -ni <interface>.',
  ngrep: 'Capture with tcpdump -ni <interface> -A.',
  socat: 'Use nc for a TCP connection, or curl for HTTP.',
  fping: 'Use ping -c 1 <address> for each address.',
  iftop: 'Capture with tcpdump -ni <interface>.',
  ethtool: 'Read the interfaces with ip -d link.',
  conntrack: 'The twin does not expose the connection tracking table.',
  ipvsadm: 'The lab balances services with nftables, not IPVS: nft list ruleset on a node.',
  tcptraceroute: 'Trace the path with traceroute -n <address>.',
  strace: 'The twin does not trace system calls in its containers.',
  grpcurl: 'The lab serves HTTP: use curl.',
  websocat: 'The lab serves HTTP: use curl.',
  swaks: 'The lab runs no mail server.',
  // netshoot's own shell (its Dockerfile's CMD): a pod has bash and sh.
  zsh: 'Use bash or sh: kubectl exec -it POD -- bash.',
  ab: 'The twin measures no load; send requests with curl in a loop.',
  drill: 'Query DNS with dig or nslookup.',
  nping: 'Use ping, or nc -zv <address> <port> for a TCP port.',
  ipset: 'The twin keeps no IP sets.',
  iptables:
    "A pod's own namespace has no rules; a node's service rules are nftables: docker exec NODE nft list ruleset.",
  'iptraf-ng': 'Capture with tcpdump -ni <interface>.',
  ltrace: 'The twin does not trace library calls in its containers.',
  scapy: 'Capture with tcpdump -ni <interface>; send with ping, nc or curl.',
  'speedtest-cli': 'The lab has no way out to the internet.',
  ctop: "List the pods with kubectl get pods -o wide, a node's containers with docker exec NODE crictl ps.",
  calicoctl: 'The lab runs Cilium, not Calico: cilium bgp peers in an agent pod, or cilium status.',
  bird: "The lab's routers run FRR: docker exec clab-bgp-leaf0 vtysh.",
  birdc: "The lab's routers run FRR: docker exec clab-bgp-leaf0 vtysh.",
  dhcping: 'The lab has no DHCP server: pods get their addresses from Cilium.',
  fortio: 'The twin measures no load; send requests with curl in a loop.',
}

/**
 * Tools of a kind node (kindest/node boots systemd, which runs containerd and the kubelet) that the twin's nodes do
 * not have: the machine's own systemctl or journalctl would answer for a system that is not the node's ("not booted
 * with systemd", "no journal files"), which reads as if kind nodes ran neither.
 */
const KIND_NODE_MISSING: Record<string, string> = {
  systemctl:
    "The twin's kind nodes run no systemd: their kubelet and containerd are emulated. See the node with kubectl describe node NAME, its containers with crictl ps.",
  journalctl:
    "The twin's kind nodes keep no journal: kubectl get events and kubectl describe node show what the kubelet reports, kind export logs writes the nodes' logs.",
  kubelet: "The twin's kubelet is emulated: kubectl describe node NAME shows what it reports.",
  kubeadm: "The twin's cluster is not built by kubeadm: kind create cluster makes it, kind delete cluster removes it.",
  containerd:
    "The twin's container runtime is emulated: crictl ps and crictl pods list the node's containers and pods.",
  ctr: 'Use crictl ps and crictl pods to list the containers and pods of the node.',
}

/** Tools of a VyOS router (its image boots systemd, which runs FRR) that the twin's routers do not have. */
const ROUTER_MISSING: Record<string, string> = {
  systemctl:
    "The twin's routers run FRR without systemd: docker restart NAME restarts it, vtysh or show ip bgp shows its state.",
  journalctl: "The twin's routers keep no journal: docker logs NAME shows FRR's log.",
}

/** The tools the machine has, by name (the container's PATH minus its own /usr/local/bin). */
const MACHINE_PATH = ['/usr/local/sbin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']
const onMachine = (tool: string) => MACHINE_PATH.some((dir) => existsSync(join(dir, tool)))

/** Puts `image`'s missing tools in the container's own bin dir (its /usr/local/bin). */
export function writeImageTools(bin: string, image: string | undefined): void {
  if (image?.startsWith('kindest/node:')) writeMissing(bin, KIND_NODE_MISSING)
  if (image?.startsWith('vyos/vyos:')) writeMissing(bin, ROUTER_MISSING)
  if (!image?.startsWith('nicolaka/netshoot:')) return
  for (const tool of NETSHOOT_APPLETS) {
    const file = join(bin, tool)
    if (BUSYBOX && !onMachine(tool) && !existsSync(file)) symlinkSync(BUSYBOX, file)
  }
  // A netshoot tool the machine has is the real one, and answers as in the image.
  writeMissing(bin, Object.fromEntries(Object.entries(NETSHOOT_MISSING).filter(([tool]) => !onMachine(tool))))
}

/** The twin's honest-limits answer for each tool, printed by a script inside the container (a quoted heredoc: as is). */
function writeMissing(bin: string, tools: Record<string, string>): void {
  for (const [tool, instead] of Object.entries(tools)) {
    const { message } = new NotEmulatedError(tool, tool, instead)
    writeFileSync(join(bin, tool), `#!/bin/sh\ncat >&2 <<'EOF'\n${message}\nEOF\nexit 1\n`, { mode: 0o755 })
  }
}
