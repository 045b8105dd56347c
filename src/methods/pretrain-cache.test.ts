// The pretrained-autoencoder cache: runs of one seed share one pretraining, with the same result
// as pretraining again; the key changes with anything pretraining depends on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeepClustering, resolveMethod } from './deep-clustering.ts';
import { pretrainCacheKey } from './pretrain-cache.ts';
import type { DeepPartial, MethodConfig } from './config.ts';
import { ParamError } from '../errors.ts';
import { Rng } from '../random.ts';

function blobs(n = 60, d = 8, seed = 3) {
  const rng = new Rng(seed);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = (i % 3) * (j % 2 ? 1 : -1) + 0.1 * rng.normal();
  return { data: x, rows: n, cols: d };
}
const tiny: DeepPartial<MethodConfig> = {
  architecture: { kind: 'mlp', hidden: [12], embeddingDim: 3 },
  pretrain: { epochs: 4, batchSize: 10 },
  train: { maxIter: 24, batchSize: 12 },
  clusterUpdate: { updateInterval: 8 },
  initNInit: 2,
};
const x = blobs();

test('ae-kmeans stores its pretraining; idec of the same seed reuses it with the result of pretraining again', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'deepclust-pcache-'));
  const ae = await new DeepClustering({ method: 'ae-kmeans', nClusters: 3, seed: 5, overrides: tiny, pretrainCache: cache }).fit(x);
  assert.equal(ae.pretrainSource?.kind, 'trained');
  assert.equal(readdirSync(cache).filter((f) => f.endsWith('.safetensors')).length, 1);

  const events: string[] = [];
  const cached = await new DeepClustering({ method: 'idec', nClusters: 3, seed: 5, overrides: tiny, pretrainCache: cache }).fit(x, { onProgress: (e) => events.push(e.phase) });
  assert.equal(cached.pretrainSource?.kind, 'cache');
  assert.equal(cached.pretrainSource?.cacheFile, ae.pretrainSource?.cacheFile);
  assert.ok(events.includes('pretrain'));
  assert.deepEqual(cached.history.filter((r) => r.phase === 'pretrain'), ae.history.filter((r) => r.phase === 'pretrain'));
  assert.ok(cached.pretrainedParameters, 'the report still gets the network after pretraining');

  const fresh = await new DeepClustering({ method: 'idec', nClusters: 3, seed: 5, overrides: tiny }).fit(x);
  assert.equal(fresh.pretrainSource?.kind, 'trained');
  assert.deepEqual(cached.labels, fresh.labels);
  assert.deepEqual(cached.clusterCenters, fresh.clusterCenters);
  for (const name of fresh.parameters.names()) assert.deepEqual(cached.parameters.get(name).data, fresh.parameters.get(name).data, name);
});

test('the key depends on the seed, the data, the architecture and the pretraining, not on key order or the clustering phase', () => {
  const m = resolveMethod('idec', tiny);
  const key = pretrainCacheKey(m, { x: x.data, rows: x.rows, cols: x.cols, seed: 1 })!;
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(pretrainCacheKey(resolveMethod('dec', tiny), { x: x.data, rows: x.rows, cols: x.cols, seed: 1 }), key);
  assert.equal(pretrainCacheKey({ ...m, pretrain: { ...m.pretrain!, optimizer: { lr: m.pretrain!.optimizer.lr, name: m.pretrain!.optimizer.name } as never } }, { x: x.data, rows: x.rows, cols: x.cols, seed: 1 }), key);
  assert.notEqual(pretrainCacheKey(m, { x: x.data, rows: x.rows, cols: x.cols, seed: 2 }), key);
  const y = x.data.slice();
  y[7]! += 1e-3;
  assert.notEqual(pretrainCacheKey(m, { x: y, rows: x.rows, cols: x.cols, seed: 1 }), key);
  assert.notEqual(pretrainCacheKey(resolveMethod('idec', { ...tiny, pretrain: { epochs: 5 } }), { x: x.data, rows: x.rows, cols: x.cols, seed: 1 }), key);
  assert.notEqual(pretrainCacheKey(resolveMethod('idec', { ...tiny, architecture: { embeddingDim: 4 } }), { x: x.data, rows: x.rows, cols: x.cols, seed: 1 }), key);
  assert.equal(pretrainCacheKey(resolveMethod('idec', { ...tiny, pretrain: { epochs: 0 } }), { x: x.data, rows: x.rows, cols: x.cols, seed: 1 }), null);
});

test('a corrupt cache file is replaced by a new pretraining; an unusable cache directory is refused before training', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'deepclust-pcache-'));
  const first = await new DeepClustering({ method: 'ae-kmeans', nClusters: 3, seed: 1, overrides: tiny, pretrainCache: cache }).fit(x);
  writeFileSync(first.pretrainSource!.cacheFile!, 'not a safetensors file');
  const again = await new DeepClustering({ method: 'ae-kmeans', nClusters: 3, seed: 1, overrides: tiny, pretrainCache: cache }).fit(x);
  assert.equal(again.pretrainSource?.kind, 'trained');
  assert.deepEqual(again.labels, first.labels);
  const third = await new DeepClustering({ method: 'ae-kmeans', nClusters: 3, seed: 1, overrides: tiny, pretrainCache: cache }).fit(x);
  assert.equal(third.pretrainSource?.kind, 'cache');

  const file = join(cache, 'a-file');
  writeFileSync(file, '');
  await assert.rejects(new DeepClustering({ method: 'idec', nClusters: 3, overrides: tiny, pretrainCache: file }).fit(x), (e: Error) => e instanceof ParamError && /pretrain cache '.*a-file' cannot be used \(ENOTDIR\)/.test(e.message));
  if (process.getuid?.() !== 0) {
    const ro = mkdtempSync(join(tmpdir(), 'deepclust-pcache-ro-'));
    chmodSync(ro, 0o500);
    await assert.rejects(new DeepClustering({ method: 'idec', nClusters: 3, overrides: tiny, pretrainCache: ro }).fit(x), ParamError);
  }
});

test('the pretraining is cached when pretraining ends: a fit that fails in the clustering phase still leaves it', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'deepclust-pcache-'));
  const diverging: DeepPartial<MethodConfig> = { ...tiny, train: { ...tiny.train, optimizer: { name: 'sgd', lr: 1e12 } } };
  await assert.rejects(new DeepClustering({ method: 'dec', nClusters: 3, seed: 5, overrides: diverging, pretrainCache: cache }).fit(x), /diverged in the clustering phase/);
  assert.equal(readdirSync(cache).filter((f) => f.endsWith('.safetensors')).length, 1);
  const again = await new DeepClustering({ method: 'dec', nClusters: 3, seed: 5, overrides: tiny, pretrainCache: cache }).fit(x);
  assert.equal(again.pretrainSource?.kind, 'cache');
});

test('greedy pretraining and augmentation in both phases: a cached pretraining gives exactly the result of the fit that pretrained', async () => {
  const img = blobs(60, 16, 4);
  const cases: Array<[string, DeepPartial<MethodConfig>]> = [
    ['dec', { ...tiny, pretrain: { epochs: 2, batchSize: 10, greedy: { epochs: 2 } } }],
    ['idec-da', { ...tiny, train: { ...tiny.train, optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 } } }],
  ];
  for (const [method, overrides] of cases) {
    const cache = mkdtempSync(join(tmpdir(), 'deepclust-pcache-'));
    const make = () => new DeepClustering({ method, nClusters: 3, seed: 9, overrides, pretrainCache: cache, stepsPerRun: 3 });
    const full = await make().fit(img, { imageShape: [1, 4, 4] });
    const cached = await make().fit(img, { imageShape: [1, 4, 4] });
    assert.equal(full.pretrainSource?.kind, 'trained', method);
    assert.equal(cached.pretrainSource?.kind, 'cache', method);
    assert.deepEqual(cached.labels, full.labels, method);
    assert.deepEqual(cached.clusterCenters, full.clusterCenters, method);
    assert.deepEqual(cached.history, full.history, method);
  }
});
