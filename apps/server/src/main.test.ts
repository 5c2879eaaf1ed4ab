import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type Run, runScript } from './testing/processes';

// Starts the server the way `pnpm start` does, as a separate process.
function startServer(env: Record<string, string>): Run {
  return runScript('src/main.ts', [], env);
}

async function waitFor(condition: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting; output so far:\n${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('start-up with a wrong environment', () => {
  it.each([
    [{ PORT: 'abc' }, /PORT: must be a whole number from 1 to 65535, got "abc"/],
    [{ PORT: '70000' }, /PORT: must be a whole number from 1 to 65535, got "70000"/],
    [{ DATABASE_URL: 'mysql://evb:secret@localhost/evb' }, /DATABASE_URL: must be a PostgreSQL/],
  ])('%j stops the server with a message naming the variable', async (env, message) => {
    const run = startServer(env);
    expect(await run.exit).toBe(1);
    expect(run.output()).toMatch(/Invalid environment configuration/);
    expect(run.output()).toMatch(message);
    expect(run.output()).not.toContain('secret');
  });

  it('stops the server when no PostgreSQL server answers at DATABASE_URL', async () => {
    const run = startServer({ DATABASE_URL: 'postgresql://evb:secret@127.0.0.1:1/evb' });
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain('Cannot open the database (PostgreSQL at 127.0.0.1:1/evb)');
    expect(run.output()).not.toContain('secret');
  });
});

describe('a running server on the embedded database', () => {
  let tmp: string;
  let dataDir: string;
  let port: number;
  let run: Run;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'evb-main-test-'));
    dataDir = path.join(tmp, 'not', 'yet', 'there');
    port = await freePort();
    run = startServer({ PORT: String(port), DATA_DIR: dataDir });
    // The lines after the first may come in a later chunk of its output.
    await waitFor(() => run.output().includes('Database: '), run.output);
  });

  afterAll(async () => {
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
    await rm(tmp, { recursive: true, force: true });
  });

  it('logs its URL and which database it uses', () => {
    expect(run.output()).toContain(`evb is running at http://localhost:${port}/`);
    expect(run.output()).toContain(`Database: embedded PGlite in ${path.join(dataDir, 'pglite')}`);
    expect(existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
  });

  it('answers GET /api/health', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, database: 'pglite' });
  });

  it('stops cleanly on SIGTERM', async () => {
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.output()).toContain('Stopped.');
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  });
});
