import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.browser-spec.ts', 'src/**/*.spec.ts'],
    // A real server and a real Chromium per file: generous, and one file at a time on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
