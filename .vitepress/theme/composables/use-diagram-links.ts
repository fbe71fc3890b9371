import { onMounted, onUnmounted } from 'vue'

/**
 * A diagram on a page links to itself (`[![alt](/diagrams/x.svg)](/diagrams/x.svg)`): in the text column it is
 * scaled down to about 70 %, and its smallest labels are hard to read. The link opens it full size in a new tab, so the
 * page, its terminal and the learner's place stay where they are.
 */
export function useDiagramLinks(): void {
  const open = (event: MouseEvent) => {
    const link = (event.target as Element | null)?.closest?.('a[href^="/diagrams/"]') as HTMLAnchorElement | null
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey)
      return
    event.preventDefault()
    window.open(link.href, '_blank', 'noopener')
  }
  onMounted(() => document.addEventListener('click', open, true))
  onUnmounted(() => document.removeEventListener('click', open, true))
}
