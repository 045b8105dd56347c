// fit --pretrain-cache: ae-kmeans and idec of one seed share one pretrained autoencoder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deepclust-pcache-cli-'));
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const csv = join(dir, 'blobs.csv');
writeFileSync(csv, `${['a,b,c,d,label', ...Array.from({ length: 60 }, (_, i) => `${i % 3},${(i % 3) * 2},${-(i % 3)},${((i * 7) % 5) / 50},${i % 3}`)].join('\n')}\n`);
const common = ['--data', csv, '--label-column', 'label', '--pretrain-epochs', '3', '--batch-size', '10', '--max-iter', '12', '--update-interval', '6', '--quiet', '--json'];
const last = (s: string) => JSON.parse(s.trim().split('\n').pop()!) as { pretrainSource?: { kind: string; cacheFile?: string }; history: Array<{ phase: string }> };

test('fit --pretrain-cache stores the pretraining of ae-kmeans and idec of the same seed reads it', () => {
  const cache = join(dir, 'cache');
  const ae = run(['fit', '--method', 'ae-kmeans', '--pretrain-cache', cache, ...common]);
  assert.equal(ae.status, 0, ae.stderr);
  assert.equal(last(ae.stdout).pretrainSource?.kind, 'trained');
  assert.equal(readdirSync(cache).length, 1);
  const idec = run(['fit', '--method', 'idec', '--pretrain-cache', cache, ...common]);
  assert.equal(idec.status, 0, idec.stderr);
  const res = last(idec.stdout);
  assert.equal(res.pretrainSource?.kind, 'cache');
  assert.equal(res.history.filter((r) => r.phase === 'pretrain').length, 3);
  const other = run(['fit', '--method', 'idec', '--seed', '1', '--pretrain-cache', cache, ...common]);
  assert.equal(last(other.stdout).pretrainSource?.kind, 'trained');
  assert.equal(readdirSync(cache).length, 2);
});

test('fit --pretrain-cache pointing at a file is one clear line', () => {
  const r = run(['fit', '--method', 'idec', '--pretrain-cache', csv, ...common]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /the pretrain cache '.*blobs\.csv' cannot be used \(ENOTDIR\); pass a writable directory/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});
