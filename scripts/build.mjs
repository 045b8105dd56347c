#!/usr/bin/env node
// `npm run build`: compiles src/ with tsc (ESM JavaScript with inline source maps, to dist/.js),
// bundles that JavaScript with esbuild into one file per entry point plus shared chunks (so the
// tarball holds few files), and rolls the per-module declarations into one .d.ts per package
// entry point (rollup.dts.config.mjs).
// Runs on `npm install`/`npm ci` (prepare) and before `npm pack`/`npm publish` (prepack).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixDtsNamespaces } from './fix-dts-namespaces.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Runs a package's command-line script with node; exits with its status when it fails. */
function run(what, script, args) {
  const r = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`build: ${what} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status ?? 1);
  }
}

/**
 * The compiled files the package runs, by their path under dist/ (without .js): the entry points
 * of package.json's "exports", the CLI that bin/deepclust.js imports, and the worker that
 * fitInWorker starts by path.
 */
const entries = ['index', 'engine/index', 'nn/index', 'data/index', 'metrics/index', 'cluster/index', 'cli/main', 'worker/fit-worker'];

rmSync(join(root, 'dist'), { recursive: true, force: true });
const compiled = join(root, 'dist', '.js');
run('tsc', require.resolve('typescript/bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', compiled]);
// Code splitting: a module used by several entries lives once, in a shared chunk (two copies of
// errors.ts would break `instanceof ParamError` across sub-paths), and each import() stays a
// separate chunk, loaded only when needed (the CLI's command modules, vega, h5wasm…).
// Packages and node: builtins stay imports. esbuild reads tsc's inline source maps and chains them.
try {
  await build({
    entryPoints: Object.fromEntries(entries.map((e) => [e, join(compiled, `${e}.js`)])),
    outdir: join(root, 'dist'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'inline',
    sourcesContent: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
} catch (err) {
  process.stderr.write(`build: esbuild failed: ${err.message}\n`);
  process.exit(1);
}
rmSync(compiled, { recursive: true, force: true });
run('rollup (declarations)', require.resolve('rollup/dist/bin/rollup'), ['-c', 'rollup.dts.config.mjs', '--silent']);
rmSync(join(root, 'dist', '.types'), { recursive: true, force: true });
fixDtsNamespaces(join(root, 'dist'));
