import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TwinContext } from '../context.ts'
import type { Topology } from './topology.ts'

/**
 * `containerlab graph`: containerlab 0.54 serves an interactive page of the topology on `:50080` until Ctrl-C. The
 * twin writes a small static page of the same topology (nodes with kind, image and management address; links
 * endpoint to endpoint) and has the learner's shell serve it with busybox httpd on 127.0.0.1 only, inside the lab
 * host namespace: nothing outside the lab can reach it, and Ctrl-C ends it as it ends containerlab.
 */
export const GRAPH_PORT = 50080

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export function graphPage(topology: Topology, mgmt: Map<string, string>): string {
  const nodes = [...topology.nodes.values()].sort((a, b) => a.name.localeCompare(b.name))
  const rows = nodes.map((node) => {
    const kind =
      node.kind === 'bridge'
        ? 'bridge'
        : node.sharesWith
          ? `linux (network-mode container:${node.sharesWith})`
          : 'linux'
    return `<tr><td>${escapeHtml(node.name)}</td><td>${escapeHtml(kind)}</td><td>${escapeHtml(node.image ?? '')}</td><td>${escapeHtml(mgmt.get(node.container) ?? 'N/A')}</td></tr>`
  })
  const links = topology.links.map(
    (link) =>
      `<li>${escapeHtml(`${link.a.node}:${link.a.iface}`)} &harr; ${escapeHtml(`${link.b.node}:${link.b.iface}`)}</li>`,
  )
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(topology.name)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .6em;text-align:left}</style>
</head><body>
<h1>containerlab topology: ${escapeHtml(topology.name)}</h1>
<h2>Nodes</h2>
<table><thead><tr><th>Name</th><th>Kind</th><th>Image</th><th>Management IPv4</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
<h2>Links</h2>
<ul>
${links.join('\n')}
</ul>
</body></html>
`
}

/** Writes the page into the lab's run dir; returns the command the shim runs in the learner's shell to serve it. */
export function serveGraph(
  lab: TwinContext,
  topology: Topology,
  mgmt: Map<string, string>,
  port = GRAPH_PORT,
): string[] {
  const dir = join(lab.runDir, 'clab-graph', topology.name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'index.html'), graphPage(topology, mgmt))
  return ['busybox', 'httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', dir]
}
