/**
 * The page's shortcuts (lab-shortcuts.ts) and skip-link targets: run the next step, move between the page and the
 * terminal. Listens in the capture phase, so a shortcut works wherever focus is, the terminal included. The dock
 * registers how to focus its terminal (`terminalFocus`); the steps are found in the page, in their order.
 */
import { onMounted, onUnmounted } from 'vue'
import { shortcutOf } from './lab-shortcuts'
import type { UiText } from './ui-text'
import { announce } from './use-announcer'

/** Set by the dock while it is on the page: opens it and focuses its terminal. */
export const terminalFocus: { open: (() => void) | null } = { open: null }

const steps = () => [...document.querySelectorAll<HTMLElement>('.lab-step[data-step]')]
/** The first step that has not passed (or the first step when all have). */
const nextStep = () => steps().find((s) => !s.classList.contains('lab-step--passed')) ?? steps()[0]

/** Focuses the next step to do and brings it into view; false when the page has no step. */
export function focusSteps(): boolean {
  const step = nextStep()
  if (!step) return false
  step.focus()
  step.scrollIntoView({ block: 'center' })
  return true
}

export function focusTerminal(): boolean {
  if (!terminalFocus.open) return false
  terminalFocus.open()
  return true
}

export function useLabKeys(ui: () => UiText): void {
  /** Where focus was on the page before the shortcut moved it into the terminal. */
  let returnTo: HTMLElement | null = null

  function runNext(): void {
    const step = steps().find(
      (s) => !s.classList.contains('lab-step--passed') && !s.classList.contains('lab-step--running'),
    )
    const button = step?.querySelector<HTMLButtonElement>('.lab-step__run')
    if (!step || !button) return announce(ui().allStepsPassed)
    if (button.disabled) return announce(ui().cannotRun(step.getAttribute('aria-label') ?? ''))
    button.click()
  }

  function toggleTerminal(): void {
    const active = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (active?.closest('.lab-terminal')) {
      if (returnTo?.isConnected) returnTo.focus()
      else focusSteps()
      return
    }
    returnTo = active && active !== document.body ? active : null
    focusTerminal()
  }

  const onKey = (event: KeyboardEvent) => {
    const shortcut = shortcutOf(event)
    // Only on a chapter page (with its dock): elsewhere, e.g. the instructor's presenter terminal, others handle them.
    if (!shortcut || event.repeat || !terminalFocus.open) return
    event.preventDefault()
    event.stopPropagation()
    if (shortcut === 'runNext') runNext()
    else if (shortcut === 'terminal') toggleTerminal()
  }
  onMounted(() => window.addEventListener('keydown', onKey, true))
  onUnmounted(() => window.removeEventListener('keydown', onKey, true))
}
