import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeShim } from '../daemon/shims.ts'
import { CONFIG_NOT_EMULATED } from './vyos-configure.ts'

/**
 * What a router's shells (docker exec NAME ...) get besides the container's network: `vtysh` bound to the router's
 * FRR instance and VyOS's CLI on top of it, both in the container's /usr/local/bin, and `configure` with VyOS's configuration
 * mode as shell functions (`vyos-shell.sh`: interactive shells source it, `bash -c` reads it through BASH_ENV).
 * VyOS 1.2 runs configuration mode in the same bash as operational mode, with `set`, `delete`, `show`, `commit` ...
 * as shell functions and the prompt `user@host# ` after an `[edit]` line; this does the same, each function calling
 * the daemon's `vyos` tool (vyos-tool.ts) through `vyatta-cfg-cmd-wrapper` (the name of VyOS's own wrapper for
 * configuration commands), a shim in the container's bin, so `ps` shows a VyOS name and no path of the lab.
 */

/** The placeholder /opt overlay of a router's shells, so /opt/vyatta/etc/config/config.boot exists to bind on. */
export const OPT_LAYER = 'opt'
export const VYOS_CONFIG_BOOT = '/opt/vyatta/etc/config/config.boot'

/** Every configuration-mode command of VyOS 1.2: those the twin does, and the rest, which answer that it does not. */
const CONFIG_VERBS = ['set', 'delete', 'show', 'compare', 'commit', 'save', 'discard', ...CONFIG_NOT_EMULATED]
/** The commands that move the edit level, after which the shell asks the level for its `[edit ...]` line. */
const LEVEL_VERBS = ['edit', 'up', 'top']

export const routerShellRc = (dir: string) => join(dir, 'vyos-shell.sh')

const CFG_WRAPPER = 'vyatta-cfg-cmd-wrapper'
/** VyOS's wrapper for operational commands run from scripts (vyatta-op), here the daemon's `vyos <router> op`. */
const OP_WRAPPER = 'vyatta-op-cmd-wrapper'
/** The children of operational mode's `set` (vyatta-op templates/set). */
const OP_SET_CHILDREN = ['console', 'date', 'system', 'terminal']

function shellFunctions(): string {
  return `# VyOS configuration mode for this router's shells (see router-shell.ts).
configure() {
  if [ -n "\${_vyos_session-}" ]; then return 0; fi
  ${CFG_WRAPPER} $$ begin || return
  unalias set 2>/dev/null
  _vyos_session=$$
  _vyos_ps1=$PS1
  _vyos_prompt=\${PROMPT_COMMAND-}
  PS1='\\u@\\h# '
  _vyos_level=
  PROMPT_COMMAND='echo "[edit\${_vyos_level:+ $_vyos_level}]"'
  for _vyos_verb in ${CONFIG_VERBS.join(' ')}; do
    eval "$_vyos_verb() { ${CFG_WRAPPER} \\"\\$_vyos_session\\" $_vyos_verb \\"\\$@\\"; }"
  done
  for _vyos_verb in ${LEVEL_VERBS.join(' ')}; do
    eval "$_vyos_verb() { ${CFG_WRAPPER} \\"\\$_vyos_session\\" $_vyos_verb \\"\\$@\\"; local rc=\\$?; _vyos_level=\\$(${CFG_WRAPPER} \\"\\$_vyos_session\\" level); return \\$rc; }"
  done
  # vyatta-cfg-run vyatta_config_run: \`run\` alone is incomplete.
  run() { if [ $# -eq 0 ]; then printf '\\n  Incomplete command: run\\n\\n'; return 1; fi; command "$@"; }
  # Below the top level, exit (or exit discard) only goes back to the top; at the top it leaves configuration mode.
  exit() {
    local _vyos_was=$_vyos_level
    ${CFG_WRAPPER} "$_vyos_session" exit "$@" || return
    if [ -n "$_vyos_was" ]; then _vyos_level=; else _vyos_leave; fi
  }
}
_vyos_leave() {
  unset -f ${[...CONFIG_VERBS, ...LEVEL_VERBS].join(' ')} run exit
  PS1=$_vyos_ps1
  PROMPT_COMMAND=$_vyos_prompt
  unset _vyos_session _vyos_ps1 _vyos_prompt _vyos_verb _vyos_level
  _vyos_op_set
}
# Operational mode's \`set\` (vyatta-op templates/set, run by _vyatta_op_run in functions/interpreter/vyatta-op-run):
# its children are console, date, system and terminal, matched by prefix; any other first word is the tag node whose
# run is \`builtin $*\`, which has no children, so a second word is an invalid command. That is what a configuration
# command typed before \`configure\` gets, instead of bash's set silently taking it as positional parameters.
# VyOS makes its op-mode commands aliases of interactive shells (_vyatta_op_init), so does this: functions and
# scripts keep bash's set, and configure removes the alias (as vyatta-cfg unaliases its own commands).
_vyos_op_set_run() {
  if [ $# -lt 2 ] || [[ $1 == [-+]* ]]; then builtin set "$@"; return; fi
  local child
  for child in ${OP_SET_CHILDREN.join(' ')}; do
    if [[ $child == "$1"* ]]; then ${OP_WRAPPER} set "$@"; return; fi
  done
  printf '\\n  Invalid command: set %s [%s]\\n\\n' "$1" "$2"
  return 1
}
_vyos_op_set() {
  case $- in *i*) alias set=_vyos_op_set_run ;; esac
}
# Operational mode's \`reset\` (vyatta-op templates/reset): an alias of interactive shells too, as VyOS makes it.
case $- in *i*) alias reset='${OP_WRAPPER} reset' ;; esac
_vyos_op_set
`
}

/**
 * Writes `vtysh`, `show` and the configuration and operational wrappers into `bin` (the router's container shows it
 * at /usr/local/bin), `vyos-shell.sh` and the /opt layer into the router's dir, which the container shows at `frrDir`
 * (/etc/frr). `show`, `traceroute` (which the lab host lacks: it answers that) and the wrappers are shims of the
 * daemon's `vyos` tool on `socket`, bound to this router.
 */
export function writeRouterShell(dir: string, frrDir: string, bin: string, container: string, socket: string): void {
  mkdirSync(bin, { recursive: true })
  // The instance dir as the container shows it: `cat $(which vtysh)` in the router names no path of the lab.
  writeFileSync(
    join(bin, 'vtysh'),
    `#!/bin/sh\nexec /usr/bin/vtysh --config_dir ${frrDir} --vty_socket ${frrDir} "$@"\n`,
  )
  chmodSync(join(bin, 'vtysh'), 0o755)
  writeShim(join(bin, 'show'), socket, ['vyos', container, 'show'])
  writeShim(join(bin, CFG_WRAPPER), socket, ['vyos', container, 'cfg'])
  writeShim(join(bin, OP_WRAPPER), socket, ['vyos', container, 'op'])
  writeShim(join(bin, 'traceroute'), socket, ['vyos', container, 'op', 'traceroute'])
  writeFileSync(routerShellRc(dir), shellFunctions())
  const boot = join(dir, OPT_LAYER, VYOS_CONFIG_BOOT.replace(/^\/opt\//, ''))
  mkdirSync(join(boot, '..'), { recursive: true })
  writeFileSync(boot, '')
}
