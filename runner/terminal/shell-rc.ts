/**
 * The bash hooks that print shell-integration markers: OSC 133 A before the prompt, B after it (in PS1), C and the
 * command line (OSC 633 E, from history) when a command starts (PS0), D with the exit status before the next prompt.
 * The file is sourced both as `--rcfile` (after the learner's own ~/.bashrc) and through PROMPT_COMMAND, so it also
 * works when a lab wraps bash (`ip netns exec ... bash`); a guard makes the second sourcing a no-op.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const RC = String.raw`# Written by the lab runner: shell integration for step verification.
if [ -z "$__LAB_SHELL_INTEGRATION" ]; then
  __LAB_SHELL_INTEGRATION=1
  if [ -n "$__LAB_SOURCE_BASHRC" ] && [ -f ~/.bashrc ]; then . ~/.bashrc; fi
  unset __LAB_SOURCE_BASHRC
  # Every command must reach history (PS0 reads the command line from it).
  HISTCONTROL=
  HISTIGNORE=
  __lab_preexec() {
    local h
    h=$(HISTTIMEFORMAT= builtin history 1)
    # "  123  cmd": drop the leading blanks, the history number, then the blanks after it.
    h="${"$"}{h#"${"$"}{h%%[![:space:]]*}"}"; h="${"$"}{h#"${"$"}{h%%[![:digit:]]*}"}"; h="${"$"}{h#"${"$"}{h%%[![:space:]]*}"}"
    printf '\e]133;C\a\e]633;E;%s\a' "${"$"}{h//[$'\a\e']/}"
  }
  __lab_precmd() {
    local s=$?
    printf '\e]133;D;%s\a\e]133;A\a' "$s"
    return $s
  }
  PROMPT_COMMAND=__lab_precmd
  PS0='$(__lab_preexec)'
  PS1="${"$"}{LAB_PS1:-$PS1}"'\[\e]133;B\a\]'
fi
`

/** Writes the rc file into `dir` and returns its path. */
export function writeShellRc(dir: string): string {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'lab-shell-integration.bash')
  writeFileSync(file, RC, { mode: 0o644 })
  return file
}

/** Arguments and environment that load the rc into the lab's bash. */
export function withShellIntegration(spec: { file: string; args: string[]; env: Record<string, string> }, rcFile: string) {
  const isBash = /(^|\/)bash$/.test(spec.file)
  const canAddRc = isBash && !spec.args.some((a) => a === '--rcfile' || a === '--norc' || a === '--login' || a === '-l' || a === '-c')
  return {
    file: spec.file,
    args: canAddRc ? ['--rcfile', rcFile, ...spec.args.filter((a) => a !== '-i'), '-i'] : spec.args,
    env: { ...spec.env, __LAB_SOURCE_BASHRC: canAddRc ? '1' : '', PROMPT_COMMAND: `. ${rcFile}`, TERM: 'xterm-256color', COLORTERM: 'truecolor' },
  }
}
