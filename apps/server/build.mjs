/*
 * The production build: the server and its commands compiled to plain JavaScript in dist/, run
 * with `node dist/main.js` (no tsx, no TypeScript at run time).
 *
 * esbuild bundles our own code — the server's and @evb/domain's, which is TypeScript source in
 * the workspace — and leaves every npm dependency to node_modules, so that a production install
 * (`pnpm deploy --prod`) is what the bundles need. Everything lands flat in dist/: the shared code
 * in chunks beside the entries, so `new URL('./x', import.meta.url)` means dist/x from any of them.
 */
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
// Every npm package stays outside the bundle, devDependencies too: a runtime import of one then
// fails at start in a production install instead of being bundled unnoticed.
const external = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter(
  (name) => !name.startsWith('@evb/'),
);

const entryPoints = {
  main: 'src/main.ts',
  // The render worker thread's entry (src/render/pool.ts starts it from dist/render-worker.js).
  'render-worker': 'src/render/compiled-worker.ts',
  seed: 'src/cli/seed.ts',
  'create-admin': 'src/cli/create-admin.ts',
  reminders: 'src/cli/reminders.ts',
  'audit-verify': 'src/cli/audit-verify.ts',
  'audit-prune': 'src/cli/audit-prune.ts',
};

// `--outdir DIR` (the production-build test builds into a folder of its own); default dist/.
const at = process.argv.indexOf('--outdir');
const outdir = at === -1 ? 'dist' : process.argv[at + 1];
if (!outdir) throw new Error('--outdir needs a folder');

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Our code only: npm packages (and subpaths such as 'kysely/migration') come from node_modules.
  external: external.flatMap((name) => [name, `${name}/*`]),
  sourcemap: true,
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
});
