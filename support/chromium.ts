/**
 * The system's Chromium (Debian's, never one a tool downloads), headless, in a fresh profile. A file of its own so
 * that what imports the fixture runner (the terminal benchmark's runner process) does not load playwright-core: its
 * modules would triple that runner's heap, and every major GC during an output burst would pay for them.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium } from 'playwright-core'

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** @param profile the profile directory (default: a new temporary one, returned so the caller can remove it) */
export async function launchChromium(
  profile = mkdtempSync(join(tmpdir(), 'lab-chromium-')),
): Promise<{ context: BrowserContext; profile: string }> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: ARGS,
    viewport: { width: 1400, height: 1000 },
  })
  return { context, profile }
}
