import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CONFIG_NOT_EMULATED } from './vyos-configure.ts'

/**
 * What a router's shells (docker exec NAME ...) get besides the container's network: `vtysh` bound to the router's
 * FRR instance and VyOS's CLI on top of it, both in the container's /usr/local/bin, and `configure` with VyOS's configuration
 * mode as shell functions (`vyos-shell.sh`: interactive shells source it, `bash -c` reads it through BASH_ENV).
 * VyOS 1.2 runs configuration mode in the same bash as operational mode, with `set`, `delete`, `show`, `commit` ...
 * as shell functions and the prompt `user@host# ` after an `[edit]` line; this does the same, each function calling
 * the daemon's `vyos` tool (vyos-tool.ts) through the lab's shim.
 */

/** The placeholder /opt overlay of a router's shells, so /opt/vyatta/etc/config/config.boot exists to bind on. */
export const OPT_LAYER = 'opt'
export const VYOS_CONFIG_BOOT = '/opt/vyatta/etc/config/config.boot'

/** Every configuration-mode command of VyOS 1.2: those the twin does, and the rest, which answer that it does not. */
const CONFIG_VERBS = ['set', 'delete', 'show', 'compare', 'commit', 'save', 'discard', ...CONFIG_NOT_EMULATED]

export const routerShellRc = (dir: string) => join(dir, 'vyos-shell.sh')

function shellFunctions(vyos: string): string {
  // </dev/null: the shim reads a piped stdin whole, which would eat the rest of a script fed to bash on stdin.
  return `# VyOS configuration mode for this router's shells (see router-shell.ts).
_vyos() { ${vyos} "$@" </dev/null; }
configure() {
  if [ -n "\${_vyos_session-}" ]; then return 0; fi
  _vyos cfg $$ begin || return
  _vyos_session=$$
  _vyos_ps1=$PS1
  _vyos_prompt=\${PROMPT_COMMAND-}
  PS1='\\u@\\h# '
  PROMPT_COMMAND='echo "[edit]"'
  for _vyos_verb in ${CONFIG_VERBS.join(' ')}; do
    eval "$_vyos_verb() { _vyos cfg \\"\\$_vyos_session\\" $_vyos_verb \\"\\$@\\"; }"
  done
  run() { command "$@"; }
  exit() { _vyos cfg "$_vyos_session" exit "$@" && _vyos_leave; }
}
_vyos_leave() {
  unset -f ${CONFIG_VERBS.join(' ')} run exit
  PS1=$_vyos_ps1
  PROMPT_COMMAND=$_vyos_prompt
  unset _vyos_session _vyos_ps1 _vyos_prompt _vyos_verb
}
`
}

/**
 * Writes `vtysh` and `show` into `bin` (the router's container shows it at /usr/local/bin), `vyos-shell.sh` and the
 * /opt layer into the router's dir, which the container shows at `frrDir` (/etc/frr).
 */
export function writeRouterShell(dir: string, frrDir: string, bin: string, container: string, vyosShim: string): void {
  mkdirSync(bin, { recursive: true })
  const vyos = `'${vyosShim}' '${container}'`
  const scripts: Record<string, string> = {
    // The instance dir as the container shows it: `cat $(which vtysh)` in the router names no path of the lab.
    vtysh: `exec /usr/bin/vtysh --config_dir ${frrDir} --vty_socket ${frrDir} "$@"`,
    show: `exec ${vyos} show "$@" </dev/null`,
  }
  for (const [name, body] of Object.entries(scripts)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`)
    chmodSync(join(bin, name), 0o755)
  }
  writeFileSync(routerShellRc(dir), shellFunctions(vyos))
  const boot = join(dir, OPT_LAYER, VYOS_CONFIG_BOOT.replace(/^\/opt\//, ''))
  mkdirSync(join(boot, '..'), { recursive: true })
  writeFileSync(boot, '')
}
