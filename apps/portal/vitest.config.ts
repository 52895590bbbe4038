import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  // Component specs (src/**/*.spec.ts) mount .vue files in happy-dom.
  plugins: [vue()],
  test: {
    include: ['e2e/**/*.browser-spec.ts', 'src/**/*.spec.ts'],
    // A real server and a real Chromium per file: generous, and one file at a time on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
