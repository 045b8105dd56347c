/**
 * k-means (Lloyd) with k-means++ or random initialisation, `nInit` restarts, and scikit-learn's
 * stopping rules, re-seeding of empty clusters and data centring.
 */
import type { Matrix } from '../matrix.ts';
import { Rng } from '../random.ts';
import { absoluteTolerance, assignCentering, exactInertia, kmeansPlusPlus, lloyd, randomCenters, sameClustering, workData, type WorkData } from './_internal/lloyd.ts';
import { checkMatrix, initOption, intOption, numberOption, seedOption, threadsOption } from './_internal/validate.ts';

/** How {@link KMeans} picks its initial centres. */
export type KMeansInit = 'k-means++' | 'random' | Matrix;

/** Options of {@link KMeans}. */
export interface KMeansOptions {
  /** Number of clusters k, an integer in `[1, nSamples]`. */
  readonly nClusters: number;
  /** Runs with different initial centres; the one with the lowest inertia is kept. Forced to 1 when `init` is a Matrix. @defaultValue 10 */
  readonly nInit?: number;
  /** Maximum Lloyd iterations per run, `>= 1`. @defaultValue 300 */
  readonly maxIter?: number;
  /**
   * Convergence tolerance, relative to the data: a run stops when the total squared centre shift
   * is `<= tol × mean per-feature variance` (as scikit-learn), or when no label changes.
   * @defaultValue 1e-4
   */
  readonly tol?: number;
  /**
   * `'k-means++'` (greedy, `2 + ⌊ln k⌋` candidates per centre, as scikit-learn), `'random'`
   * (k distinct rows), or a `[k, nFeatures]` Matrix of initial centres.
   * @defaultValue 'k-means++'
   */
  readonly init?: KMeansInit;
  /** Seed of every random choice; the same seed gives the same result. @defaultValue 0 */
  readonly seed?: number;
  /** onnxruntime threads of the distance kernels. @defaultValue all cores */
  readonly threads?: number;
}

/** Per-run record in {@link KMeansDiagnostics}. */
export interface KMeansRunInfo {
  /** Final inertia of the run. */
  readonly inertia: number;
  /** Lloyd iterations it took. */
  readonly nIter: number;
  /** Whether it met the tolerance before `maxIter`. */
  readonly converged: boolean;
}

/** What happened during a fit that a caller may want to report. */
export interface KMeansDiagnostics {
  /** One entry per initialisation, in order. */
  readonly runs: readonly KMeansRunInfo[];
  /** Index of the kept run in `runs`. */
  readonly bestRun: number;
  /** Empty clusters re-seeded with far points during the kept run. */
  readonly emptyClustersRelocated: number;
  /** Distinct labels in the result (< nClusters when the data has too few distinct points). */
  readonly distinctClusters: number;
  /** Human-readable notes (non-convergence, fewer distinct clusters, nInit forced to 1). */
  readonly warnings: readonly string[];
}

/** A fitted k-means model (`D`: the diagnostics of the estimator that made it). */
export interface FittedKMeans<D = KMeansDiagnostics> {
  /** Cluster of each training row, `[nSamples]`, values `0..k-1`. */
  readonly labels: Int32Array;
  /** Centres `[k, nFeatures]`, in the dtype of the training data. */
  readonly clusterCenters: Matrix;
  /** Sum of squared distances of the rows to their centres (float64, computed exactly). */
  readonly inertia: number;
  /** Lloyd iterations of the kept run. */
  readonly nIter: number;
  /** Width of the training rows. */
  readonly nFeatures: number;
  /** What happened during the fit (restarts, relocations, warnings). */
  readonly diagnostics: D;
  /**
   * Nearest centre of each row of `x` (`[n, nFeatures]`).
   * @throws DataError when `x` has another number of features or non-finite values
   */
  predict(x: Matrix): Promise<Int32Array>;
  /** Sum of squared distances of the rows of `x` to their nearest centres (float64). */
  score(x: Matrix): Promise<number>;
}

/**
 * k-means clustering, as scikit-learn's `KMeans(algorithm='lloyd')`.
 *
 * Distances are computed as `‖x‖² − 2x·c + ‖c‖²` GEMMs in chunks by onnxruntime (float32 for
 * float32 data, float64 for float64 data), on data centred by its mean; inertia is accumulated
 * in float64.
 *
 * @example
 * ```ts
 * const km = await new KMeans({ nClusters: 10, seed: 0 }).fit(x);
 * km.labels; km.inertia; km.clusterCenters; await km.predict(newX);
 * ```
 */
export class KMeans {
  /** Default option values. */
  static readonly defaults = {
    /** Initialisations; the one of least inertia is kept. */
    nInit: 10,
    /** Most Lloyd iterations per run. */
    maxIter: 300,
    /** Relative tolerance on the centre shift. */
    tol: 1e-4,
    /** Initialisation method. */
    init: 'k-means++',
    /** Seed. */
    seed: 0,
  } as const;

  /** Stores the options; they are checked by {@link KMeans.fit}. */
  constructor(
    /** The options, as given. */
    readonly options: Readonly<KMeansOptions>,
  ) {}

  /**
   * Clusters the rows of `x` (`[nSamples, nFeatures]`).
   * @throws ParamError for invalid options (e.g. nClusters outside `[1, nSamples]`)
   * @throws DataError for empty data or NaN/Inf values
   */
  async fit(x: Matrix): Promise<FittedKMeans> {
    const where = 'KMeans';
    const o = (this.options ?? {}) as KMeansOptions;
    checkMatrix(where, x);
    const k = intOption(where, 'nClusters', o.nClusters, undefined, { min: 1, max: x.rows, maxLabel: `nSamples=${x.rows}` });
    const maxIter = intOption(where, 'maxIter', o.maxIter, KMeans.defaults.maxIter, { min: 1 });
    const tol = numberOption(where, 'tol', o.tol, KMeans.defaults.tol, 0);
    const seed = seedOption(where, o.seed);
    const threads = threadsOption(where, o.threads);
    const warnings: string[] = [];
    const { init, nInit } = initOption(where, o.init, k, x.cols, intOption(where, 'nInit', o.nInit, KMeans.defaults.nInit, { min: 1 }), warnings);
    const w = workData(x.data, x.rows, x.cols, { threads });
    return fitKMeans(w, { k, nInit, maxIter, tol, init, seed, warnings });
  }
}

interface ResolvedKMeans {
  k: number;
  nInit: number;
  maxIter: number;
  tol: number;
  init: KMeansInit;
  seed: number;
  warnings: string[];
}

async function fitKMeans(w: WorkData, o: ResolvedKMeans): Promise<FittedKMeans> {
  const { k, d } = { k: o.k, d: w.d };
  const rng = new Rng(o.seed);
  const tolAbs = absoluteTolerance(w, o.tol);
  const runs: KMeansRunInfo[] = [];
  let best: Awaited<ReturnType<typeof lloyd>> | undefined;
  let bestRun = 0;
  for (let r = 0; r < o.nInit; r++) {
    let init: Float64Array;
    if (o.init === 'k-means++') init = (await kmeansPlusPlus(w, k, rng)).centers;
    else if (o.init === 'random') init = randomCenters(w, k, rng);
    else {
      init = Float64Array.from(o.init.data);
      for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) init[j * d + t]! -= w.mean[t]!;
    }
    const run = await lloyd(w, init, k, o.maxIter, tolAbs);
    runs.push({ inertia: run.inertia, nIter: run.nIter, converged: run.converged });
    if (!best || (run.inertia < best.inertia && !sameClustering(run.labels, best.labels, k))) {
      best = run;
      bestRun = r;
    }
  }
  const b = best!;
  const warnings = [...o.warnings];
  if (!b.converged) warnings.push(`the kept run did not converge in maxIter=${o.maxIter} iterations; raise maxIter or tol`);
  const distinct = new Set(b.labels).size;
  if (distinct < k) warnings.push(`number of distinct clusters (${distinct}) found smaller than nClusters (${k}); the data may have duplicate points`);
  return makeFitted(w, b.centers, b.labels, exactInertia(w, b.centers, b.labels), b.nIter, {
    runs,
    bestRun,
    emptyClustersRelocated: b.relocated,
    distinctClusters: distinct,
    warnings,
  }, w.x instanceof Float64Array);
}

/** Builds the fitted model from centred float64 centres (shared with MiniBatchKMeans). */
export function makeFitted<D>(w: Pick<WorkData, 'd' | 'mean' | 'runtime'>, centersCentred: Float64Array, labels: Int32Array, inertia: number, nIter: number, diagnostics: D, float64: boolean): FittedKMeans<D> {
  const { d, mean, runtime } = w;
  const k = centersCentred.length / d;
  const centers = float64 ? new Float64Array(k * d) : new Float32Array(k * d);
  for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) centers[j * d + t] = centersCentred[j * d + t]! + mean[t]!;
  const nearest = async (x: Matrix, where: string) => {
    checkMatrix(where, x, { cols: d, colsLabel: `the model was fitted on ${d}` });
    return assignCentering(x.data, x.rows, d, mean, centersCentred, k, runtime);
  };
  return {
    labels,
    clusterCenters: { data: centers, rows: k, cols: d },
    inertia,
    nIter,
    nFeatures: d,
    diagnostics,
    predict: async (x: Matrix) => (await nearest(x, 'predict')).labels,
    score: async (x: Matrix) => (await nearest(x, 'score')).inertia,
  };
}
