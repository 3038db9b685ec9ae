import { defineConfig } from 'vitest/config';

// One test preset for every workspace: unit specs beside the code (src/**/*.spec.ts),
// e2e specs against the real PostgreSQL and NATS in test/**/*.e2e-spec.ts.
export default defineConfig({
  test: {
    root: process.cwd(),
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts', 'test/**/*.e2e-spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
