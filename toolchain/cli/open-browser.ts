/** Opens a URL in the learner's browser when the machine has a desktop opener; says nothing works otherwise. */
import { execa } from 'execa'

const OPENERS: Record<string, string[]> = { linux: ['xdg-open'], darwin: ['open'], win32: ['cmd', '/c', 'start', '""'] }

export async function openBrowser(url: string): Promise<boolean> {
  const opener = OPENERS[process.platform]
  if (!opener) return false
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false
  const child = execa(opener[0], [...opener.slice(1), url], { stdio: 'ignore', detached: true, reject: false })
  child.unref()
  const result = await Promise.race([child, new Promise((resolve) => setTimeout(() => resolve(null), 1500))])
  return !(result && typeof result === 'object' && 'failed' in result && (result as { failed: boolean }).failed)
}
