import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const serverDir = path.join(root, 'apps', 'server');
const pwaIndex = path.join(root, 'apps', 'pwa', 'dist', 'index.html');

if (!existsSync(pwaIndex)) {
  throw new Error(
    `The PWA is not built (${pwaIndex} is missing): run \`npx -y pnpm@10 build\` first.`,
  );
}

// Playwright reads this file in the runner and again in every worker. The runner chooses the
// port and a throwaway data folder and passes them to the workers through the environment.
if (!process.env.EVB_E2E_DATA_DIR) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'evb-e2e-'));
  process.env.EVB_E2E_DATA_DIR = dataDir;
  process.env.EVB_E2E_PORT ??= freePort();
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
}
const port = process.env.EVB_E2E_PORT ?? '';
const baseURL = `http://localhost:${port}`;

function freePort(): string {
  const script =
    "const s = require('node:net').createServer();" +
    "s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });";
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  const found = result.stdout.trim();
  if (!/^\d+$/.test(found)) throw new Error(`could not find a free port: ${result.stderr}`);
  return found;
}

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 1,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: 'playwright-report/results.json' }]],
  use: {
    baseURL,
    serviceWorkers: 'allow',
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's Chromium; Playwright downloads no browser of its own here.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'mobile', use: { ...devices['Pixel 7'], browserName: 'chromium' } }],
  webServer: {
    // The real server, as `pnpm start` and production run it (the production build, made by
    // `npx -y pnpm@10 build`), on the embedded database in a throwaway folder.
    command: 'node dist/main.js',
    cwd: serverDir,
    url: `${baseURL}/api/health`,
    env: {
      PORT: port,
      DATA_DIR: process.env.EVB_E2E_DATA_DIR ?? '',
      DATABASE_URL: '',
      // Web Push is set up (a key pair for these tests only), so that Mitt konto offers it.
      VAPID_PUBLIC_KEY:
        'BLa9TXLEZBQMykpNwkb8ieK0LbBT0BwmoSqJJD50YS1XceUkYQox8VE3vsjiZb1kc1J0Vl7nytPx9Z-iY6TETX4',
      VAPID_PRIVATE_KEY: 'b3N4nk1ZSM7zPxCu1mEcwU9Kb4ZVHS6_ZUu9a9B8D4s',
      VAPID_SUBJECT: 'mailto:evb@exempelkommun.se',
    },
    reuseExistingServer: false,
    // Seeding the demo kommun takes seconds alone but over a minute on a loaded 2-core machine.
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
  },
});
