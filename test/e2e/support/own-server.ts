import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from '@playwright/test';

/*
 * A spec that needs evb configured otherwise than the suite's shared server (an identity provider
 * beside it) runs its own: a script under apps/server/src/testing/ that starts evb as `pnpm start`
 * runs it, with whatever else it needs, on the port given, with a throwaway embedded database.
 * Started before the spec's tests, stopped after them (its whole process group: tsx runs the
 * server in a child process), its output kept for the error when it does not come up.
 */

const serverDir = path.resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../apps/server',
);

function freePort(): number {
  const script =
    "const s = require('node:net').createServer();" +
    "s.listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); });";
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  const found = result.stdout.trim();
  if (!/^\d+$/.test(found)) throw new Error(`could not find a free port: ${result.stderr}`);
  return Number(found);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Runs `script` (relative to apps/server) as this spec's server and points the spec's pages at it;
 * the spec's tests run one after another. Returns the server's origin.
 */
export function useOwnServer(script: string): string {
  const port = freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  test.use({ baseURL });
  test.describe.configure({ mode: 'serial' });

  let server: ChildProcess | undefined;
  let workDir = '';
  let serverLog = '';

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    workDir = mkdtempSync(path.join(tmpdir(), 'evb-own-server-'));
    server = spawn('node_modules/.bin/tsx', [script, '--port', String(port)], {
      cwd: serverDir,
      detached: true,
      // PORT too, for a spec that runs evb's own src/main.ts (which reads PORT, not --port).
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: '',
        DATA_DIR: path.join(workDir, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [server.stdout, server.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        serverLog += chunk.toString();
      });
    }
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

  return baseURL;
}
