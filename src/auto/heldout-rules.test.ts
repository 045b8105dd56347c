// The rules added after `bench heldout` (tables auto was not designed on): k on features by
// the gap statistic, UMAP only for pixel- or count-like rows, duplicate columns
// weighted 0, 40 rows per mixture parameter, and the bad inputs of a table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError, ParamError } from '../errors.ts';
import { Rng } from '../random.ts';
import { clusterAccuracy } from '../metrics/index.ts';
import { type DataProfile, duplicateColumnIndices, inspectData } from './inspect.ts';
import { ROWS_PER_GMM_PARAMETER, gmmComponentParameters, planAuto, weightsDuplicateColumns } from './plan.ts';
import { runAuto } from './run.ts';
import { estimateKStep } from './steps.ts';

const profile = (over: Partial<DataProfile>): DataProfile => ({ rows: 1000, features: 10, min: -3, max: 3, integer: false, bytes: false, sparsity: 0, constantColumns: 0, duplicateRows: 0, scaleRatio: 1, skewedFraction: 0, ...over });
const matrix = (rows: number[][]) => ({ data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0]!.length });

test('inspectData: duplicate columns (constant ones left out); an all-constant table is a one-line DataError', () => {
  const rng = new Rng(2);
  const rows = Array.from({ length: 30 }, () => {
    const a = rng.normal();
    const b = rng.normal();
    return [a, 5, b, a, 5, b, a];
  });
  const x = matrix(rows);
  assert.deepEqual(duplicateColumnIndices(x), [3, 5, 6], 'columns 3, 5, 6 repeat 0, 2, 0; the constant columns 1 and 4 are not counted');
  assert.equal(inspectData(x).duplicateColumns, 3);
  assert.equal(inspectData(matrix(rows.map((r) => [r[0]!, r[2]!]))).duplicateColumns, 0);
  assert.throws(
    () => inspectData(matrix(Array.from({ length: 150 }, () => [1, 2, 3]))),
    (e: unknown) => e instanceof DataError && /^auto: every column of the data is constant \(all 150 rows are the same\), so there is nothing to cluster; check/.test((e as Error).message) && !(e as Error).message.includes('\n'),
  );
});

test('planAuto: k above the distinct rows and too few rows to estimate k are one-line ParamErrors; the k range stops at the distinct rows', () => {
  assert.throws(() => planAuto(profile({ rows: 150, duplicateRows: 147 }), { k: 5 }), (e: unknown) => e instanceof ParamError && /k = 5 clusters were asked for, but the data have only 3 distinct rows \(147 repeat another\); use k <= 3/.test((e as Error).message));
  assert.equal(planAuto(profile({ rows: 150, duplicateRows: 147 }), { k: 3 }).k.value, 3);
  assert.throws(() => planAuto(profile({ rows: 15 })), (e: unknown) => e instanceof ParamError && /estimating k needs at least 20 rows, the data have 15; give k \(--k; nClusters in the library\)/.test((e as Error).message));
  assert.equal(planAuto(profile({ rows: 15 }), { k: 2 }).k.value, 2, 'with k given, 15 rows are enough');
  assert.deepEqual((planAuto(profile({ rows: 150, duplicateRows: 146 })).k.value as { estimate: readonly number[] }).estimate, [2, 4]);
  assert.deepEqual((planAuto(profile({ rows: 60 })).k.value as { estimate: readonly number[] }).estimate, [2, 6], 'fewer than 100 rows work: k up to n / 10');
});

test('planAuto: real-valued tables of >= 32 features cluster their features; pixel- or count-like rows and network-sized tables keep UMAP', () => {
  const real = planAuto(profile({ rows: 600, features: 50 }));
  assert.equal(real.representation.value.kind, 'features');
  assert.match(real.representation.reason, /50 real-valued features \(not pixel- or count-like integers\)/);
  assert.deepEqual(real.k.value, { estimate: [2, 30], criterion: 'gap' });
  assert.equal(real.clustering.value, 'kmeans');
  const counts = planAuto(profile({ rows: 600, features: 50, integer: true, min: 0, max: 5 }));
  assert.equal(counts.representation.value.kind, 'umap');
  assert.deepEqual(counts.k.value, { estimate: [2, 30], criterion: 'silhouette' });
  assert.equal(planAuto(profile({ rows: 600, features: 50, min: 0, max: 1, imageShape: [1, 5, 10] })).representation.value.kind, 'umap', 'images keep UMAP');
  assert.equal(planAuto(profile({ rows: 2000, features: 300 })).representation.value.kind, 'umap', 'a network-sized real-valued table: the network rule decides');
  assert.ok(planAuto(profile({ rows: 2000, features: 300 })).network.value);
  assert.equal(planAuto(profile({ rows: 600, features: 50 }), { deep: true }).representation.value.kind, 'umap', 'deep: true keeps the network path');
});

test('planAuto: a Gaussian mixture needs 40 rows per parameter of a component', () => {
  assert.equal(ROWS_PER_GMM_PARAMETER, 40);
  const need = ROWS_PER_GMM_PARAMETER * gmmComponentParameters(5);
  assert.equal(need, 800);
  assert.equal(planAuto(profile({ rows: 400, features: 5 })).clustering.value, 'kmeans', '400 rows in 5-D (bench heldout negative): k-means');
  assert.match(planAuto(profile({ rows: 400, features: 5 })).clustering.reason, /400 rows are too few for a full-covariance mixture in 5 dimensions \(it needs 800: 40 per parameter\)/);
  assert.equal(planAuto(profile({ rows: need, features: 5 })).clustering.value, 'gmm');
});

test('planAuto: duplicate columns get weight 0 only after standardize on features, and the reason says so', () => {
  const p = profile({ rows: 500, features: 12, duplicateColumns: 2 });
  const plan = planAuto(p);
  assert.ok(weightsDuplicateColumns(p, plan.preprocessing.value, plan.representation.value));
  assert.match(plan.preprocessing.reason, /the 2 columns that repeat an earlier column exactly get weight 0/);
  assert.doesNotMatch(planAuto(profile({ rows: 500, features: 12 })).preprocessing.reason, /repeat an earlier column/);
  const px = profile({ rows: 600, features: 50, integer: true, min: 0, max: 5, duplicateColumns: 2 });
  const umap = planAuto(px);
  assert.equal(weightsDuplicateColumns(px, umap.preprocessing.value, umap.representation.value), false, 'minmax → UMAP: unchanged');
  assert.doesNotMatch(umap.preprocessing.reason, /repeat an earlier column/);
});

test('runAuto: three clusters in two groups → k = 3 by the gap statistic (silhouette alone says 2)', async () => {
  const rng = new Rng(4);
  const rows: number[][] = [];
  const truth: number[] = [];
  [[0, 0], [4, 0], [12, 12]].forEach((c, i) => {
    for (let r = 0; r < 50; r++) {
      rows.push([c[0]! + rng.normal(), c[1]! + rng.normal()]);
      truth.push(i);
    }
  });
  const x = matrix(rows);
  const plan = planAuto(inspectData(x));
  assert.deepEqual(plan.k.value, { estimate: [2, 15], criterion: 'gap' });
  const res = await runAuto(x, plan, { seed: 0, threads: 1 });
  assert.equal(res.k, 3);
  assert.deepEqual([res.decision.criterion, res.decision.reason], ['gap', 'k = 3 by gap']);
  const sil = await estimateKStep({ threads: 1 }).estimate(res.representation, [2, 15], 0, 'silhouette');
  assert.equal(sil.k, 2, 'silhouette alone');
  assert.ok(clusterAccuracy(truth, res.labels).accuracy > 0.95, `ACC ${clusterAccuracy(truth, res.labels).accuracy}`);
});

test('runAuto: a copied column gets scale 0 in the stored standardize (or center) step; the model predicts the fit labels', async () => {
  const rng = new Rng(6);
  const rows: number[][] = [];
  for (let c = 0; c < 3; c++)
    for (let r = 0; r < 60; r++) {
      const a = c * 6 + rng.normal();
      rows.push([a, (c % 2) * 6 + rng.normal(), rng.normal(), a]);
    }
  const x = matrix(rows);
  const plan = planAuto(inspectData(x));
  assert.equal(plan.profile.duplicateColumns, 1);
  const res = await runAuto(x, plan, { seed: 0, threads: 1 });
  const st = res.preprocessing.toJSON().steps[0]!;
  // the units check may keep the centred raw values instead: the copy gets weight 0 either way
  assert.equal(st.step, res.decision.units?.chosen);
  const scale = (st as { scale: number[] }).scale;
  assert.equal(scale[3], 0, 'the copy of column 0');
  assert.ok(scale.slice(0, 3).every((s) => s > 0));
  assert.ok(res.representation.data.every((v, i) => i % 4 !== 3 || v === 0));
  assert.deepEqual(Array.from(res.model!.predict(x)), Array.from(res.labels));
  assert.equal(res.k, 3);
});
