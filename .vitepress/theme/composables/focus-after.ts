/**
 * Moves focus to the first element that Tab would reach after `element` and its contents: the way out of a terminal,
 * where Tab itself belongs to the shell (completion). Blurs when nothing follows.
 */
const TABBABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])'

export function focusAfter(element: HTMLElement): void {
  const next = [...document.querySelectorAll<HTMLElement>(TABBABLE)].find(
    (candidate) =>
      !element.contains(candidate) &&
      element.compareDocumentPosition(candidate) & Node.DOCUMENT_POSITION_FOLLOWING &&
      candidate.offsetParent !== null,
  )
  if (next) next.focus()
  else (document.activeElement as HTMLElement | null)?.blur()
}
