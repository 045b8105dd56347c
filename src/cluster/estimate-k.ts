/**
 * Estimating the number of clusters k: several criteria computed over a range of k on (a seeded
 * sample of) the data — ideally a learned embedding — each with its curve over k and its own
 * choice, and one criterion that decides. See docs/gmm.md for the measurements behind the default.
 */
import { DataError, ParamError, describeValue } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { adjustedRandScore, calinskiHarabaszScore, daviesBouldinScore, silhouetteScore } from '../metrics/index.ts';
import { Rng } from '../random.ts';
import { symmetricEigen } from './_internal/linalg.ts';
import { checkMatrix, choiceOption, intOption, seedOption, threadsOption } from './_internal/validate.ts';
import { type DipMerge, dipMerge } from './dip-merge.ts';
import { dipSplit } from './dip-split.ts';
import { GMM_INITS, type GmmInit, GaussianMixture, selectionRegCovar } from './gmm.ts';
import { condenseAndSelect, hdbscanTree } from './hdbscan.ts';
import { KMeans } from './kmeans.ts';

/**
 * Criteria {@link estimateK} can compute:
 * - `silhouette`: mean silhouette of the k-means labels (highest wins);
 * - `bic`: BIC of a Gaussian mixture (full covariance up to 16 dimensions, diagonal above; lowest wins);
 * - `gmm-silhouette`: mean silhouette of that mixture's labels (highest wins);
 * - `kmeans-bic`: X-means' score, the BIC of k-means as identical spherical Gaussians (lowest wins);
 * - `gap`: Tibshirani's gap statistic against uniform data in the principal-axes box (smallest k
 *   with gap(k) ≥ gap(k+1) − s(k+1));
 * - `stability`: mean ARI between k-means fits on random 80 % subsamples (highest wins; ties: largest k);
 * - `calinski-harabasz` (highest wins), `davies-bouldin` (lowest wins);
 * - `hdbscan`: the number of clusters HDBSCAN (density-based, any shape) finds, over a grid of
 *   minimum cluster sizes ({@link HDBSCAN_SIZE_FRACTIONS} of its own sample of up to
 *   {@link HDBSCAN_MAX_ROWS} rows); the value at k is the
 *   share of the grid that found k clusters (counts outside the range vote for its nearer end;
 *   highest wins, ties: smaller k). It fits no k-means.
 * - `dip`: split–merge by Hartigan's dip test (DipDECK's merge step): k-means at the top of the
 *   range, then the most unimodal pair of clusters (highest dip p-value of their rows projected on
 *   the line between their centres) is merged while that p-value is at least `dipSignificance`;
 *   the value at k is that highest pair p-value with k clusters (rule `dip`: the first k, from the
 *   top, whose value is below the significance).
 * - `dip-split`: the other direction (dip-means with a projected test): k-means at the bottom of
 *   the range, then the cluster whose 2-means halves, projected on the line between their
 *   centres, have the lowest dip p-value is split while that p-value × k (Bonferroni) is below
 *   `dipSignificance`; the value at k is that adjusted p-value with k clusters (rule `dip-split`:
 *   the first k, from the bottom, whose value is at or above the significance).
 */
export type KCriterion = 'silhouette' | 'gmm-silhouette' | 'bic' | 'kmeans-bic' | 'gap' | 'stability' | 'calinski-harabasz' | 'davies-bouldin' | 'hdbscan' | 'dip' | 'dip-split';
/** Every criterion, in the order the curves are reported. */
export const K_CRITERIA: readonly KCriterion[] = ['silhouette', 'gmm-silhouette', 'bic', 'kmeans-bic', 'gap', 'stability', 'calinski-harabasz', 'davies-bouldin', 'hdbscan', 'dip', 'dip-split'];
/** Rows the `hdbscan` criterion clusters by default: its own seeded sample of the data, larger than the k-means sample since density estimates need rows (its exact MST costs O(n²)). */
export const HDBSCAN_MAX_ROWS = 10000;
/** Minimum cluster sizes of the `hdbscan` criterion, as fractions of the sample's rows (at least 5 rows each). */
export const HDBSCAN_SIZE_FRACTIONS: readonly number[] = [0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05];
/** The criterion that decides by default (chosen by measurement, docs/gmm.md). */
export const DEFAULT_K_CRITERION: KCriterion = 'silhouette';
/** Fewest rows for which k is estimated. */
export const MIN_ROWS_FOR_AUTO_K = 20;

/** Options of {@link estimateK}. */
export interface EstimateKOptions {
  /** Smallest and largest k tried, within `[2, n − 1]`. @defaultValue `[2, min(30, n − 1)]` */
  readonly range?: readonly [number, number];
  /** Criteria to compute. @defaultValue the deciding criterion only */
  readonly criteria?: readonly KCriterion[];
  /** The criterion whose choice is returned as `k` (added to `criteria` when missing). @defaultValue {@link DEFAULT_K_CRITERION} */
  readonly select?: KCriterion;
  /**
   * Decides instead of `select` when `select`'s best k is the top of the range: a curve still
   * rising (or, for a minimised one, still falling) at the end has no optimum inside the range,
   * so its top is no estimate (COIL-20's silhouette on auto's code: 27–30 of 20). Computed too.
   * @defaultValue none: `select` always decides
   */
  readonly topFallback?: KCriterion;
  /**
   * With `topFallback`: it also decides when its best k is at least this many times `select`'s,
   * i.e. `select` found only coarse groups of nested clusters (silhouette favours the coarsest
   * well-separated level: Fashion-MNIST's tops, shoes, bags and trousers, 3 of 10 on auto's code,
   * where the gap statistic found 15). @defaultValue none: only the top of the range hands over
   */
  readonly finerRatio?: number;
  /** Rows used (a seeded random sample when the data have more). @defaultValue 5000 */
  readonly sampleSize?: number;
  /** Restarts per k of k-means and of the mixture (`bic`, `gmm-silhouette`); the best fit counts. @defaultValue 3 */
  readonly nInit?: number;
  /** How the mixture's restarts start (`bic`, `gmm-silhouette`; GaussianMixture's `init`). @defaultValue 'kmeans' */
  readonly gmmInit?: GmmInit;
  /** Reference data sets of the gap statistic. @defaultValue 5 */
  readonly gapReferences?: number;
  /** Subsample fits per k of the stability criterion. @defaultValue 3 */
  readonly stabilityRuns?: number;
  /** HDBSCAN's `minSamples` in the `hdbscan` criterion (capped at the sample's rows − 1). @defaultValue 10 */
  readonly hdbscanMinSamples?: number;
  /** Rows of the `hdbscan` criterion's own seeded sample (time grows as its square). @defaultValue {@link HDBSCAN_MAX_ROWS} */
  readonly hdbscanSampleSize?: number;
  /** `dip` criterion: a pair of clusters whose projection has a dip p-value at or above this is merged, in (0, 1). @defaultValue 0.1 */
  readonly dipSignificance?: number;
  /** `dip` criterion: each cluster of a pair contributes this fraction of its rows, those nearest the other's centre (1: whole clusters, as DipDECK). @defaultValue 0.5 */
  readonly dipPairFraction?: number;
  /** `dip` criterion: rows at which a pair's p-value is taken (`min(rows, dipTestRows)`; the dip from all rows), making k independent of the sample size. @defaultValue Infinity (all rows, as DipDECK) */
  readonly dipTestRows?: number;
  /** Seed of the sample, the k-means runs and the references. @defaultValue 0 */
  readonly seed?: number;
  /** onnxruntime threads. @defaultValue all cores */
  readonly threads?: number;
  /** Called after each k. */
  readonly onProgress?: (k: number, done: number, total: number) => void;
}

/** One criterion's curve over k. */
export interface KCurve {
  /** Value at each k of {@link KEstimate.ks} (null where undefined, e.g. a singular fit). */
  readonly values: (number | null)[];
  /** How the criterion picks: `max`, `min`, the gap statistic's rule, or the `dip` criterion's (first k from the top below `significance`). */
  readonly rule: 'max' | 'min' | 'gap' | 'dip' | 'dip-split';
  /** The k this criterion alone would choose. */
  readonly best: number;
  /** The gap statistic's standard errors s(k) (gap only). */
  readonly errors?: number[];
  /** `hdbscan` only: each minimum cluster size tried and the clusters (and noise rows) it found. */
  readonly runs?: HdbscanRun[];
  /** `hdbscan` only: the rows of its own sample. */
  readonly sampleSize?: number;
  /** `dip` only: the merge threshold on the p-value. */
  readonly significance?: number;
  /** `dip` only: the fraction of each cluster's rows a pair test used. */
  readonly pairFraction?: number;
  /** `dip` only: the rows at which p-values were taken, when capped. */
  readonly testRows?: number;
  /** `dip` only: each merge, from the top of the range down (clusters before it, the pair's p-value, dip, projected rows and sizes). */
  readonly merges?: DipMerge[];
}

/** One minimum cluster size of the `hdbscan` criterion and what HDBSCAN found with it. */
export interface HdbscanRun {
  /** Fewest rows a cluster could have. */
  readonly minClusterSize: number;
  /** Clusters selected. */
  readonly clusters: number;
  /** Rows left as noise. */
  readonly noise: number;
}

/** Result of {@link estimateK}. */
export interface KEstimate {
  /** The chosen k. */
  readonly k: number;
  /** The criterion that chose it. */
  readonly selectedBy: KCriterion;
  /** The k values tried. */
  readonly ks: number[];
  /** Each computed criterion's curve over `ks`. */
  readonly curves: Partial<Record<KCriterion, KCurve>>;
  /** Rows the criteria were computed on. */
  readonly sampleSize: number;
  /** Seconds the estimate took. */
  readonly seconds: number;
}

/**
 * Checks a k range against the data: both ends integers in `[2, n − 1]`, `min <= max`, and at
 * least {@link MIN_ROWS_FOR_AUTO_K} rows.
 * @throws ParamError naming the allowed range
 */
export function checkKRange(where: string, range: readonly [number, number] | undefined, n: number): [number, number] {
  if (n < MIN_ROWS_FOR_AUTO_K) throw new ParamError(`${where}: estimating k needs at least ${MIN_ROWS_FOR_AUTO_K} rows, the data have ${n}; give k explicitly`);
  const hi = n - 1;
  if (range === undefined) return [2, Math.min(30, hi)];
  const [a, b] = range;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 2 || b > hi || a > b)
    throw new ParamError(`${where}: the k range must be integers lo..hi with 2 <= lo <= hi <= n − 1 = ${hi}, got ${describeValue(range)}`);
  return [a, b];
}

/**
 * Estimates the number of clusters of the rows of `x` (best on a learned embedding, e.g. the
 * encoder's output or its UMAP): fits k-means for every k in the range on a seeded sample,
 * computes the asked criteria and returns the deciding criterion's choice with every curve.
 *
 * @example
 * ```ts
 * const est = await estimateK(embedding, { range: [2, 30], criteria: ['silhouette', 'bic', 'gap'], seed: 0 });
 * est.k; est.curves.silhouette?.values;
 * ```
 * @throws ParamError for a range outside `[2, n − 1]`, fewer than 20 rows or an unknown criterion
 * @throws DataError for non-finite data
 */
export async function estimateK(x: Matrix, options: EstimateKOptions = {}): Promise<KEstimate> {
  const where = 'estimateK';
  checkMatrix(where, x);
  const [lo, hi] = checkKRange(where, options.range, x.rows);
  const select = options.select ?? DEFAULT_K_CRITERION;
  const criteria = [...new Set([...(options.criteria ?? []), select, ...(options.topFallback ? [options.topFallback] : [])])];
  for (const c of criteria) if (!K_CRITERIA.includes(c)) throw new ParamError(`${where}: unknown criterion ${describeValue(c)}; choose from ${K_CRITERIA.join(', ')}`);
  if (options.finerRatio !== undefined && !(typeof options.finerRatio === 'number' && options.finerRatio > 1 && Number.isFinite(options.finerRatio)))
    throw new ParamError(`${where}: finerRatio must be a number > 1 (e.g. 2), got ${describeValue(options.finerRatio)}`);
  if (options.finerRatio !== undefined && !options.topFallback) throw new ParamError(`${where}: finerRatio needs topFallback (the criterion that decides when select's k is too coarse)`);
  const sampleSize = intOption(where, 'sampleSize', options.sampleSize, 5000, { min: MIN_ROWS_FOR_AUTO_K });
  const nInit = intOption(where, 'nInit', options.nInit, 3, { min: 1 });
  const gmmInit = choiceOption<GmmInit>(where, 'gmmInit', options.gmmInit, 'kmeans', GMM_INITS);
  const B = intOption(where, 'gapReferences', options.gapReferences, 5, { min: 1 });
  const R = intOption(where, 'stabilityRuns', options.stabilityRuns, 3, { min: 2 });
  const minSamples = intOption(where, 'hdbscanMinSamples', options.hdbscanMinSamples, 10, { min: 1 });
  const hdbscanRows = intOption(where, 'hdbscanSampleSize', options.hdbscanSampleSize, HDBSCAN_MAX_ROWS, { min: MIN_ROWS_FOR_AUTO_K });
  const dipSignificance = options.dipSignificance ?? 0.1;
  if (!(dipSignificance > 0 && dipSignificance < 1)) throw new ParamError(`${where}: option 'dipSignificance' must be a number in (0, 1), e.g. 0.1, got ${describeValue(options.dipSignificance)}`);
  const dipPairFraction = options.dipPairFraction ?? 0.5;
  if (!(dipPairFraction > 0 && dipPairFraction <= 1)) throw new ParamError(`${where}: option 'dipPairFraction' must be a number in (0, 1], e.g. 0.5, got ${describeValue(options.dipPairFraction)}`);
  const dipTestRows = options.dipTestRows ?? Infinity;
  if (!(dipTestRows >= 4)) throw new ParamError(`${where}: option 'dipTestRows' must be a number >= 4 (or Infinity), got ${describeValue(options.dipTestRows)}`);
  const seed = seedOption(where, options.seed);
  const threads = threadsOption(where, options.threads);
  const t0 = performance.now();
  const rng = new Rng(seed);
  const s = sample(x, sampleSize, rng.fork('sample'));
  const n = s.rows;
  const d = s.cols;
  const ks: number[] = [];
  for (let k = lo; k <= Math.min(hi, n - 1); k++) ks.push(k);
  const values: Partial<Record<KCriterion, (number | null)[]>> = {};
  for (const c of criteria) values[c] = [];
  const gapErr: number[] = [];
  const gmmRegCovar = criteria.includes('bic') || criteria.includes('gmm-silhouette') ? selectionRegCovar(s) : 0;
  const refs = criteria.includes('gap') ? referenceSets(s, B, rng.fork('gap')) : [];
  const want = (c: KCriterion) => criteria.includes(c);
  const needKMeans = criteria.some((c) => c !== 'hdbscan' && c !== 'dip' && c !== 'dip-split' && c !== 'bic' && c !== 'gmm-silhouette' && c !== 'stability');
  let hdbscanRuns: KCurve['runs'];
  let hdbscanN = 0;
  if (want('hdbscan')) {
    // its own sample: density estimates need more rows than k-means, and it fits only one tree
    const h = sample(x, hdbscanRows, rng.fork('hdbscan'));
    hdbscanN = h.rows;
    const tree = hdbscanTree(h, Math.min(minSamples, h.rows - 1));
    hdbscanRuns = HDBSCAN_SIZE_FRACTIONS.map((f) => {
      const minClusterSize = Math.min(h.rows, Math.max(5, Math.round(f * h.rows)));
      const r = condenseAndSelect(tree, minClusterSize);
      return { minClusterSize, clusters: r.nClusters, noise: r.noise };
    });
    values.hdbscan = ks.map((k) => hdbscanRuns!.filter((r) => Math.min(ks[ks.length - 1]!, Math.max(ks[0]!, r.clusters)) === k).length / hdbscanRuns!.length);
  }
  for (const [idx, k] of ks.entries()) {
    if (!criteria.some((c) => c !== 'hdbscan' && c !== 'dip' && c !== 'dip-split')) break;
    const km = needKMeans ? await new KMeans({ nClusters: k, nInit, seed: seed + k, threads }).fit(s) : { labels: new Int32Array(0), inertia: NaN };
    const distinct = new Set(km.labels).size;
    const ok = distinct >= 2;
    if (want('silhouette')) values.silhouette!.push(ok ? await silhouetteScore(s, km.labels, { threads }) : null);
    if (want('calinski-harabasz')) values['calinski-harabasz']!.push(ok ? calinskiHarabaszScore(s, km.labels) : null);
    if (want('davies-bouldin')) values['davies-bouldin']!.push(ok ? daviesBouldinScore(s, km.labels) : null);
    if (want('kmeans-bic')) values['kmeans-bic']!.push(kmeansBic(km.labels, km.inertia, n, d, k));
    if (want('bic') || want('gmm-silhouette')) {
      let bic: number | null = null;
      let sil: number | null = null;
      try {
        // the best of nInit starts, as for k-means (one poor start at the true k can make k + 1 look
        // better), with a covariance floor scaled to the data so that no start wins by a near-singular component
        const gm = await new GaussianMixture({ nComponents: k, covarianceType: d <= 16 ? 'full' : 'diag', nInit, init: gmmInit, seed: seed + k, threads, regCovar: gmmRegCovar }).fit(s);
        if (want('bic')) bic = await gm.bic(s);
        if (want('gmm-silhouette') && new Set(gm.labels).size >= 2) sil = await silhouetteScore(s, gm.labels, { threads });
      } catch (err) {
        if (!(err instanceof DataError)) throw err;
      }
      if (want('bic')) values.bic!.push(bic);
      if (want('gmm-silhouette')) values['gmm-silhouette']!.push(sil);
    }
    if (want('gap')) {
      const logs: number[] = [];
      for (const [b, ref] of refs.entries()) logs.push(Math.log((await new KMeans({ nClusters: k, nInit: 1, seed: seed + 1000 * b + k, threads }).fit(ref)).inertia));
      const mean = logs.reduce((a, v) => a + v, 0) / B;
      const sd = Math.sqrt(logs.reduce((a, v) => a + (v - mean) ** 2, 0) / B);
      values.gap!.push(mean - Math.log(km.inertia));
      gapErr.push(sd * Math.sqrt(1 + 1 / B));
    }
    if (want('stability')) values.stability!.push(await stability(s, k, R, seed + k, threads));
    options.onProgress?.(k, idx + 1, ks.length);
  }
  let dipCurve: KCurve | undefined;
  let splitBest = ks[0]!;
  if (want('dip')) {
    // one over-clustering at the top of the range, merged down to its bottom
    const r = await dipMerge(s, { start: ks[ks.length - 1]!, stop: ks[0]!, significance: dipSignificance, testRows: dipTestRows, pairFraction: dipPairFraction, nInit, seed, threads });
    dipCurve = { values: ks.map((k) => r.pValues.get(k) ?? null),  rule: 'dip', best: r.k, significance: dipSignificance, pairFraction: dipPairFraction, ...(Number.isFinite(dipTestRows) ? { testRows: dipTestRows } : {}), merges: r.merges };
  }
  if (want('dip-split')) {
    const r = await dipSplit(s, { start: ks[0]!, stop: ks[ks.length - 1]!, significance: dipSignificance, nInit, seed, threads });
    values['dip-split'] = ks.map((k) => r.pValues.get(k) ?? null);
    splitBest = r.k;
  }
  const curves: Partial<Record<KCriterion, KCurve>> = {};
  for (const c of criteria) {
    if (c === 'dip') {
      curves.dip = dipCurve!;
      continue;
    }
    if (c === 'dip-split') {
      curves['dip-split'] = { values: values['dip-split']!, rule: 'dip-split', best: splitBest, significance: dipSignificance };
      continue;
    }
    const v = values[c]!;
    const rule: KCurve['rule'] = c === 'gap' ? 'gap' : c === 'bic' || c === 'kmeans-bic' || c === 'davies-bouldin' ? 'min' : 'max';
    curves[c] = { values: v, rule, best: pick(ks, v, rule, gapErr, c === 'stability'), ...(c === 'gap' ? { errors: gapErr } : {}), ...(c === 'hdbscan' ? { runs: hdbscanRuns!, sampleSize: hdbscanN } : {}) };
  }
  const fallback = options.topFallback;
  const atTop = curves[select]!.best === ks.at(-1);
  const finer = options.finerRatio !== undefined && fallback !== undefined && curves[fallback]!.best >= options.finerRatio * curves[select]!.best;
  const decides = fallback && fallback !== select && ks.length > 1 && (atTop || finer) ? fallback : select;
  return { k: curves[decides]!.best, selectedBy: decides, ks, curves, sampleSize: n, seconds: (performance.now() - t0) / 1000 };
}

function pick(ks: number[], v: (number | null)[], rule: KCurve['rule'], errors: number[], tiesToLarger: boolean): number {
  if (rule === 'gap') {
    for (let i = 0; i + 1 < ks.length; i++) if (v[i] !== null && v[i + 1] !== null && v[i]! >= v[i + 1]! - errors[i + 1]!) return ks[i]!;
    return ks[ks.length - 1]!;
  }
  let best = -1;
  for (let i = 0; i < ks.length; i++) {
    const a = v[i];
    if (a === null || a === undefined || !Number.isFinite(a)) continue;
    if (best < 0) best = i;
    else {
      const b = v[best]!;
      const better = rule === 'max' ? a > b || (tiesToLarger && a === b) : a < b;
      if (better) best = i;
    }
  }
  return ks[Math.max(0, best)]!;
}

/** Up to `m` rows of `x` chosen at random (all rows, in order, when `m >= n`), as float64. */
function sample(x: Matrix, m: number, rng: Rng): Matrix {
  if (m >= x.rows) return { data: Float64Array.from(x.data), rows: x.rows, cols: x.cols };
  const idx = rng.permutation(x.rows).subarray(0, m).sort();
  const out = new Float64Array(m * x.cols);
  idx.forEach((r, i) => {
    for (let t = 0; t < x.cols; t++) out[i * x.cols + t] = x.data[r * x.cols + t]!;
  });
  return { data: out, rows: m, cols: x.cols };
}

/** X-means' BIC of a k-means solution as k identical spherical Gaussians (Pelleg & Moore 2000), as −2 log L + p log n. */
function kmeansBic(labels: Int32Array, inertia: number, n: number, d: number, k: number): number | null {
  if (n <= k) return null;
  const variance = inertia / ((n - k) * d);
  if (!(variance > 0)) return null;
  const sizes = new Float64Array(k);
  for (const l of labels) sizes[l]!++;
  let ll = 0;
  for (const nj of sizes) if (nj > 0) ll += nj * Math.log(nj) - nj * Math.log(n) - ((nj * d) / 2) * Math.log(2 * Math.PI * variance) - ((nj - 1) * d) / 2;
  const p = k - 1 + k * d + 1;
  return -2 * ll + p * Math.log(n);
}

/** Uniform reference sets in the box of the data's principal axes (Tibshirani et al.'s method b). */
function referenceSets(x: Matrix, B: number, rng: Rng): Matrix[] {
  const { rows: n, cols: d } = x;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t]! += x.data[i * d + t]! / n;
  // principal axes from the covariance's eigenvectors; for wide data (d > 64) the plain axis box
  const cov = new Float64Array(d * d);
  if (d <= 64)
    for (let i = 0; i < n; i++)
      for (let a = 0; a < d; a++) {
        const va = x.data[i * d + a]! - mean[a]!;
        for (let b = 0; b < d; b++) cov[a * d + b]! += va * (x.data[i * d + b]! - mean[b]!);
      }
  const V = d <= 64 ? eigenvectors(cov, d) : identity(d);
  const proj = new Float64Array(n * d);
  const lo = new Float64Array(d).fill(Infinity);
  const hi = new Float64Array(d).fill(-Infinity);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < d; c++) {
      let v = 0;
      for (let t = 0; t < d; t++) v += (x.data[i * d + t]! - mean[t]!) * V[t * d + c]!;
      proj[i * d + c] = v;
      if (v < lo[c]!) lo[c] = v;
      if (v > hi[c]!) hi[c] = v;
    }
  const out: Matrix[] = [];
  for (let b = 0; b < B; b++) {
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) data[i * d + c] = lo[c]! + rng.random() * (hi[c]! - lo[c]!);
    out.push({ data, rows: n, cols: d }); // inertia is rotation-invariant: no need to rotate back
  }
  return out;
}

function identity(d: number): Float64Array {
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  return v;
}

function eigenvectors(cov: Float64Array, d: number): Float64Array {
  return symmetricEigen(cov, d).vectors;
}

/** Mean pairwise ARI of k-means fitted on `R` random 80 % subsamples, each predicting every row. */
async function stability(x: Matrix, k: number, R: number, seed: number, threads: number | undefined): Promise<number> {
  const rng = new Rng(seed).fork('stability');
  const n = x.rows;
  const m = Math.max(k + 1, Math.floor(0.8 * n));
  const preds: Int32Array[] = [];
  for (let r = 0; r < R; r++) {
    const sub = sample(x, m, rng.fork(r));
    const km = await new KMeans({ nClusters: k, nInit: 1, seed: seed + 7919 * r, threads }).fit(sub);
    preds.push(await km.predict(x));
  }
  let s = 0;
  let c = 0;
  for (let a = 0; a < R; a++)
    for (let b = a + 1; b < R; b++) {
      s += adjustedRandScore(preds[a]!, preds[b]!);
      c++;
    }
  return s / c;
}
