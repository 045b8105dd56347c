/**
 * Principal component analysis, as scikit-learn's `PCA`: exact (eigendecomposition of the
 * covariance or Gram matrix in float64) or randomized (Halko et al., seeded), with scikit-learn's
 * solver choice and sign convention. The papers' "original space" baseline is k-means on PCA-70.
 */
import { DataError, ParamError, describeValue } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../random.ts';
import { type FloatArray, type KernelRuntime, product } from './_internal/kernels.ts';
import { symmetricEigen } from './_internal/linalg.ts';
import { centered, checkMatrix, choiceOption, columnMeans, intOption, seedOption, threadsOption } from './_internal/validate.ts';

/** Options of {@link PCA}. */
export interface PCAOptions {
  /** Components to keep, an integer in `[1, min(nSamples, nFeatures)]`. */
  readonly nComponents: number;
  /**
   * `'full'`: exact; `'randomized'`: randomized range finder; `'auto'`: full when the data has at
   * most 500 rows and columns or when nComponents >= 0.8 · min(nSamples, nFeatures), randomized
   * otherwise (scikit-learn's rule).
   * @defaultValue 'auto'
   */
  readonly svdSolver?: 'auto' | 'full' | 'randomized';
  /** Scale the projections to unit variance. @defaultValue false */
  readonly whiten?: boolean;
  /** Extra random directions of the randomized solver. @defaultValue 10 */
  readonly nOversamples?: number;
  /** Power iterations of the randomized solver; `'auto'`: 7 when nComponents < 0.1 · min(nSamples, nFeatures), else 4. @defaultValue 'auto' */
  readonly iteratedPower?: number | 'auto';
  /** Seed of the randomized solver. @defaultValue 0 */
  readonly seed?: number;
  /** onnxruntime threads of the matrix products. @defaultValue all cores */
  readonly threads?: number;
}

/** A fitted PCA. */
export interface FittedPCA {
  /** Principal axes `[nComponents, nFeatures]` (float64, unit rows), by decreasing variance. */
  readonly components: Matrix;
  /** Variance along each component (`singularValues² / (nSamples − 1)`), `[nComponents]`. */
  readonly explainedVariance: Float64Array;
  /** Fraction of the total variance along each component, `[nComponents]`. */
  readonly explainedVarianceRatio: Float64Array;
  /** Singular values of the centred data, `[nComponents]`. */
  readonly singularValues: Float64Array;
  /** Per-feature mean that was subtracted, `[nFeatures]`. */
  readonly mean: Float64Array;
  /** Average variance of the dropped directions (probabilistic PCA noise), 0 when none were dropped. */
  readonly noiseVariance: number;
  /** Components kept. */
  readonly nComponents: number;
  /** Width of the training rows. */
  readonly nFeatures: number;
  /** Rows it was fitted on. */
  readonly nSamples: number;
  /** The solver used after resolving `'auto'`. */
  readonly svdSolver: 'full' | 'randomized';
  /** Whether projections are whitened. */
  readonly whiten: boolean;
  /**
   * Projects rows `[n, nFeatures]` onto the components: `[n, nComponents]`, in the dtype of `x`
   * (divided by √explainedVariance when whitening).
   * @throws DataError for a feature-count mismatch or NaN/Inf values
   */
  transform(x: Matrix): Promise<Matrix>;
  /** Maps projections `[n, nComponents]` back to feature space `[n, nFeatures]` (float64). */
  inverseTransform(z: Matrix): Promise<Matrix>;
}

const ROW_CHUNK = 8192;

/**
 * PCA estimator.
 * @example
 * ```ts
 * const pca = await new PCA({ nComponents: 70, seed: 0 }).fit(x);
 * const z = await pca.transform(x);          // [n, 70]
 * pca.explainedVarianceRatio;                 // Float64Array(70)
 * ```
 */
export class PCA {
  /** Default option values. */
  static readonly defaults = {
    /** Solver choice. */
    svdSolver: 'auto',
    /** Whitening of projections. */
    whiten: false,
    /** Extra random directions of the randomized solver. */
    nOversamples: 10,
    /** Power iterations of the randomized solver. */
    iteratedPower: 'auto',
    /** Seed. */
    seed: 0,
  } as const;

  /** Stores the options; they are checked by {@link PCA.fit}. */
  constructor(
    /** The options, as given. */
    readonly options: Readonly<PCAOptions>,
  ) {}

  /**
   * Fits the components to the rows of `x` (`[nSamples, nFeatures]`, nSamples >= 2).
   * @throws ParamError for invalid options; DataError for too few rows or NaN/Inf values
   */
  async fit(x: Matrix): Promise<FittedPCA> {
    const where = 'PCA';
    const o = (this.options ?? {}) as PCAOptions;
    checkMatrix(where, x, { minRows: 2 });
    const n = x.rows;
    const d = x.cols;
    const minDim = Math.min(n, d);
    const nc = intOption(where, 'nComponents', o.nComponents, undefined, { min: 1, max: minDim, maxLabel: `min(nSamples, nFeatures)=${minDim}` });
    const solverOpt = choiceOption(where, 'svdSolver', o.svdSolver, 'auto', ['auto', 'full', 'randomized'] as const);
    if (o.whiten !== undefined && typeof o.whiten !== 'boolean') throw new ParamError(`${where}: option 'whiten' must be true or false, got ${describeValue(o.whiten)}`);
    const nOversamples = intOption(where, 'nOversamples', o.nOversamples, 10, { min: 0 });
    let nIter: number;
    if (o.iteratedPower === undefined || o.iteratedPower === 'auto') nIter = nc < 0.1 * minDim ? 7 : 4;
    else nIter = intOption(where, 'iteratedPower', o.iteratedPower, undefined, { min: 0 });
    const seed = seedOption(where, o.seed);
    const runtime: KernelRuntime = { threads: threadsOption(where, o.threads) };
    const solver = solverOpt !== 'auto' ? solverOpt : Math.max(n, d) <= 500 || nc >= 0.8 * minDim ? 'full' : 'randomized';

    const mean = columnMeans(x.data, n, d);
    const xc = centered(x.data, n, d, mean);
    let totalSq = 0;
    for (let i = 0; i < xc.length; i++) totalSq += xc[i]! * xc[i]!;
    const totalVar = totalSq / (n - 1);

    let comps: Float64Array;
    let sv: Float64Array;
    let noiseVariance = 0;
    if (solver === 'full') {
      const r = await exactSvd(xc, n, d, nc, runtime);
      comps = r.components;
      sv = r.singular;
      const ev = r.allSquares.map((v) => v / (n - 1));
      if (nc < minDim) {
        let s = 0;
        for (let j = nc; j < minDim; j++) s += ev[j]!;
        noiseVariance = s / (minDim - nc);
      }
    } else {
      const r = await randomizedSvd(xc, n, d, nc, nOversamples, nIter, new Rng(seed), runtime);
      comps = r.components;
      sv = r.singular;
      if (nc < minDim) {
        let s = 0;
        for (const v of sv) s += (v * v) / (n - 1);
        noiseVariance = Math.max(0, totalVar - s) / (minDim - nc);
      }
    }
    await flipSigns(xc, n, d, comps, nc, runtime);
    const explainedVariance = sv.map((v) => (v * v) / (n - 1));
    const explainedVarianceRatio = explainedVariance.map((v) => (totalVar > 0 ? v / totalVar : 0));
    return fittedPca({ comps, explainedVariance, explainedVarianceRatio, singularValues: sv, mean, noiseVariance, nc, d, n, solver, whiten: o.whiten ?? false, runtime });
  }

  /** Fits to `x` and returns its projection `[nSamples, nComponents]` (see {@link FittedPCA.transform}). */
  async fitTransform(x: Matrix): Promise<Matrix> {
    return (await this.fit(x)).transform(x);
  }
}

interface FittedParts {
  comps: Float64Array;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  singularValues: Float64Array;
  mean: Float64Array;
  noiseVariance: number;
  nc: number;
  d: number;
  n: number;
  solver: 'full' | 'randomized';
  whiten: boolean;
  runtime: KernelRuntime;
}

function fittedPca(p: FittedParts): FittedPCA {
  const { comps, nc, d, mean, runtime } = p;
  const scale = p.whiten ? p.explainedVariance.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 0)) : undefined;
  const compsF32 = Float32Array.from(comps);
  return {
    components: { data: comps, rows: nc, cols: d },
    explainedVariance: p.explainedVariance,
    explainedVarianceRatio: p.explainedVarianceRatio,
    singularValues: p.singularValues,
    mean,
    noiseVariance: p.noiseVariance,
    nComponents: nc,
    nFeatures: d,
    nSamples: p.n,
    svdSolver: p.solver,
    whiten: p.whiten,
    async transform(x: Matrix): Promise<Matrix> {
      checkMatrix('PCA.transform', x, { cols: d, colsLabel: `the PCA was fitted on ${d}` });
      const n = x.rows;
      const f64 = x.data instanceof Float64Array;
      const out = f64 ? new Float64Array(n * nc) : new Float32Array(n * nc);
      for (let s = 0; s < n; s += ROW_CHUNK) {
        const e = Math.min(n, s + ROW_CHUNK);
        const chunk = centered(x.data.subarray(s * d, e * d), e - s, d, mean);
        const z = await product(chunk, e - s, d, f64 ? comps : compsF32, nc, d, { ...runtime, transB: true });
        if (scale) for (let i = 0; i < z.length; i++) z[i]! *= scale[i % nc]!;
        out.set(z, s * nc);
      }
      return { data: out, rows: n, cols: nc };
    },
    async inverseTransform(z: Matrix): Promise<Matrix> {
      checkMatrix('PCA.inverseTransform', z, { name: 'z', cols: nc, colsLabel: `the PCA has ${nc} components` });
      const zz = Float64Array.from(z.data);
      if (scale) for (let i = 0; i < zz.length; i++) zz[i] = scale[i % nc]! > 0 ? zz[i]! / scale[i % nc]! : 0;
      const y = (await product(zz, z.rows, nc, comps, nc, d, runtime)) as Float64Array;
      for (let i = 0; i < z.rows; i++) for (let t = 0; t < d; t++) y[i * d + t]! += mean[t]!;
      return { data: y, rows: z.rows, cols: d };
    },
  };
}

/** Exact top-`nc` right singular vectors of centred `xc` via the smaller of XᵀX and XXᵀ (float64). */
async function exactSvd(xc: FloatArray, n: number, d: number, nc: number, runtime: KernelRuntime): Promise<{ components: Float64Array; singular: Float64Array; allSquares: Float64Array }> {
  const minDim = Math.min(n, d);
  const components = new Float64Array(nc * d);
  const singular = new Float64Array(nc);
  const allSquares = new Float64Array(minDim);
  if (d <= n) {
    // covariance-style Gram XᵀX, accumulated over row chunks in float64
    const g = new Float64Array(d * d);
    for (let s = 0; s < n; s += ROW_CHUNK) {
      const e = Math.min(n, s + ROW_CHUNK);
      const chunk = Float64Array.from(xc.subarray(s * d, e * d));
      const p = await product(chunk, e - s, d, chunk, e - s, d, { ...runtime, transA: true });
      for (let i = 0; i < d * d; i++) g[i]! += p[i]!;
    }
    symmetrize(g, d);
    const { values, vectors } = symmetricEigen(g, d);
    for (let j = 0; j < minDim; j++) allSquares[j] = Math.max(values[j]!, 0);
    for (let k = 0; k < nc; k++) {
      singular[k] = Math.sqrt(allSquares[k]!);
      for (let t = 0; t < d; t++) components[k * d + t] = vectors[t * d + k]!;
    }
  } else {
    const x64 = Float64Array.from(xc);
    const g = (await product(x64, n, d, x64, n, d, { ...runtime, transB: true })) as Float64Array;
    symmetrize(g, n);
    const { values, vectors } = symmetricEigen(g, n);
    for (let j = 0; j < minDim; j++) allSquares[j] = Math.max(values[j]!, 0);
    // v_k = Xᵀ u_k / s_k
    const u = new Float64Array(n * nc);
    for (let i = 0; i < n; i++) for (let k = 0; k < nc; k++) u[i * nc + k] = vectors[i * n + k]!;
    const v = (await product(u, n, nc, x64, n, d, { ...runtime, transA: true })) as Float64Array; // [nc, d]
    for (let k = 0; k < nc; k++) {
      const s = Math.sqrt(allSquares[k]!);
      singular[k] = s;
      for (let t = 0; t < d; t++) components[k * d + t] = s > 0 ? v[k * d + t]! / s : 0;
    }
  }
  return { components, singular, allSquares };
}

function symmetrize(g: Float64Array, m: number): void {
  for (let i = 0; i < m; i++)
    for (let j = i + 1; j < m; j++) {
      const v = (g[i * m + j]! + g[j * m + i]!) / 2;
      g[i * m + j] = v;
      g[j * m + i] = v;
    }
}

/**
 * Orthonormal basis `[rows, r]` of the columns of `m` (`[rows, p]`, float64): Q = M W Λ^-1/2 from
 * the eigendecomposition of MᵀM, applied twice for accuracy; directions with negligible energy are
 * dropped (r <= p).
 */
async function orthonormalize(m: Float64Array, rows: number, p: number, runtime: KernelRuntime): Promise<{ q: Float64Array; r: number }> {
  let q = m;
  let cols = p;
  for (let pass = 0; pass < 2; pass++) {
    const g = (await product(q, rows, cols, q, rows, cols, { ...runtime, transA: true })) as Float64Array;
    symmetrize(g, cols);
    const { values, vectors } = symmetricEigen(g, cols);
    const tolV = Math.max(values[0]!, 0) * 1e-13;
    let r = 0;
    while (r < cols && values[r]! > tolV) r++;
    if (r === 0) return { q: new Float64Array(0), r: 0 };
    const w = new Float64Array(cols * r);
    for (let i = 0; i < cols; i++) for (let j = 0; j < r; j++) w[i * r + j] = vectors[i * cols + j]! / Math.sqrt(values[j]!);
    q = (await product(q, rows, cols, w, cols, r, runtime)) as Float64Array;
    cols = r;
  }
  return { q, r: cols };
}

/** Randomized SVD (scikit-learn's `randomized_svd` without transposition), top `nc`. */
async function randomizedSvd(
  xc: FloatArray,
  n: number,
  d: number,
  nc: number,
  nOversamples: number,
  nIter: number,
  rng: Rng,
  runtime: KernelRuntime,
): Promise<{ components: Float64Array; singular: Float64Array }> {
  const p = Math.min(nc + nOversamples, Math.min(n, d));
  const f64 = xc instanceof Float64Array;
  const toX = (a: Float64Array) => (f64 ? a : Float32Array.from(a));
  let q: Float64Array = new Float64Array(d * p);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  let cols = p;
  for (let it = 0; it < nIter; it++) {
    const y = await orthonormalize(Float64Array.from(await product(xc, n, d, toX(q), d, cols, runtime)), n, cols, runtime);
    const z = await orthonormalize(Float64Array.from(await product(xc, n, d, toX(y.q), n, y.r, { ...runtime, transA: true })), d, y.r, runtime);
    q = z.q;
    cols = z.r;
  }
  const basis = await orthonormalize(Float64Array.from(await product(xc, n, d, toX(q), d, cols, runtime)), n, cols, runtime);
  const r = basis.r;
  if (r < nc) throw new DataError(`PCA: the data has rank ${r} < nComponents=${nc}; use svdSolver: 'full' or fewer components`);
  // B = Qᵀ X  [r, d]; B Bᵀ = Uh S² Uhᵀ; rows of Vt = Uhᵀ B / s
  const b = Float64Array.from(await product(toX(basis.q), n, r, xc, n, d, { ...runtime, transA: true }));
  const bbt = (await product(b, r, d, b, r, d, { ...runtime, transB: true })) as Float64Array;
  symmetrize(bbt, r);
  const { values, vectors } = symmetricEigen(bbt, r);
  const uh = new Float64Array(nc * r);
  for (let k = 0; k < nc; k++) for (let i = 0; i < r; i++) uh[k * r + i] = vectors[i * r + k]!;
  const vt = (await product(uh, nc, r, b, r, d, runtime)) as Float64Array;
  const singular = new Float64Array(nc);
  for (let k = 0; k < nc; k++) {
    const s = Math.sqrt(Math.max(values[k]!, 0));
    singular[k] = s;
    for (let t = 0; t < d; t++) vt[k * d + t] = s > 0 ? vt[k * d + t]! / s : 0;
  }
  return { components: vt, singular };
}

/**
 * scikit-learn's sign convention (`svd_flip`, u-based): in each component's projections, the
 * entry of largest magnitude is positive.
 */
async function flipSigns(xc: FloatArray, n: number, d: number, comps: Float64Array, nc: number, runtime: KernelRuntime): Promise<void> {
  const best = new Float64Array(nc);
  const c = xc instanceof Float64Array ? comps : Float32Array.from(comps);
  for (let s = 0; s < n; s += ROW_CHUNK) {
    const e = Math.min(n, s + ROW_CHUNK);
    const z = await product(xc.subarray(s * d, e * d), e - s, d, c, nc, d, { ...runtime, transB: true });
    for (let i = 0; i < e - s; i++)
      for (let k = 0; k < nc; k++) {
        const v = z[i * nc + k]!;
        if (Math.abs(v) > Math.abs(best[k]!)) best[k] = v;
      }
  }
  for (let k = 0; k < nc; k++)
    if (best[k]! < 0) for (let t = 0; t < d; t++) comps[k * d + t] = -comps[k * d + t]!;
}
