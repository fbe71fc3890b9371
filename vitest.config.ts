import { defineConfig } from 'vitest/config'

/**
 * Three projects, all run by `npm test`, one after the other (`sequence.groupOrder`): `unit` (fast), then `lab` (real
 * daemons and namespaces, as root; long timeouts), then `e2e` (Chromium against built sites). Running the groups apart
 * keeps the heavy ones from competing with each other for the machine; within a group vitest uses cores - 1 workers
 * (one on a 2-core machine), and twin labs are built to run side by side (a unique prefix per lab) where there are more.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [
            '**/node_modules/**',
            '**/*.lab.test.ts',
            'test/e2e/**',
            '.vitepress/cache/**',
            '.vitepress/dist/**',
          ],
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'lab',
          include: ['**/*.lab.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // What a page shows after a click can take seconds on a loaded 2-core machine (a browser, a runner, a hub
          // and a lab at once): polls wait up to 15 s instead of vitest's 1 s, and still fail on what never shows.
          expect: { poll: { timeout: 15_000 } },
          testTimeout: 180_000,
          hookTimeout: 240_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
})
