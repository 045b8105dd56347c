// The data inspector and the auto plan on small synthetic data and synthetic profiles.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError, ParamError } from '../errors.ts';
import { Rng } from '../random.ts';
import { type DataProfile, inspectData } from './inspect.ts';
import { LARGE_DATA_EPOCHS, LARGE_DATA_ROWS, MIN_FEATURES_FOR_UMAP, MIN_ROWS_FOR_UMAP, ROWS_PER_GMM_PARAMETER, gmmComponentParameters, planAuto, planReasons, planSummary, scaledNetwork } from './plan.ts';
import { runAuto } from './run.ts';
import { type KEstimator, type KEstimatorResult, clearMinimum } from './steps.ts';
import { clusterAccuracy } from '../metrics/index.ts';
import { aniso } from './_test/data.ts';

const profile = (over: Partial<DataProfile>): DataProfile => ({ rows: 1000, features: 10, min: -3, max: 3, integer: false, bytes: false, sparsity: 0, constantColumns: 0, duplicateRows: 0, scaleRatio: 1, skewedFraction: 0, ...over });

test('inspectData: sizes, value range, bytes, sparsity, constant columns, duplicates, scales, skew', () => {
  const rng = new Rng(1);
  // 50 rows: col 0 constant 7, col 1 in 0..255, col 2 scale ×1000, col 3 skewed counts; last 5 rows repeat the first 5
  const rows: number[][] = [];
  for (let i = 0; i < 45; i++) rows.push([7, Math.floor(rng.random() * 256), rng.normal() * 1000, i % 15 === 0 ? 400 : Math.floor(rng.random() * 3)]);
  for (let i = 0; i < 5; i++) rows.push([...rows[i]!]);
  const p = inspectData({ data: Float32Array.from(rows.flat()), rows: 50, cols: 4 });
  assert.deepEqual([p.rows, p.features, p.constantColumns, p.duplicateRows, p.integer], [50, 4, 1, 5, false]);
  assert.ok(p.scaleRatio > 10, `scale ratio ${p.scaleRatio}`);
  assert.ok(p.sparsity > 0 && p.sparsity < 0.25);
  assert.equal(p.skewedFraction, 0, 'a column with negatives: no log1p suggestion');
  const px = inspectData({ data: Float32Array.from({ length: 64 }, (_, i) => (i * 37) % 256), rows: 4, cols: 16 }, { imageShape: [1, 4, 4] });
  assert.deepEqual([px.bytes, px.integer, px.min, px.max], [true, true, 0, 246]);
  assert.deepEqual(px.imageShape, [1, 4, 4]);
  const counts = inspectData({ data: Float32Array.from({ length: 200 }, (_, i) => (Math.floor(i / 2) % 10 === 0 ? 1000 : (i + Math.floor(i / 2)) % 3)), rows: 100, cols: 2 });
  assert.equal(counts.skewedFraction, 1);
  assert.throws(() => inspectData({ data: new Float32Array(0), rows: 0, cols: 3 }), (e: unknown) => e instanceof DataError && /auto: the data is empty/.test((e as Error).message));
  assert.throws(() => inspectData({ data: Float32Array.from([1, NaN]), rows: 1, cols: 2 }), /non-finite value at row 1, column 2/);
});

test('planAuto: preprocessing by value range and scales', () => {
  assert.deepEqual(planAuto(profile({ bytes: true, integer: true, min: 0, max: 255, features: 784, imageShape: [1, 28, 28] })).preprocessing.value, ['scale255']);
  assert.deepEqual(planAuto(profile({ integer: true, min: 0, max: 16, features: 64 })).preprocessing.value, ['minmax']);
  assert.deepEqual(planAuto(profile({ min: 0, max: 1, features: 1024, imageShape: [1, 32, 32] })).preprocessing.value, []);
  assert.deepEqual(planAuto(profile({ min: 0, max: 1, features: 1024 })).preprocessing.value, ['standardize'], 'a table in [0, 1] is not an image');
  assert.deepEqual(planAuto(profile({ min: 0, skewedFraction: 0.8 })).preprocessing.value, ['log1p', 'standardize']);
  const std = planAuto(profile({ scaleRatio: 500 })).preprocessing;
  assert.deepEqual(std.value, ['standardize']);
  assert.match(std.reason, /feature scales differ 500-fold/);
});

test('planAuto: no UMAP and no network on small or narrow tables; UMAP (after PCA on wide rows) otherwise', () => {
  const small = planAuto(profile({ rows: 178, features: 13 }));
  assert.equal(small.representation.value.kind, 'features');
  assert.match(small.representation.reason, /only 178 rows/);
  assert.equal(small.network.value, null);
  assert.equal(planAuto(profile({ rows: 5000, features: MIN_FEATURES_FOR_UMAP - 1 })).representation.value.kind, 'features');
  assert.equal(planAuto(profile({ rows: MIN_ROWS_FOR_UMAP - 1, features: 500 })).representation.value.kind, 'features');
  const wide = planAuto(profile({ rows: 10000, features: 784 }), { deep: false }).representation.value;
  assert.deepEqual(wide, { kind: 'umap', pca: 50, nComponents: 10, nNeighbors: 15, minDist: 0 });
  assert.equal((planAuto(profile({ rows: 2000, features: 64 })).representation.value as { pca?: number }).pca, undefined);
  const deep = planAuto(profile({ rows: 10000, features: 784, imageShape: [1, 28, 28] }), { deep: true, k: 10 });
  assert.ok(deep.network.value);
  assert.equal(deep.network.value.augment, true);
});

test('planAuto: a network for many rows of many features (image-like 2,000 × 784), none for a 178 × 13 table; each with its reason', () => {
  const img = planAuto(profile({ rows: 2000, features: 784, bytes: true, integer: true, min: 0, max: 255, imageShape: [1, 28, 28] }));
  const net = img.network.value;
  assert.ok(net, 'a network for 2,000 × 784 images');
  assert.match(img.network.reason, /2000 rows \(>= 1000\) × 784 features \(>= 256\): an autoencoder 784-500-500-2000-10/);
  assert.equal(net.augment, true, 'images are augmented');
  assert.equal(net.batchSize, 256);
  assert.ok(net.pretrainSteps >= 200 && net.pretrainSteps <= 2000, `steps ${net.pretrainSteps}`);
  assert.equal(img.clustering.value, 'gmm');
  assert.match(img.clustering.reason, /UMAP of the code/);
  assert.deepEqual(img.representation.value, { kind: 'umap', nComponents: 10, nNeighbors: 20, minDist: 0 });
  assert.match(img.k.reason, /pretrained code/);
  assert.equal(img.fallback, undefined);
  assert.match(planSummary(img), /scale255 → autoencoder 500-500-2000-10 → umap\(10d\) → gmm, k by silhouette in 2\.\.30/);
  assert.equal(planAuto(profile({ rows: 2000, features: 784 })).network.value?.augment, false, 'a wide table: a network, no augmentation');
  const wine = planAuto(profile({ rows: 178, features: 13 }));
  assert.equal(wine.network.value, null);
  assert.match(wine.network.reason, /too few rows or features/);
  const digits = planAuto(profile({ rows: 1797, features: 64, integer: true, min: 0, max: 16 }));
  assert.equal(digits.network.value, null);
  assert.match(digits.network.reason, /needs >= 1000 rows of >= 256 features/);
  assert.equal(planAuto(profile({ rows: 2000, features: 784 }), { deep: false }).network.value, null, 'deep: false forces none');
  // the step budget is capped by work: a wider input gets fewer steps, a larger batch never more work
  for (const n of [10000, 500000]) {
    const wideNet = scaledNetwork(4096, n, 10, false);
    const narrowNet = scaledNetwork(784, n, 10, false);
    assert.ok(wideNet.pretrainSteps < narrowNet.pretrainSteps, `${n} rows: ${wideNet.pretrainSteps} < ${narrowNet.pretrainSteps}`);
  }
});

test('planAuto: k given or estimated in a range scaled to n; clustering step by availability; reasons everywhere', () => {
  assert.deepEqual(planAuto(profile({ rows: 178 })).k.value, { estimate: [2, 17], criterion: 'gap' });
  assert.deepEqual(planAuto(profile({ rows: 70000, features: 100 })).k.value, { estimate: [2, 30], criterion: 'gap' });
  assert.deepEqual(planAuto(profile({ rows: 70000, features: 100, integer: true, min: 0, max: 9 })).k.value, { estimate: [2, 30], criterion: 'silhouette' }, 'UMAP of count-like rows: silhouette');
  assert.deepEqual((planAuto(profile({ rows: 60 })).k.value as { estimate: readonly number[] }).estimate, [2, 6]);
  assert.equal(planAuto(profile({}), { k: 4 }).k.value, 4);
  assert.throws(() => planAuto(profile({ rows: 100 }), { k: 101 }), (e: unknown) => e instanceof ParamError && /the data has 100 samples but k = 101 clusters were asked for; use k <= 100/.test((e as Error).message));
  assert.equal(planAuto(profile({ rows: 5000, features: 50, integer: true, min: 0, max: 9 })).clustering.value, 'kmeans', 'UMAP embedding: k-means + silhouette');
  assert.equal(planAuto(profile({ rows: 100, features: 5 })).clustering.value, 'kmeans', 'too few rows for full covariances');
  assert.equal(planAuto(profile({ rows: 5000, features: 20 })).clustering.value, 'kmeans', 'too wide for full covariances');
  const enough = ROWS_PER_GMM_PARAMETER * gmmComponentParameters(6);
  const gmm = planAuto(profile({ rows: enough, features: 6 }));
  assert.equal(gmm.clustering.value, 'gmm');
  assert.deepEqual(gmm.k.value, { estimate: [2, 30], criterion: 'bic' });
  assert.deepEqual(gmm.fallback?.value, { clustering: 'kmeans', criterion: 'gap' });
  assert.match(planSummary(gmm), /gmm, k by bic in 2\.\.30 \(else kmeans, k by gap\)/);
  assert.equal(planAuto(profile({ rows: enough - 1, features: 6 })).clustering.value, 'kmeans');
  assert.equal(planAuto(profile({ rows: enough, features: 6 }), { available: ['kmeans'] }).clustering.value, 'kmeans');
  assert.equal(planAuto(profile({ rows: enough, features: 6 }), { k: 4 }).clustering.value, 'kmeans', 'k given: no BIC evidence');
  const plan = planAuto(profile({ rows: 5000, features: 200, integer: true, min: 0, max: 3 }));
  for (const [name, c] of Object.entries(planReasons(plan))) assert.ok(c.reason.length > 10, name);
  assert.equal(planSummary(plan), 'minmax → pca(50) → umap(10d) → kmeans, k by silhouette in 2..30');
});

test('scaledNetwork: widths, embedding, batch and step budget follow d and n', () => {
  const small = scaledNetwork(13, 178, 3, false);
  assert.deepEqual([small.hidden, small.embeddingDim, small.batchSize], [[26, 26], 3, 32]);
  const big = scaledNetwork(784, 70000, 10, true);
  // 70,000 rows are large: 20 epochs (5,469 steps of 256) within three times the work cap, no augmentation
  assert.deepEqual([big.hidden, big.embeddingDim, big.batchSize, big.augment, big.pretrainSteps], [[500, 500, 2000], 10, 256, false, Math.ceil((LARGE_DATA_EPOCHS * 70000) / 256)]);
  assert.ok(small.pretrainSteps >= 2000);
  const below = scaledNetwork(784, LARGE_DATA_ROWS - 1, 10, true);
  assert.ok(below.augment && below.pretrainSteps === 2000, 'below the threshold: augmented images, the usual cap');
  const huge = scaledNetwork(784, 1_000_000, 10, true);
  assert.equal(huge.pretrainSteps, 3 * 2000, 'a million rows: three times the work cap, not 20 epochs');
});

test('runAuto: three separated blobs of unequal size → the right k and labels; the fitted preprocessing is returned', async () => {
  const rng = new Rng(3);
  const rows: number[] = [];
  const truth: number[] = [];
  [120, 60, 30].forEach((size, c) => {
    for (let i = 0; i < size; i++) {
      // (a third column of pure noise, as wide as the clusters once standardized, makes k by the
      // gap statistic overshoot, 4 of 3: docs/own-data.md, "Held-out tables")
      rows.push(c * 10 + rng.normal(), (c % 2) * 1000 + 100 * rng.normal());
      truth.push(c);
    }
  });
  const x = { data: Float32Array.from(rows), rows: truth.length, cols: 2 };
  const plan = planAuto(inspectData(x));
  assert.equal(plan.representation.value.kind, 'features');
  const res = await runAuto(x, plan, { seed: 0, threads: 1 });
  assert.equal(res.k, 3);
  assert.equal(clusterAccuracy(truth, res.labels).accuracy, 1);
  assert.deepEqual(res.preprocessing.names, ['standardize']);
  assert.equal(res.representation.rows, 210);
  await assert.rejects(runAuto(x, { ...plan, clustering: { value: 'spectral' as 'gmm', reason: '' } }), /clustering step 'spectral' is not available; choose from kmeans, gmm/);
});

test('clearMinimum: an interior minimum followed by a steady rise over 3 k\'s', () => {
  assert.equal(clearMinimum([10, 5, 6, 7, 8], 1), true);
  assert.equal(clearMinimum([10, 5, 6, 5.5, 8], 1), false, 'no steady rise');
  assert.equal(clearMinimum([10, 8, 6, 5, 4], 4), false, 'still falling at the end of the range');
  assert.equal(clearMinimum([10, 8, 5, 6, 7], 2), false, 'fewer than 3 k\'s after it');
  assert.equal(clearMinimum([10, 5, null, 7, 8], 1), false);
});

test('runAuto: elongated clusters of unequal size → a full-covariance GMM with k by a clear BIC minimum; the decision is recorded', async () => {
  const { x, truth } = aniso(5);
  const plan = planAuto(inspectData(x));
  assert.equal(plan.clustering.value, 'gmm');
  const res = await runAuto(x, plan, { seed: 0, threads: 1 });
  assert.equal(res.clustering, 'gmm');
  assert.deepEqual([res.k, res.decision.criterion, res.decision.clear, res.decision.fallback], [4, 'bic', true, false]);
  assert.ok(clusterAccuracy(truth, res.labels).accuracy > 0.98, `ACC ${clusterAccuracy(truth, res.labels).accuracy}`);
});

test('runAuto: a BIC curve without a clear minimum falls back to k-means with k by the gap statistic, and says why', async () => {
  const { x } = aniso(5);
  const plan = planAuto(inspectData(x));
  const asked: string[] = [];
  const estimator: KEstimator = {
    name: 'fake',
    async estimate(_x, _range, _seed, criterion): Promise<KEstimatorResult> {
      asked.push(criterion!);
      return criterion === 'bic' ? { k: 27, scores: { 26: 2, 27: 1 }, criterion, clear: false } : { k: 3, scores: { 3: 0.5 }, criterion };
    },
  };
  const res = await runAuto(x, plan, { seed: 0, threads: 1, estimator });
  assert.deepEqual(asked, ['bic', 'gap']);
  assert.deepEqual([res.k, res.clustering, res.decision.fallback, res.decision.criterion], [3, 'kmeans', true, 'gap']);
  assert.match(res.decision.reason, /no clear minimum .*kmeans with k = 3 by gap$/);
});
