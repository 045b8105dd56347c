#!/usr/bin/env node
// `npm run build`: compiles src/ to dist/ (ESM JavaScript with inline source maps) with tsc, then
// rolls the per-module declarations into one .d.ts per package entry point (rollup.dts.config.mjs).
// Runs on `npm install`/`npm ci` (prepare) and before `npm pack`/`npm publish` (prepack).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
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

rmSync(join(root, 'dist'), { recursive: true, force: true });
run('tsc', require.resolve('typescript/bin/tsc'), ['-p', 'tsconfig.build.json']);
run('rollup (declarations)', require.resolve('rollup/dist/bin/rollup'), ['-c', 'rollup.dts.config.mjs', '--silent']);
rmSync(join(root, 'dist', '.types'), { recursive: true, force: true });
fixDtsNamespaces(join(root, 'dist'));
