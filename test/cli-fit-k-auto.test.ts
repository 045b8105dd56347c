// deepclust fit --k auto / --k lo..hi (--k-criterion, --k-criteria): k estimated on the pretrained embedding, kEstimate in the JSON and result.json; one-line errors; n2d's code width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/random.ts';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deepclust-fit-kauto-'));
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

/** `k` separated blobs in 8 columns, no labels. */
function blobsCsv(name: string, k: number, n: number): string {
  const rng = new Rng(4);
  const c = new Rng(21);
  const centers = Array.from({ length: k }, () => Array.from({ length: 8 }, () => 4 * c.random()));
  const rows = ['a,b,c,d,e,f,g,h'];
  for (let i = 0; i < n; i++) rows.push(centers[i % k]!.map((v) => (v + 0.08 * rng.normal()).toFixed(4)).join(','));
  const path = join(dir, name);
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}
const blobs = blobsCsv('blobs4.csv', 4, 120);
const tiny = ['--method', 'ae-kmeans', '--hidden', '16', '--embedding-dim', '3', '--pretrain-epochs', '25', '--batch-size', '16', '--quiet'];

test('fit --k auto finds the 4 blobs; --json and result.json carry kEstimate with its curves', () => {
  const out = join(dir, 'auto');
  const r = run(['fit', '--data', blobs, '--k', 'auto', ...tiny, '--out', out, '--no-report', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as { k: number; kEstimate: { chosen: number; criterion: string; ks: number[]; curves: Record<string, { values: number[]; best: number }> } };
  assert.equal(res.k, 4);
  assert.equal(res.kEstimate.chosen, 4);
  assert.equal(res.kEstimate.criterion, 'silhouette');
  assert.deepEqual([res.kEstimate.ks[0], res.kEstimate.ks.at(-1)], [2, 30]);
  assert.equal(res.kEstimate.curves.silhouette!.values.length, 29);
  const saved = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as { kEstimate: { chosen: number } };
  assert.equal(saved.kEstimate.chosen, 4);
  assert.equal(readFileSync(join(out, 'labels.csv'), 'utf8').trim().split('\n').slice(1).length, 120);
});

test('fit --k lo..hi estimates within the range', () => {
  const r = run(['fit', '--data', blobs, '--k', '3..6', '--k-criterion', 'davies-bouldin', '--k-criteria', 'bic', ...tiny, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as { k: number; kEstimate: { ks: number[]; criterion: string; curves: Record<string, unknown> } };
  assert.deepEqual(res.kEstimate.ks, [3, 4, 5, 6]);
  assert.equal(res.kEstimate.criterion, 'davies-bouldin');
  assert.deepEqual(Object.keys(res.kEstimate.curves).sort(), ['bic', 'davies-bouldin']);
  assert.equal(res.k, 4);
});

test('fit --k: ranges outside [2, n − 1] and auto on fewer than 20 rows are one-line errors, and nothing is written', () => {
  const small = blobsCsv('small.csv', 2, 15);
  for (const [args, pattern] of [
    [['--data', blobs, '--k', '2..120'], /2 <= lo <= hi <= n − 1 = 119/],
    [['--data', blobs, '--k', '1..5'], /2 <= lo <= hi/],
    [['--data', small, '--k', 'auto'], /at least 20 rows, the data have 15/],
    [['--data', blobs, '--k', 'lots'], /'--k' must be a positive integer, "auto" or a range/],
    [['--data', blobs, '--k', '1'], /'--k' must be an integer >= 2/],
    [['--data', blobs, '--k', 'auto', '--k-criterion', 'vibes'], /option '--k-criterion' has unknown criterion "vibes"/],
  ] as const) {
    const out = join(dir, `bad-${Math.random().toString(36).slice(2)}`);
    const r = run(['fit', ...args, ...tiny, '--out', out]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(!existsSync(out), 'no output directory for refused input');
  }
});

test('fit --method n2d: the code width is k, unless --embedding-dim sets it', () => {
  const common = ['fit', '--data', blobs, '--method', 'n2d', '--hidden', '16', '--pretrain-epochs', '5', '--batch-size', '16', '--quiet', '--json'];
  const byK = run([...common, '--k', '4']);
  assert.equal(byK.status, 0, byK.stderr);
  assert.equal((JSON.parse(byK.stdout.trim().split('\n').pop()!) as { config: { architecture: { embeddingDim: number } } }).config.architecture.embeddingDim, 4);
  const own = run([...common, '--k', '4', '--embedding-dim', '3']);
  assert.equal(own.status, 0, own.stderr);
  assert.equal((JSON.parse(own.stdout.trim().split('\n').pop()!) as { config: { architecture: { embeddingDim: number } } }).config.architecture.embeddingDim, 3);
});
