// Fitted preprocessing: statistics stored, applied unchanged to new rows, JSON round trip, range checks, ONNX graph.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError } from '../errors.ts';
import { Rng } from '../random.ts';
import { Graph, compileFunction } from '../engine/index.ts';
import { FittedPreprocessing, fitPreprocessing, type Dataset } from './index.ts';
import type { Matrix } from '../matrix.ts';

function table(rows: number, cols: number, seed: number, f: (r: Rng, c: number) => number): Matrix {
  const rng = new Rng(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = f(rng, i % cols);
  return { data, rows, cols };
}
const pick = (x: Matrix, idx: number[]): Matrix => {
  const data = new Float32Array(idx.length * x.cols);
  idx.forEach((r, i) => data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols));
  return { data, rows: idx.length, cols: x.cols };
};
// non-negative, skewed, per-feature scales from 0.01 to 1000: every step below accepts it
const raw = table(60, 6, 1, (r, c) => Math.round(r.random() * 200 * (c + 1)) / (c === 0 ? 255 : 1));
const pixels = table(40, 9, 2, (r) => Math.floor(r.random() * 256));
const pm1 = table(40, 5, 3, (r) => r.random() * 2 - 1);

const CHAINS: Array<[string[], Matrix]> = [
  [['standardize'], raw],
  [['minmax'], raw],
  [['center'], raw],
  [['log1p', 'center'], raw],
  [['log1p', 'standardize'], raw],
  [['unit-energy'], raw],
  [['l2'], raw],
  [['row-unit-energy'], raw],
  [['pca:3'], raw],
  [['standardize', 'pca-whiten:4'], raw],
  [['pca'], raw],
  [['scale255'], pixels],
  [['dec-mnist'], pixels],
  [['div2'], raw],
  [['pm1-to-01'], pm1],
  [['scale255', 'minmax', 'l2'], pixels],
];

test('every step: transform on any subset of the training rows gives exactly those rows of the fitted output', () => {
  for (const [steps, x] of CHAINS) {
    const { fitted, x: xt } = FittedPreprocessing.fit(x, steps);
    const idx = [5, 0, 17, 3, 3, x.rows - 1];
    const sub = fitted.transform(pick(x, idx));
    assert.deepEqual(Array.from(sub.data), Array.from(pick(xt, idx).data), steps.join(','));
    // and after a JSON round trip (the model file)
    const back = FittedPreprocessing.fromJSON(JSON.parse(JSON.stringify(fitted.toJSON())));
    assert.deepEqual(Array.from(back.transform(pick(x, idx)).data), Array.from(pick(xt, idx).data), `${steps.join(',')} after JSON`);
    assert.deepEqual(back.names, fitted.names);
    // a second fit on a subset would give other statistics: the stored ones are what matter
    if (steps[0] === 'standardize') assert.notDeepEqual(Array.from(FittedPreprocessing.fit(pick(x, idx), steps).x.data), Array.from(sub.data));
  }
});

test('center: zero means and one common factor, so the features keep their relative units', () => {
  // columns with variances 8/3 and 32/3 (ratio 4), and a constant one
  const x: Matrix = { data: Float32Array.from([1, 2, 7, 3, 6, 7, 5, 10, 7]), rows: 3, cols: 3 };
  const { fitted, x: xt } = FittedPreprocessing.fit(x, ['center']);
  const st = fitted.toJSON().steps[0] as { step: string; mean: number[]; scale: number[] };
  assert.equal(st.step, 'center');
  assert.deepEqual(st.mean, [3, 6, 7]);
  const common = 1 / Math.sqrt((8 / 3 + 32 / 3) / 2);
  assert.ok(Math.abs(st.scale[0]! - common) < 1e-12 && st.scale[0] === st.scale[1], 'one factor for every varying feature');
  assert.equal(st.scale[2], 0, 'constant feature → 0');
  // the second column stays twice the first (relative units kept), and the mean variance is 1
  for (let r = 0; r < 3; r++) assert.ok(Math.abs(xt.data[r * 3 + 1]! - 2 * xt.data[r * 3]!) < 1e-6);
  let v = 0;
  for (let r = 0; r < 3; r++) v += xt.data[r * 3]! ** 2 + xt.data[r * 3 + 1]! ** 2;
  assert.ok(Math.abs(v / 3 / 2 - 1) < 1e-6);
});

test('fitted statistics and widths: standardize mean/scale, pca:3 narrows, names carry the count', () => {
  const x: Matrix = { data: Float32Array.from([1, 5, 3, 5, 5, 5]), rows: 3, cols: 2 };
  const { fitted, x: xt } = FittedPreprocessing.fit(x, ['standardize']);
  const st = fitted.toJSON().steps[0] as { mean: number[]; scale: number[] };
  assert.deepEqual(st.mean, [3, 5]);
  assert.ok(Math.abs(st.scale[0]! - 1 / Math.sqrt(8 / 3)) < 1e-12);
  assert.equal(st.scale[1], 0, 'constant feature → 0');
  assert.deepEqual(Array.from(xt.data.subarray(2, 4)), [0, 0]);
  const p = FittedPreprocessing.fit(raw, ['pca:3']);
  assert.deepEqual([p.fitted.nInputs, p.fitted.nOutputs, p.x.cols, p.fitted.names[0]], [6, 3, 3, 'pca:3']);
  // whitened components have unit variance on the training rows
  const w = FittedPreprocessing.fit(raw, ['standardize', 'pca-whiten:2']).x;
  for (let c = 0; c < 2; c++) {
    let s = 0;
    for (let r = 0; r < w.rows; r++) s += w.data[r * 2 + c]! ** 2;
    assert.ok(Math.abs(s / (w.rows - 1) - 1) < 1e-3, `component ${c} variance ${s / (w.rows - 1)}`);
  }
  const ds: Dataset = { name: 'toy', x: raw, preprocessing: ['limit(60,seed=0)'], sources: [], imageShape: [1, 2, 3] };
  const f = fitPreprocessing(ds, ['pca:2']);
  assert.deepEqual(f.data.preprocessing, ['limit(60,seed=0)', 'pca:2']);
  assert.equal(f.data.imageShape, undefined, 'a projection is not an image');
  assert.equal(fitPreprocessing(ds, ['minmax']).data.imageShape, ds.imageShape);
});

test('range checks: one-line DataErrors, never a silent shrink', () => {
  const unit = table(10, 3, 4, (r) => r.random());
  assert.throws(() => FittedPreprocessing.fit(unit, ['scale255'], { name: 'u.csv' }), (e: unknown) => e instanceof DataError && /'scale255' would shrink 'u\.csv' 255-fold, but its values are already in \[0, 1\]/.test((e as Error).message));
  assert.throws(() => FittedPreprocessing.fit(raw, ['scale255']), /values in \[[\d.]+, 1188\]; use minmax or standardize/);
  assert.throws(() => FittedPreprocessing.fit(unit, ['pm1-to-01']), /already in \[0, 1\] \(no negative value\); drop pm1-to-01/);
  assert.throws(() => FittedPreprocessing.fit(table(5, 2, 1, () => -3), ['log1p']), /'log1p' needs values > -1/);
  assert.throws(() => FittedPreprocessing.fit(raw, ['pca:7']), /keeps more components than 'the data' allows \(at most min\(d, n − 1\) = 6\)/);
  const { fitted } = FittedPreprocessing.fit(pixels, ['scale255']);
  assert.throws(() => fitted.transform({ data: Float32Array.from({ length: 9 }, () => 300), rows: 1, cols: 9 }), /expects 8-bit pixels \(0\.\.255\)/);
  assert.throws(() => fitted.transform({ data: new Float32Array(4), rows: 1, cols: 4 }), /fitted on rows of 9 features, but the data has 4/);
  const log = FittedPreprocessing.fit(raw, ['log1p']).fitted;
  assert.throws(() => log.transform({ data: Float32Array.from([-2, 0, 0, 0, 0, 0]), rows: 1, cols: 6 }), /'log1p' needs values > -1, but the data has -2 at row 1, column 1/);
  assert.throws(() => FittedPreprocessing.fromJSON({ format: 'deepclust-preprocessing-1', nInputs: 2, steps: [{ step: 'standardize', mean: [0], scale: [1, 1] }] }), /stored preprocessing is corrupt \(step 1 mean must be 2 finite numbers\)/);
  assert.throws(() => FittedPreprocessing.fromJSON({ format: 'x' }), /unknown format "x"/);
});

test('appendToGraph: the ONNX graph computes the same values from raw rows (float32)', async () => {
  for (const [steps, x] of CHAINS) {
    const { fitted, x: xt } = FittedPreprocessing.fit(x, steps);
    const g = new Graph();
    const xin = g.input('x', ['batch', x.cols]);
    const y = fitted.appendToGraph(xin);
    const fn = await compileFunction(g, { outputs: { y } });
    try {
      const out = await fn.runBatched({ x: { data: x.data as Float32Array, rowSize: x.cols } }, x.rows, 64);
      const got = out.y!.data as Float32Array;
      assert.equal(got.length, xt.data.length, steps.join(','));
      let scale = 0;
      for (const v of xt.data) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i]! - xt.data[i]!) <= 1e-5 * Math.max(1, scale), `${steps.join(',')} [${i}]: ${got[i]} vs ${xt.data[i]}`);
    } finally {
      await fn.dispose();
    }
  }
});

test('fitAsync (src/cluster PCA): same contract — stored statistics reproduce the fitted rows exactly', async () => {
  const { fitted, x: xt } = await FittedPreprocessing.fitAsync(raw, ['standardize', 'pca:3']);
  assert.deepEqual(fitted.names, ['standardize', 'pca:3']);
  const idx = [7, 1, 59];
  assert.deepEqual(Array.from(fitted.transform(pick(raw, idx)).data), Array.from(pick(xt, idx).data));
  const sync = FittedPreprocessing.fit(raw, ['standardize', 'pca:3']).x;
  // the same subspace: |projections| agree up to the sign of each component
  for (let i = 0; i < xt.data.length; i++) assert.ok(Math.abs(Math.abs(xt.data[i]!) - Math.abs(sync.data[i]!)) < 1e-3, `${i}`);
});
