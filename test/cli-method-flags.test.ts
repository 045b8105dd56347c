// The numeric method flags of `deepclust fit` are checked by the method schema (one check), and
// its errors name the flag; `deepclust describe --options` lists the schema's options.
// Needs a fresh dist/ (npm run build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { METHOD_FLAGS } from '../src/cli/method-flags.ts';
import { optionRows } from '../src/methods/schema-doc.ts';

const BIN = fileURLToPath(new URL('../bin/deepclust.js', import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DEEPCLUST_OFFLINE: '1' } });

test('fit: a bad --lr (and every numeric method flag) is one line naming the flag, before any data is read', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--lr', '0'], /^deepclust: error: fit: option '--lr' must be a finite number > 0, got 0\n$/],
    [['--lr', 'abc'], /^deepclust: error: fit: option '--lr' must be a finite number > 0, got "abc"\n$/],
    [['--lr', ''], /^deepclust: error: fit: option '--lr' must be a finite number > 0, got ""\n$/],
    [['--batch-size', '0'], /^deepclust: error: fit: option '--batch-size' must be an integer >= 1, got 0\n$/],
    [['--max-iter', '2.5'], /^deepclust: error: fit: option '--max-iter' must be an integer >= 0, got 2\.5\n$/],
    [['--pretrain-epochs', 'ten'], /^deepclust: error: fit: option '--pretrain-epochs' must be an integer >= 0, got "ten"\n$/],
    [['--update-interval', '0'], /^deepclust: error: fit: option '--update-interval' must be an integer >= 1, got 0\n$/],
    [['--tol', '-0.1'], /^deepclust: error: fit: option '--tol' must be a finite number >= 0, got -0\.1\n$/],
    [['--gamma', 'Infinity'], /^deepclust: error: fit: option '--gamma' must be a finite number >= 0, got "Infinity"\n$/],
    [['--embedding-dim', '0'], /^deepclust: error: fit: option '--embedding-dim' must be an integer >= 1, got 0\n$/],
  ];
  for (const [flag, re] of cases) {
    // a data set that does not exist: the flag is refused first
    const r = run(['fit', '--data', 'nowhere.csv', '--method', 'idec', ...flag]);
    assert.equal(r.status, 2, flag.join(' '));
    assert.match(r.stderr, re, flag.join(' '));
  }
  // a method without a clustering phase ignores --lr, but a bad one is still refused
  assert.match(run(['fit', '--data', 'nowhere.csv', '--method', 'ae-kmeans', '--lr', '0']).stderr, /fit: option '--lr' must be a finite number > 0, got 0/);
});

test('each numeric method flag names a number option of the schema', () => {
  const rows = new Map(optionRows().map((r) => [r.path, r]));
  for (const [flag, path] of Object.entries(METHOD_FLAGS)) assert.match(rows.get(path)?.type ?? '', /^(integer|number)/, `--${flag} sets ${path}`);
});

test('describe --options lists every option; --json gives the rows', () => {
  const text = run(['describe', '--options']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^train\.optimizer\.lr +number > 0 +Learning rate\.$/m);
  const json = run(['describe', '--options', '--json']);
  const rows = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as Array<{ path: string }>;
  assert.deepEqual(rows.map((r) => r.path), optionRows().map((r) => r.path));
});
