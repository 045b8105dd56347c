/**
 * Gaussian mixture models fitted by EM, as scikit-learn's `GaussianMixture`: full, tied, diagonal
 * and spherical covariances, k-means or k-means++ initialisation, `nInit` restarts kept by lower
 * bound, `regCovar` added to the covariance diagonals, and the same formulas (Cholesky factors
 * of the precisions, log-determinants, log-sum-exp E-step, a final E-step after the best run).
 */
import { DataError, ParamError, describeValue } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../random.ts';
import { gram } from './_internal/linalg.ts';
import { choleskyLower, inverseLowerTransposed } from './_internal/cholesky.ts';
import { mahalanobisDiag, mahalanobisFull, weightedSums } from './_internal/gmm-kernels.ts';
import type { KernelRuntime } from './_internal/kernels.ts';
import { kmeansPlusPlus, workData } from './_internal/lloyd.ts';
import { checkMatrix, choiceOption, columnMeans, intOption, meanFeatureVariance, numberOption, seedOption, threadsOption } from './_internal/validate.ts';
import { KMeans } from './kmeans.ts';

/** Covariance structure of a {@link GaussianMixture}. */
export type CovarianceType = 'full' | 'tied' | 'diag' | 'spherical';
/** The covariance types, in scikit-learn's order. */
export const COVARIANCE_TYPES: readonly CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
/** How {@link GaussianMixture} picks its initial responsibilities. */
export type GmmInit = 'kmeans' | 'k-means++' | 'mixed';

/** Every {@link GmmInit}, in the order the errors list them. */
export const GMM_INITS: readonly GmmInit[] = ['kmeans', 'k-means++', 'mixed'];

/** Options of {@link GaussianMixture}. */
export interface GaussianMixtureOptions {
  /** Number of components k, an integer in `[1, nSamples]`. */
  readonly nComponents: number;
  /** Covariance structure. @defaultValue 'full' */
  readonly covarianceType?: CovarianceType;
  /** EM stops when the lower bound (mean log-likelihood) changes by less than `tol`. @defaultValue 1e-3 */
  readonly tol?: number;
  /** Added to the covariance diagonals so they stay positive definite. @defaultValue 1e-6 */
  readonly regCovar?: number;
  /** Most EM iterations per initialisation. @defaultValue 100 */
  readonly maxIter?: number;
  /** Initialisations; the one with the highest lower bound is kept. @defaultValue 1 */
  readonly nInit?: number;
  /**
   * `'kmeans'`: responsibilities from one k-means run (nInit 1); `'k-means++'`: each component
   * starts at one k-means++ seed point (as scikit-learn ≥ 1.1); `'mixed'`: the restarts alternate,
   * k-means first (k-means starts split a dominant cluster where their partition does; k-means++
   * starts escape that: docs/gmm.md, "Mixed starts"). @defaultValue 'kmeans'
   */
  readonly init?: GmmInit;
  /** Initial weights `[k]` (non-negative, summing to 1); override the initialisation's. */
  readonly weightsInit?: ArrayLike<number>;
  /** Initial means `[k, d]`; override the initialisation's. */
  readonly meansInit?: Matrix;
  /**
   * Initial precisions (inverse covariances), flat: full `[k, d, d]`, tied `[d, d]`, diag
   * `[k, d]`, spherical `[k]`; override the initialisation's.
   */
  readonly precisionsInit?: ArrayLike<number>;
  /** Seed of every random choice. @defaultValue 0 */
  readonly seed?: number;
  /** onnxruntime threads of the kernels. @defaultValue all cores */
  readonly threads?: number;
}

/** One initialisation's outcome. */
export interface GmmRunInfo {
  /** Lower bound (mean log-likelihood) at the run's last E-step. */
  readonly lowerBound: number;
  /** EM iterations it took. */
  readonly nIter: number;
  /** Whether it met `tol` before `maxIter`. */
  readonly converged: boolean;
}

/** What happened during a fit. */
export interface GmmDiagnostics {
  /** One entry per initialisation, in order. */
  readonly runs: readonly GmmRunInfo[];
  /** Index of the kept run in `runs`. */
  readonly bestRun: number;
  /** Notes such as non-convergence. */
  readonly warnings: readonly string[];
}

/** A fitted Gaussian mixture. Parameters are float64, in scikit-learn's layouts. */
export interface FittedGaussianMixture {
  /** Covariance structure of the model. */
  readonly covarianceType: CovarianceType;
  /** Number of components k. */
  readonly nComponents: number;
  /** Width of the training rows. */
  readonly nFeatures: number;
  /** Mixture weights `[k]`. */
  readonly weights: Float64Array;
  /** Means `[k, d]`. */
  readonly means: Matrix;
  /** Covariances: full `[k, d, d]`, tied `[d, d]`, diag `[k, d]`, spherical `[k]`. */
  readonly covariances: Float64Array;
  /** Cholesky factors of the precisions (scikit-learn's `precisions_cholesky_`), same layouts. */
  readonly precisionsCholesky: Float64Array;
  /** Precisions (inverse covariances), same layouts. */
  readonly precisions: Float64Array;
  /** Whether the kept run met `tol` before `maxIter`. */
  readonly converged: boolean;
  /** EM iterations of the kept run. */
  readonly nIter: number;
  /** Lower bound (mean log-likelihood) of the kept run's last E-step. */
  readonly lowerBound: number;
  /** Component of each training row (from a final E-step), `[n]`. */
  readonly labels: Int32Array;
  /** What happened during the fit (restarts, warnings). */
  readonly diagnostics: GmmDiagnostics;
  /** Most probable component of each row of `x`. */
  predict(x: Matrix): Promise<Int32Array>;
  /** Posterior probability of each component, `[n, k]`. */
  predictProba(x: Matrix): Promise<Matrix>;
  /** Log-likelihood of each row, `[n]`. */
  scoreSamples(x: Matrix): Promise<Float64Array>;
  /** Mean log-likelihood of the rows of `x`. */
  score(x: Matrix): Promise<number>;
  /** Bayesian information criterion on `x` (lower is better). */
  bic(x: Matrix): Promise<number>;
  /** Akaike information criterion on `x` (lower is better). */
  aic(x: Matrix): Promise<number>;
  /** Free parameters of the model (weights, means, covariances). */
  nParameters(): number;
}

const EPS10 = 10 * 2.220446049250313e-16;
const LOG_2PI = Math.log(2 * Math.PI);

/** Mixture parameters in centred coordinates. */
interface Params {
  weights: Float64Array;
  means: Float64Array;
  covariances: Float64Array;
  precChol: Float64Array;
}

interface Ctx {
  readonly type: CovarianceType;
  readonly k: number;
  readonly d: number;
  readonly regCovar: number;
  readonly runtime: KernelRuntime;
  /** `xᵀx` of the centred data (tied only). */
  xtx?: Float64Array;
}

/** Fraction of the mean feature variance that {@link selectionRegCovar} adds to covariance diagonals. */
export const SELECTION_REG_COVAR_FRACTION = 1e-3;

/**
 * A covariance floor for mixtures whose likelihood picks something (k by BIC, the best of several
 * starts): {@link SELECTION_REG_COVAR_FRACTION} of the mean per-feature variance of `x`. With the
 * default 1e-6, restarts find near-singular components on a handful of rows whose likelihood
 * gain beats BIC's penalty (252 rows of 5 blobs in 4-d: BIC's minimum moved from 5 to 7 with three
 * starts per k). Scaled to the data, it means the same on standardized tables and on embeddings.
 */
export function selectionRegCovar(x: Matrix): number {
  const { rows, cols, data } = x;
  const meanVar = rows > 0 && cols > 0 ? meanFeatureVariance(data, rows, cols, columnMeans(data, rows, cols)) : 0;
  return meanVar > 0 ? SELECTION_REG_COVAR_FRACTION * meanVar : GaussianMixture.defaults.regCovar;
}

/**
 * A Gaussian mixture fitted by expectation–maximisation, as scikit-learn's `GaussianMixture`.
 *
 * The E-step's Mahalanobis terms and the M-step's weighted sums are float64 GEMMs in
 * onnxruntime (the data are centred first, which changes no result but keeps the sums accurate).
 *
 * @example
 * ```ts
 * const gm = await new GaussianMixture({ nComponents: 10, covarianceType: 'full', seed: 0 }).fit(x);
 * gm.labels; await gm.predictProba(x); await gm.bic(x);
 * ```
 */
export class GaussianMixture {
  /** Default option values (scikit-learn's). */
  static readonly defaults = {
    /** Covariance structure. */
    covarianceType: 'full',
    /** Tolerance on the change of the lower bound. */
    tol: 1e-3,
    /** Added to the covariance diagonals. */
    regCovar: 1e-6,
    /** Most EM iterations per initialisation. */
    maxIter: 100,
    /** Initialisations. */
    nInit: 1,
    /** Initialisation method. */
    init: 'kmeans',
    /** Seed. */
    seed: 0,
  } as const;

  /** Stores the options; {@link GaussianMixture.fit} checks them. */
  constructor(
    /** The options, as given. */
    readonly options: Readonly<GaussianMixtureOptions>,
  ) {}

  /**
   * Fits the mixture to the rows of `x` (`[n, d]`).
   * @throws ParamError for invalid options (unknown covariance type, nComponents outside `[1, n]`…)
   * @throws DataError for empty or non-finite data, or a singular covariance (raise `regCovar`)
   */
  async fit(x: Matrix): Promise<FittedGaussianMixture> {
    const where = 'GaussianMixture';
    const o = (this.options ?? {}) as GaussianMixtureOptions;
    checkMatrix(where, x);
    const k = intOption(where, 'nComponents', o.nComponents, undefined, { min: 1, max: x.rows, maxLabel: `nSamples=${x.rows}` });
    const type = choiceOption(where, 'covarianceType', o.covarianceType, GaussianMixture.defaults.covarianceType, COVARIANCE_TYPES);
    const tol = numberOption(where, 'tol', o.tol, GaussianMixture.defaults.tol, 0);
    const regCovar = numberOption(where, 'regCovar', o.regCovar, GaussianMixture.defaults.regCovar, 0);
    const maxIter = intOption(where, 'maxIter', o.maxIter, GaussianMixture.defaults.maxIter, { min: 1 });
    const nInit = intOption(where, 'nInit', o.nInit, GaussianMixture.defaults.nInit, { min: 1 });
    const init = choiceOption<GmmInit>(where, 'init', o.init, GaussianMixture.defaults.init, GMM_INITS);
    const seed = seedOption(where, o.seed);
    const threads = threadsOption(where, o.threads);
    const { rows: n, cols: d } = x;
    const shift = columnMeans(x.data, n, d);
    const xc = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) xc[i * d + t] = x.data[i * d + t]! - shift[t]!;
    const user = checkInitParams(where, o, type, k, d, shift);
    const ctx: Ctx = { type, k, d, regCovar, runtime: { threads } };
    if (type === 'tied') ctx.xtx = gram(xc, n, d);
    const rng = new Rng(seed);
    const runs: GmmRunInfo[] = [];
    let best: Params | undefined;
    let bestLb = -Infinity;
    let bestRun = 0;
    for (let r = 0; r < nInit; r++) {
      const runSeed = rng.nextUint32();
      // all three given: scikit-learn's initialisation would be overridden entirely
      let p: Params =
        user.weights && user.means && user.precChol
          ? { weights: user.weights, means: user.means, covariances: new Float64Array(0), precChol: user.precChol }
          : await initialParams(ctx, xc, n, init === 'mixed' ? (r % 2 === 0 ? 'kmeans' : 'k-means++') : init, runSeed);
      if (user.weights) p.weights = user.weights;
      if (user.means) p.means = user.means;
      if (user.precChol) p.precChol = user.precChol;
      let lb = -Infinity;
      let converged = false;
      let nIter = maxIter;
      for (let it = 1; it <= maxIter; it++) {
        const prev = lb;
        const e = await eStep(ctx, xc, n, p, true);
        p = mStep(ctx, n, e.stats!);
        lb = e.meanLogProb;
        if (Math.abs(lb - prev) < tol) {
          converged = true;
          nIter = it;
          break;
        }
      }
      runs.push({ lowerBound: lb, nIter, converged });
      if (lb > bestLb || bestLb === -Infinity) {
        bestLb = lb;
        best = p;
        bestRun = r;
      }
    }
    const warnings: string[] = [];
    const kept = runs[bestRun]!;
    if (!kept.converged) warnings.push(`the best initialisation did not converge in maxIter=${maxIter} iterations; raise maxIter or tol, or check the data`);
    const b = best!;
    const final = await eStep(ctx, xc, n, b, false);
    return fitted(ctx, b, shift, final.labels, kept, bestLb, { runs, bestRun, warnings });
  }
}

/** Checks and converts the user's initial parameters (centred coordinates). */
function checkInitParams(where: string, o: GaussianMixtureOptions, type: CovarianceType, k: number, d: number, shift: Float64Array): { weights?: Float64Array; means?: Float64Array; precChol?: Float64Array } {
  const out: { weights?: Float64Array; means?: Float64Array; precChol?: Float64Array } = {};
  if (o.weightsInit !== undefined) {
    const w = Float64Array.from(o.weightsInit);
    let s = 0;
    for (const v of w) s += v;
    if (w.length !== k || w.some((v) => !(v >= 0 && v <= 1)) || Math.abs(1 - s) > 1e-6)
      throw new ParamError(`${where}: option 'weightsInit' must be ${k} numbers in [0, 1] summing to 1, got ${describeValue(Array.from(w))}`);
    out.weights = w;
  }
  if (o.meansInit !== undefined) {
    const m = o.meansInit;
    if (!m || !(m.data instanceof Float32Array || m.data instanceof Float64Array) || m.rows !== k || m.cols !== d || m.data.length !== k * d)
      throw new ParamError(`${where}: option 'meansInit' must be a [nComponents=${k}, nFeatures=${d}] Matrix`);
    out.means = new Float64Array(k * d);
    for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) out.means[j * d + t] = m.data[j * d + t]! - shift[t]!;
    if (out.means.some((v) => !Number.isFinite(v))) throw new ParamError(`${where}: option 'meansInit' has non-finite values`);
  }
  if (o.precisionsInit !== undefined) {
    const p = Float64Array.from(o.precisionsInit);
    const size = precisionSize(type, k, d);
    if (p.length !== size) throw new ParamError(`${where}: option 'precisionsInit' must have ${size} values for covarianceType '${type}' (${shapeLabel(type)}), got ${p.length}`);
    if (type === 'diag' || type === 'spherical') {
      if (p.some((v) => !(v > 0) || !Number.isFinite(v))) throw new ParamError(`${where}: option 'precisionsInit' must be positive for covarianceType '${type}'`);
      out.precChol = p.map(Math.sqrt);
    } else {
      const m = type === 'full' ? k : 1;
      const chol = new Float64Array(m * d * d);
      for (let j = 0; j < m; j++) {
        const o2 = j * d * d;
        for (let a = 0; a < d; a++)
          for (let c = 0; c < a; c++)
            if (Math.abs(p[o2 + a * d + c]! - p[o2 + c * d + a]!) > 1e-8 * (Math.abs(p[o2 + a * d + c]!) + Math.abs(p[o2 + c * d + a]!) + 1e-300))
              throw new ParamError(`${where}: option 'precisionsInit' matrix ${j} is not symmetric`);
        if (!choleskyLower(p, o2, d, chol, o2)) throw new ParamError(`${where}: option 'precisionsInit' matrix ${j} is not positive definite`);
      }
      out.precChol = chol;
    }
  }
  return out;
}

function precisionSize(type: CovarianceType, k: number, d: number): number {
  return type === 'full' ? k * d * d : type === 'tied' ? d * d : type === 'diag' ? k * d : k;
}

function shapeLabel(type: CovarianceType): string {
  return type === 'full' ? '[k, d, d]' : type === 'tied' ? '[d, d]' : type === 'diag' ? '[k, d]' : '[k]';
}

/** Initial responsibilities from k-means or k-means++, then scikit-learn's `_initialize`. */
async function initialParams(ctx: Ctx, xc: Float64Array, n: number, init: Exclude<GmmInit, 'mixed'>, seed: number): Promise<Params> {
  const { k, d } = ctx;
  const resp = new Float64Array(n * k);
  if (init === 'kmeans') {
    const km = await new KMeans({ nClusters: k, nInit: 1, seed, threads: ctx.runtime.threads }).fit({ data: xc, rows: n, cols: d });
    for (let i = 0; i < n; i++) resp[i * k + km.labels[i]!] = 1;
  } else {
    const w = workData(xc, n, d, ctx.runtime);
    const { indices } = await kmeansPlusPlus(w, k, new Rng(seed));
    for (let j = 0; j < k; j++) resp[indices[j]! * k + j] = 1;
  }
  const stats = await sufficientStats(ctx, xc, n, resp);
  const p = mStep(ctx, n, stats);
  // _initialize divides the weights by n, not by their sum
  for (let j = 0; j < k; j++) p.weights[j] = stats.nk[j]! / n;
  return p;
}

interface Stats {
  /** `Σ_i r_ij + 10 eps`. */
  nk: Float64Array;
  sx: Float64Array;
  sxx?: Float64Array;
}

/** Rows per kernel call: about 4 M float64 values in the largest intermediate. */
function chunkRows(ctx: Ctx): number {
  const width = ctx.type === 'full' ? ctx.k * ctx.d : Math.max(ctx.k, ctx.d);
  return Math.max(64, Math.floor((1 << 22) / Math.max(1, width)));
}

async function sufficientStats(ctx: Ctx, xc: Float64Array, n: number, resp: Float64Array): Promise<Stats> {
  const { k, d } = ctx;
  const second = ctx.type === 'full' ? 'full' : ctx.type === 'tied' ? 'none' : 'diag';
  const nk = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) nk[j]! += resp[i * k + j]!;
  for (let j = 0; j < k; j++) nk[j]! += EPS10;
  const sx = new Float64Array(k * d);
  const sxx = second === 'none' ? undefined : new Float64Array(second === 'full' ? k * d * d : k * d);
  const step = chunkRows(ctx);
  for (let s = 0; s < n; s += step) {
    const e = Math.min(n, s + step);
    const r = await weightedSums(xc.subarray(s * d, e * d), e - s, d, resp.subarray(s * k, e * k), k, second, ctx.runtime);
    for (let j = 0; j < sx.length; j++) sx[j]! += r.sx[j]!;
    if (sxx) for (let j = 0; j < sxx.length; j++) sxx[j]! += r.sxx![j]!;
  }
  return { nk, sx, sxx };
}

/** The M-step: weights, means, covariances (+ regCovar) and the precision Cholesky factors. */
function mStep(ctx: Ctx, n: number, st: Stats): Params {
  const { k, d, regCovar, type } = ctx;
  const { nk, sx, sxx } = st;
  const means = new Float64Array(k * d);
  for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) means[j * d + t] = sx[j * d + t]! / nk[j]!;
  let total = 0;
  for (let j = 0; j < k; j++) total += nk[j]!;
  const weights = nk.map((v) => v / total);
  let covariances: Float64Array;
  if (type === 'full') {
    covariances = new Float64Array(k * d * d);
    for (let j = 0; j < k; j++) {
      const o = j * d * d;
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++) covariances[o + a * d + b] = sxx![o + a * d + b]! / nk[j]! - means[j * d + a]! * means[j * d + b]!;
      for (let a = 0; a < d; a++) covariances[o + a * d + a]! += regCovar;
    }
  } else if (type === 'tied') {
    covariances = Float64Array.from(ctx.xtx!);
    for (let j = 0; j < k; j++)
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) covariances[a * d + b]! -= nk[j]! * means[j * d + a]! * means[j * d + b]!;
    for (let i = 0; i < d * d; i++) covariances[i]! /= total;
    for (let a = 0; a < d; a++) covariances[a * d + a]! += regCovar;
  } else {
    const diag = new Float64Array(k * d);
    for (let j = 0; j < k; j++)
      for (let t = 0; t < d; t++) {
        const m = means[j * d + t]!;
        diag[j * d + t] = sxx![j * d + t]! / nk[j]! - 2 * m * (sx[j * d + t]! / nk[j]!) + m * m + regCovar;
      }
    if (type === 'diag') covariances = diag;
    else {
      covariances = new Float64Array(k);
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += diag[j * d + t]!;
        covariances[j] = s / d;
      }
    }
  }
  return { weights, means, covariances, precChol: precisionCholesky(type, covariances, k, d, regCovar) };
}

/** scikit-learn's `_compute_precision_cholesky`. @throws DataError for a singular covariance */
function precisionCholesky(type: CovarianceType, cov: Float64Array, k: number, d: number, regCovar: number): Float64Array {
  const singular = (j: number) =>
    new DataError(
      `GaussianMixture: the covariance of component ${j} is singular (a collapsed cluster of one or duplicate points); raise regCovar (now ${regCovar}), e.g. regCovar: ${Math.max(regCovar * 100, 1e-4)}, or use fewer components`,
    );
  if (type === 'diag' || type === 'spherical') {
    return cov.map((v, i) => {
      if (!(v > 0)) throw singular(type === 'diag' ? Math.floor(i / d) : i);
      return 1 / Math.sqrt(v);
    });
  }
  const m = type === 'full' ? k : 1;
  const out = new Float64Array(m * d * d);
  const l = new Float64Array(d * d);
  for (let j = 0; j < m; j++) {
    if (!choleskyLower(cov, j * d * d, d, l, 0)) throw singular(j);
    inverseLowerTransposed(l, 0, d, out, j * d * d);
  }
  return out;
}

/** `log det` of each component's precision Cholesky factor (scikit-learn's `_compute_log_det_cholesky`). */
function logDetCholesky(type: CovarianceType, pc: Float64Array, k: number, d: number): Float64Array {
  const out = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    if (type === 'full' || type === 'tied') {
      const o = type === 'full' ? j * d * d : 0;
      for (let t = 0; t < d; t++) s += Math.log(pc[o + t * d + t]!);
    } else if (type === 'diag') for (let t = 0; t < d; t++) s += Math.log(pc[j * d + t]!);
    else s = d * Math.log(pc[j]!);
    out[j] = s;
  }
  return out;
}

interface EResult {
  /** Mean of the per-row log-likelihoods. */
  meanLogProb: number;
  /** Per-row log-likelihoods `[n]`. */
  logProbNorm: Float64Array;
  labels: Int32Array;
  /** Responsibilities `[n, k]` (when asked). */
  resp?: Float64Array;
  stats?: Stats;
}

/** Weighted log-probabilities `log w_j + log N(x | μ_j, Σ_j)` `[n, k]` of centred rows. */
async function weightedLogProb(ctx: Ctx, xc: Float64Array, n: number, p: Params): Promise<Float64Array> {
  const { k, d, type } = ctx;
  const logDet = logDetCholesky(type, p.precChol, k, d);
  const constant = new Float64Array(k);
  for (let j = 0; j < k; j++) constant[j] = -0.5 * d * LOG_2PI + logDet[j]! + Math.log(p.weights[j]!);
  const out = new Float64Array(n * k);
  const step = chunkRows(ctx);
  if (type === 'full' || type === 'tied') {
    const w = new Float64Array(d * k * d);
    const b = new Float64Array(k * d);
    for (let j = 0; j < k; j++) {
      const o = type === 'full' ? j * d * d : 0;
      for (let t = 0; t < d; t++) for (let s = 0; s < d; s++) w[t * k * d + j * d + s] = p.precChol[o + t * d + s]!;
      for (let s = 0; s < d; s++) {
        let v = 0;
        for (let t = 0; t < d; t++) v += p.means[j * d + t]! * p.precChol[o + t * d + s]!;
        b[j * d + s] = v;
      }
    }
    for (let s = 0; s < n; s += step) {
      const e = Math.min(n, s + step);
      const maha = await mahalanobisFull(xc.subarray(s * d, e * d), e - s, d, w, b, k, ctx.runtime);
      for (let i = 0; i < (e - s) * k; i++) out[s * k + i] = constant[i % k]! - 0.5 * maha[i]!;
    }
  } else {
    const prec = new Float64Array(k * d);
    for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) prec[j * d + t] = (type === 'diag' ? p.precChol[j * d + t]! : p.precChol[j]!) ** 2;
    const mp = new Float64Array(k * d);
    const c = new Float64Array(k);
    for (let j = 0; j < k * d; j++) {
      mp[j] = p.means[j]! * prec[j]!;
      c[Math.floor(j / d)]! += p.means[j]! * mp[j]!;
    }
    for (let s = 0; s < n; s += step) {
      const e = Math.min(n, s + step);
      const maha = await mahalanobisDiag(xc.subarray(s * d, e * d), e - s, d, prec, mp, c, k, ctx.runtime);
      for (let i = 0; i < (e - s) * k; i++) out[s * k + i] = constant[i % k]! - 0.5 * maha[i]!;
    }
  }
  return out;
}

/** The E-step: per-row log-likelihoods, responsibilities and (when asked) the M-step's sums. */
async function eStep(ctx: Ctx, xc: Float64Array, n: number, p: Params, withStats: boolean): Promise<EResult> {
  const { k } = ctx;
  const wlp = await weightedLogProb(ctx, xc, n, p);
  const logProbNorm = new Float64Array(n);
  const labels = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let m = -Infinity;
    let arg = 0;
    for (let j = 0; j < k; j++)
      if (wlp[o + j]! > m) {
        m = wlp[o + j]!;
        arg = j;
      }
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(wlp[o + j]! - m);
    const lse = Math.log(s) + m;
    logProbNorm[i] = lse;
    labels[i] = arg;
    total += lse;
    for (let j = 0; j < k; j++) wlp[o + j] = Math.exp(wlp[o + j]! - lse); // responsibilities, in place
  }
  const meanLogProb = total / n;
  if (!Number.isFinite(meanLogProb)) throw new DataError('GaussianMixture: the log-likelihood is not finite (a collapsed component); raise regCovar or use fewer components');
  const stats = withStats ? await sufficientStats(ctx, xc, n, wlp) : undefined;
  return { meanLogProb, logProbNorm, labels, resp: wlp, stats };
}

function nParameters(type: CovarianceType, k: number, d: number): number {
  const cov = type === 'full' ? (k * d * (d + 1)) / 2 : type === 'diag' ? k * d : type === 'tied' ? (d * (d + 1)) / 2 : k;
  return cov + k * d + k - 1;
}

function precisionsOf(type: CovarianceType, pc: Float64Array, k: number, d: number): Float64Array {
  if (type === 'diag' || type === 'spherical') return pc.map((v) => v * v);
  const m = type === 'full' ? k : 1;
  const out = new Float64Array(m * d * d);
  for (let j = 0; j < m; j++) {
    const o = j * d * d;
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += pc[o + a * d + t]! * pc[o + b * d + t]!;
        out[o + a * d + b] = s;
      }
  }
  return out;
}

function fitted(ctx: Ctx, p: Params, shift: Float64Array, labels: Int32Array, kept: GmmRunInfo, lowerBound: number, diagnostics: GmmDiagnostics): FittedGaussianMixture {
  const { k, d, type } = ctx;
  const means = new Float64Array(k * d);
  for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) means[j * d + t] = p.means[j * d + t]! + shift[t]!;
  const run = async (x: Matrix, where: string) => {
    checkMatrix(`GaussianMixture.${where}`, x, { cols: d, colsLabel: `the model was fitted on ${d}` });
    const xc = new Float64Array(x.rows * d);
    for (let i = 0; i < x.rows; i++) for (let t = 0; t < d; t++) xc[i * d + t] = x.data[i * d + t]! - shift[t]!;
    return eStep(ctx, xc, x.rows, p, false);
  };
  const score = async (x: Matrix) => (await run(x, 'score')).meanLogProb;
  const nParams = nParameters(type, k, d);
  return {
    covarianceType: type,
    nComponents: k,
    nFeatures: d,
    weights: p.weights,
    means: { data: means, rows: k, cols: d },
    covariances: p.covariances,
    precisionsCholesky: p.precChol,
    precisions: precisionsOf(type, p.precChol, k, d),
    converged: kept.converged,
    nIter: kept.nIter,
    lowerBound,
    labels,
    diagnostics,
    predict: async (x) => (await run(x, 'predict')).labels,
    predictProba: async (x) => ({ data: (await run(x, 'predictProba')).resp!, rows: x.rows, cols: k }),
    scoreSamples: async (x) => (await run(x, 'scoreSamples')).logProbNorm,
    score,
    bic: async (x) => -2 * (await score(x)) * x.rows + nParams * Math.log(x.rows),
    aic: async (x) => -2 * (await score(x)) * x.rows + 2 * nParams,
    nParameters: () => nParams,
  };
}
