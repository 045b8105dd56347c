// The n2d preset on tiny data: code width k, labels, predict on train rows = labels, save/load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeepClustering, FittedDeepClustering } from './deep-clustering.ts';
import { PRESETS } from './presets.ts';
import { agreement, blobs as testBlobs } from './_test/data.ts';

const blobs = (n: number, seed: number) => testBlobs({ n, d: 20, k: 4, seed, noise: 0.04, centerSeed: 5 });

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
