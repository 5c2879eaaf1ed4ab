import { defineConfig } from 'vitest/config';

// The router and service tests run twice: on PGlite in memory, and on the real PostgreSQL server
// that .ci/run and test/run-all.mjs start (EVB_TEST_DATABASE_URL). Without that server they are
// skipped on a developer's machine; in CI its absence fails the run (see testing/harness.ts).
const databaseTests = [
  'src/routers/**/*.test.ts',
  'src/services/**/*.test.ts',
  'src/sync/**/*.test.ts',
  'src/seed/**/*.test.ts',
  'src/auth/**/*.test.ts',
];
const postgresql = Boolean(process.env.EVB_TEST_DATABASE_URL || process.env.CI);

export default defineConfig({
  test: {
    // Opening an embedded database takes a few seconds the first time.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true as const,
        test: { name: 'pglite', include: ['src/**/*.test.ts'], env: { EVB_TEST_DB: 'pglite' } },
      },
      ...(postgresql
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgresql',
                include: databaseTests,
                env: { EVB_TEST_DB: 'postgresql' },
              },
            },
          ]
        : []),
    ],
  },
});
