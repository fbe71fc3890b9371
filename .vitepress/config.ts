/**
 * The course site. `LAB_DOCS_DIR` (default `docs`) holds the pages, `LAB_STEPS_DIR` (default `steps`) the chapter
 * files; `LAB_OUT_DIR` (default `.vitepress/dist`) the built site the runner serves. In `vitepress dev`, the lab
 * socket path is proxied to a runner at `LAB_RUNNER_URL` (default http://127.0.0.1:4242).
 */
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitepress'
import { LAB_WS_PATH } from '../protocol/messages.ts'
import { ADOPT_TOKEN_SCRIPT } from '../protocol/token-link.ts'
import { stepsDir } from '../toolchain/course/load-course.ts'
import { courseSource } from './lab-course-plugin.ts'
import { labContainers } from './markdown/lab-containers.ts'
import { readableCodeColors } from './markdown/readable-code-colors.ts'
import { sidebarFor } from './sidebar.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const docsDir = resolve(root, process.env.LAB_DOCS_DIR ?? 'docs')
const outDir = resolve(root, process.env.LAB_OUT_DIR ?? '.vitepress/dist')
const course = courseSource(stepsDir(root), docsDir)

export default defineConfig({
  srcDir: docsDir,
  outDir,
  // One cache per output, so building the fixture course and the real one at the same time do not collide.
  cacheDir: process.env.LAB_OUT_DIR ? `${outDir}-cache` : join(root, '.vitepress/cache'),
  cleanUrls: true,
  lastUpdated: false,
  title: 'Cilium BGP Lab',
  description: 'A guided, verified course on the Cilium BGP control plane.',
  head: [
    ['meta', { name: 'theme-color', content: '#1f6feb' }],
    ['script', {}, ADOPT_TOKEN_SCRIPT],
  ],
  locales: {
    root: {
      label: 'English',
      lang: 'en',
      themeConfig: { sidebar: sidebarFor(docsDir, 'en', course.course) },
    },
    zh: {
      label: '简体中文',
      lang: 'zh',
      link: '/zh/',
      title: 'Cilium BGP 实验',
      description: '一步一步、逐项验证的 Cilium BGP 控制平面课程。',
      themeConfig: {
        sidebar: sidebarFor(docsDir, 'zh', course.course),
        outline: { label: '本页内容' },
        docFooter: { prev: '上一页', next: '下一页' },
      },
    },
  },
  themeConfig: {
    outline: [2, 3],
    search: { provider: 'local' },
    // The 404 link's name is its visible text (the default names it "go to home", which is not on screen).
    notFound: { linkText: 'Take me home', linkLabel: 'Take me home' },
  },
  markdown: {
    config: (md) => labContainers(md, () => course.course),
    codeTransformers: [readableCodeColors],
  },
  vite: {
    plugins: [course.plugin()],
    // The theme's search button, swapped for one whose name matches its visible text (LabSearchButton.vue).
    resolve: {
      alias: [
        {
          find: /^\.\/VPNavBarSearchButton\.vue$/,
          replacement: fileURLToPath(new URL('./theme/components/LabSearchButton.vue', import.meta.url)),
        },
      ],
    },
    build: {
      rollupOptions: {
        // zod's sources carry `@__PURE__` comments Rollup cannot place; the warning is about the dependency's
        // comments, not about this site, and it buried the build's real messages in every `npm run learn`.
        onwarn(warning, warn) {
          if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return
          warn(warning)
        },
      },
    },
    server: {
      proxy: { [LAB_WS_PATH]: { target: process.env.LAB_RUNNER_URL ?? 'http://127.0.0.1:4242', ws: true } },
    },
  },
})
