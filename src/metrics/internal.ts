/**
 * Internal clustering metrics (features + predicted labels), equal to scikit-learn's:
 * silhouette (exact, chunked, optional seeded sample), Calinski–Harabasz, Davies–Bouldin.
 */
import { DataError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../random.ts';

function check(x: Matrix, labels: ArrayLike<number>, fn: string): { codes: Int32Array; k: number } {
  if (labels.length !== x.rows) throw new DataError(`${fn}: ${labels.length} labels for ${x.rows} samples; they must match`);
  const map = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (!Number.isInteger(v)) throw new DataError(`${fn}: label at position ${i} is ${v}; labels must be integers`);
    let c = map.get(v);
    if (c === undefined) map.set(v, (c = map.size));
    codes[i] = c;
  }
  const k = map.size;
  if (k < 2 || k > x.rows - 1) throw new DataError(`${fn}: needs 2 <= number of clusters <= n_samples - 1, got ${k} clusters for ${x.rows} samples`);
  return { codes, k };
}

/**
 * Mean silhouette coefficient with Euclidean distances. Exact over all points unless
 * `sampleSize` is given (then a seeded sample without replacement, as scikit-learn's).
 * Memory is O(n·k): distances are computed row by row, never as an n×n matrix.
 */
export function silhouetteScore(x: Matrix, labels: ArrayLike<number>, options: { sampleSize?: number; seed?: number } = {}): number {
  let xs = x;
  let ls: ArrayLike<number> = labels;
  if (options.sampleSize !== undefined && options.sampleSize < x.rows) {
    const idx = new Rng(options.seed ?? 0).permutation(x.rows).subarray(0, options.sampleSize);
    const data = new Float64Array(idx.length * x.cols);
    const l = new Int32Array(idx.length);
    idx.forEach((r, i) => {
      data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols);
      l[i] = labels[r]!;
    });
    xs = { data, rows: idx.length, cols: x.cols };
    ls = l;
  }
  const { codes, k } = check(xs, ls, 'silhouetteScore');
  const n = xs.rows;
  const d = xs.cols;
  const xd = xs.data;
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) sizes[codes[i]!]!++;
  const sums = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    const oi = i * d;
    for (let j = 0; j < n; j++) {
      const oj = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = xd[oi + t]! - xd[oj + t]!;
        s += v * v;
      }
      sums[codes[j]!]! += Math.sqrt(s);
    }
    const own = codes[i]!;
    if (sizes[own]! <= 1) continue; // singleton clusters score 0
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own) b = Math.min(b, sums[c]! / sizes[c]!);
    total += (b - a) / Math.max(a, b);
  }
  return total / n;
}

function centroids(x: Matrix, codes: Int32Array, k: number): { c: Float64Array; sizes: Float64Array; mean: Float64Array } {
  const d = x.cols;
  const c = new Float64Array(k * d);
  const sizes = new Float64Array(k);
  const mean = new Float64Array(d);
  for (let i = 0; i < x.rows; i++) {
    sizes[codes[i]!]!++;
    for (let t = 0; t < d; t++) {
      c[codes[i]! * d + t]! += x.data[i * d + t]!;
      mean[t]! += x.data[i * d + t]!;
    }
  }
  for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) c[j * d + t]! /= sizes[j]!;
  for (let t = 0; t < d; t++) mean[t]! /= x.rows;
  return { c, sizes, mean };
}

/** Calinski–Harabasz score: between- over within-cluster dispersion, scaled by degrees of freedom. */
export function calinskiHarabaszScore(x: Matrix, labels: ArrayLike<number>): number {
  const { codes, k } = check(x, labels, 'calinskiHarabaszScore');
  const { c, sizes, mean } = centroids(x, codes, k);
  const d = x.cols;
  let extra = 0;
  let intra = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += (c[j * d + t]! - mean[t]!) ** 2;
    extra += sizes[j]! * s;
  }
  for (let i = 0; i < x.rows; i++) for (let t = 0; t < d; t++) intra += (x.data[i * d + t]! - c[codes[i]! * d + t]!) ** 2;
  return intra === 0 ? 1 : (extra * (x.rows - k)) / (intra * (k - 1));
}

/** Davies–Bouldin score (lower is better): mean over clusters of the worst similarity ratio. */
export function daviesBouldinScore(x: Matrix, labels: ArrayLike<number>): number {
  const { codes, k } = check(x, labels, 'daviesBouldinScore');
  const { c, sizes } = centroids(x, codes, k);
  const d = x.cols;
  const s = new Float64Array(k);
  for (let i = 0; i < x.rows; i++) {
    let v = 0;
    for (let t = 0; t < d; t++) v += (x.data[i * d + t]! - c[codes[i]! * d + t]!) ** 2;
    s[codes[i]!]! += Math.sqrt(v);
  }
  for (let j = 0; j < k; j++) s[j]! /= sizes[j]!;
  let total = 0;
  let allZero = true;
  for (let i = 0; i < k; i++) {
    let worst = 0;
    for (let j = 0; j < k; j++) {
      if (i === j) continue;
      let v = 0;
      for (let t = 0; t < d; t++) v += (c[i * d + t]! - c[j * d + t]!) ** 2;
      const dist = Math.sqrt(v);
      if (dist !== 0) allZero = false;
      worst = Math.max(worst, dist === 0 ? Infinity : (s[i]! + s[j]!) / dist);
    }
    total += worst;
  }
  if (allZero) return 0;
  return total / k;
}
