/**
 * Serves the built VitePress site (clean URLs: `/guide/intro` -> `guide/intro.html`, `/zh/` -> `zh/index.html`),
 * with the 404 page for the rest. Hashed assets are cached for good; pages are revalidated.
 */
import { createReadStream, existsSync, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
}

export function serveStatic(root: string, pathname: string, response: ServerResponse): void {
  const file = resolveFile(root, pathname)
  if (!file) {
    const notFound = join(root, '404.html')
    response.writeHead(404, { 'content-type': TYPES['.html'] })
    if (existsSync(notFound)) createReadStream(notFound).pipe(response)
    else response.end('not found')
    return
  }
  const immutable = pathname.startsWith('/assets/')
  response.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  })
  createReadStream(file).pipe(response)
}

function resolveFile(root: string, pathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  const base = normalize(join(root, decoded))
  if (base !== root && !base.startsWith(root + sep)) return null
  for (const candidate of [base, `${base}.html`, join(base, 'index.html')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return null
}
