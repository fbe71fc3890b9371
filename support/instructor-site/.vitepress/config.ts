/**
 * A minimal site holding only the instructor page on the default theme, so the dashboard is built and driven in the
 * browser tests without depending on the course site's theme.
 */
import { defineConfig } from 'vitepress'

export default defineConfig({
  title: 'Instructor page fixture',
  cleanUrls: true,
  outDir: process.env.INSTRUCTOR_SITE_OUT ?? '.vitepress/dist',
  cacheDir: process.env.INSTRUCTOR_SITE_CACHE ?? '.vitepress/cache',
})
