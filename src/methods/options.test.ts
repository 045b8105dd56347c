// The estimator's options and inputs (issue #22): unknown keys, checks at construction, the data
// forms fit takes, fitPredict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeepClustering } from './deep-clustering.ts';
import { DataError, ParamError } from '../errors.ts';
import type { DeepPartial, MethodConfig } from './config.ts';

const tiny: DeepPartial<MethodConfig> = { architecture: { kind: 'mlp', hidden: [8], embeddingDim: 2 }, pretrain: { epochs: 2, batchSize: 8 }, initNInit: 1 };
const rows = Array.from({ length: 24 }, (_, i) => [(i % 3) * 4 + 0.01 * i, (i % 3) * -2, 1, (i % 2) * 0.1]);

test('unknown option keys are refused naming the closest known key', () => {
  const unknown = { method: 'idec', nClusters: 3, pretrainEpochs: 3, maxIter: 100, threads: 1 } as never;
  assert.throws(() => new DeepClustering(unknown), (e: unknown) => e instanceof ParamError && /^DeepClustering options\.pretrainEpochs is not an option; did you mean overrides\.pretrain\.epochs\? The options are method, nClusters/.test((e as Error).message));
  assert.throws(() => new DeepClustering({ k: 3 } as never), (e: unknown) => e instanceof ParamError && /options\.k is not an option; did you mean nClusters\?/.test((e as Error).message));
  assert.throws(() => new DeepClustering({ nClusters: 3, maxIter: 100 } as never), /options\.maxIter is not an option; did you mean overrides\.train\.maxIter\?/);
  assert.throws(() => new DeepClustering({ nClusters: 3, threads: 1 } as never), /options\.threads is not an option; did you mean runtime\.threads\?/);
  assert.throws(() => new DeepClustering({ nClusters: 3, sead: 1 } as never), /options\.sead is not an option \(did you mean 'seed'\?\)/);
  assert.throws(() => new DeepClustering({ nClusters: 3, overrides: { train: { maxIterr: 5 } } } as never), /method\.train\.maxIterr is not a method option \(did you mean 'maxIter'\?\)/);
});

test('options are checked at construction, before any work', () => {
  assert.throws(() => new DeepClustering({ nClusters: 3, seed: 1e300 }), (e: unknown) => e instanceof ParamError && /option 'seed' must be an integer >= 0, got 1e\+300; the largest seed is 2\^52/.test((e as Error).message));
  assert.throws(() => new DeepClustering({ nClusters: 3, seed: 1.5 }), /option 'seed' must be an integer >= 0, got 1\.5/);
  assert.throws(() => new DeepClustering({} as never), /option 'nClusters' must be an integer >= 2, got undefined/);
  assert.throws(() => new DeepClustering({ nClusters: 3, budget: 'long' as never }), /option 'budget' must be 'full' or 'short', got "long"/);
  assert.throws(() => new DeepClustering({ nClusters: 3, stepsPerRun: 0 }), /option 'stepsPerRun' must be an integer >= 1, got 0/);
  assert.throws(() => new DeepClustering({ nClusters: 3, method: 'idec', overrides: { train: { batchSize: 0 } } }), /method\.train\.batchSize must be an integer >= 1, got 0/);
  assert.equal(new DeepClustering({ nClusters: 3, method: 'dcn' }).method.name, 'dcn');
});

test('fit takes number[][], { data, rows, cols } and { data, shape }, with the same result', async () => {
  const est = new DeepClustering({ method: 'ae-kmeans', nClusters: 3, seed: 1, overrides: tiny });
  const flat = Float32Array.from(rows.flat());
  const a = await est.fit(rows);
  const b = await est.fit({ data: flat, rows: 24, cols: 4 });
  const c = await est.fit({ data: Float64Array.from(rows.flat()), shape: [24, 4] });
  assert.deepEqual(Array.from(a.labels), Array.from(b.labels));
  assert.deepEqual(Array.from(a.labels), Array.from(c.labels));
  assert.deepEqual(Array.from(await a.predict(rows)), Array.from(await a.predict({ data: flat, shape: [24, 4] })));
  assert.equal((await a.transform(rows)).rows, 24);
});

test('fitPredict returns the labels of fit', async () => {
  const est = new DeepClustering({ method: 'ae-kmeans', nClusters: 3, seed: 1, overrides: tiny });
  const labels = await est.fitPredict(rows);
  assert.ok(labels instanceof Int32Array && labels.length === 24);
  assert.deepEqual(Array.from(labels), Array.from((await est.fit(rows)).labels));
});

test('bad data forms get one-line DataErrors', async () => {
  const est = new DeepClustering({ method: 'ae-kmeans', nClusters: 3, overrides: tiny });
  await assert.rejects(est.fit([[1, 2], [3]]), (e: unknown) => e instanceof DataError && /row 1 has 1 values but row 0 has 2/.test((e as Error).message));
  await assert.rejects(est.fit([[1, 2], [3, 'x' as never]]), /row 1, column 1 is string "x", not a number/);
  await assert.rejects(est.fit({ data: new Float32Array(6), shape: [4, 2] }), /the data has 6 values, expected 4 × 2 = 8/);
  await assert.rejects(est.fit('abc' as never), /the data must be rows \(number\[\]\[\]\), \{ data, rows, cols \} or \{ data, shape: \[rows, cols\] \}/);
  await assert.rejects(est.fit(rows, { imageshape: [1, 2, 2] } as never), /fit options\.imageshape is not an option \(did you mean 'imageShape'\?\)/);
});

test('a fit with fewer distinct clusters than nClusters says so in warnings (as scikit-learn does); a normal fit has none', async () => {
  const same = Array.from({ length: 24 }, () => [1, 2, 3, 4]); // every row identical
  const fitted = await new DeepClustering({ method: 'ae-kmeans', nClusters: 3, seed: 0, overrides: tiny }).fit(same);
  assert.equal(fitted.warnings.length, 1);
  assert.match(fitted.warnings[0]!, /number of distinct clusters \(1\) found smaller than nClusters \(3\)/);
  const rows = Array.from({ length: 24 }, (_, i) => [i % 3, (i % 3) * 2, 1 + (i % 3), i % 2]);
  const ok = await new DeepClustering({ method: 'ae-kmeans', nClusters: 3, seed: 0, overrides: tiny }).fit(rows);
  assert.equal(new Set(ok.labels).size, 3);
  assert.deepEqual(ok.warnings, []);
});
