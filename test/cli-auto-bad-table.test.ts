// `deepclust fit --data table.csv` (auto) on bad tables: each is refused with one line naming the
// problem and the fix (exit 2, nothing written), or works as documented (fewer than 100 rows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/random.ts';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deepclust-cli-auto-bad-'));
const cli = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

function table(name: string, header: string, rows: Array<Array<string | number>>): string {
  const path = join(dir, name);
  writeFileSync(path, `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  return path;
}

const rng = new Rng(0);
const good = Array.from({ length: 150 }, (_, i) => Array.from({ length: 4 }, () => Number(((i % 3) * 3 + rng.normal()).toFixed(4))));

const refused: Array<[string, string, Array<Array<string | number>>, string[], RegExp]> = [
  ['nan.csv', 'a,b,c,d', good.map((r, i) => (i === 5 ? [r[0]!, r[1]!, 'NaN', r[3]!] : r)), [], /line 7, column 3: value NaN is not finite; remove or impute it first/],
  ['empty.csv', 'a,b,c,d', good.map((r, i) => (i === 7 ? [r[0]!, '', r[2]!, r[3]!] : r)), [], /line 9, column 2: empty cell; clean or impute it first/],
  ['text.csv', 'a,b,c,d,e', good.map((r, i) => [...r, i % 2 ? 'x' : 'y']), [], /column 5: non-numeric value "y"; clean or impute it first/],
  ['constant.csv', 'a,b,c', good.map(() => [1, 2, 3]), [], /every column of the data is constant \(all 150 rows are the same\), so there is nothing to cluster/],
  ['tiny.csv', 'a,b,c,d', good.slice(0, 15), [], /estimating k needs at least 20 rows, the data have 15; give k \(--k; nClusters in the library\)/],
  ['distinct.csv', 'a,b', good.map((_, i) => [i % 3, (i % 3) * 2]), ['--k', '5'], /k = 5 clusters were asked for, but the data have only 3 distinct rows \(147 repeat another\); use k <= 3/],
];

for (const [name, header, rows, args, message] of refused)
  test(`fit (auto) refuses ${name} in one line, exit 2, no --out folder`, () => {
    const out = join(dir, `run-${name}`);
    const r = cli(['fit', '--data', table(name, header, rows), '--out', out, ...args]);
    assert.equal(r.status, 2, r.stderr);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('deepclust: error:'));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, message);
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    assert.ok(!existsSync(out), 'nothing written');
  });

test('fit (auto) on 60 rows works (k up to n / 10); on few distinct rows k stays within them', () => {
  const small = cli(['fit', '--data', table('small.csv', 'a,b,c,d', good.slice(0, 60)), '--json']);
  assert.equal(small.status, 0, small.stderr);
  const res = JSON.parse(small.stdout.trim().split('\n').pop()!);
  assert.equal(res.labels.length, 60);
  assert.equal(res.k, 3);
  const few = cli(['fit', '--data', table('few.csv', 'a,b', good.map((_, i) => [i % 3, (i % 3) * 2])), '--json']);
  assert.equal(few.status, 0, few.stderr);
  const f = JSON.parse(few.stdout.trim().split('\n').pop()!);
  assert.ok(f.k <= 3, `k ${f.k}`);
});
