/**
 * The path and query of an HTTP request, whatever the client sent. `new URL(request.url, base)` throws on a target
 * such as `//` (read as a scheme-relative URL with an empty host), and a throw in a request or upgrade handler takes
 * the whole process down before any access check runs; so a target is read here and never throws.
 */

export interface RequestTarget {
  pathname: string
  searchParams: URLSearchParams
}

/**
 * The request target in origin form (`/path?query`, RFC 9112 section 3.2.1), or null for anything else (`*`, an
 * absolute URL meant for a proxy, nothing at all): the caller answers 400 and goes on serving.
 */
export function requestTarget(raw: string | undefined): RequestTarget | null {
  if (!raw?.startsWith('/')) return null
  try {
    // The fixed authority ends before `raw`, whose leading slash keeps everything it holds in the path and query.
    const url = new URL(`http://request${raw}`)
    return { pathname: url.pathname, searchParams: url.searchParams }
  } catch {
    return null
  }
}
