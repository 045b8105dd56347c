// Standardized or raw units (src/auto/units.ts): the Gaussian fits are scale-free, the raw units
// win where the features share one unit and standardizing inflates noise, standardize stays where
// the scales are arbitrary, and the user's own preprocessing is never second-guessed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../random.ts';
import { clusterAccuracy } from '../metrics/index.ts';
import { AutoClustering } from './index.ts';
import { inspectData } from './inspect.ts';
import { comparesUnits, planAuto, planReasons, planSummary } from './plan.ts';
import { runAuto } from './run.ts';
import { chooseUnits, gaussianFits, whiten } from './units.ts';

const matrix = (rows: number[][]) => ({ data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0]!.length });

/** 3 clusters along feature 0 (centres 0, 6, 12, spread `spread`) and `noise` columns of spread `noiseScale`. */
function sharedUnit(seed: number, noise: number, noiseScale: number, spread = 1, perCluster = 60) {
  const rng = new Rng(seed);
  const rows: number[][] = [];
  const truth: number[] = [];
  for (let c = 0; c < 3; c++)
    for (let i = 0; i < perCluster; i++) {
      rows.push([6 * c + spread * rng.normal(), ...Array.from({ length: noise }, () => noiseScale * rng.normal())]);
      truth.push(c);
    }
  return { x: matrix(rows), truth: Int32Array.from(truth) };
}

test('gaussianFits: unchanged when the features are rescaled, lower for the true partition than for a shuffled one', () => {
  const { x, truth } = sharedUnit(1, 3, 1);
  const scaled = { ...x, data: x.data.map((v, i) => v * [1, 1000, 0.001, 7][i % 4]!) };
  const shuffled = Int32Array.from(truth, (_, i) => i % 3);
  const [a, b] = gaussianFits(x, [truth, shuffled], 3);
  const [a2] = gaussianFits(scaled, [truth], 3);
  assert.ok(a && b && a2);
  assert.ok(Math.abs(a.pooled - a2.pooled) < 1e-4 && Math.abs(a.perCluster! - a2.perCluster!) < 1e-4, `${JSON.stringify(a)} vs ${JSON.stringify(a2)}`);
  assert.ok(a.pooled < b.pooled && a.perCluster! < b.perCluster!);
  assert.deepEqual([a.dims, a.rows], [4, 180]);
  // a cluster of 3 rows cannot estimate a 4-D covariance: no per-cluster fit
  const tiny = Int32Array.from(truth, (c, i) => (i < 3 ? 2 : c === 2 ? 1 : c));
  assert.equal(gaussianFits(x, [tiny], 3)[0]!.perCluster, null);
});

test('chooseUnits: the same partition either way keeps standardize; too few rows per cluster keeps standardize', () => {
  const { x, truth } = sharedUnit(2, 2, 1);
  const renamed = Int32Array.from(truth, (c) => (c + 1) % 3);
  const d = chooseUnits(x, truth, renamed, 3);
  assert.equal(d.chosen, 'standardize');
  assert.match(d.reason, /same partition/);
});

test('runAuto: features that share one unit (small noise columns) keep their raw units; the model predicts the fit labels', async () => {
  // standardizing blows the five small noise columns up to the informative one's weight
  const { x, truth } = sharedUnit(3, 5, 0.5);
  const plan = planAuto(inspectData(x), { k: 3 });
  assert.ok(comparesUnits(plan));
  assert.deepEqual(plan.units!.value.alternative, ['center']);
  assert.match(planSummary(plan), /^standardize \(or center\) → kmeans, k = 3/);
  assert.ok('units' in planReasons(plan));
  const res = await runAuto(x, plan, { seed: 0, threads: 1 });
  assert.equal(res.decision.units?.chosen, 'center', res.decision.units?.reason);
  assert.match(res.decision.units!.reason, /^the raw units \(centred\): their k-means clusters are the better Gaussian fit \(log-det pooled -?[\d.]+, per cluster/);
  assert.deepEqual(res.preprocessing.names, ['center']);
  assert.ok(clusterAccuracy(truth, res.labels).accuracy > 0.99, `ACC ${clusterAccuracy(truth, res.labels).accuracy}`);
  assert.deepEqual(Array.from(res.model!.predict(x)), Array.from(res.labels));
});

test('runAuto: features on arbitrary scales (two informative columns in km beside a noise column in mm) stay standardized', async () => {
  const rng = new Rng(4);
  const centres = [[0, 0], [6, 0], [3, 5.2]];
  const rows: number[][] = [];
  const truth: number[] = [];
  centres.forEach(([a, b], c) => {
    for (let i = 0; i < 60; i++) {
      // raw k-means would follow the noise column, whose values are a million times larger
      rows.push([(a! + 0.5 * rng.normal()) / 1000, (b! + 0.5 * rng.normal()) / 1000, 1000 * rng.normal()]);
      truth.push(c);
    }
  });
  const x = matrix(rows);
  const res = await runAuto(x, planAuto(inspectData(x), { k: 3 }), { seed: 0, threads: 1 });
  assert.equal(res.decision.units?.chosen, 'standardize', res.decision.units?.reason);
  assert.deepEqual(res.preprocessing.names, ['standardize']);
  assert.ok(clusterAccuracy(Int32Array.from(truth), res.labels).accuracy > 0.95, `ACC ${clusterAccuracy(Int32Array.from(truth), res.labels).accuracy}`);
});

test('AutoClustering: a preprocessing the user gives is kept as given (no units check)', async () => {
  const { x } = sharedUnit(3, 5, 0.5);
  const f = await new AutoClustering({ seed: 0, threads: 1, preprocess: 'standardize', nClusters: 3 }).fit(x);
  assert.equal(f.plan.units, undefined);
  assert.equal(f.decision.units, undefined);
  assert.deepEqual(f.preprocessing.names, ['standardize']);
  const auto = await new AutoClustering({ seed: 0, threads: 1, nClusters: 3 }).fit(x);
  assert.equal(auto.decision.units?.chosen, 'center');
  assert.deepEqual(Array.from(await auto.predict(x)), Array.from(auto.labels));
});

test('whiten: the Gram-matrix path (wide tables) gives the covariance path’s whitened space', () => {
  const rng = new Rng(9);
  const m = 40;
  const d = 6;
  const z = Float64Array.from({ length: m * d }, () => rng.normal());
  for (let c = 0; c < d; c++) {
    let mean = 0;
    for (let i = 0; i < m; i++) mean += z[i * d + c]! / m;
    for (let i = 0; i < m; i++) z[i * d + c]! -= mean;
  }
  const a = whiten(z, m, d, 3, 'covariance');
  const b = whiten(z, m, d, 3, 'gram');
  assert.deepEqual([a.dims, b.dims], [3, 3], 'the top 3 of the 6 axes (maxDims)');
  // the same coordinates up to the sign of each axis
  for (let j = 0; j < 3; j++) {
    const sign = Math.sign(a.y[j]!) === Math.sign(b.y[j]!) ? 1 : -1;
    for (let i = 0; i < m; i++) assert.ok(Math.abs(a.y[i * 3 + j]! - sign * b.y[i * 3 + j]!) < 1e-9, `axis ${j} row ${i}`);
  }
});
