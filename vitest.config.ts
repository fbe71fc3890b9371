import { defineConfig } from 'vitest/config'

/**
 * Three projects, all run by `npm test`: `unit` (fast, parallel), `lab` (real daemons and namespaces: one file at a
 * time, long timeouts, as root) and `e2e` (Chromium against the built fixture site: one file at a time).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.lab.test.ts', 'test/e2e/**', '.vitepress/cache/**', '.vitepress/dist/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'lab',
          include: ['**/*.lab.test.ts'],
          exclude: ['**/node_modules/**'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
})
