import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The Swedish "today" must not depend on the machine's zone: run as a UTC server would.
    env: { TZ: 'UTC' },
  },
});
