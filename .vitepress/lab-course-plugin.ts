/**
 * Gives the site the course: loaded once from the steps directory (errors listed with file and line fail the build),
 * handed to the markdown extension, and exposed to the browser as `virtual:lab-course` (titles, commands, hints,
 * solutions: the same data the runner verifies against) with each chapter's page per locale. In dev, editing a steps
 * file reloads it.
 */
import type { Plugin } from 'vite'
import type { Course } from '../protocol/course.ts'
import { loadCourse } from '../toolchain/course/load-course.ts'
import { chapterLinks } from './sidebar.ts'

const VIRTUAL = 'virtual:lab-course'
const RESOLVED = `\0${VIRTUAL}`

export interface CourseSource {
  readonly course: Course
  reload(): void
  plugin(): Plugin
}

export function courseSource(stepsDir: string, docsDir: string): CourseSource {
  let course = loadCourse(stepsDir).course
  const source: CourseSource = {
    get course() {
      return course
    },
    reload() {
      course = loadCourse(stepsDir).course
    },
    plugin: () => ({
      name: 'lab-course',
      resolveId: (id) => (id === VIRTUAL ? RESOLVED : undefined),
      load: (id) =>
        id === RESOLVED
          ? `export default ${JSON.stringify({ ...course, links: chapterLinks(docsDir, course) })}`
          : undefined,
      configureServer(server) {
        server.watcher.add(stepsDir)
        server.watcher.on('change', (file) => {
          if (!file.startsWith(stepsDir) || !/\.ya?ml$/.test(file)) return
          try {
            source.reload()
          } catch (error) {
            server.config.logger.error((error as Error).message)
            return
          }
          const module = server.moduleGraph.getModuleById(RESOLVED)
          if (module) server.moduleGraph.invalidateModule(module)
          server.ws.send({ type: 'full-reload' })
        })
      },
    }),
  }
  return source
}
