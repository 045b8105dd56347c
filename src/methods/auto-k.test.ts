// nClusters 'auto': k estimated on the pretrained embedding, with the curves; range and size errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeepClustering, FittedDeepClustering } from './deep-clustering.ts';
import { ParamError } from '../errors.ts';
import { Rng } from '../random.ts';

/** `k` separated blobs in 12 dimensions, of unequal sizes. */
function blobs(k: number, n: number, seed: number) {
  const rng = new Rng(seed);
  const c = new Rng(11);
  const centers = Array.from({ length: k }, () => Array.from({ length: 12 }, () => 3 * c.random()));
  const data = new Float32Array(n * 12);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3 === 0 ? 0 : i % k; // cluster 0 is the largest
    for (let j = 0; j < 12; j++) data[i * 12 + j] = centers[y[i]!]![j]! + 0.08 * rng.normal();
  }
  return { x: { data, rows: n, cols: 12 }, y };
}

const overrides = { architecture: { hidden: [24], embeddingDim: 4 }, pretrain: { epochs: 30, batchSize: 16 }, initNInit: 2 };

test("nClusters 'auto' finds the true k of separated blobs and reports the curves", async () => {
  const { x } = blobs(5, 150, 1);
  const fitted = await new DeepClustering({ method: 'ae-kmeans', nClusters: 'auto', kRange: [2, 9], seed: 0, overrides }).fit(x);
  assert.equal(fitted.nClusters, 5);
  const e = fitted.kEstimate!;
  assert.equal(e.chosen, 5);
  assert.equal(e.criterion, 'silhouette');
  assert.deepEqual(e.ks, [2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(e.curves.silhouette!.values.length, 8);
  assert.ok(e.curves['calinski-harabasz'] && e.curves['davies-bouldin']);
  assert.equal(new Set(fitted.labels).size, 5);
  assert.equal(fitted.clusterCenters.length, 5 * fitted.embeddingDim);
  assert.ok(fitted.timings.estimateK! > 0);
  const dir = mkdtempSync(join(tmpdir(), 'dc-autok-'));
  fitted.save(dir);
  assert.deepEqual(FittedDeepClustering.load(dir).kEstimate, e);
});

test("n2d with nClusters 'auto': the preset's code width, UMAP + mixture with the estimated k", async () => {
  const { x } = blobs(3, 90, 2);
  const fitted = await new DeepClustering({ method: 'n2d', nClusters: 'auto', kRange: [2, 6], seed: 0, overrides: { architecture: { hidden: [24] }, pretrain: { epochs: 30, batchSize: 16 } } }).fit(x);
  assert.equal(fitted.embeddingDim, 10, 'the preset width stays with auto');
  assert.equal(fitted.nClusters, 3);
  assert.deepEqual(Array.from(await fitted.predict(x)), Array.from(fitted.labels));
});

test("nClusters 'auto': a range outside [2, n − 1], fewer than 20 rows and misplaced options are one-line errors", async () => {
  const { x } = blobs(3, 30, 3);
  await assert.rejects(new DeepClustering({ method: 'ae-kmeans', nClusters: 'auto', kRange: [2, 30], overrides }).fit(x), (e: Error) => e instanceof ParamError && /2 <= lo <= hi <= n − 1 = 29/.test(e.message) && !e.message.includes('\n'));
  const small = { data: x.data.subarray(0, 19 * 12), rows: 19, cols: 12 };
  await assert.rejects(new DeepClustering({ method: 'ae-kmeans', nClusters: 'auto', overrides }).fit(small), (e: Error) => e instanceof ParamError && /at least 20 rows, the data have 19/.test(e.message));
  assert.throws(() => new DeepClustering({ method: 'ae-kmeans', nClusters: 'auto', kRange: [1, 5] }), /kRange' must be \[lo, hi\], integers with 2 <= lo <= hi/);
  assert.throws(() => new DeepClustering({ method: 'ae-kmeans', nClusters: 4, kRange: [2, 5] }), /apply only with nClusters: 'auto'/);
  assert.throws(() => new DeepClustering({ method: 'ae-kmeans', nClusters: 4, kTopFallback: 'gap' }), /'kTopFallback' and 'kFinerRatio' apply only with nClusters: 'auto'/);
  assert.throws(() => new DeepClustering({ method: 'ae-kmeans', nClusters: 'auto', kTopFallback: 'nope' as never }), (e: Error) => e instanceof ParamError && /option 'kTopFallback' must be one of silhouette/.test(e.message));
  assert.throws(() => new DeepClustering({ method: 'ae-kmeans', nClusters: 'auto', kFinerRatio: 2 }), (e: Error) => e instanceof ParamError && /option 'kFinerRatio' must be a number > 1 \(e\.g\. 2\) and needs 'kTopFallback', got 2 without kTopFallback/.test(e.message));
  assert.throws(() => new DeepClustering({ method: 'ae-kmeans', nClusters: 'auto', kTopFallback: 'gap', kFinerRatio: 0.5 }), /option 'kFinerRatio' must be a number > 1/);
  assert.throws(() => new DeepClustering({ method: 'ae-kmeans', nClusters: 4, kFinerRatio: 2 }), /'kFinerRatio' apply only with nClusters: 'auto'/);
  assert.throws(() => new DeepClustering({ method: 'ae-kmeans', nClusters: 'auto', kCriterion: 'elbow' as never }), /kCriterion' must be one of silhouette/);
  assert.throws(() => new DeepClustering({ method: 'ae-kmeans', nClusters: 'many' as never }), /must be an integer >= 2, got "many"; or 'auto' to estimate k/);
});

test("nClusters 'auto' with checkpoints: a fit stopped in the clustering phase resumes with the same k and result", async () => {
  const { x } = blobs(3, 60, 4);
  const cfg = { architecture: { hidden: [12], embeddingDim: 3 }, pretrain: { epochs: 3, batchSize: 16 }, train: { maxIter: 30, batchSize: 16 }, clusterUpdate: { updateInterval: 7, tol: 0 }, initNInit: 2 };
  const make = () => new DeepClustering({ method: 'idec', nClusters: 'auto', kRange: [2, 6], seed: 1, overrides: cfg, stepsPerRun: 2 });
  const whole = await make().fit(x);
  const dir = mkdtempSync(join(tmpdir(), 'dc-autok-ckpt-'));
  const ctl = new AbortController();
  let saves = 0;
  // stop at the 12th save: well inside the clustering phase (pretraining has 3 epochs of 4 steps)
  await assert.rejects(make().fit(x, { signal: ctl.signal, checkpoint: { dir, every: 1, onSaved: (e) => ++saves === 12 && (assert.equal(e.phase, 'cluster'), ctl.abort()) } }));
  const resumed = await make().fit(x, { resumeFrom: dir });
  assert.equal(resumed.nClusters, whole.nClusters);
  assert.deepEqual({ ...resumed.kEstimate!, seconds: 0 }, { ...whole.kEstimate!, seconds: 0 });
  assert.deepEqual(resumed.labels, whole.labels);
  assert.deepEqual(resumed.clusterCenters, whole.clusterCenters);
});

test("a correctly estimated k gives exactly the run given that k (no stream depends on how k was chosen)", async () => {
  const { x } = blobs(4, 120, 3);
  // auto's deep path: the code width does not follow k, so the network is the same either way
  const o = { architecture: { hidden: [24], embeddingDim: 4 }, embeddingDimFromK: false, pretrain: { epochs: 20, batchSize: 16 }, finalClustering: { kind: 'umap-gmm' as const, nNeighbors: 10, nInit: 3 } };
  const estimated = await new DeepClustering({ method: 'n2d', nClusters: 'auto', kRange: [2, 8], seed: 4, overrides: o }).fit(x);
  assert.equal(estimated.nClusters, 4);
  const given = await new DeepClustering({ method: 'n2d', nClusters: 4, seed: 4, overrides: o }).fit(x);
  assert.deepEqual(Array.from(estimated.labels), Array.from(given.labels));
});
