/**
 * Mini-batch k-means (Sculley 2010) as scikit-learn's `MiniBatchKMeans`: centres move towards
 * each batch with per-centre learning rates, low-count centres are re-seeded at random, and the
 * run stops early when a smoothed batch inertia stops improving. For data sets of 10⁶ rows and
 * more, where full Lloyd passes get expensive.
 */
import { ParamError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../random.ts';
import { type FittedKMeans, type KMeansInit, makeFitted } from './kmeans.ts';
import { assignNearest, type FloatArray, type KernelRuntime } from './_internal/kernels.ts';
import { assignAll, assignCentering, kmeansPlusPlus, randomCenters, type WorkData } from './_internal/lloyd.ts';
import { checkMatrix, columnMeans, initOption, meanFeatureVariance, intOption, numberOption, rowNorms, seedOption, threadsOption } from './_internal/validate.ts';

/** Options of {@link MiniBatchKMeans}. */
export interface MiniBatchKMeansOptions {
  /** Number of clusters k, an integer in `[1, nSamples]`. */
  readonly nClusters: number;
  /** Rows per mini-batch. @defaultValue 1024 */
  readonly batchSize?: number;
  /** Maximum passes over the data (the run takes at most `maxIter · nSamples / batchSize` steps). @defaultValue 100 */
  readonly maxIter?: number;
  /** Initialisations, each on its own random subset of `initSize` rows; the best on a validation batch is kept. @defaultValue 3 */
  readonly nInit?: number;
  /** Rows drawn for each initialisation. @defaultValue 3 × batchSize (at most nSamples) */
  readonly initSize?: number;
  /** `'k-means++'`, `'random'` or a `[k, nFeatures]` Matrix. @defaultValue 'k-means++' */
  readonly init?: KMeansInit;
  /** Stop when the squared centre change of a step is `<= tol ×` mean feature variance; 0 disables. @defaultValue 0 */
  readonly tol?: number;
  /** Stop after this many steps without improvement of the smoothed batch inertia. @defaultValue 10 */
  readonly maxNoImprovement?: number;
  /** Centres whose count is below this fraction of the largest count are re-seeded. @defaultValue 0.01 */
  readonly reassignmentRatio?: number;
  /** Seed of every random choice. @defaultValue 0 */
  readonly seed?: number;
  /** onnxruntime threads of the distance kernels. @defaultValue all cores */
  readonly threads?: number;
}

/** Diagnostics of a mini-batch fit. */
export interface MiniBatchDiagnostics {
  /** Mini-batch steps taken. */
  readonly nSteps: number;
  /** Centres re-seeded at random over the run. */
  readonly reassigned: number;
  /** Why the run stopped. */
  readonly stoppedBy: 'maxIter' | 'tol' | 'noImprovement';
  /** Human-readable notes. */
  readonly warnings: readonly string[];
}

/**
 * Mini-batch k-means, as scikit-learn's `MiniBatchKMeans` (same defaults: batches of 1024,
 * 3 inits on 3 × batchSize rows, early stopping after 10 steps without improvement).
 * `nIter` of the result counts passes over the data (`ceil(steps · batchSize / nSamples)`);
 * `labels` and `inertia` come from a final full assignment.
 * @example
 * ```ts
 * const m = await new MiniBatchKMeans({ nClusters: 10, seed: 0 }).fit(x);
 * ```
 */
export class MiniBatchKMeans {
  /** Default option values. */
  static readonly defaults = {
    /** Rows per mini-batch. */
    batchSize: 1024,
    /** Most passes over the data. */
    maxIter: 100,
    /** Initialisations; the best on a validation batch is kept. */
    nInit: 3,
    /** Centre-change tolerance (0: off). */
    tol: 0,
    /** Steps without inertia improvement before stopping. */
    maxNoImprovement: 10,
    /** Fraction of the largest count below which a centre is reassigned. */
    reassignmentRatio: 0.01,
    /** Seed. */
    seed: 0,
  } as const;

  /** Stores the options; they are checked by {@link MiniBatchKMeans.fit}. */
  constructor(
    /** The options, as given. */
    readonly options: Readonly<MiniBatchKMeansOptions>,
  ) {}

  /**
   * Clusters the rows of `x` (`[nSamples, nFeatures]`).
   * @throws ParamError for invalid options; DataError for empty data or NaN/Inf values
   */
  async fit(x: Matrix): Promise<FittedKMeans<MiniBatchDiagnostics>> {
    const where = 'MiniBatchKMeans';
    const o = (this.options ?? {}) as MiniBatchKMeansOptions;
    const D = MiniBatchKMeans.defaults;
    checkMatrix(where, x);
    const n = x.rows;
    const d = x.cols;
    const k = intOption(where, 'nClusters', o.nClusters, undefined, { min: 1, max: n, maxLabel: `nSamples=${n}` });
    const batchSize = intOption(where, 'batchSize', o.batchSize, D.batchSize, { min: 1 });
    const maxIter = intOption(where, 'maxIter', o.maxIter, D.maxIter, { min: 1 });
    let initSize = intOption(where, 'initSize', o.initSize, Math.max(3 * batchSize, k), { min: 1 });
    if (initSize < k) throw new ParamError(`${where}: option 'initSize' must be >= nClusters=${k}, got ${initSize}`);
    initSize = Math.min(initSize, n);
    const tol = numberOption(where, 'tol', o.tol, D.tol, 0);
    const maxNoImprovement = o.maxNoImprovement === undefined ? D.maxNoImprovement : intOption(where, 'maxNoImprovement', o.maxNoImprovement, undefined, { min: 1 });
    const reassignmentRatio = numberOption(where, 'reassignmentRatio', o.reassignmentRatio, D.reassignmentRatio, 0);
    const seed = seedOption(where, o.seed);
    const threads = threadsOption(where, o.threads);
    const warnings: string[] = [];
    const { init, nInit } = initOption(where, o.init, k, d, intOption(where, 'nInit', o.nInit, D.nInit, { min: 1 }), warnings);
    // No centred copy of the whole data (it may be large): batches and subsets are centred as drawn.
    const runtime = { threads };
    const mean = columnMeans(x.data, n, d);
    const w = { d, mean, runtime };
    const rng = new Rng(seed);
    const bs = Math.min(batchSize, n);

    // --- initialisation: best of nInit inits on random subsets, scored on one validation batch
    const valid = subsetRows(x.data, d, mean, runtime, randomIndices(rng, n, bs));
    let centers: Float64Array | undefined;
    let bestInertia = Infinity;
    for (let r = 0; r < nInit; r++) {
      let c: Float64Array;
      if (typeof init !== 'string') {
        c = Float64Array.from(init.data);
        for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) c[j * d + t]! -= w.mean[t]!;
      } else {
        const sub = subsetRows(x.data, d, mean, runtime, randomIndices(rng, n, initSize));
        c = init === 'k-means++' ? (await kmeansPlusPlus(sub, k, rng)).centers : randomCenters(sub, k, rng);
      }
      const inertia = (await assignAll(valid, c, k, false)).inertia;
      if (inertia < bestInertia) {
        bestInertia = inertia;
        centers = c;
      }
    }

    // --- mini-batch steps
    const c = centers!;
    const counts = new Float64Array(k);
    const tolAbs = tol === 0 ? 0 : meanFeatureVariance(x.data, n, d, mean) * tol;
    const nSteps = Math.floor((maxIter * n) / bs);
    let ewa: number | undefined;
    let ewaMin: number | undefined;
    let noImprovement = 0;
    let sinceReassign = 0;
    let reassigned = 0;
    let stoppedBy: MiniBatchDiagnostics['stoppedBy'] = 'maxIter';
    let step = 0;
    const batchRows = x.data instanceof Float64Array ? new Float64Array(bs * d) : new Float32Array(bs * d);
    const batchNorms = new Float64Array(bs);
    const idx = new Int32Array(bs);
    for (; step < nSteps; step++) {
      for (let b = 0; b < bs; b++) {
        const i = rng.int(n);
        idx[b] = i;
        let norm = 0;
        for (let t = 0; t < d; t++) {
          const v = x.data[i * d + t]! - mean[t]!;
          batchRows[b * d + t] = v;
          norm += batchRows[b * d + t]! ** 2;
        }
        batchNorms[b] = norm;
      }
      sinceReassign += bs;
      let randomReassign = false;
      if (counts.some((v) => v === 0) || sinceReassign >= 10 * k) {
        sinceReassign = 0;
        randomReassign = true;
      }
      const { inertia: batchInertia, shift, nReassigned } = await miniBatchStep(batchRows, batchNorms, bs, d, c, counts, k, rng, randomReassign ? reassignmentRatio : 0, runtime);
      reassigned += nReassigned;
      // convergence, as scikit-learn's _mini_batch_convergence
      if (step === 0) continue;
      const bi = batchInertia / bs;
      if (ewa === undefined) ewa = bi;
      else {
        const alpha = Math.min((bs * 2) / (n + 1), 1);
        ewa = ewa * (1 - alpha) + bi * alpha;
      }
      if (tolAbs > 0 && shift <= tolAbs) {
        stoppedBy = 'tol';
        step++;
        break;
      }
      if (ewaMin === undefined || ewa < ewaMin) {
        noImprovement = 0;
        ewaMin = ewa;
      } else noImprovement++;
      if (noImprovement >= maxNoImprovement) {
        stoppedBy = 'noImprovement';
        step++;
        break;
      }
    }
    const final = await assignCentering(x.data, n, d, mean, c, k, runtime);
    const nIter = Math.ceil((Math.max(step, 1) * bs) / n);
    return makeFitted(w, c, final.labels, final.inertia, nIter, { nSteps: step, reassigned, stoppedBy, warnings } satisfies MiniBatchDiagnostics, x.data instanceof Float64Array);
  }
}

/** `m` row indices drawn uniformly with replacement (numpy's `randint(0, n, m)`). */
function randomIndices(rng: Rng, n: number, m: number): Int32Array {
  const idx = new Int32Array(m);
  for (let i = 0; i < m; i++) idx[i] = rng.int(n);
  return idx;
}

/** Working data of some rows of `data`, centred with the mean of the whole data. */
function subsetRows(data: FloatArray, d: number, mean: Float64Array, runtime: KernelRuntime, idx: Int32Array): WorkData {
  const x = data instanceof Float64Array ? new Float64Array(idx.length * d) : new Float32Array(idx.length * d);
  idx.forEach((i, r) => {
    for (let t = 0; t < d; t++) x[r * d + t] = data[i * d + t]! - mean[t]!;
  });
  return { x, n: idx.length, d, mean, norms: rowNorms(x, idx.length, d), runtime };
}

/**
 * One step (scikit-learn's `_mini_batch_step`): assign the batch, move each centre to the
 * count-weighted mean of its old position and its new points, then re-seed centres whose count
 * is below `ratio` × the largest count with random batch points.
 */
async function miniBatchStep(
  rows: FloatArray,
  norms: Float64Array,
  m: number,
  d: number,
  centers: Float64Array,
  counts: Float64Array,
  k: number,
  rng: Rng,
  ratio: number,
  runtime: KernelRuntime,
): Promise<{ inertia: number; shift: number; nReassigned: number }> {
  const cT = rows instanceof Float64Array ? Float64Array.from(centers) : Float32Array.from(centers);
  const cnF = rowNorms(cT, k, d);
  const cn = rows instanceof Float64Array ? cnF : Float32Array.from(cnF);
  const a = await assignNearest(rows, m, d, cT, cn, k, { ...runtime, sums: true });
  let inertia = 0;
  for (let i = 0; i < m; i++) {
    const v = norms[i]! + a.minPartial[i]!;
    inertia += v > 0 ? v : 0;
  }
  const batchCounts = new Float64Array(k);
  for (let i = 0; i < m; i++) batchCounts[a.labels[i]!]!++;
  let shift = 0;
  for (let j = 0; j < k; j++) {
    const bc = batchCounts[j]!;
    if (bc === 0) continue;
    const old = counts[j]!;
    const inv = 1 / (old + bc);
    for (let t = 0; t < d; t++) {
      const prev = centers[j * d + t]!;
      const v = (prev * old + a.sums![j * d + t]!) * inv;
      shift += (v - prev) ** 2;
      centers[j * d + t] = v;
    }
    counts[j] = old + bc;
  }
  let nReassigned = 0;
  if (ratio > 0) {
    let max = 0;
    for (let j = 0; j < k; j++) max = Math.max(max, counts[j]!);
    const toReassign: number[] = [];
    for (let j = 0; j < k; j++) if (counts[j]! < ratio * max) toReassign.push(j);
    if (toReassign.length > 0.5 * m) {
      // keep the centres with the largest counts: only the smallest floor(m/2) may move
      const order = Array.from({ length: k }, (_, j) => j).sort((p, q) => counts[p]! - counts[q]! || p - q);
      const keep = new Set(order.slice(Math.floor(0.5 * m)));
      for (let i = toReassign.length - 1; i >= 0; i--) if (keep.has(toReassign[i]!)) toReassign.splice(i, 1);
    }
    nReassigned = toReassign.length;
    if (nReassigned) {
      const picks = rng.permutation(m).subarray(0, nReassigned);
      toReassign.forEach((j, r) => {
        for (let t = 0; t < d; t++) centers[j * d + t] = rows[picks[r]! * d + t]!;
      });
      let minKept = Infinity;
      const moved = new Set(toReassign);
      for (let j = 0; j < k; j++) if (!moved.has(j)) minKept = Math.min(minKept, counts[j]!);
      for (const j of toReassign) counts[j] = Number.isFinite(minKept) ? minKept : 0;
    }
  }
  return { inertia, shift, nReassigned };
}
