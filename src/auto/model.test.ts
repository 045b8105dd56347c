// AutoClustering's fitted model on every auto path (features + k-means, features + GMM,
// PCA + UMAP + k-means, UMAP + GMM): predict on any subset or permutation of the training rows
// returns exactly their fitted labels, before and after save → load; new rows through UMAP are
// deterministic for a seed; tampered models are refused; bad inputs are one-line errors; ONNX
// export takes raw features (and refuses UMAP pipelines).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { DataError, ParamError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../random.ts';
import { storedUmapTransform } from '../cluster/stored-models.ts';
import { AutoClustering, type AutoClusteringOptions, FittedAutoClustering, type AutoPlan } from './index.ts';
import { umapTransform } from './model.ts';
import { aniso } from './_test/data.ts';

const dir = mkdtempSync(join(tmpdir(), 'deepclust-auto-model-'));

/** `k` Gaussian blobs of unequal sizes in `d` columns on unequal scales (column j × 10^(j % 3 − 1)). */
function blobs(n: number, d: number, k: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.normal() * 4));
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = i % 5 === 0 ? 0 : i % k; // cluster 0 is larger
    for (let j = 0; j < d; j++) data[i * d + j] = (centres[c]![j]! + rng.normal()) * 10 ** ((j % 3) - 1);
  }
  return { data, rows: n, cols: d };
}

const pickRows = (x: Matrix, idx: readonly number[]): Matrix => {
  const data = new Float32Array(idx.length * x.cols);
  idx.forEach((r, i) => data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols));
  return { data, rows: idx.length, cols: x.cols };
};

function shuffled(n: number, seed: number): number[] {
  const rng = new Rng(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.random() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

// the plan keeps real-valued tables on their features (bench heldout); these cases test the UMAP pipelines
const onUmap = (plan: AutoPlan): AutoPlan => ({ ...plan, representation: { value: { kind: 'umap', pca: plan.profile.features > 100 ? 50 : undefined, nComponents: 10, nNeighbors: 15, minDist: 0 }, reason: 'test: UMAP' } });
const gmmOnUmap = (plan: AutoPlan): AutoPlan => ({ ...onUmap(plan), clustering: { value: 'gmm', reason: 'test: a mixture on the UMAP embedding' } });

interface Case {
  readonly name: string;
  readonly x: Matrix;
  readonly options: AutoClusteringOptions;
  readonly summary: RegExp;
  readonly k: number;
}

const cases: Case[] = [
  { name: 'features + kmeans', x: blobs(150, 5, 3, 1), options: {}, summary: /^standardize \(or center\) → kmeans, k by gap/, k: 3 },
  { name: 'features + gmm', x: aniso(5).x, options: { nClusters: [2, 8] }, summary: /^standardize \(or center\) → gmm, k by bic in 2\.\.8/, k: 4 },
  { name: 'pca + umap + kmeans', x: blobs(520, 110, 4, 2), options: { nClusters: 4, adjustPlan: onUmap }, summary: /^standardize → pca\(50\) → umap\(10d\) → kmeans, k = 4/, k: 4 },
  // 200 of the 520 rows stored: most training rows get their labels through the UMAP transform
  { name: 'umap + gmm', x: blobs(520, 40, 4, 3), options: { nClusters: 4, adjustPlan: gmmOnUmap, maxStored: 200 }, summary: /^standardize → umap\(10d\) → gmm, k = 4/, k: 4 },
];

const fits = new Map<string, FittedAutoClustering>();
async function fitted(c: Case): Promise<FittedAutoClustering> {
  if (!fits.has(c.name)) fits.set(c.name, await new AutoClustering({ seed: 0, threads: 1, ...c.options }).fit(c.x));
  return fits.get(c.name)!;
}

for (const c of cases)
  test(`${c.name}: predict on subsets and permutations of the training rows returns exactly their labels, before and after save → load`, async () => {
    const f = await fitted(c);
    assert.match(f.summary, c.summary);
    assert.equal(f.k, c.k);
    assert.equal(f.clustering, c.name.endsWith('gmm') ? 'gmm' : 'kmeans');
    assert.equal(f.labels.length, c.x.rows);
    assert.equal(new Set(f.labels).size, f.k, 'every cluster used');
    const n = c.x.rows;
    const subsets = [[0], [n - 1, 3, 3, 0, 17, 2], shuffled(n, 9).slice(0, 37), shuffled(n, 10)];
    const folder = join(dir, c.name.replace(/[^a-z]+/g, '-'));
    f.save(folder);
    const loaded = FittedAutoClustering.load(folder);
    assert.equal(loaded.k, f.k);
    assert.equal(loaded.summary, f.summary);
    assert.deepEqual(loaded.plan.clustering, f.plan.clustering);
    for (const idx of subsets) {
      const want = idx.map((r) => f.labels[r]!);
      assert.deepEqual(Array.from(await f.predict(pickRows(c.x, idx))), want, `${c.name}: ${idx.length} rows`);
      assert.deepEqual(Array.from(await loaded.predict(pickRows(c.x, idx))), want, `${c.name}: ${idx.length} rows after load`);
    }
    // transform: the representation the clustering step saw, row by row
    const idx = [4, 1, 4];
    const z = await loaded.transform(pickRows(c.x, idx));
    const rep = f.representation!;
    assert.equal(z.cols, rep.cols);
    idx.forEach((r, i) => assert.deepEqual(Array.from(z.data.subarray(i * z.cols, (i + 1) * z.cols)), Array.from(rep.data.subarray(r * rep.cols, (r + 1) * rep.cols))));
    // inputs as number[][] and { data, shape } give the same labels
    const rows = idx.map((r) => Array.from(c.x.data.subarray(r * c.x.cols, (r + 1) * c.x.cols)));
    assert.deepEqual(Array.from(await f.predict(rows)), idx.map((r) => f.labels[r]!));
    assert.deepEqual(Array.from(await f.predict({ data: rows.flat(), shape: [3, c.x.cols] })), idx.map((r) => f.labels[r]!));
  });

test('UMAP paths: new rows are assigned deterministically for a seed (same fit → same labels, loaded or not)', async () => {
  const c = cases[2]!;
  const f = await fitted(c);
  const rng = new Rng(77);
  const fresh = pickRows(c.x, shuffled(c.x.rows, 3).slice(0, 40));
  for (let i = 0; i < fresh.data.length; i++) fresh.data[i] = fresh.data[i]! * (1 + 0.05 * rng.normal());
  const a = Array.from(await f.predict(fresh));
  assert.deepEqual(Array.from(await f.predict(fresh)), a);
  const again = await new AutoClustering({ seed: 0, threads: 1, ...c.options }).fit(c.x);
  assert.deepEqual(Array.from(again.labels), Array.from(f.labels), 'same seed, same labels');
  assert.deepEqual(Array.from(await again.predict(fresh)), a, 'same seed, same labels of new rows');
  const folder = join(dir, 'umap-new-rows');
  f.save(folder);
  assert.deepEqual(Array.from(await FittedAutoClustering.load(folder).predict(fresh)), a);
  // jittered rows mostly keep their neighbours' cluster
  const agree = a.filter((l, i) => l === f.labels[shuffled(c.x.rows, 3)[i]!]).length;
  assert.ok(agree >= 36, `${agree} of 40 jittered rows keep their cluster`);
});

test('a saved model is sealed: an edited model.json or model.safetensors is refused with one line', async () => {
  const f = await fitted(cases[0]!);
  const folder = join(dir, 'tamper');
  f.save(folder);
  const json = join(folder, 'model.json');
  const original = readFileSync(json, 'utf8');
  const meta = JSON.parse(original) as { preprocessing: { steps: { mean: number[] }[] } };
  meta.preprocessing.steps[0]!.mean[0]! += 1;
  writeFileSync(json, JSON.stringify(meta, null, 2));
  assert.throws(() => FittedAutoClustering.load(folder), (e: unknown) => e instanceof DataError && /model\.json' was edited after the model was saved/.test(e.message) && !e.message.includes('\n'));
  writeFileSync(json, original);
  const st = join(folder, 'model.safetensors');
  const bytes = readFileSync(st);
  bytes[bytes.length - 3]! ^= 0xff;
  writeFileSync(st, bytes);
  assert.throws(() => FittedAutoClustering.load(folder), (e: unknown) => e instanceof DataError && /model\.safetensors' does not match the checksum/.test(e.message));
  assert.throws(() => FittedAutoClustering.load(join(dir, 'nowhere')), /is not a deepclust model directory/);
});

test('bad inputs and options: one-line ParamError / DataError', async () => {
  const f = await fitted(cases[0]!);
  const oneLine = (cls: typeof DataError | typeof ParamError, re: RegExp) => (e: unknown) => e instanceof cls && re.test((e as Error).message) && !(e as Error).message.includes('\n');
  await assert.rejects(f.predict({ data: new Float32Array(8), rows: 2, cols: 4 }), oneLine(DataError, /expects rows of 5 features but the data has 4/));
  await assert.rejects(f.predict([[1, 2, NaN, 4, 5]]), oneLine(DataError, /non-finite value \(NaN\) at row 1, column 3/));
  await assert.rejects(f.transform([[1, 2, 3, 4, Infinity]]), oneLine(DataError, /non-finite value/));
  await assert.rejects(f.predict([[1, 2], [3]]), oneLine(DataError, /row 1 has 1 values but row 0 has 2/));
  await assert.rejects(new AutoClustering().fit([[1, NaN], [2, 3]]), oneLine(DataError, /non-finite value at row 1, column 2/));
  await assert.rejects(new AutoClustering({ nClusters: 200 }).fit(cases[0]!.x), oneLine(ParamError, /k = 200 clusters were asked for; use k <= 150/));
  await assert.rejects(new AutoClustering({ nClusters: [2, 150] }).fit(cases[0]!.x), oneLine(ParamError, /range of k 2\.\.150 needs more rows than the 150 given; lower its upper end to at most 149/));
  for (const [opts, re] of [
    [{ nClusters: 1 }, /nClusters must be an integer >= 2, 'auto' or a range/],
    [{ nClusters: [5, 3] }, /range must be \[lo, hi\]/],
    [{ seed: -1 }, /seed must be an integer >= 0/],
    [{ preprocess: 'zscore' }, /unknown preprocessing step 'zscore'/],
    [{ maxStored: 1 }, /maxStored must be an integer >= 3/],
  ] as const)
    assert.throws(() => new AutoClustering(opts as AutoClusteringOptions), oneLine(ParamError, re));
});

test('preprocess overrides the plan; the range of k is used', async () => {
  const x = cases[0]!.x;
  const f = await new AutoClustering({ seed: 0, threads: 1, preprocess: 'minmax', nClusters: [3, 5] }).fit(x);
  assert.deepEqual(f.plan.preprocessing, { value: ['minmax'], reason: 'given (preprocess)' });
  assert.deepEqual(Object.keys(f.kScores!).map(Number), [3, 4, 5]);
  assert.deepEqual(f.preprocessing.names, ['minmax']);
});

test('ONNX export takes raw features and gives the same labels (k-means and GMM); UMAP pipelines are refused or export their preprocessing only', async () => {
  for (const c of cases.slice(0, 2)) {
    const f = await fitted(c);
    const path = join(dir, `${c.name.replace(/[^a-z]+/g, '-')}.onnx`);
    f.exportOnnx(path);
    const session = await ort.InferenceSession.create(path);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from(c.x.data), [c.x.rows, c.x.cols]) });
    assert.deepEqual(Array.from(out.label!.data as BigInt64Array, Number), Array.from(f.labels), c.name);
    assert.ok(out[f.clustering === 'gmm' ? 'q' : 'distances'], c.name);
  }
  const u = await fitted(cases[2]!);
  assert.throws(() => u.exportOnnx(join(dir, 'u.onnx')), (e: unknown) => e instanceof ParamError && /clusters a UMAP embedding.*--preprocessing-only/.test(e.message));
  const pre = join(dir, 'u-pre.onnx');
  u.exportOnnx(pre, { preprocessingOnly: true });
  const session = await ort.InferenceSession.create(pre);
  const x = cases[2]!.x;
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from(x.data.subarray(0, 2 * x.cols)), [2, x.cols]) });
  const want = u.preprocessing.transform(pickRows(x, [0, 1]));
  assert.deepEqual(out.features!.dims, [2, 50]);
  (out.features!.data as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - want.data[i]!) < 1e-3 * (1 + Math.abs(want.data[i]!)), `feature ${i}: ${v} vs ${want.data[i]}`));
});

// a plan with a network runs the deep path: src/auto/deep-library.test.ts

test('umapTransform equals storedUmapTransform exactly: stored rows (duplicates, −0), new rows, float64 rows', () => {
  const rng = new Rng(8);
  const m = 30;
  const inputs = Float32Array.from({ length: m * 3 }, () => rng.normal());
  inputs.set(inputs.subarray(0, 3), 9); // stored row 3 repeats row 0
  inputs[15] = 0; // stored row 5 has a +0
  const coords = Float32Array.from({ length: m * 2 }, () => rng.normal());
  const u = { inputs: { data: inputs, rows: m, cols: 3 }, coords: { data: coords, rows: m, cols: 2 }, nNeighbors: 5 };
  const rows = [...inputs.subarray(9, 12), ...inputs.subarray(15, 18), ...inputs.subarray(21, 24), 0.1, 0.2, 0.3];
  rows[3] = -0; // −0 where row 5 has +0: equal values
  const x = { data: Float32Array.from(rows), rows: 4, cols: 3 };
  const fast = umapTransform(u, x);
  assert.deepEqual(Array.from(fast.data), Array.from(storedUmapTransform(u, x).data));
  assert.deepEqual(Array.from(fast.data.subarray(0, 2)), Array.from(coords.subarray(0, 2)), 'a duplicate gets the first stored row\'s coordinates');
  const x64 = { data: Float64Array.from(rows, (v) => v + 1e-12), rows: 4, cols: 3 };
  assert.deepEqual(Array.from(umapTransform(u, x64).data), Array.from(storedUmapTransform(u, x64).data));
});
