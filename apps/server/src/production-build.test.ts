import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { quarterOf, todayInStockholm } from '@evb/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from './seed/organisation';
import { freePort, type Run, runCompiled, signInOverHttp, untilRunning } from './testing/processes';

/*
 * The production build (build.mjs): the server compiled to JavaScript and run with plain node,
 * without tsx or TypeScript. Built into a folder of its own, beside a link to the server's
 * node_modules, where the bundles find their npm packages as in a production install.
 */

const serverDir = path.resolve(import.meta.dirname, '..');
let folder: string;
let dist: string;
let dataDir: string;
let server: Run | undefined;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'evb-build-test-'));
  dist = path.join(folder, 'dist');
  dataDir = path.join(folder, 'data');
  await symlink(path.join(serverDir, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
  await promisify(execFile)(process.execPath, ['build.mjs', '--outdir', dist], { cwd: serverDir });
}, 120_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('the production build', () => {
  it('holds no TypeScript: the entries and the render worker are JavaScript', async () => {
    const files = await readdir(dist);
    expect(files).toEqual(expect.arrayContaining(['main.js', 'render-worker.js', 'seed.js']));
    expect(files.filter((f) => f.endsWith('.ts') || f.endsWith('.mjs'))).toEqual([]);
  });

  it('`node dist/main.js` starts on the embedded database and renders an export in a worker', async () => {
    const port = await freePort();
    server = runCompiled(path.join(dist, 'main.js'), [], {
      PORT: String(port),
      DATA_DIR: dataDir,
      EXPORT_TIME_LIMIT_SECONDS: '120',
    });
    await untilRunning(server);
    const base = `http://127.0.0.1:${port}`;
    const { cookie, roles } = await signInOverHttp(base, 'huvudrapportor', DEMO_PASSWORD);
    const namndId = roles.find((r) => r.role === 'huvudrapportor')!.namndId!;
    const q = quarterOf(todayInStockholm());
    // The PDF is drawn in a render worker thread: dist/render-worker.js.
    const response = await fetch(
      `${base}/api/export/kvartal.pdf?namndId=${namndId}&quarter=${q.year}-Q${q.quarter}`,
      { headers: { cookie } },
    );
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    server.child.kill('SIGTERM');
    await server.exit;
  }, 240_000);

  it('a command runs from the build too: audit-verify finds the chain the server wrote whole', async () => {
    const verify = runCompiled(path.join(dist, 'audit-verify.js'), [], { DATA_DIR: dataDir });
    expect(await verify.exit, verify.output()).toBe(0);
    expect(verify.output()).toContain('Kedjan är hel.');
  }, 120_000);
});
