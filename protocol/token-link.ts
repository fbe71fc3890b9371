/**
 * How the access token gets from the printed link into the page. The link carries it once (`?token=`); the page keeps
 * it in localStorage, which only pages of the exact origin (scheme, host and port) can read, unlike a cookie of
 * 127.0.0.1 that every port of it receives, and sends it as the `lab-token.<token>` WebSocket subprotocol.
 */
export const LAB_TOKEN_STORAGE_KEY = 'lab-token'

/**
 * Runs in each page's <head>, before anything else: takes the token off the address bar into storage at once, so a
 * learner (or a test) who navigates away before the app has started does not lose it, and no later request, history
 * entry or screenshot carries it. The server allows it by its hash (http/static-site.ts).
 */
export const ADOPT_TOKEN_SCRIPT = `(function () {
  var url = new URL(location.href)
  var token = url.searchParams.get('token')
  if (!token) return
  try { localStorage.setItem(${JSON.stringify(LAB_TOKEN_STORAGE_KEY)}, token) } catch (e) { return }
  url.searchParams.delete('token')
  history.replaceState(history.state, '', url.pathname + url.search + url.hash)
})()`
