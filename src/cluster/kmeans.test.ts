// KMeans and MiniBatchKMeans against scikit-learn (test/fixtures/make_sklearn_fixtures.py), plus contracts and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KMeans, MiniBatchKMeans } from './index.ts';
import { DataError, ParamError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../random.ts';
import { adjustedRandScore } from '../metrics/index.ts';

interface KMeansCase { name: string; k: number; init: 'k-means++' | 'random'; x: number[][]; inertia: number; bestOf10: number; runMean: number; runStd: number; runMin: number }
const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/sklearn-cluster.json', import.meta.url), 'utf8')) as {
  kmeans: KMeansCase[];
  lloydFromInit: { x: number[][]; init: number[][]; labels: number[]; centers: number[][]; inertia: number; nIter: number };
};
const mat = (x: number[][], f32 = false): Matrix => {
  const flat = x.flat();
  return { data: f32 ? Float32Array.from(flat) : Float64Array.from(flat), rows: x.length, cols: x[0]!.length };
};

function blobs(n: number, d: number, k: number, seed: number, spread = 0.5): { x: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const centers = Array.from({ length: k * d }, () => rng.random() * 20 - 10);
  const y = Int32Array.from({ length: n }, () => rng.int(k));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) data[i * d + t] = centers[y[i]! * d + t]! + spread * rng.normal();
  return { x: { data, rows: n, cols: d }, y };
}

for (const c of fixture.kmeans) {
  // Blobs have one clear optimum: the best of 10 must be as good as scikit-learn's. Uniform data
  // has many local optima where any best-of-10 is luck, so there the distribution of single
  // runs (100 of ours vs 300 of scikit-learn's) must match: it checks the initialisation itself.
  const structured = c.name.startsWith('blobs');
  test(`KMeans ${structured ? 'inertia within 0.5% of scikit-learn\'s best of 10' : 'single-run inertias distributed as scikit-learn\'s'}: ${c.name}`, async () => {
    for (const f32 of [false, true]) {
      const km = await new KMeans({ nClusters: c.k, nInit: 10, init: c.init, seed: 0 }).fit(mat(c.x, f32));
      const what = f32 ? 'float32' : 'float64';
      if (structured) assert.ok(km.inertia <= c.bestOf10 * 1.005, `${what}: inertia ${km.inertia} vs scikit-learn best of 10 ${c.bestOf10}`);
      assert.equal(km.labels.length, c.x.length);
      assert.equal(km.clusterCenters.data instanceof Float32Array, f32, 'centres keep the data dtype');
      assert.equal(new Set(km.labels).size, c.k);
      assert.equal(km.diagnostics.runs.length, 10);
      assert.equal(km.diagnostics.runs[km.diagnostics.bestRun]!.nIter, km.nIter);
      const kept = km.diagnostics.runs[km.diagnostics.bestRun]!.inertia;
      assert.ok(km.diagnostics.runs.every((r) => r.inertia >= kept * (1 - 1e-6)), 'the kept run has the lowest inertia');
      assert.ok(Math.abs(km.inertia - kept) <= 1e-5 * kept, 'exact inertia ≈ kernel inertia');
    }
    if (!structured) {
      const runs: number[] = [];
      for (let seed = 0; seed < 10; seed++) runs.push(...(await new KMeans({ nClusters: c.k, nInit: 10, init: c.init, seed }).fit(mat(c.x))).diagnostics.runs.map((r) => r.inertia));
      const mean = runs.reduce((a, b) => a + b, 0) / runs.length;
      const se = c.runStd / Math.sqrt(runs.length);
      assert.ok(Math.abs(mean - c.runMean) <= 4 * se, `mean single-run inertia ${mean} vs scikit-learn ${c.runMean} ± ${se}`);
      assert.ok(Math.min(...runs) <= c.runMin * 1.005, `best of 100 runs ${Math.min(...runs)} vs scikit-learn's best of 300 ${c.runMin}`);
    }
  });
}

test('KMeans from explicit centres reproduces scikit-learn’s Lloyd run (labels, centres, inertia, iterations)', async () => {
  const f = fixture.lloydFromInit;
  const km = await new KMeans({ nClusters: 3, init: mat(f.init) }).fit(mat(f.x));
  assert.deepEqual(Array.from(km.labels), f.labels);
  assert.equal(km.nIter, f.nIter);
  assert.ok(Math.abs(km.inertia - f.inertia) <= 1e-9 * f.inertia, `inertia ${km.inertia} vs ${f.inertia}`);
  f.centers.flat().forEach((v, i) => assert.ok(Math.abs(km.clusterCenters.data[i]! - v) < 1e-9, `centre value ${i}`));
  assert.match(km.diagnostics.warnings.join(' '), /nInit=10 was reduced to 1/);
});

test('KMeans: same seed gives the same result; predict(train) = labels; score = inertia', async () => {
  const { x, y } = blobs(400, 6, 5, 1, 2);
  const a = await new KMeans({ nClusters: 5, nInit: 3, seed: 7 }).fit(x);
  const b = await new KMeans({ nClusters: 5, nInit: 3, seed: 7 }).fit(x);
  assert.deepEqual(a.labels, b.labels);
  assert.equal(a.inertia, b.inertia);
  assert.deepEqual(a.clusterCenters.data, b.clusterCenters.data);
  const u = { data: new Float64Array(600).map((_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1), rows: 300, cols: 2 };
  const s7 = await new KMeans({ nClusters: 9, nInit: 3, seed: 7 }).fit(u);
  assert.deepEqual((await new KMeans({ nClusters: 9, nInit: 3, seed: 7 }).fit(u)).diagnostics.runs, s7.diagnostics.runs);
  const s8 = await new KMeans({ nClusters: 9, nInit: 3, seed: 8 }).fit(u);
  assert.notDeepEqual(s8.diagnostics.runs, s7.diagnostics.runs, 'another seed starts elsewhere');
  assert.deepEqual(await a.predict(x), a.labels);
  const s = await a.score(x);
  assert.ok(Math.abs(s - a.inertia) <= 1e-9 * a.inertia);
  assert.ok(adjustedRandScore(y, a.labels) > 0.95, 'well separated blobs are found');
  const r = await new KMeans({ nClusters: 5, init: 'random', nInit: 4, seed: 7 }).fit(x);
  assert.ok(r.inertia <= a.inertia * 1.05);
});

test('KMeans: k = 1, k = n, float32 input, and predict on new points', async () => {
  const { x } = blobs(50, 3, 2, 2);
  const one = await new KMeans({ nClusters: 1, nInit: 1 }).fit(x);
  assert.ok(one.labels.every((v) => v === 0));
  const all = await new KMeans({ nClusters: 50, nInit: 1 }).fit(x);
  assert.equal(new Set(all.labels).size, 50);
  assert.ok(all.inertia < 1e-12);
  const far = { data: Float32Array.from([100, 100, 100, -100, -100, -100]), rows: 2, cols: 3 };
  const km = await new KMeans({ nClusters: 2, seed: 1 }).fit(x);
  const p = await km.predict(far);
  assert.equal(p.length, 2);
});

test('KMeans re-seeds empty clusters with the farthest points', async () => {
  // one initial centre far away from every point: it gets no points in the first step
  const { x } = blobs(120, 2, 3, 3);
  const init = { data: Float64Array.from([x.data[0]!, x.data[1]!, x.data[2]!, x.data[3]!, 1e4, 1e4]), rows: 3, cols: 2 };
  const km = await new KMeans({ nClusters: 3, init }).fit(x);
  assert.ok(km.diagnostics.emptyClustersRelocated >= 1);
  assert.equal(new Set(km.labels).size, 3);
  assert.ok(km.clusterCenters.data.every((v) => Math.abs(v) < 100));
});

test('KMeans warns when there are fewer distinct points than clusters', async () => {
  const x = { data: Float64Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]), rows: 5, cols: 2 };
  const km = await new KMeans({ nClusters: 3, nInit: 2 }).fit(x);
  assert.equal(km.diagnostics.distinctClusters, 2);
  assert.match(km.diagnostics.warnings.join(' '), /number of distinct clusters \(2\) found smaller than nClusters \(3\)/);
  assert.ok(km.inertia < 1e-12);
});

const isParam = (re: RegExp) => (e: unknown) => e instanceof ParamError && re.test((e as Error).message);
const isData = (re: RegExp) => (e: unknown) => e instanceof DataError && re.test((e as Error).message);

test('KMeans and MiniBatchKMeans: bad options and data give one clear error each', async () => {
  const { x } = blobs(100, 2, 2, 4);
  await assert.rejects(new KMeans({ nClusters: 500 }).fit(x), isParam(/^KMeans: option 'nClusters' must be an integer in \[1, nSamples=100\], got 500$/));
  await assert.rejects(new KMeans({ nClusters: 0 }).fit(x), isParam(/option 'nClusters' must be an integer in \[1, nSamples=100\], got 0/));
  await assert.rejects(new KMeans({ nClusters: 2.5 }).fit(x), isParam(/got 2\.5/));
  await assert.rejects(new KMeans({} as never).fit(x), isParam(/option 'nClusters' is required/));
  await assert.rejects(new KMeans({ nClusters: 2, nInit: 0 }).fit(x), isParam(/option 'nInit' must be an integer >= 1, got 0/));
  await assert.rejects(new KMeans({ nClusters: 2, maxIter: -1 }).fit(x), isParam(/option 'maxIter'/));
  await assert.rejects(new KMeans({ nClusters: 2, tol: -1 }).fit(x), isParam(/option 'tol' must be a finite number >= 0, got -1/));
  await assert.rejects(new KMeans({ nClusters: 2, init: 'kmeans' as never }).fit(x), isParam(/option 'init' must be 'k-means\+\+', 'random' or a \[nClusters, nFeatures\] Matrix, got "kmeans"/));
  await assert.rejects(new KMeans({ nClusters: 2, init: { data: new Float64Array(3), rows: 1, cols: 3 } }).fit(x), isParam(/option 'init' must have shape \[nClusters=2, nFeatures=2\], got \[1, 3\]/));
  await assert.rejects(new KMeans({ nClusters: 2, seed: 1.5 }).fit(x), isParam(/option 'seed' must be an integer/));
  const bad = { data: Float64Array.from(x.data), rows: 100, cols: 2 };
  bad.data[2 * 7 + 1] = Number.POSITIVE_INFINITY;
  await assert.rejects(new KMeans({ nClusters: 2 }).fit(bad), isData(/^KMeans: x has a non-finite value \(Infinity\) at row 7, column 1; remove or impute such rows first$/));
  bad.data[2 * 7 + 1] = Number.NaN;
  await assert.rejects(new KMeans({ nClusters: 2 }).fit(bad), isData(/non-finite value \(NaN\) at row 7/));
  await assert.rejects(new KMeans({ nClusters: 1 }).fit({ data: new Float64Array(0), rows: 0, cols: 2 }), isData(/x has 0 rows; at least 1 are needed/));
  await assert.rejects(new KMeans({ nClusters: 1 }).fit({ data: new Float64Array(3), rows: 2, cols: 2 }), isData(/malformed: 3 values for 2×2/));
  const km = await new KMeans({ nClusters: 2, nInit: 1 }).fit(x);
  await assert.rejects(km.predict({ data: new Float64Array(3), rows: 1, cols: 3 }), isData(/predict: x has 3 features but the model was fitted on 2/));
  await assert.rejects(new MiniBatchKMeans({ nClusters: 101 }).fit(x), isParam(/^MiniBatchKMeans: option 'nClusters' must be an integer in \[1, nSamples=100\], got 101$/));
  await assert.rejects(new MiniBatchKMeans({ nClusters: 2, batchSize: 0 }).fit(x), isParam(/option 'batchSize' must be an integer >= 1, got 0/));
  await assert.rejects(new MiniBatchKMeans({ nClusters: 2 }).fit(bad), isData(/MiniBatchKMeans: x has a non-finite value/));
  // explicit centres are checked the same way in both (MiniBatchKMeans once took NaN centres)
  const nanInit = { data: Float64Array.from([0, 0, NaN, 1]), rows: 2, cols: 2 };
  await assert.rejects(new KMeans({ nClusters: 2, init: nanInit }).fit(x), isParam(/^KMeans: option 'init' has a non-finite value at row 1, column 0$/));
  await assert.rejects(new MiniBatchKMeans({ nClusters: 2, init: nanInit }).fit(x), isParam(/^MiniBatchKMeans: option 'init' has a non-finite value at row 1, column 0$/));
  await assert.rejects(new MiniBatchKMeans({ nClusters: 2, init: { data: new Float64Array(3), rows: 1, cols: 3 } }).fit(x), isParam(/MiniBatchKMeans: option 'init' must have shape \[nClusters=2, nFeatures=2\], got \[1, 3\]/));
});

test('MiniBatchKMeans: close to Lloyd on blobs, reproducible, predict = labels', async () => {
  const { x, y } = blobs(3000, 5, 6, 5, 1);
  const full = await new KMeans({ nClusters: 6, nInit: 3, seed: 0 }).fit(x);
  const mb = await new MiniBatchKMeans({ nClusters: 6, batchSize: 256, seed: 0 }).fit(x);
  assert.ok(mb.inertia <= full.inertia * 1.05, `mini-batch inertia ${mb.inertia} vs Lloyd ${full.inertia}`);
  assert.ok(adjustedRandScore(y, mb.labels) > 0.9);
  assert.ok(['maxIter', 'tol', 'noImprovement'].includes(mb.diagnostics.stoppedBy));
  assert.ok(mb.diagnostics.nSteps >= 1 && mb.nIter >= 1);
  const again = await new MiniBatchKMeans({ nClusters: 6, batchSize: 256, seed: 0 }).fit(x);
  assert.deepEqual(again.labels, mb.labels);
  assert.deepEqual(await mb.predict(x), mb.labels);
  const f32 = await new MiniBatchKMeans({ nClusters: 6, batchSize: 256, seed: 0, init: 'random', maxIter: 2 }).fit({ data: Float32Array.from(x.data), rows: x.rows, cols: x.cols });
  assert.ok(f32.clusterCenters.data instanceof Float32Array);
});
