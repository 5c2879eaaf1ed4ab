import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import type { RoleGrant } from '../trpc/context';

/*
 * The server's scripts as separate processes, the way `pnpm start` and `pnpm seed` run them, for
 * the tests of start-up and of the seed command.
 */

const serverDir = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(serverDir, 'node_modules', '.bin', 'tsx');

export type Run = { child: ChildProcess; output: () => string; exit: Promise<number | null> };

/** Runs `script` (relative to apps/server) with tsx; the server's own variables start unset. */
export function runScript(script: string, args: string[], env: Record<string, string>): Run {
  return runProcess(tsx, [script, ...args], env);
}

/** Runs a compiled `file` (the production build's) with plain node, as production does. */
export function runCompiled(file: string, args: string[], env: Record<string, string>): Run {
  return runProcess(process.execPath, [file, ...args], env);
}

function runProcess(command: string, args: string[], env: Record<string, string>): Run {
  const child = spawn(command, args, {
    cwd: serverDir,
    env: { ...process.env, PORT: '', DATABASE_URL: '', DATA_DIR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** Waits until a server started with runScript or runCompiled says it is running. */
export async function untilRunning(run: Run, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!run.output().includes('evb is running at')) {
    if (run.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the server did not start:\n${run.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Signs in over HTTP as the demo user `username`: the session cookie and the user's roles. */
export async function signInOverHttp(
  base: string,
  username: string,
  password: string,
): Promise<{ cookie: string; roles: RoleGrant[] }> {
  const login = await fetch(`${base}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ username, password }),
  });
  if (login.status !== 200) throw new Error(`sign-in: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const me = await fetch(`${base}/api/trpc/auth.me`, { headers: { cookie } });
  const { roles } = ((await me.json()) as { result: { data: { roles: RoleGrant[] } } }).result.data;
  return { cookie, roles };
}
