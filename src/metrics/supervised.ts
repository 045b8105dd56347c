/**
 * External clustering metrics (ground truth vs predicted labels), equal to scikit-learn's
 * (`sklearn.metrics.cluster._supervised`): clustering accuracy with the Hungarian matching, NMI,
 * AMI, ARI, purity, contingency matrix. Every `*Score` is higher-is-better and symmetric in its
 * two labelings except accuracy and purity.
 *
 * Labels are any integers (negative ones too, e.g. -1 for noise); each distinct value is one
 * class or cluster. Inputs are `ArrayLike<number>` (arrays, Int32Array, Float64Array…).
 */
import { DataError, ParamError } from '../errors.ts';
import { encodeLabels } from '../cluster/shared.ts';
import { hungarianMaximize } from './hungarian.ts';

const EPS = 2 ** -52;

/** Two validated labelings as codes, with the label value of each code. */
interface Encoded {
  readonly t: Int32Array;
  readonly p: Int32Array;
  readonly classes: number[];
  readonly clusters: number[];
  readonly n: number;
}

function encodeBoth(where: string, truth: ArrayLike<number>, pred: ArrayLike<number>): Encoded {
  if (truth == null || pred == null || typeof truth.length !== 'number' || typeof pred.length !== 'number')
    throw new DataError(`${where}: labelsTrue and labelsPred must be arrays of integers`);
  if (truth.length !== pred.length)
    throw new DataError(`${where}: labelsTrue has ${truth.length} entries but labelsPred has ${pred.length}; both must label the same samples, in the same order`);
  if (truth.length === 0) throw new DataError(`${where}: the labelings are empty; give at least one sample`);
  const a = encodeLabels(where, truth, { name: 'labelsTrue' });
  const b = encodeLabels(where, pred, { name: 'labelsPred' });
  return { t: a.codes, p: b.codes, classes: a.values, clusters: b.values, n: truth.length };
}

/** Dense counts `[nClasses, nClusters]` of the encoded labelings (first-appearance order). */
function counts(e: Encoded): Float64Array {
  const nc = e.clusters.length;
  const c = new Float64Array(e.classes.length * nc);
  for (let i = 0; i < e.n; i++) c[e.t[i]! * nc + e.p[i]!]!++;
  return c;
}

function marginals(c: Float64Array, rows: number, cols: number): { a: Float64Array; b: Float64Array } {
  const a = new Float64Array(rows);
  const b = new Float64Array(cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const v = c[i * cols + j]!;
      a[i]! += v;
      b[j]! += v;
    }
  return { a, b };
}

/** A contingency matrix and the label values of its rows and columns. */
export interface Contingency {
  /** Row-major counts `[classes.length, clusters.length]`: samples of class i in cluster j. */
  readonly counts: Float64Array;
  /** Number of classes (rows). */
  readonly rows: number;
  /** Number of clusters (columns). */
  readonly cols: number;
  /** Sorted distinct true labels (row order). */
  readonly classes: Int32Array;
  /** Sorted distinct predicted labels (column order). */
  readonly clusters: Int32Array;
}

/**
 * Contingency (confusion) matrix of two labelings, rows and columns in sorted label order like
 * scikit-learn's `contingency_matrix`.
 * @param truth - `[nSamples]` integer ground-truth labels
 * @param pred - `[nSamples]` integer predicted labels
 * @throws DataError for different lengths, empty or non-integer labels
 */
export function contingencyMatrix(truth: ArrayLike<number>, pred: ArrayLike<number>): Contingency {
  const e = encodeBoth('contingencyMatrix', truth, pred);
  const classes = Int32Array.from(e.classes).sort();
  const clusters = Int32Array.from(e.clusters).sort();
  const rowOf = new Map(Array.from(classes, (v, i) => [v, i]));
  const colOf = new Map(Array.from(clusters, (v, i) => [v, i]));
  const tr = e.classes.map((v) => rowOf.get(v)!);
  const pc = e.clusters.map((v) => colOf.get(v)!);
  const c = new Float64Array(classes.length * clusters.length);
  for (let i = 0; i < e.n; i++) c[tr[e.t[i]!]! * clusters.length + pc[e.p[i]!]!]!++;
  return { counts: c, rows: classes.length, cols: clusters.length, classes, clusters };
}

/** Result of {@link clusterAccuracy}. */
export interface ClusterAccuracy {
  /** Fraction of samples whose cluster is matched to their class, in [0, 1]. */
  readonly accuracy: number;
  /** Number of correctly matched samples. */
  readonly correct: number;
  /**
   * For each predicted label, the true label it is matched to, or -1 for clusters left without a
   * class (when there are more clusters than classes).
   */
  readonly mapping: Map<number, number>;
}

/**
 * Unsupervised clustering accuracy (ACC): the best one-to-one matching of clusters to classes
 * (Hungarian algorithm on the contingency counts), as in DEC/IDEC's `cluster_acc`. Works when the
 * numbers of clusters and classes differ; unmatched samples count as errors.
 * @param truth - `[nSamples]` integer ground-truth labels
 * @param pred - `[nSamples]` integer cluster labels
 * @returns accuracy, count and the cluster → class mapping
 * @throws DataError for different lengths, empty or non-integer labels
 */
export function clusterAccuracy(truth: ArrayLike<number>, pred: ArrayLike<number>): ClusterAccuracy {
  const e = encodeBoth('clusterAccuracy', truth, pred);
  const nt = e.classes.length;
  const np = e.clusters.length;
  // weights [clusters, classes]
  const w = new Float64Array(np * nt);
  for (let i = 0; i < e.n; i++) w[e.p[i]! * nt + e.t[i]!]!++;
  const assign = hungarianMaximize(w, np, nt);
  let correct = 0;
  const mapping = new Map<number, number>();
  for (let r = 0; r < np; r++) {
    const col = assign[r]!;
    mapping.set(e.clusters[r]!, col >= 0 ? e.classes[col]! : -1);
    if (col >= 0) correct += w[r * nt + col]!;
  }
  return { accuracy: correct / e.n, correct, mapping };
}

/**
 * {@link clusterAccuracy} as a plain number in [0, 1].
 * @throws DataError for different lengths, empty or non-integer labels
 */
export function accuracyScore(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  return clusterAccuracy(truth, pred).accuracy;
}

function entropyOf(sizes: Float64Array): number {
  let nz = 0;
  let total = 0;
  for (const v of sizes)
    if (v > 0) {
      nz++;
      total += v;
    }
  if (nz <= 1) return 0;
  const lt = Math.log(total);
  let h = 0;
  for (const v of sizes) if (v > 0) h -= (v / total) * (Math.log(v) - lt);
  return h;
}

/**
 * Entropy (nats) of a labeling, as scikit-learn's `entropy`.
 * @throws DataError for non-integer labels
 */
export function labelEntropy(labels: ArrayLike<number>): number {
  const { codes, values } = encodeLabels('labelEntropy', labels);
  if (codes.length === 0) return 1; // scikit-learn's convention for empty input
  const sizes = new Float64Array(values.length);
  for (const c of codes) sizes[c]!++;
  return entropyOf(sizes);
}

function mutualInfo(c: Float64Array, rows: number, cols: number, n: number): number {
  if (rows === 1 || cols === 1) return 0;
  const { a, b } = marginals(c, rows, cols);
  const logN = Math.log(n);
  let mi = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const v = c[i * cols + j]!;
      if (v === 0) continue;
      const nm = v / n;
      const term = nm * (Math.log(v) - logN) + nm * (-Math.log(a[i]! * b[j]!) + logN + logN);
      if (Math.abs(term) >= EPS) mi += term; // scikit-learn zeroes terms below machine epsilon
    }
  return Math.max(mi, 0);
}

/**
 * Mutual information (nats) between two labelings, as scikit-learn's `mutual_info_score`.
 * @throws DataError for different lengths, empty or non-integer labels
 */
export function mutualInfoScore(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  const e = encodeBoth('mutualInfoScore', truth, pred);
  return mutualInfo(counts(e), e.classes.length, e.clusters.length, e.n);
}

/** How NMI and AMI normalise the mutual information by the two entropies. */
export type NmiAverage = 'arithmetic' | 'geometric' | 'min' | 'max';

/** Options of {@link normalizedMutualInfoScore} and {@link adjustedMutualInfoScore}. */
export interface MutualInfoOptions {
  /** Mean of the two entropies used as normaliser. @defaultValue 'arithmetic' (scikit-learn >= 0.22) */
  readonly average?: NmiAverage;
}

function checkAverage(where: string, options: MutualInfoOptions | undefined): NmiAverage {
  const avg = options?.average ?? 'arithmetic';
  if (!['arithmetic', 'geometric', 'min', 'max'].includes(avg))
    throw new ParamError(`${where}: option 'average' must be one of 'arithmetic', 'geometric', 'min', 'max', got ${JSON.stringify(avg)}`);
  return avg;
}

function generalizedAverage(u: number, v: number, avg: NmiAverage): number {
  switch (avg) {
    case 'min':
      return Math.min(u, v);
    case 'geometric':
      return Math.sqrt(u * v);
    case 'max':
      return Math.max(u, v);
    default:
      return (u + v) / 2;
  }
}

/**
 * Normalized mutual information: MI divided by a mean of the two entropies, in [0, 1]
 * (scikit-learn's `normalized_mutual_info_score`). Two constant labelings score 1; a constant
 * labeling against a split one scores 0.
 * @param options - `average`: 'arithmetic' (default), 'geometric', 'min' or 'max'
 * @throws DataError for different lengths, empty or non-integer labels; ParamError for a bad `average`
 */
export function normalizedMutualInfoScore(truth: ArrayLike<number>, pred: ArrayLike<number>, options?: MutualInfoOptions): number {
  const avg = checkAverage('normalizedMutualInfoScore', options);
  const e = encodeBoth('normalizedMutualInfoScore', truth, pred);
  const rows = e.classes.length;
  const cols = e.clusters.length;
  if (rows === 1 && cols === 1) return 1;
  const c = counts(e);
  const mi = mutualInfo(c, rows, cols, e.n);
  if (mi === 0) return 0;
  const { a, b } = marginals(c, rows, cols);
  return mi / generalizedAverage(entropyOf(a), entropyOf(b), avg);
}

/**
 * Adjusted mutual information: MI corrected for chance with its expected value under random
 * labelings of the same sizes (scikit-learn's `adjusted_mutual_info_score`); 1 for identical
 * labelings, about 0 for independent ones, may be negative.
 * @param options - `average`: 'arithmetic' (default), 'geometric', 'min' or 'max'
 * @throws DataError for different lengths, empty or non-integer labels; ParamError for a bad `average`
 */
export function adjustedMutualInfoScore(truth: ArrayLike<number>, pred: ArrayLike<number>, options?: MutualInfoOptions): number {
  const avg = checkAverage('adjustedMutualInfoScore', options);
  const e = encodeBoth('adjustedMutualInfoScore', truth, pred);
  const rows = e.classes.length;
  const cols = e.clusters.length;
  if (rows === 1 && cols === 1) return 1;
  const c = counts(e);
  const mi = mutualInfo(c, rows, cols, e.n);
  const { a, b } = marginals(c, rows, cols);
  const emi = expectedMutualInfo(a, b, e.n);
  const normalizer = generalizedAverage(entropyOf(a), entropyOf(b), avg);
  let den = normalizer - emi;
  den = den < 0 ? Math.min(den, -EPS) : Math.max(den, EPS);
  return (mi - emi) / den;
}

/** log(m!) for m = 0..n (Stirling series above 20; exact sums below). */
function logFactorials(n: number): Float64Array {
  const lf = new Float64Array(n + 1);
  for (let m = 2; m <= Math.min(n, 20); m++) lf[m] = lf[m - 1]! + Math.log(m);
  const HALF_LOG_2PI = 0.9189385332046728;
  for (let m = 21; m <= n; m++) {
    const z = m + 1; // lgamma(z) = log((z-1)!)
    const z2 = z * z;
    const series = (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - (1 / 1188) / z2) / z2) / z2) / z2) / z;
    lf[m] = (z - 0.5) * Math.log(z) - z + HALF_LOG_2PI + series;
  }
  return lf;
}

/** Expected mutual information of two labelings with class sizes `a` and cluster sizes `b` (Vinh et al. 2009). */
function expectedMutualInfo(a: Float64Array, b: Float64Array, n: number): number {
  if (a.length === 1 || b.length === 1) return 0;
  const lf = logFactorials(n);
  const logN = Math.log(n);
  let emi = 0;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    for (let j = 0; j < b.length; j++) {
      const bj = b[j]!;
      const base = lf[ai]! + lf[bj]! + lf[n - ai]! + lf[n - bj]! - lf[n]!;
      const lab = Math.log(ai) + Math.log(bj);
      const end = Math.min(ai, bj);
      for (let nij = Math.max(1, ai + bj - n); nij <= end; nij++) {
        const term2 = logN + Math.log(nij) - lab;
        const gln = base - lf[nij]! - lf[ai - nij]! - lf[bj - nij]! - lf[n - ai - bj + nij]!;
        emi += (nij / n) * term2 * Math.exp(gln);
      }
    }
  }
  return emi;
}

/**
 * Adjusted Rand index: pair-counting agreement corrected for chance (scikit-learn's
 * `adjusted_rand_score`), 1 for identical partitions, about 0 for random ones, >= -0.5.
 * Pair counts are exact (BigInt) so large data sets lose no precision.
 * @throws DataError for different lengths, empty or non-integer labels
 */
export function adjustedRandScore(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  const e = encodeBoth('adjustedRandScore', truth, pred);
  const rows = e.classes.length;
  const cols = e.clusters.length;
  const c = counts(e);
  const { a, b } = marginals(c, rows, cols);
  let sumSq = 0n;
  for (const v of c) if (v > 0) sumSq += BigInt(v) * BigInt(v);
  let sa = 0n;
  for (const v of a) sa += BigInt(v) * BigInt(v);
  let sb = 0n;
  for (const v of b) sb += BigInt(v) * BigInt(v);
  const n = BigInt(e.n);
  // pair confusion matrix, as scikit-learn's pair_confusion_matrix
  const tp = sumSq - n;
  const fp = sb - sumSq;
  const fn = sa - sumSq;
  const tn = n * n - fp - fn - sumSq;
  if (fn === 0n && fp === 0n) return 1;
  const num = 2n * (tp * tn - fn * fp);
  const den = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
  return bigRatio(num, den);
}

/** num / den for big integers, correctly rounded to about 1 ulp. */
function bigRatio(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  const neg = num < 0n !== den < 0n;
  const p = num < 0n ? -num : num;
  const q = den < 0n ? -den : den;
  // scale so the integer quotient has ~64 significant bits, then divide exactly by a power of 2
  const shift = Math.max(0, 64 - (p.toString(2).length - q.toString(2).length));
  const quotient = Number((p << BigInt(shift)) / q) / 2 ** shift;
  return neg ? -quotient : quotient;
}

/**
 * Purity: each cluster votes for its most frequent class; the fraction of samples that agree with
 * their cluster's vote, in (0, 1]. Not symmetric; 1 for all-singleton clusters.
 * @throws DataError for different lengths, empty or non-integer labels
 */
export function purityScore(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  const e = encodeBoth('purityScore', truth, pred);
  const rows = e.classes.length;
  const cols = e.clusters.length;
  const c = counts(e);
  let s = 0;
  for (let j = 0; j < cols; j++) {
    let m = 0;
    for (let i = 0; i < rows; i++) m = Math.max(m, c[i * cols + j]!);
    s += m;
  }
  return s / e.n;
}
