import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect as baseExpect, test } from '@playwright/test';

/*
 * Issue 14: sign-in through the kommun's identity provider with SAML 2.0, the whole way in the
 * browser. This spec runs its own server (apps/server/src/testing/serve-saml.ts): evb as
 * `pnpm start` runs it, configured with SAML_* for a real IdP that the same process starts on
 * loopback (testing/saml-idp.ts, assertions signed with xml-crypto). The user clicks "Logga in med
 * e-legitimation", signs in on the IdP's own page, and the IdP's page posts the signed Response to
 * evb's ACS; evb links the user by the uid attribute (the demo username). An identity evb does not
 * know comes back to the sign-in screen with a Swedish message and no session.
 */

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
  workDir = mkdtempSync(path.join(tmpdir(), 'evb-saml-'));
  server = spawn('node_modules/.bin/tsx', ['src/testing/serve-saml.ts', '--port', String(port)], {
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

test('signs in through the IdP: the button, the IdP’s page, back in evb signed in', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: /Logga in med e-legitimation/ }).click();
  // The IdP's own page, on another port.
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/sso\?SAMLRequest=/);
  await expect(page.getByRole('heading', { name: 'Test-IdP: logga in' })).toBeVisible();
  await page.getByLabel('Användarnamn').fill('handlaggare');
  await page.getByRole('button', { name: 'Logga in hos IdP' }).click();

  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();
  await expect(page.getByText('Sara Nyström').first()).toBeVisible();
});

test('signing out ends the evb session and the IdP’s (single logout), back on the sign-in screen', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: /Logga in med e-legitimation/ }).click();
  await page.getByLabel('Användarnamn').fill('handlaggare');
  await page.getByRole('button', { name: 'Logga in hos IdP' }).click();
  await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();

  const toIdp: URL[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/slo' && url.origin !== baseURL) toIdp.push(url);
  });
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await expect(page.getByRole('link', { name: /Logga in med e-legitimation/ })).toBeVisible();
  await expect(page).toHaveURL(`${baseURL}/`);
  // The browser went by the IdP with a signed LogoutRequest.
  expect(toIdp).toHaveLength(1);
  expect(toIdp[0]?.searchParams.get('SAMLRequest')).toBeTruthy();
  expect(toIdp[0]?.searchParams.get('Signature')).toBeTruthy();
  const status = await page.request.get('/api/trpc/auth.status');
  expect((await status.json()).result.data.user).toBeNull();
});

test('an identity evb does not know: back on the sign-in screen, told why in Swedish', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: /Logga in med e-legitimation/ }).click();
  await page.getByLabel('Användarnamn').fill('okand.person');
  await page.getByRole('button', { name: 'Logga in hos IdP' }).click();

  await expect(page).toHaveURL(`${baseURL}/?fel=ingen-anvandare`);
  await expect(page.getByText('Du har inget aktivt konto i evb.', { exact: false })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Logga ut' })).toHaveCount(0);
});
