import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/** Fault tests take PostgreSQL away from everything else, so they run alone, after the rest. */
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: ['src/**/*.faults-spec.ts'],
    maxWorkers: 1,
    testTimeout: 240_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: 'test' },
  },
});
