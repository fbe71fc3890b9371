import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const CLIENT = join(dirname(fileURLToPath(import.meta.url)), 'client.pl')

/** A Perl single-quoted string: only `\` and `'` are special there. */
const perlQuote = (text: string) => `'${text.replace(/[\\']/g, '\\$&')}'`

/**
 * Writes `<binDir>/<tool>` for each tool: a shim that runs the client (see client.pl for why Perl), so the shell finds
 * `kubectl` on PATH and each call reaches the daemon's socket.
 */
export function writeShims(binDir: string, socketPath: string, tools: string[]): void {
  mkdirSync(binDir, { recursive: true })
  for (const tool of tools) writeShim(join(binDir, tool), socketPath, [tool])
}

/**
 * Writes one shim at `file` that calls the daemon's tool with `words` (the tool, then fixed arguments) before its own.
 * The shim is itself a Perl script that loads the client, rather than a shell script that execs `perl CLIENT SOCKET
 * ...`: `ps` (on the lab host, or in a container whose crictl is such a shim) then shows the command as typed, never
 * the client's or the socket's path; the first thing it does is take the name the learner typed (`$0`), so `ps` shows
 * `crictl ps`, not `/usr/bin/perl /usr/local/bin/crictl ps`.
 */
export function writeShim(file: string, socketPath: string, words: string[]): void {
  const fixed = [socketPath, ...words].map(perlQuote).join(', ')
  writeFileSync(
    file,
    `#!/usr/bin/perl\nBEGIN { $0 = join ' ', (split m{/}, $0)[-1], @ARGV }\n@ARGV = (${fixed}, @ARGV);\ndo ${perlQuote(CLIENT)};\ndie $@ || "$!\\n";\n`,
  )
  chmodSync(file, 0o755)
}
