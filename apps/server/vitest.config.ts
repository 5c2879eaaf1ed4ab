import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Opening an embedded database takes a few seconds the first time.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
