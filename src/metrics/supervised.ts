/**
 * External clustering metrics (ground truth vs prediction), equal to scikit-learn's:
 * accuracy with the Hungarian matching, NMI, ARI, purity, contingency matrix.
 * Higher is better for every `*Score`.
 */
import { DataError } from '../errors.ts';
import { hungarianMaximize } from './hungarian.ts';

/** Validates two labelings and maps each to 0..c-1. */
export function checkLabelings(truth: ArrayLike<number>, pred: ArrayLike<number>): { t: Int32Array; p: Int32Array; nt: number; np: number } {
  if (truth.length !== pred.length) throw new DataError(`labels have different lengths: ${truth.length} true vs ${pred.length} predicted; they must label the same samples`);
  if (truth.length === 0) throw new DataError('labels are empty');
  const t = relabel(truth, 'true');
  const p = relabel(pred, 'predicted');
  return { t: t.codes, p: p.codes, nt: t.count, np: p.count };
}

function relabel(labels: ArrayLike<number>, which: string): { codes: Int32Array; count: number } {
  const map = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (!Number.isInteger(v)) throw new DataError(`${which} label at position ${i} is ${v}; labels must be integers`);
    let c = map.get(v);
    if (c === undefined) map.set(v, (c = map.size));
    codes[i] = c;
  }
  return { codes, count: map.size };
}

/** Contingency matrix `[nClasses, nClusters]` (row-major counts) of two labelings. */
export function contingencyMatrix(truth: ArrayLike<number>, pred: ArrayLike<number>): { counts: Float64Array; rows: number; cols: number } {
  const { t, p, nt, np } = checkLabelings(truth, pred);
  const counts = new Float64Array(nt * np);
  for (let i = 0; i < t.length; i++) counts[t[i]! * np + p[i]!]!++;
  return { counts, rows: nt, cols: np };
}

/** Result of {@link clusterAccuracy}. */
export interface ClusterAccuracy {
  /** Fraction of samples whose cluster maps to their class. */
  readonly accuracy: number;
  /** For each predicted label value, the class it maps to (or -1 when more clusters than classes). */
  readonly mapping: Map<number, number>;
}

/**
 * Unsupervised clustering accuracy: the best one-to-one mapping of clusters to classes
 * (Hungarian algorithm), works when the numbers of clusters and classes differ.
 */
export function clusterAccuracy(truth: ArrayLike<number>, pred: ArrayLike<number>): ClusterAccuracy {
  checkLabelings(truth, pred);
  const classes = [...new Set(Array.from(truth))];
  const clusters = [...new Set(Array.from(pred))];
  const ci = new Map(classes.map((c, i) => [c, i]));
  const ki = new Map(clusters.map((c, i) => [c, i]));
  const w = Array.from({ length: clusters.length }, () => new Array<number>(classes.length).fill(0));
  for (let i = 0; i < truth.length; i++) w[ki.get(pred[i]!)!]![ci.get(truth[i]!)!]!++;
  const assign = hungarianMaximize(w);
  let hit = 0;
  const mapping = new Map<number, number>();
  clusters.forEach((c, r) => {
    const col = assign[r]!;
    mapping.set(c, col >= 0 ? classes[col]! : -1);
    if (col >= 0) hit += w[r]![col]!;
  });
  return { accuracy: hit / truth.length, mapping };
}

function entropy(counts: ArrayLike<number>, n: number): number {
  let h = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0) h -= (c / n) * Math.log(c / n);
  }
  return h;
}

/** Mutual information (nats) of two labelings. */
export function mutualInfoScore(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  const { counts, rows, cols } = contingencyMatrix(truth, pred);
  const n = truth.length;
  const a = new Float64Array(rows);
  const b = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    a[i]! += counts[i * cols + j]!;
    b[j]! += counts[i * cols + j]!;
  }
  let mi = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const c = counts[i * cols + j]!;
      if (c > 0) mi += (c / n) * (Math.log(c) + Math.log(n) - Math.log(a[i]!) - Math.log(b[j]!));
    }
  return Math.max(mi, 0);
}

/** How NMI normalises MI by the two entropies. */
export type NmiAverage = 'arithmetic' | 'geometric' | 'min' | 'max';

/** Normalized mutual information (default arithmetic mean of entropies, as scikit-learn >= 0.22). */
export function normalizedMutualInfoScore(truth: ArrayLike<number>, pred: ArrayLike<number>, options: { average?: NmiAverage } = {}): number {
  const { counts, rows, cols } = contingencyMatrix(truth, pred);
  // Both labelings constant: no split at all, a perfect match by convention (as scikit-learn).
  if (rows === 1 && cols === 1) return 1;
  const mi = mutualInfoScore(truth, pred);
  if (mi === 0) return 0;
  const n = truth.length;
  const a = new Float64Array(rows);
  const b = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    a[i]! += counts[i * cols + j]!;
    b[j]! += counts[i * cols + j]!;
  }
  const hu = entropy(a, n);
  const hv = entropy(b, n);
  const avg = options.average ?? 'arithmetic';
  const norm = avg === 'arithmetic' ? (hu + hv) / 2 : avg === 'geometric' ? Math.sqrt(hu * hv) : avg === 'min' ? Math.min(hu, hv) : Math.max(hu, hv);
  return mi / Math.max(norm, Number.EPSILON);
}

/** Adjusted Rand index (pair-counting, chance-corrected; 1 = identical partitions). */
export function adjustedRandScore(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  const { counts, rows, cols } = contingencyMatrix(truth, pred);
  const n = truth.length;
  const a = new Float64Array(rows);
  const b = new Float64Array(cols);
  let sumSq = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const c = counts[i * cols + j]!;
      a[i]! += c;
      b[j]! += c;
      sumSq += c * c;
    }
  let sa = 0;
  let sb = 0;
  for (const v of a) sa += v * v;
  for (const v of b) sb += v * v;
  // pair confusion matrix, as scikit-learn's pair_confusion_matrix
  const tp = sumSq - n;
  const fp = sb - sumSq;
  const fn = sa - sumSq;
  const tn = n * n - fp - fn - sumSq;
  if (fn === 0 && fp === 0) return 1;
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

/** Purity: each cluster votes for its majority class. */
export function purityScore(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  const { counts, rows, cols } = contingencyMatrix(truth, pred);
  let s = 0;
  for (let j = 0; j < cols; j++) {
    let m = 0;
    for (let i = 0; i < rows; i++) m = Math.max(m, counts[i * cols + j]!);
    s += m;
  }
  return s / truth.length;
}
