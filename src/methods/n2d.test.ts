// The n2d preset on tiny data: code width k, labels, predict on train rows = labels, save/load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeepClustering, FittedDeepClustering } from './deep-clustering.ts';
import { PRESETS } from './presets.ts';
import { Rng } from '../random.ts';

function blobs(n: number, seed: number) {
  const rng = new Rng(seed);
  const c = new Rng(5);
  const centers = Array.from({ length: 4 }, () => Array.from({ length: 20 }, () => c.random()));
  const data = new Float32Array(n * 20);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 4;
    for (let j = 0; j < 20; j++) data[i * 20 + j] = centers[y[i]!]![j]! + 0.04 * rng.normal();
  }
  return { x: { data, rows: n, cols: 20 }, y };
}

function agreement(a: Int32Array, b: Int32Array): number {
  let same = 0, total = 0;
  for (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) {
    total++;
    if ((a[i] === a[j]) === (b[i] === b[j])) same++;
  }
  return same / total;
}

test('n2d preset: the authors\' settings', () => {
  const m = new DeepClustering({ method: 'n2d', nClusters: 7 }).method;
  assert.deepEqual(m.architecture.kind === 'mlp' && m.architecture.hidden, [500, 500, 2000]);
  assert.equal(m.architecture.embeddingDim, 7, 'code width = k');
  assert.deepEqual(m.pretrain, { loss: 'mse', epochs: 1000, batchSize: 256, optimizer: { name: 'adam', lr: 1e-3 } });
  assert.equal(m.train, null);
  assert.deepEqual(m.clusteringLoss, { kind: 'none' });
  assert.equal(m.finalClustering?.kind, 'umap-gmm');
  assert.equal(new DeepClustering({ method: 'n2d', nClusters: 7, budget: 'short' }).method.pretrain?.epochs, 40);
  assert.equal(new DeepClustering({ method: 'n2d', nClusters: 7, overrides: { architecture: { embeddingDim: 3 } } }).method.architecture.embeddingDim, 3, 'overrides win');
  assert.ok(PRESETS.n2d!.notes!.length >= 4);
});

test('n2d on tiny blobs: fit, predict(train subset) = labels, save → load → predict', async () => {
  const { x, y } = blobs(120, 1);
  const overrides = { architecture: { hidden: [32] }, pretrain: { epochs: 30, batchSize: 16 } };
  const fitted = await new DeepClustering({ method: 'n2d', nClusters: 4, seed: 2, overrides }).fit(x);
  assert.equal(fitted.embeddingDim, 4);
  assert.ok(agreement(y, fitted.labels) > 0.95, `pair agreement ${agreement(y, fitted.labels)}`);
  const rows = [3, 119, 50, 51, 0];
  const sub = new Float32Array(rows.length * 20);
  rows.forEach((r, i) => sub.set(x.data.subarray(r * 20, (r + 1) * 20), i * 20));
  const want = rows.map((r) => fitted.labels[r]!);
  assert.deepEqual(Array.from(await fitted.predict({ data: sub, rows: rows.length, cols: 20 })), want);
  const dir = mkdtempSync(join(tmpdir(), 'dc-n2d-'));
  fitted.save(dir);
  const loaded = FittedDeepClustering.load(dir);
  assert.deepEqual(Array.from(await loaded.predict(x)), Array.from(fitted.labels));
  const fresh = blobs(40, 9);
  assert.ok(agreement(fresh.y, await loaded.predict(fresh.x)) > 0.95);
});
