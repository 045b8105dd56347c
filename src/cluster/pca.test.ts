// PCA against scikit-learn (test/fixtures/make_sklearn_fixtures.py), the eigen solver, contracts and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PCA } from './index.ts';
import { symmetricEigen } from './_internal/linalg.ts';
import { DataError, ParamError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../random.ts';

interface PcaCase {
  name: string;
  n: number;
  d: number;
  rank: number;
  noise: number;
  nComponents: number;
  svdSolver: 'full' | 'auto';
  whiten: boolean;
  fittedSolver: 'full' | 'randomized';
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  singularValues: number[];
  noiseVariance: number;
  components: number[][];
  transformHead: number[][];
}
const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/sklearn-cluster.json', import.meta.url), 'utf8')) as { pca: PcaCase[] };

/** The deterministic data of the fixture script (same formula). */
function formulaData(n: number, d: number, rank: number, noise: number): Matrix {
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      let v = 0;
      for (let r = 1; r <= rank; r++) v += (3 / r) * Math.sin(0.37 * r * (i + 1) + 0.5 * r) * Math.cos(0.23 * r * (j + 1));
      data[i * d + j] = v + noise * Math.sin(1.7 * (i + 1) * (j + 1) + 0.3);
    }
  return { data, rows: n, cols: d };
}

function near(actual: ArrayLike<number>, expected: readonly number[], tol: number, what: string, relative = true): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const scale = relative ? Math.max(1, Math.abs(expected[i]!)) : 1;
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol * scale, `${what}[${i}]: got ${actual[i]}, scikit-learn ${expected[i]}`);
  }
}

for (const c of fixture.pca) {
  test(`PCA equals scikit-learn: ${c.name}`, async () => {
    const x = formulaData(c.n, c.d, c.rank, c.noise);
    const pca = await new PCA({ nComponents: c.nComponents, svdSolver: c.svdSolver, whiten: c.whiten, seed: 0 }).fit(x);
    assert.equal(pca.svdSolver, c.fittedSolver);
    const exact = c.fittedSolver === 'full';
    const tol = exact ? 1e-9 : 1e-7;
    near(pca.explainedVariance, c.explainedVariance, tol, 'explainedVariance');
    near(pca.explainedVarianceRatio, c.explainedVarianceRatio, tol, 'explainedVarianceRatio');
    near(pca.singularValues, c.singularValues, tol, 'singularValues');
    assert.ok(Math.abs(pca.noiseVariance - c.noiseVariance) <= (exact ? 1e-9 : 1e-6) * Math.max(1, c.noiseVariance), `noiseVariance ${pca.noiseVariance} vs ${c.noiseVariance}`);
    near(pca.components.data, c.components.flat(), exact ? 1e-8 : 1e-5, 'components (same signs)', false);
    const z = await pca.transform(x);
    assert.equal(z.cols, c.nComponents);
    near(z.data.subarray(0, 5 * c.nComponents), c.transformHead.flat(), exact ? 1e-8 : 1e-5, 'transform');
    const z32 = await pca.transform({ data: Float32Array.from(x.data), rows: x.rows, cols: x.cols });
    assert.ok(z32.data instanceof Float32Array);
    near(z32.data.subarray(0, 5 * c.nComponents), c.transformHead.flat(), 1e-4, 'transform of float32 data');
  });
}

test('PCA: fitTransform = fit + transform; inverseTransform reconstructs with all components; seeds reproducible', async () => {
  const x = formulaData(60, 5, 3, 0.3);
  const pca = await new PCA({ nComponents: 5, svdSolver: 'full' }).fit(x);
  const z = await new PCA({ nComponents: 5, svdSolver: 'full' }).fitTransform(x);
  near(z.data, Array.from((await pca.transform(x)).data), 1e-12, 'fitTransform');
  const back = await pca.inverseTransform(z);
  near(back.data, Array.from(x.data), 1e-9, 'inverseTransform');
  const ratioSum = pca.explainedVarianceRatio.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(ratioSum - 1) < 1e-12, 'all components explain all variance');
  assert.equal(pca.noiseVariance, 0);
  const big = formulaData(700, 40, 6, 0.1);
  const a = await new PCA({ nComponents: 4, svdSolver: 'randomized', seed: 3 }).fit(big);
  const b = await new PCA({ nComponents: 4, svdSolver: 'randomized', seed: 3 }).fit(big);
  assert.deepEqual(a.components.data, b.components.data);
  const full = await new PCA({ nComponents: 4, svdSolver: 'full' }).fit(big);
  near(a.explainedVariance, Array.from(full.explainedVariance), 1e-8, 'randomized vs full');
  const w = await new PCA({ nComponents: 3, whiten: true }).fitTransform(big);
  for (let k = 0; k < 3; k++) {
    let s = 0;
    for (let i = 0; i < w.rows; i++) s += w.data[i * 3 + k]! ** 2;
    assert.ok(Math.abs(s / (w.rows - 1) - 1) < 1e-9, 'whitened components have unit variance');
  }
});

test('symmetricEigen: A V = V Λ, V orthonormal, eigenvalues descending', () => {
  const rng = new Rng(2);
  for (const n of [1, 2, 7, 30]) {
    const b = new Float64Array(n * n).map(() => rng.normal());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let t = 0; t < n; t++) a[i * n + j]! += b[i * n + t]! * b[j * n + t]!;
    const { values, vectors } = symmetricEigen(a, n);
    for (let j = 1; j < n; j++) assert.ok(values[j - 1]! >= values[j]!);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let av = 0;
        let vv = 0;
        for (let t = 0; t < n; t++) {
          av += a[i * n + t]! * vectors[t * n + j]!;
          vv += vectors[t * n + i]! * vectors[t * n + j]!;
        }
        assert.ok(Math.abs(av - values[j]! * vectors[i * n + j]!) < 1e-9 * Math.max(1, values[0]!));
        assert.ok(Math.abs(vv - (i === j ? 1 : 0)) < 1e-12);
      }
  }
});

test('PCA: bad options and data give one clear error each', async () => {
  const x = formulaData(20, 4, 2, 0.1);
  const isParam = (re: RegExp) => (e: unknown) => e instanceof ParamError && re.test((e as Error).message);
  const isData = (re: RegExp) => (e: unknown) => e instanceof DataError && re.test((e as Error).message);
  await assert.rejects(new PCA({ nComponents: 5 }).fit(x), isParam(/^PCA: option 'nComponents' must be an integer in \[1, min\(nSamples, nFeatures\)=4\], got 5$/));
  await assert.rejects(new PCA({ nComponents: 2, svdSolver: 'arpack' as never }).fit(x), isParam(/option 'svdSolver' must be one of 'auto', 'full', 'randomized', got "arpack"/));
  await assert.rejects(new PCA({ nComponents: 1 }).fit({ data: new Float64Array(3), rows: 1, cols: 3 }), isData(/x has 1 rows; at least 2 are needed/));
  const bad = Float64Array.from(x.data);
  bad[5] = Number.NaN;
  await assert.rejects(new PCA({ nComponents: 2 }).fit({ ...x, data: bad }), isData(/non-finite value \(NaN\) at row 1, column 1/));
  const pca = await new PCA({ nComponents: 2 }).fit(x);
  await assert.rejects(pca.transform({ data: new Float64Array(6), rows: 2, cols: 3 }), isData(/PCA.transform: x has 3 features but the PCA was fitted on 4/));
});
