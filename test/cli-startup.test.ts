// The CLI's start-up: `--help` is built from the command table in src/cli/commands/index.ts
// without importing any command module, so the table must say what the modules register, and
// the compiled entry must not import the heavy libraries before a command runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { Command, Help } from 'commander';
import { commandModules } from '../src/cli/commands/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'deepclust.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

test('the command table matches what each command module registers (names, arguments, descriptions)', async () => {
  const help = new Help();
  for (const mod of commandModules) {
    const program = new Command('deepclust');
    (await mod.load())(program);
    const registered = program.commands.map((c) => ({ term: help.subcommandTerm(c), description: c.description() }));
    const listed = mod.commands.map((c) => ({ term: `${c.name}${c.args ? ` ${c.args}` : ''}`, description: c.description }));
    assert.deepEqual(listed, registered, 'update the entry in src/cli/commands/index.ts to match the module');
  }
});

test('--version prints the package version; --help lists every command; help <command> shows its options', () => {
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  for (const flag of ['--version', '-V']) {
    const r = run([flag]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), version);
  }
  const h = run(['--help']);
  assert.equal(h.status, 0, h.stderr);
  for (const c of commandModules.flatMap((m) => m.commands)) assert.match(h.stdout, new RegExp(`\\n  ${c.name}\\b`), `${c.name} missing from --help`);
  const fit = run(['help', 'fit']);
  assert.equal(fit.status, 0, fit.stderr);
  assert.match(fit.stdout, /Usage: deepclust fit \[options\][\s\S]*--config <file>/);
  const typo = run(['fitt']);
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /unknown command 'fitt' \(Did you mean fit\?\)/);
});

test('the compiled CLI entry imports no heavy module until a command runs', () => {
  // dist/cli/main.js is esbuild's bundle of the CLI entry: it may import a few small shared chunks
  // (errors, the package-root helper…), while each command module is an import()ed chunk.
  const main = join(root, 'dist', 'cli', 'main.js');
  assert.ok(existsSync(main), 'dist/cli/main.js missing: run npm run build');
  // follow the static imports (not import()) from the entry
  const seen = new Set<string>();
  const packages = new Set<string>();
  const queue = [main];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
      else packages.add(spec.replace(/^(@[^/]+\/[^/]+|[^/]+).*$/, '$1'));
    }
  }
  assert.deepEqual([...packages].filter((p) => !p.startsWith('node:')).sort(), ['commander']);
  assert.ok(seen.size <= 5, `the entry loads ${seen.size} modules: ${[...seen].map((f) => f.slice(root.length)).join(', ')}`);
  const bytes = [...seen].reduce((sum, f) => sum + statSync(f).size, 0);
  assert.ok(bytes < 200_000, `the entry's static imports hold ${bytes} bytes (inline source maps included)`);
});
