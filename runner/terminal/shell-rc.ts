/**
 * The bash hooks that print shell-integration markers: OSC 133 A before the prompt, B after it (in PS1), C and the
 * command line (OSC 633 E, from history) when a command starts (PS0), D with the exit status before the next prompt.
 * The file is sourced both as `--rcfile` (after the learner's own ~/.bashrc) and through PROMPT_COMMAND, so it also
 * works when a lab wraps bash (`ip netns exec ... bash`); a guard makes the second sourcing a no-op.
 *
 * The markers that start a command, name it and end it carry the session's nonce (after the last `;`, as VS Code's
 * OSC 633 E does): a program or a file that prints markers cannot know it, so it cannot make a step look run. The
 * nonce comes in the environment, moves into a shell variable that is not exported and leaves the environment
 * before any command runs, so no child process inherits it (`env` does not show it).
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const RC = String.raw`# Written by the lab runner: shell integration for step verification.
if [ -z "$__LAB_SHELL_INTEGRATION" ]; then
  __LAB_SHELL_INTEGRATION=1
  __lab_nonce=$__LAB_NONCE
  export -n __lab_nonce
  unset __LAB_NONCE
  if [ -n "$__LAB_SOURCE_BASHRC" ] && [ -f ~/.bashrc ]; then . ~/.bashrc; fi
  unset __LAB_SOURCE_BASHRC
  # Every command must reach history (PS0 reads the command line from it).
  HISTCONTROL=
  HISTIGNORE=
  __lab_preexec() {
    local h
    h=$(HISTTIMEFORMAT= builtin history 1)
    # "  123  cmd": drop the leading blanks, the history number, then the blanks after it.
    h="${'$'}{h#"${'$'}{h%%[![:space:]]*}"}"; h="${'$'}{h#"${'$'}{h%%[![:digit:]]*}"}"; h="${'$'}{h#"${'$'}{h%%[![:space:]]*}"}"
    printf '\e]133;C;%s\a\e]633;E;%s;%s\a' "$__lab_nonce" "${'$'}{h//[$'\a\e']/}" "$__lab_nonce"
  }
  __lab_precmd() {
    local s=$?
    printf '\e]133;D;%s;%s\a\e]133;A\a' "$s" "$__lab_nonce"
    return $s
  }
  PROMPT_COMMAND=__lab_precmd
  # It came exported (from the environment): a bash started from this one would run a function it does not have.
  export -n PROMPT_COMMAND
  PS0='$(__lab_preexec)'
  PS1="${'$'}{LAB_PS1:-$PS1}"'\[\e]133;B\a\]'
fi
`

/** Writes the rc file into `dir` and returns its path. */
export function writeShellRc(dir: string): string {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'lab-shell-integration.bash')
  writeFileSync(file, RC, { mode: 0o644 })
  return file
}

/**
 * Arguments and environment that load the rc into the lab's bash, with a new random nonce (the parser of this
 * shell's output accepts only markers that carry it).
 */
export function withShellIntegration(
  spec: { file: string; args: string[]; env: Record<string, string> },
  rcFile: string,
) {
  const isBash = /(^|\/)bash$/.test(spec.file)
  const canAddRc =
    isBash && !spec.args.some((a) => a === '--rcfile' || a === '--norc' || a === '--login' || a === '-l' || a === '-c')
  const nonce = randomBytes(16).toString('hex')
  return {
    file: spec.file,
    args: canAddRc ? ['--rcfile', rcFile, ...spec.args.filter((a) => a !== '-i'), '-i'] : spec.args,
    env: {
      ...spec.env,
      __LAB_SOURCE_BASHRC: canAddRc ? '1' : '',
      __LAB_NONCE: nonce,
      PROMPT_COMMAND: `. ${rcFile}`,
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
    },
    nonce,
  }
}
