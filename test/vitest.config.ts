import { defineConfig } from 'vitest/config';

// Vitest runs the cross-package tests; the browser tests under e2e/ are Playwright's.
export default defineConfig({
  test: { include: ['contract/**/*.test.ts'] },
});
