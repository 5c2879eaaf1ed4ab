#!/usr/bin/env node
// Runs every test of the repository: `npx -y pnpm@10 test`.
//
// 1. Makes sure Chromium, the PostgreSQL server and podman (with runc and debootstrap) are
//    installed (installs them with apt-get when running as root on Debian, otherwise says what to
//    install).
// 2. Starts a throwaway PostgreSQL server on loopback unless EVB_TEST_DATABASE_URL is set, and
//    stops it at the end, also after a failure or Ctrl-C.
// 3. Runs `turbo run lint typecheck test`, builds the PWA and runs the Playwright tests against
//    the production build (node apps/server/dist/main.js); then builds the container image and
//    runs its smoke test (test/container/smoke.sh), its base image made meanwhile.
// 4. Ends with one line, `evb tests: N passed, N failed`, and a non-zero exit code if anything
//    failed. The counts are tests (Vitest and Playwright); a failed step that is not a failed
//    test (lint, typecheck, a build, a test run that crashed) counts as one failure.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const postgresScript = path.join(root, 'test', 'support', 'postgres.sh');
const playwrightReport = path.join(root, 'test', 'playwright-report', 'results.json');

const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];
let interrupted = false;
let current;
const cleanups = [];

function log(message) {
  console.log(`\n[evb tests] ${message}`);
}

function fail(step) {
  totals.failed += 1;
  problems.push(step);
}

/** Runs a command, its output shown as it comes; resolves with its exit code and output. */
function run(command, args, { env = process.env, cwd = root, capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
    });
    current = child;
    let output = '';
    if (capture) {
      for (const stream of [child.stdout, child.stderr]) {
        stream.on('data', (chunk) => {
          output += chunk;
          (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
        });
      }
    }
    child.on('error', (error) => {
      output += String(error);
      console.error(`Cannot run ${command}: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      current = undefined;
      resolve({ code: code ?? (signal ? 1 : 0), output });
    });
  });
}

async function cleanUp() {
  while (cleanups.length > 0) {
    await cleanups.pop()();
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n[evb tests] ${signal}: stopping.`);
    current?.kill(signal);
  });
}

// 1. System packages.

function postgresBinaries() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return false;
  return readdirSync(base).some(
    (version) =>
      existsSync(path.join(base, version, 'bin', 'pg_ctl')) &&
      existsSync(path.join(base, version, 'bin', 'initdb')),
  );
}

async function ensureSystemPackages() {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!postgresBinaries()) missing.push('postgresql');
  // The export tests read the CSV back with Python's strict csv module, a reader independent of ours.
  if (!existsSync('/usr/bin/python3')) missing.push('python3');
  // The container smoke test builds evb's image on a Debian base of its own and runs it.
  if (!existsSync('/usr/bin/podman')) missing.push('podman');
  if (!existsSync('/usr/sbin/runc') && !existsSync('/usr/bin/runc')) missing.push('runc');
  if (!existsSync('/usr/sbin/debootstrap')) missing.push('debootstrap');
  if (missing.length === 0) return true;

  const isRoot = process.getuid?.() === 0;
  const isDebian = existsSync('/etc/debian_version');
  if (!isRoot || !isDebian) {
    console.error(
      `The tests need ${missing.join(' and ')} (Debian packages: ${missing.join(' ')}), ` +
        'for the browser tests, a real PostgreSQL server, reading exports back and the container image. Install them, for example with\n' +
        `  sudo apt-get install -y ${missing.join(' ')}\nand run the tests again.`,
    );
    return false;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log('apt-get update');
  if ((await run('apt-get', ['update'], { env })).code !== 0) return false;
  log(`apt-get install -y ${missing.join(' ')}`);
  return (await run('apt-get', ['install', '-y', ...missing], { env })).code === 0;
}

// 2. PostgreSQL.

async function ensurePostgres() {
  if (process.env.EVB_TEST_DATABASE_URL) {
    log('Using the PostgreSQL server at EVB_TEST_DATABASE_URL.');
    return process.env.EVB_TEST_DATABASE_URL;
  }
  log('Starting a throwaway PostgreSQL server on 127.0.0.1.');
  const dir = mkdtempSync(path.join(tmpdir(), 'evb-postgres-'));
  cleanups.push(async () => {
    log('Stopping the throwaway PostgreSQL server.');
    await run('bash', [postgresScript, 'stop', dir]);
  });
  const started = await run('bash', [postgresScript, 'start', dir], { capture: true });
  const url = started.output
    .split('\n')
    .find((line) => line.startsWith('postgresql://'))
    ?.trim();
  return started.code === 0 && url ? url : undefined;
}

// 3. The test steps.

/** Adds up the Vitest summaries ("Tests  1 failed | 12 passed (13)") of a turbo run's output. */
function countVitest(output) {
  const counts = new Map();
  for (const line of stripVTControlCharacters(output).split('\n')) {
    const match = line.match(/^(\S+):test:\s+Tests\s+(.+?)\s*\(\d+\)\s*$/);
    if (!match) continue;
    const count = { passed: 0, failed: 0, skipped: 0 };
    for (const [, n, kind] of match[2].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
      count[kind === 'todo' ? 'skipped' : kind] += Number(n);
    }
    counts.set(match[1], count);
  }
  return counts;
}

/** The tasks of a turbo run that failed, from its run summary. */
function failedTurboTasks(output) {
  const summary = stripVTControlCharacters(output).match(/Summary:\s+(\S+\.json)/)?.[1];
  if (!summary || !existsSync(summary)) return undefined;
  const { tasks } = JSON.parse(readFileSync(summary, 'utf8'));
  rmSync(summary, { force: true });
  return tasks.filter((task) => task.execution?.exitCode).map((task) => task.taskId);
}

async function turboChecks(env) {
  log('turbo run lint typecheck test');
  const { code, output } = await run(
    bin('turbo'),
    ['run', 'lint', 'typecheck', 'test', '--continue', '--summarize'],
    { env, capture: true },
  );
  const perPackage = countVitest(output);
  for (const count of perPackage.values()) {
    totals.passed += count.passed;
    totals.failed += count.failed;
    totals.skipped += count.skipped;
  }
  const failedTasks = failedTurboTasks(output);
  if (failedTasks === undefined) {
    if (code !== 0) fail('turbo run lint typecheck test');
    return;
  }
  for (const taskId of failedTasks) {
    const [name, task] = taskId.split('#');
    // A test task whose failed tests were counted already is not counted again.
    if (task === 'test' && (perPackage.get(name)?.failed ?? 0) > 0) {
      problems.push(`${taskId} (failed tests)`);
      continue;
    }
    fail(taskId);
  }
}

async function buildPwa(env) {
  log('turbo run build --filter=@evb/pwa');
  const { code } = await run(bin('turbo'), ['run', 'build', '--filter=@evb/pwa'], { env });
  if (code !== 0) fail('@evb/pwa#build');
  return code === 0;
}

async function playwright(env) {
  log('playwright test (test/)');
  rmSync(playwrightReport, { force: true });
  const cwd = path.join(root, 'test');
  const { code } = await run(path.join(cwd, 'node_modules', '.bin', 'playwright'), ['test'], {
    env,
    cwd,
  });
  let failedTests = 0;
  if (existsSync(playwrightReport)) {
    const { stats } = JSON.parse(readFileSync(playwrightReport, 'utf8'));
    totals.passed += stats.expected + stats.flaky;
    totals.skipped += stats.skipped;
    failedTests = stats.unexpected;
    totals.failed += failedTests;
  }
  if (code !== 0 && failedTests === 0) fail('playwright test');
  else if (failedTests > 0) problems.push('playwright test (failed tests)');
}

/**
 * The container image's Node.js base (test/container/base-image.sh: debootstrap, mostly download
 * and unpacking) is made in the background while the unit tests run; the smoke test waits for it.
 */
function startBaseImage(env) {
  log('test/container/base-image.sh (in the background)');
  const child = spawn('bash', [path.join(root, 'test', 'container', 'base-image.sh')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream.on('data', (chunk) => (output += chunk));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ code: 1, output: String(error) }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** The container smoke test (test/container/smoke.sh) counts as one test. */
async function containerSmoke(env, baseImage) {
  log('waiting for the container base image');
  const base = await baseImage;
  if (base.code !== 0) {
    console.error(base.output);
    fail('container base image');
    return;
  }
  log('test/container/smoke.sh');
  const { code } = await run('bash', [path.join(root, 'test', 'container', 'smoke.sh')], { env });
  if (code === 0) totals.passed += 1;
  else fail('container smoke test');
}

// Main.

async function main() {
  if (spawnSync('pnpm', ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.error('turbo needs pnpm on the PATH: run the tests as `npx -y pnpm@10 test`.');
    fail('setup');
    return;
  }
  if (!(await ensureSystemPackages())) {
    fail('system packages');
    return;
  }
  if (interrupted) return;
  const databaseUrl = await ensurePostgres();
  if (!databaseUrl) {
    fail('PostgreSQL server');
    return;
  }
  const env = { ...process.env, EVB_TEST_DATABASE_URL: databaseUrl };
  const baseImage = startBaseImage(env);

  await turboChecks(env);
  if (interrupted) return;
  if (await buildPwa(env)) {
    if (interrupted) return;
    await playwright(env);
  }
  if (interrupted) return;
  await containerSmoke(env, baseImage);
}

const started = Date.now();
try {
  await main();
} finally {
  await cleanUp();
}
if (interrupted) fail('interrupted');

const seconds = Math.round((Date.now() - started) / 1000);
console.log(
  `\n[evb tests] Finished in ${seconds} s.` +
    (problems.length > 0 ? ` Failed: ${problems.join(', ')}.` : ' Everything passed.'),
);
const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
console.log(`evb tests: ${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exitCode = totals.failed > 0 ? 1 : 0;
