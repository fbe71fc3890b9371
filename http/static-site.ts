/**
 * Serves the built VitePress site (clean URLs: `/guide/intro` -> `guide/intro.html`, `/zh/` -> `zh/index.html`),
 * with the 404 page for the rest. Hashed assets are cached for good; pages are revalidated.
 *
 * Every answer carries a Content-Security-Policy: a page of this origin drives a root shell, so no other page may
 * frame it (clickjacking: `frame-ancestors 'none'`, and X-Frame-Options for older browsers), and only this origin's
 * scripts run in it. VitePress inlines a few scripts in each page (appearance, site data); a page's policy allows
 * exactly those, by their sha256.
 */
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
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

const POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  // Vue and VitePress set style attributes, and the diagrams carry their own <style>.
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
]

/** Headers for every answer of a server that serves this site (the runner, the hub), refusals included. */
export function securityHeaders(scriptHashes: readonly string[] = []): Record<string, string> {
  return {
    'content-security-policy': [
      ...POLICY,
      ["script-src 'self'", ...scriptHashes.map((h) => `'sha256-${h}'`)].join(' '),
    ].join('; '),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // The printed link carries the token until the page takes it off the address bar: never send it elsewhere.
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
  }
}

export function serveStatic(root: string, pathname: string, response: ServerResponse): void {
  // One build folder per request: the site path is a link that a rebuild switches (toolchain/site/site-builds.ts), and
  // the folder it pointed to stays until the next switch, so a request never mixes two builds or meets a missing file.
  let site: string
  try {
    site = realpathSync(root)
  } catch {
    response.writeHead(404, { ...securityHeaders(), 'content-type': TYPES['.txt'] })
    return void response.end('not found: the site is not built')
  }
  const file = resolveFile(site, pathname)
  if (!file) {
    const notFound = join(site, '404.html')
    if (!existsSync(notFound)) {
      response.writeHead(404, { ...securityHeaders(), 'content-type': TYPES['.txt'] })
      return void response.end('not found')
    }
    const page = readPage(notFound)
    response.writeHead(404, { ...securityHeaders(page.scriptHashes), 'content-type': TYPES['.html'] })
    return void response.end(page.body)
  }
  const type = TYPES[extname(file)] ?? 'application/octet-stream'
  const cache = {
    'cache-control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  }
  if (extname(file) === '.html') {
    const page = readPage(file)
    response.writeHead(200, { ...securityHeaders(page.scriptHashes), ...cache, 'content-type': type })
    return void response.end(page.body)
  }
  response.writeHead(200, { ...securityHeaders(), ...cache, 'content-type': type })
  // A file removed between the lookup and the read ends this answer, not the process.
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response)
}

interface Page {
  body: Buffer
  scriptHashes: string[]
}

/** Pages by path, kept while their file is unchanged (a rebuild replaces them). */
const pages = new Map<string, { stamp: string; page: Page }>()

function readPage(file: string): Page {
  const stat = statSync(file)
  const stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`
  const cached = pages.get(file)
  if (cached?.stamp === stamp) return cached.page
  const body = readFileSync(file)
  const scriptHashes = [...body.toString('utf8').matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attributes, content]) => !/\bsrc\s*=/i.test(attributes) && content.length > 0)
    .map(([, , content]) => createHash('sha256').update(content, 'utf8').digest('base64'))
  const page = { body, scriptHashes: [...new Set(scriptHashes)] }
  // Keys are real paths, so each rebuild brings new ones: start over rather than keep every build's pages.
  if (pages.size >= 1000) pages.clear()
  pages.set(file, { stamp, page })
  return page
}

function resolveFile(root: string, pathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  const base = normalize(join(root, decoded))
  if (!inside(root, base)) return null
  for (const candidate of [base, `${base}.html`, join(base, 'index.html')]) {
    // A link in the build (a file copied from docs/public as a link) may point anywhere on the machine, and the
    // runner reads as root: only a file whose real path is in the build is served.
    if (existsSync(candidate) && statSync(candidate).isFile())
      return inside(root, realpathSync(candidate)) ? candidate : null
  }
  return null
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep)
}
