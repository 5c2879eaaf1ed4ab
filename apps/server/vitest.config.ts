import os from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

// The router and service tests run twice: on PGlite in memory, and on the real PostgreSQL server
// that .ci/run and test/run-all.mjs start (EVB_TEST_DATABASE_URL). Without that server they are
// skipped on a developer's machine; in CI its absence fails the run (see testing/harness.ts).
const databaseTests = [
  'src/routers/**/*.test.ts',
  'src/services/**/*.test.ts',
  'src/sync/**/*.test.ts',
  'src/seed/**/*.test.ts',
  'src/auth/**/*.test.ts',
  'src/http/idp-limits.test.ts',
];
// Files in those folders whose subject does not depend on which database answers: parsing,
// layout and checks of data made in the test, the start-up's refusals before any database opens,
// and the render pool's threads and time limit under a large export. On PostgreSQL they would
// prove nothing PGlite does not, so only the pglite project runs them. A test of what the
// database stores or how it answers does not belong here.
const pgliteOnly = [
  'src/auth/mfa/totp.test.ts',
  'src/auth/saml/config.test.ts',
  'src/auth/saml/startup.test.ts',
  'src/routers/exports-render.test.ts',
  'src/routers/input-bounds.test.ts',
  'src/seed/demo.test.ts',
  'src/services/case-events.test.ts',
  'src/services/pdf-text.test.ts',
  'src/services/pdf-writer.test.ts',
  'src/services/turns.test.ts',
  'src/services/xlsx-writer.test.ts',
];
const postgresql = Boolean(process.env.EVB_TEST_DATABASE_URL || process.env.CI);

export default defineConfig({
  test: {
    // Opening an embedded database takes a few seconds the first time.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Vitest's default is one worker less than the CPUs: on CI's two cores one worker ran the
    // files one after another (16 minutes) while the other core mostly waited, once the other
    // packages' tests were done. The files are independent (each opens its own database), so two
    // run side by side there; with more CPUs the default holds.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
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
                exclude: [...configDefaults.exclude, ...pgliteOnly],
                env: { EVB_TEST_DB: 'postgresql' },
              },
            },
          ]
        : []),
    ],
  },
});
