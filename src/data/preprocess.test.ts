// Preprocessing steps (values and recorded names), seeded subsets, splits, and the embedded mnist-10k.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError, ParamError } from '../errors.ts';
import { type Dataset, PREPROCESSING, applyPreprocessing, loadDataset, preprocess, sampleIndices, selectSplit, subset, takeRows, trainTestSplit } from './index.ts';

const toy = (rows: number[][], labels?: number[]): Dataset => ({
  name: 'toy',
  x: { data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0]!.length },
  labels: labels ? Int32Array.from(labels) : undefined,
  preprocessing: [],
  sources: [],
});
const close = (a: ArrayLike<number>, b: number[], tol = 1e-6) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `index ${i}: ${a[i]} vs ${b[i]}`);
};

test('every step: values, recorded name, input left untouched', () => {
  const px = toy([[0, 255, 51], [102, 0, 255]]);
  close(preprocess(px, 'scale255').x.data, [0, 1, 0.2, 0.4, 0, 1]);
  close(preprocess(px, 'dec-mnist').x.data, [0, 5.1, 1.02, 2.04, 0, 5.1], 1e-5);
  assert.deepEqual(Array.from(px.x.data), [0, 255, 51, 102, 0, 255]);
  const d = toy([[2, -1], [0, 4]]);
  close(preprocess(d, 'div2').x.data, [1, -0.5, 0, 2]);
  close(preprocess(toy([[-1, 1], [0, 0.5]]), 'pm1-to-01').x.data, [0, 1, 0.5, 0.75]);
  const l2 = preprocess(toy([[3, 4], [0, 0]]), 'l2');
  close(l2.x.data, [0.6, 0.8, 0, 0]);
  const rue = preprocess(toy([[3, 4], [1, 0]]), 'row-unit-energy');
  close(rue.x.data, [0.6 * Math.SQRT2, 0.8 * Math.SQRT2, Math.SQRT2, 0]);
  const ue = preprocess(toy([[3, 4], [1, 0]]), 'unit-energy');
  let s = 0;
  for (const v of ue.x.data) s += v * v;
  assert.ok(Math.abs(s / 4 - 1) < 1e-6, 'mean ‖x‖²/d = 1');
  const st = preprocess(toy([[1, 5], [3, 5], [5, 5]]), 'standardize');
  close(st.x.data, [-Math.sqrt(1.5), 0, 0, 0, Math.sqrt(1.5), 0], 1e-6);
  close(preprocess(toy([[1, 5], [3, 5], [5, 5]]), 'minmax').x.data, [0, 0, 0.5, 0, 1, 0]);
  const chain = applyPreprocessing(px, ['scale255', 'l2']);
  assert.deepEqual(chain.preprocessing, ['scale255', 'l2']);
  assert.deepEqual(applyPreprocessing(px, ['none']), px);
  assert.ok(Object.keys(PREPROCESSING).length >= 10);
});

test('bad steps: unknown name, none combined, dec-mnist on data that is not raw pixels', async () => {
  assert.throws(() => preprocess(toy([[1]]), 'whiten'), (e: unknown) => e instanceof ParamError && /unknown preprocessing step 'whiten'; choose from none, scale255/.test((e as Error).message));
  assert.throws(() => preprocess(toy([[1]]), 'pca:0'), /must keep at least 1 component/);
  assert.throws(() => applyPreprocessing(toy([[1]]), ['none', 'l2']), /'none' cannot be combined/);
  assert.throws(() => applyPreprocessing(toy([[0, 255]]), ['scale255', 'dec-mnist']), (e: unknown) => e instanceof DataError && /already preprocessed \(scale255\)/.test((e as Error).message));
  assert.throws(() => preprocess(toy([[0, 0.5]]), 'dec-mnist'), /has values up to 0\.5/);
  await assert.rejects(loadDataset('mnist-10k', { preprocess: 'scale255,bogus' }), /unknown preprocessing step 'bogus'/);
});

test('sampleIndices and subset: seeded, sorted, exact size, stratified proportions by largest remainder', () => {
  const labels = Int32Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : i < 80 ? 1 : 2));
  const a = sampleIndices(100, 10, { seed: 3, stratified: true, labels });
  assert.deepEqual(a, sampleIndices(100, 10, { seed: 3, stratified: true, labels }));
  assert.notDeepEqual(a, sampleIndices(100, 10, { seed: 4, stratified: true, labels }));
  assert.deepEqual(Array.from(a), Array.from(a).sort((p, q) => p - q));
  const counts = [0, 0, 0];
  for (const i of a) counts[labels[i]!]!++;
  assert.deepEqual(counts, [5, 3, 2]);
  const odd = sampleIndices(100, 7, { seed: 1, stratified: true, labels });
  assert.equal(odd.length, 7);
  assert.equal(sampleIndices(5, 10).length, 5);
  const ds = toy(Array.from({ length: 100 }, (_, i) => [i]), Array.from(labels));
  const s = subset(ds, 10, true, 3);
  assert.deepEqual(Array.from(s.x.data), Array.from(a));
  assert.deepEqual(s.preprocessing, ['limit(10,stratified,seed=3)']);
  assert.throws(() => subset(ds, 0), /'--limit' must be an integer >= 1, got 0/);
  assert.throws(() => subset(toy([[1], [2]]), 1, true), /'--stratified' needs labels/);
});

test('splits: takeRows remaps official splits, selectSplit, trainTestSplit is disjoint, complete and stratified', () => {
  const ds: Dataset = { ...toy(Array.from({ length: 10 }, (_, i) => [i]), [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]), splits: { train: Int32Array.from([0, 1, 2, 3, 4, 5]), test: Int32Array.from([6, 7, 8, 9]) } };
  const t = takeRows(ds, Int32Array.from([1, 7, 8]));
  assert.deepEqual([Array.from(t.splits!.train!), Array.from(t.splits!.test!)], [[0], [1, 2]]);
  const te = selectSplit({ ...ds, name: 'toy:all' }, 'test');
  assert.equal(te.name, 'toy:test');
  assert.deepEqual(Array.from(te.x.data), [6, 7, 8, 9]);
  assert.throws(() => selectSplit(toy([[1]]), 'train'), /has no 'train' split/);
  const { train, test: ev } = trainTestSplit(ds, { testSize: 0.4, seed: 1 });
  assert.equal(ev.x.rows, 4);
  const all = [...train.x.data, ...ev.x.data].sort((a, b) => a - b);
  assert.deepEqual(all, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...ev.labels!].sort(), [0, 0, 1, 1]);
  assert.deepEqual(train.preprocessing, ['split(train,0.4,seed=1)']);
  assert.throws(() => trainTestSplit(ds, { testSize: 10 }), /testSize must be a fraction in \(0, 1\) or a count in 1\.\.9/);
});

test('mnist-10k: 10,000 embedded digits, exact bytes, labels 0..9, default scale255, limit before preprocessing', async () => {
  const ds = await loadDataset('mnist-10k');
  assert.deepEqual([ds.name, ds.x.rows, ds.x.cols, ...ds.imageShape!], ['mnist-10k', 10000, 784, 1, 28, 28]);
  const hist = new Array(10).fill(0);
  for (const l of ds.labels!) hist[l]++;
  assert.deepEqual(hist, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  assert.deepEqual(ds.preprocessing, ['scale255']);
  let max = 0;
  let nonByte = 0;
  for (const v of ds.x.data) {
    max = Math.max(max, v);
    if (Math.abs(v * 255 - Math.round(v * 255)) > 1e-4) nonByte++;
  }
  assert.equal(max, 1);
  assert.equal(nonByte, 0);
  const dec = await loadDataset('mnist-10k', { preprocess: ['dec-mnist'], limit: 500, stratified: true, seed: 2 });
  assert.deepEqual(dec.preprocessing, ['limit(500,stratified,seed=2)', 'dec-mnist']);
  assert.equal(dec.x.rows, 500);
  assert.ok(Math.abs(Array.from(dec.x.data).reduce((m, v) => Math.max(m, v), 0) - 5.1) < 1e-5);
  const again = await loadDataset('mnist-10k', { preprocess: ['dec-mnist'], limit: 500, stratified: true, seed: 2 });
  assert.deepEqual(again.labels, dec.labels);
  await assert.rejects(loadDataset('mnist-10k:test'), /'mnist-10k' has no test split/);
  await assert.rejects(loadDataset('mnist-10k', { limit: 2.5 }), /'--limit' must be an integer >= 1, got 2\.5/);
});
