/**
 * The markdown-it extension pages use to embed the course: `::: lab-step <step-id>` ... `:::` becomes a step block
 * (its inner markdown is extra prose inside the block), `::: lab-checks` ... `:::` the chapter's Check panel and
 * `::: lab-topology` ... `:::` the live topology diagram.
 * Before a page renders, it is checked against the course (toolchain/course/check-docs.ts): an unknown chapter or step
 * fails the build with the file and line.
 */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import type { MarkdownRenderer } from 'vitepress'
import type { Course } from '../../protocol/course.ts'
import { CONTAINER, checkPage } from '../../toolchain/course/check-docs.ts'
import { CourseError } from '../../toolchain/course/course-error.ts'

interface Env {
  path?: string
  relativePath?: string
  frontmatter?: { chapter?: string }
}

export function labContainers(md: MarkdownRenderer, course: () => Course): void {
  md.core.ruler.after('block', 'lab_check_page', (state) => {
    const env = state.env as Env
    if (!env.path) return
    const file = relative(process.cwd(), env.path)
    const { issues } = checkPage(file, readFileSync(env.path, 'utf8'), course())
    if (issues.length > 0) throw new CourseError(issues)
  })

  md.block.ruler.before('fence', 'lab_container', (state, startLine, endLine, silent) => {
    const start = state.bMarks[startLine] + state.tShift[startLine]
    const line = state.src.slice(start, state.eMarks[startLine])
    const open = CONTAINER.exec(line)
    // An unknown `lab-` name stays text: the page check (run after block parsing) reports it with file and line.
    if (!open || !(open[1] in CONTAINERS) || open[2] === undefined || state.sCount[startLine] - state.blkIndent >= 4)
      return false
    if (silent) return true
    // The closing `:::` at the same indentation; nested containers are not part of the course syntax.
    let next = startLine + 1
    for (; next < endLine; next++) {
      const text = state.src.slice(state.bMarks[next] + state.tShift[next], state.eMarks[next]).trim()
      if (text === ':::') break
    }
    const env = state.env as Env
    const chapterId = env.frontmatter?.chapter ?? ''
    const [, name, argument] = open
    const { component, attrs } = CONTAINERS[name as keyof typeof CONTAINERS](chapterId, argument)
    const openToken = state.push('html_block', '', 0)
    openToken.content = `<${component}${attrs}>\n`
    openToken.map = [startLine, startLine + 1]
    const oldParent = state.parentType
    const oldLineMax = state.lineMax
    state.parentType = 'container' as typeof state.parentType
    state.lineMax = next
    state.md.block.tokenize(state, startLine + 1, next)
    state.parentType = oldParent
    state.lineMax = oldLineMax
    const closeToken = state.push('html_block', '', 0)
    closeToken.content = `</${component}>\n`
    state.line = Math.min(next + 1, endLine)
    return true
  })
}

/** Each container's component and attributes. */
const CONTAINERS = {
  'lab-step': (chapterId: string, stepId: string) => ({
    component: 'LabStep',
    attrs: ` chapter-id="${escapeAttribute(chapterId)}" step-id="${escapeAttribute(stepId)}"`,
  }),
  'lab-checks': (chapterId: string) => ({
    component: 'LabChecks',
    attrs: ` chapter-id="${escapeAttribute(chapterId)}"`,
  }),
  // The topology is the lab's, not a chapter's: it takes nothing.
  'lab-topology': () => ({ component: 'LabTopology', attrs: '' }),
}

function escapeAttribute(text: string): string {
  return text.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)
}
