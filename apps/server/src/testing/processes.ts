import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

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
