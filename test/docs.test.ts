// The API docs build without a warning: every export of the public entry points (package.json
// "exports") is documented, every type they mention is exported, every {@link} resolves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;

test('typedoc.json documents exactly the entry points package.json exports', () => {
  const exportsField = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).exports as Record<string, string | { default: string }>;
  const entryPoints = JSON.parse(readFileSync(`${root}typedoc.json`, 'utf8')).entryPoints as string[];
  // each export's compiled file (./dist/x.js) is built from src/x.ts
  const sources = Object.entries(exportsField).filter(([k]) => k !== './package.json').map(([, v]) => (typeof v === 'string' ? v : v.default).replace(/^\.\/dist\/(.*)\.js$/, 'src/$1.ts'));
  assert.deepEqual([...entryPoints].sort(), sources.sort());
});

test('typedoc validates the public API with no warnings (npm run docs:check)', () => {
  // the package's "exports" hide its bin script from require.resolve
  const bin = `${root}node_modules/typedoc/bin/typedoc`;
  const r = spawnSync(process.execPath, [bin, '--emit', 'none', '--treatWarningsAsErrors'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});
