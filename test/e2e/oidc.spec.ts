import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect as baseExpect, test } from '@playwright/test';

/*
 * Issue 14: sign-in through the kommun's identity provider with OpenID Connect, the whole way in
 * the browser. This spec runs its own server (apps/server/src/testing/serve-oidc.ts): evb as
 * `pnpm start` runs it, configured with OIDC_* for a real provider (oidc-provider) that the same
 * process starts on loopback, LoA 3 required and passwords off. The user clicks "Logga in med
 * e-legitimation", signs in on the provider's page, and the provider sends the browser back with
 * a code that evb exchanges and checks; evb links the user by the sub claim (the demo username).
 * Refusals come back to the sign-in screen in Swedish, with no session.
 */
import { DEMO_PASSWORD } from './support/session';

const expect = baseExpect.configure({ timeout: 20_000 });
const serverDir = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../apps/server');

function freePort(): number {
  const script =
    "const s = require('node:net').createServer();" +
    "s.listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); });";
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  const found = result.stdout.trim();
  if (!/^\d+$/.test(found)) throw new Error(`could not find a free port: ${result.stderr}`);
  return Number(found);
}

const port = freePort();
const baseURL = `http://127.0.0.1:${port}`;
test.use({ baseURL });
test.describe.configure({ mode: 'serial' });

let server: ChildProcess | undefined;
let workDir = '';
let serverLog = '';

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  workDir = mkdtempSync(path.join(tmpdir(), 'evb-oidc-'));
  server = spawn('node_modules/.bin/tsx', ['src/testing/serve-oidc.ts', '--port', String(port)], {
    cwd: serverDir,
    // Its own process group: tsx runs the server in a child process, and both are stopped.
    detached: true,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: path.join(workDir, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (chunk: Buffer) => {
    serverLog += chunk.toString();
  });
  server.stderr?.on('data', (chunk: Buffer) => {
    serverLog += chunk.toString();
  });
  const pid = server.pid;
  process.once('exit', () => {
    if (pid !== undefined && server?.exitCode === null) killGroup(pid, 'SIGKILL');
  });
  const deadline = Date.now() + 170_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`the server stopped before it answered:\n${serverLog}`);
    }
    const up = await fetch(`${baseURL}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server did not answer /api/health in time:\n${serverLog}`);
});

test.afterAll(async () => {
  const running = server;
  if (running?.pid !== undefined && running.exitCode === null) {
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    killGroup(running.pid, 'SIGTERM');
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000)),
    ]);
    if (!stopped) killGroup(running.pid, 'SIGKILL');
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('signs in through the provider: the button, its page, back in evb signed in', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Logga in med e-legitimation' }).click();
  // The provider's own page, on another port.
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/interaction\//);
  await expect(page.getByRole('heading', { name: 'Kommunens testinloggning' })).toBeVisible();
  await page.getByLabel('Användare').fill('handlaggare');
  await page.getByRole('button', { name: 'Logga in' }).click();

  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();
  await expect(page.getByText('Sara Nyström').first()).toBeVisible();
});

test('signing out ends the evb session and the provider’s, back on the sign-in screen', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Logga in med e-legitimation' }).click();
  await page.getByLabel('Användare').fill('handlaggare');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();

  const toProvider: URL[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/session/end') && url.origin !== baseURL) toProvider.push(url);
  });
  await page.getByRole('button', { name: 'Logga ut' }).click();
  // The provider asks (evb sends no id_token_hint: it keeps no ID token).
  await expect(
    page.getByRole('heading', { name: 'Vill du logga ut från kommunens inloggning?' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Ja, logga ut' }).click();
  await expect(page.getByRole('link', { name: 'Logga in med e-legitimation' })).toBeVisible();
  await expect(page).toHaveURL(`${baseURL}/`);
  // The browser went by the provider's end_session_endpoint, naming evb's client.
  expect(toProvider[0]?.searchParams.get('client_id')).toBe('evb');
  const status = await page.request.get('/api/trpc/auth.status');
  expect((await status.json()).result.data.user).toBeNull();

  // The provider's session is over too: signing in again asks for the name.
  await page.getByRole('link', { name: 'Logga in med e-legitimation' }).click();
  await expect(page.getByRole('heading', { name: 'Kommunens testinloggning' })).toBeVisible();
});

test('an identity evb does not know: back on the sign-in screen, told why in Swedish', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Logga in med e-legitimation' }).click();
  await page.getByLabel('Användare').fill('okand.person');
  await page.getByRole('button', { name: 'Logga in' }).click();

  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole('alert')).toHaveText(
    'Du har inget aktivt konto i evb. Kontakta den som administrerar evb i kommunen.',
  );
  await expect(page.getByRole('button', { name: 'Logga ut' })).toHaveCount(0);
});

test('a sign-in without two-factor assurance is refused in Swedish', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Logga in med e-legitimation' }).click();
  await page.getByLabel('Användare').fill('utforare');
  await page.getByRole('button', { name: 'Logga in' }).click();

  await expect(page.getByRole('alert')).toHaveText(/^Inloggningen var inte tillräckligt stark\./);
  await expect(page.getByRole('button', { name: 'Logga ut' })).toHaveCount(0);
});

test('with passwords off, the password form is for break-glass only', async ({ page }) => {
  await page.goto('/');
  await page.getByText('Logga in med lösenord (nödåtkomst för utsedda administratörer)').click();
  await page.getByLabel('Användarnamn').fill('handlaggare');
  await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Inloggning med lösenord är avstängd i kommunen. Logga in med e-legitimation i stället.',
  );
  await expect(page.getByRole('button', { name: 'Logga ut' })).toHaveCount(0);
});
