/**
 * What the instructor page needs to know from its address: which view (dashboard, presenter, join, follow), the hub's
 * address, and the credential. Credentials arrive in the fragment (never sent to a server) and are moved into
 * sessionStorage at once, so a projected address bar never shows the instructor secret.
 */
export type HubView = 'dashboard' | 'presenter' | 'join' | 'follow' | 'missing'

export interface HubLink {
  view: HubView
  /** http(s) origin of the hub. */
  hub: string
  secret?: string
  code?: string
  /** A learner token, when a hosted learner follows the presenter. */
  token?: string
}

const KEY = 'instructor-hub-link'

export function readHubLink(): HubLink {
  const params = new URLSearchParams(location.hash.slice(1))
  const stored = JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Partial<HubLink>
  const link: Partial<HubLink> = { ...stored }
  for (const name of ['secret', 'code', 'token', 'hub'] as const) {
    const value = params.get(name)
    if (value) link[name] = value
  }
  const asked = params.get('view') as HubView | null
  if (params.has('secret')) link.code = undefined
  if (params.has('code') || params.has('token')) link.secret = undefined
  link.hub ??= location.origin
  link.view = asked ?? (link.secret ? 'dashboard' : link.code ? 'join' : link.token ? 'follow' : 'missing')
  sessionStorage.setItem(KEY, JSON.stringify(link))
  if (params.has('secret') || params.has('code') || params.has('token')) {
    history.replaceState(history.state, '', location.pathname + location.search + (asked ? `#view=${asked}` : ''))
  }
  return link as HubLink
}

export function socketUrl(hub: string, path: string): string {
  const url = new URL(path, hub)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return url.toString()
}
