import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const CLIENT = join(dirname(fileURLToPath(import.meta.url)), 'client.pl')

/**
 * Writes `<binDir>/<tool>` for each tool: a two-line sh script that execs Perl on the client (see client.pl for why
 * Perl), so the shell finds `kubectl` on PATH and each call reaches the daemon's socket.
 */
export function writeShims(binDir: string, socketPath: string, tools: string[]): void {
  mkdirSync(binDir, { recursive: true })
  for (const tool of tools) writeShim(join(binDir, tool), socketPath, [tool])
}

/** Writes one shim at `file` that calls the daemon's tool with `words` (the tool, then fixed arguments) before its own. */
export function writeShim(file: string, socketPath: string, words: string[]): void {
  writeFileSync(file, `#!/bin/sh\nexec /usr/bin/perl '${CLIENT}' '${socketPath}' ${words.join(' ')} "$@"\n`)
  chmodSync(file, 0o755)
}
