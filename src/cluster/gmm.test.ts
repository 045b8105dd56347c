// GaussianMixture against scikit-learn (test/fixtures/make_gmm_reference.py), plus contracts and errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DataError, ParamError } from '../errors.ts';
import { type CovarianceType, GaussianMixture } from './gmm.ts';
import { Rng } from '../random.ts';
import { clusterAccuracy } from '../metrics/index.ts';

interface Exact {
  covarianceType: CovarianceType;
  tol: number;
  maxIter: number;
  precisionsInit: number[];
  weights: number[];
  means: number[];
  covariances: number[];
  precisionsCholesky: number[];
  precisions: number[];
  lowerBound: number;
  nIter: number;
  converged: boolean;
  score: number;
  bic: number;
  aic: number;
  labels: number[];
  proba5: number[];
}
const fx = JSON.parse(readFileSync(new URL('../../test/fixtures/gmm-reference.json', import.meta.url), 'utf8')) as {
  x: number[];
  rows: number;
  cols: number;
  k: number;
  weightsInit: number[];
  meansInit: number[];
  exact: Exact[];
  ownInit: Array<{ data: string; k: number; covarianceType: CovarianceType; nInit: number; sklearnScore: number; x: number[]; rows: number; cols: number }>;
};
const X = { data: Float64Array.from(fx.x), rows: fx.rows, cols: fx.cols };

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) {
    const tolAbs = rel * Math.max(Math.abs(expected[i]!), 1e-3 * scale);
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolAbs, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

for (const e of fx.exact) {
  test(`GaussianMixture ${e.covarianceType} tol=${e.tol} maxIter=${e.maxIter} equals scikit-learn from the same initial parameters (1e-6 relative)`, async () => {
    const gm = await new GaussianMixture({
      nComponents: fx.k,
      covarianceType: e.covarianceType,
      tol: e.tol,
      maxIter: e.maxIter,
      weightsInit: fx.weightsInit,
      meansInit: { data: Float64Array.from(fx.meansInit), rows: fx.k, cols: fx.cols },
      precisionsInit: e.precisionsInit,
    }).fit(X);
    assert.equal(gm.nIter, e.nIter);
    assert.equal(gm.converged, e.converged);
    close([gm.lowerBound], [e.lowerBound], 1e-6, 'lowerBound');
    close(gm.weights, e.weights, 1e-6, 'weights');
    close(gm.means.data, e.means, 1e-6, 'means');
    close(gm.covariances, e.covariances, 1e-6, 'covariances');
    close(gm.precisionsCholesky, e.precisionsCholesky, 1e-6, 'precisionsCholesky');
    close(gm.precisions, e.precisions, 1e-6, 'precisions');
    close([await gm.score(X)], [e.score], 1e-6, 'score');
    close([await gm.bic(X)], [e.bic], 1e-6, 'bic');
    close([await gm.aic(X)], [e.aic], 1e-6, 'aic');
    assert.deepEqual(Array.from(gm.labels), e.labels);
    assert.deepEqual(Array.from(await gm.predict(X)), e.labels);
    const p = await gm.predictProba({ data: X.data.subarray(0, 5 * fx.cols), rows: 5, cols: fx.cols });
    for (let i = 0; i < e.proba5.length; i++) assert.ok(Math.abs(p.data[i]! - e.proba5[i]!) <= 1e-6, `proba ${i}`);
  });
}

test('GaussianMixture from its own initialisation: best-of-nInit log-likelihood >= scikit-learn − 1e-4 relative on three data sets', async () => {
  for (const c of fx.ownInit) {
    const x = { data: Float64Array.from(c.x), rows: c.rows, cols: c.cols };
    for (const init of ['kmeans', 'k-means++'] as const) {
      const gm = await new GaussianMixture({ nComponents: c.k, covarianceType: c.covarianceType, nInit: c.nInit, init, seed: 0 }).fit(x);
      const ours = await gm.score(x);
      assert.ok(ours >= c.sklearnScore - 1e-4 * Math.abs(c.sklearnScore), `${c.data} ${c.covarianceType} ${init}: ours ${ours} vs scikit-learn ${c.sklearnScore}`);
    }
  }
});

test('GaussianMixture: same seed, same result; probabilities sum to 1; float32 input works', async () => {
  const a = await new GaussianMixture({ nComponents: 3, nInit: 2, seed: 7 }).fit(X);
  const b = await new GaussianMixture({ nComponents: 3, nInit: 2, seed: 7 }).fit({ ...X, data: Float64Array.from(X.data) });
  assert.deepEqual(Array.from(a.labels), Array.from(b.labels));
  assert.equal(a.lowerBound, b.lowerBound);
  assert.equal(a.diagnostics.runs.length, 2);
  const p = await a.predictProba(X);
  for (let i = 0; i < X.rows; i++) {
    let s = 0;
    for (let j = 0; j < 3; j++) s += p.data[i * 3 + j]!;
    assert.ok(Math.abs(s - 1) < 1e-12);
  }
  const f = await new GaussianMixture({ nComponents: 3, seed: 7, covarianceType: 'diag' }).fit({ ...X, data: Float32Array.from(X.data) });
  assert.equal(f.labels.length, X.rows);
  assert.equal(a.nParameters(), 3 * 3 * 4 / 2 + 9 + 2);
});

test('GaussianMixture: bad options and data give one-line errors naming the fix', async () => {
  const fit = (o: Record<string, unknown>, x = X) => new GaussianMixture({ nComponents: 3, ...o } as never).fit(x);
  await assert.rejects(fit({ covarianceType: 'banana' }), (e: Error) => e instanceof ParamError && /covarianceType.*'full', 'tied', 'diag', 'spherical'/.test(e.message) && !e.message.includes('\n'));
  await assert.rejects(fit({ nComponents: 0 }), ParamError);
  await assert.rejects(fit({ nComponents: X.rows + 1 }), ParamError);
  await assert.rejects(fit({ regCovar: -1 }), ParamError);
  await assert.rejects(fit({ init: 'random' }), ParamError);
  await assert.rejects(fit({ weightsInit: [0.5, 0.5, 0.5] }), /weightsInit/);
  await assert.rejects(fit({ precisionsInit: [1, 2] }), /precisionsInit/);
  await assert.rejects(fit({}, { data: Float64Array.from([1, NaN, 3]), rows: 3, cols: 1 }), DataError);
  // duplicate points: the covariances of a 2-point cluster collapse without regCovar
  const dup = { data: Float64Array.from([0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5, 9, 1, 9, 1, 9, 1]), rows: 9, cols: 2 };
  await assert.rejects(fit({ regCovar: 0 }, dup), (e: Error) => e instanceof DataError && /singular.*raise regCovar/.test(e.message));
  const ok = await fit({ regCovar: 1e-3 }, dup);
  assert.equal(new Set(ok.labels).size, 3);
  await assert.rejects(ok.predict({ data: new Float64Array(3), rows: 1, cols: 3 }), DataError);
});

test("GaussianMixture init 'mixed': restarts alternate k-means and k-means++ starts, so a dominant cluster that k-means splits is found whole", async () => {
  // 1400 / 60 / 40 rows: every k-means start splits the big cluster; k-means++ starts need not
  const rng = new Rng(3);
  const rows: number[] = [];
  const truth: number[] = [];
  const blob = (n: number, cx: number, cy: number, sd: number, c: number) => {
    for (let i = 0; i < n; i++) {
      rows.push(cx + sd * rng.normal(), cy + sd * rng.normal());
      truth.push(c);
    }
  };
  blob(1400, 0, 0, 2, 0);
  blob(60, 5, 5, 0.5, 1);
  blob(40, -5, 5, 0.5, 2);
  const x = { data: Float64Array.from(rows), rows: truth.length, cols: 2 };
  const acc = (labels: Int32Array) => clusterAccuracy(Int32Array.from(truth), labels).accuracy;
  const km = await new GaussianMixture({ nComponents: 3, nInit: 10, init: 'kmeans', seed: 5 }).fit(x);
  const mixed = await new GaussianMixture({ nComponents: 3, nInit: 10, init: 'mixed', seed: 5 }).fit(x);
  assert.ok(acc(km.labels) < 0.8, `k-means starts: ACC ${acc(km.labels)}`);
  assert.ok(acc(mixed.labels) > 0.97 && mixed.lowerBound > km.lowerBound, `mixed: ACC ${acc(mixed.labels)}, ${mixed.lowerBound} vs ${km.lowerBound}`);
  // the first mixed restart is the k-means start with the same seed
  const one = await new GaussianMixture({ nComponents: 3, nInit: 1, init: 'kmeans', seed: 5 }).fit(x);
  assert.equal(mixed.diagnostics.runs[0]!.lowerBound, one.lowerBound);
  await assert.rejects(new GaussianMixture({ nComponents: 3, init: 'both' as never }).fit(x), (e: Error) => e instanceof ParamError && /'kmeans', 'k-means\+\+', 'mixed'/.test(e.message));
});
