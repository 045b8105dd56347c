/**
 * Internal clustering metrics (features + predicted labels), equal to scikit-learn's
 * (`sklearn.metrics.cluster._unsupervised`): silhouette (exact and chunked, or on a seeded
 * sample), Calinski–Harabasz, Davies–Bouldin.
 *
 * The silhouette needs all n² distances; they are computed as GEMMs by onnxruntime in
 * `blockSize × blockSize` tiles (each off-diagonal tile serves both of its blocks, so half of
 * them), in float64 by default, reduced per cluster by one-hot GEMMs and summed in float64: 70,000
 * points take seconds, in O(n · k + blockSize²) memory, and match scikit-learn to ~1e-12.
 */
import { DataError, ParamError, describeValue } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../random.ts';
import { type FloatArray, silhouetteChunkSorted, silhouetteTile, silhouetteTiles } from '../cluster/shared.ts';
import { checkMatrix, choiceOption, columnMeans, encodeLabels, intOption, rowNorms, seedOption, threadsOption } from '../cluster/shared.ts';

/** Clusters up to which the silhouette kernel sums per cluster with a one-hot GEMM. */
const ONE_HOT_MAX_CLUSTERS = 32;

/** Validates features + labels and encodes the labels; 2 <= k <= n-1 as scikit-learn requires. */
function checkInternal(where: string, x: Matrix, labels: ArrayLike<number>): { codes: Int32Array; k: number } {
  checkMatrix(where, x);
  const { codes, values } = encodeLabels(where, labels, { length: x.rows, lengthLabel: `x has ${x.rows} rows` });
  const k = values.length;
  if (k < 2 || k > x.rows - 1)
    throw new DataError(`${where}: the labels form ${k} cluster${k === 1 ? '' : 's'} for ${x.rows} samples; the score needs between 2 and nSamples - 1 = ${x.rows - 1} clusters`);
  return { codes, k };
}

/** Options of {@link silhouetteScore} and {@link silhouetteSamples}. */
export interface SilhouetteOptions {
  /**
   * Score a random sample of this many rows (without replacement, chosen with `seed`) instead of
   * all of them, as scikit-learn's `sample_size`. An integer in `[2, nSamples]`. @defaultValue all rows
   */
  readonly sampleSize?: number;
  /** Seed of the sample. @defaultValue 0 */
  readonly seed?: number;
  /**
   * Arithmetic of the distance kernel. `'float64'` matches scikit-learn to ~1e-12; `'float32'` is
   * about twice as fast and within ~1e-7 (block sums are still added in float64).
   * @defaultValue 'float64'
   */
  readonly precision?: 'float64' | 'float32';
  /** onnxruntime threads. @defaultValue all cores */
  readonly threads?: number;
  /**
   * Points per block: distances are computed `blockSize × blockSize` tiles at a time (with many
   * clusters: `blockSize` rows against all points). @defaultValue 512 (tiles that stay in cache)
   */
  readonly blockSize?: number;
}

/**
 * Silhouette coefficient of every sample: `(b − a) / max(a, b)` with `a` the mean distance to the
 * other members of its cluster and `b` the smallest mean distance to another cluster; 0 for
 * samples alone in their cluster (scikit-learn's `silhouette_samples`, Euclidean).
 * @param x - features `[nSamples, nFeatures]`
 * @param labels - `[nSamples]` integer cluster labels, 2 to nSamples − 1 distinct values
 * @returns `[nSamples]` (or `[sampleSize]`) values in [-1, 1]
 * @throws DataError for NaN/Inf, label-length mismatch, non-integer labels or a bad number of clusters
 * @throws ParamError for invalid options
 */
export async function silhouetteSamples(x: Matrix, labels: ArrayLike<number>, options: SilhouetteOptions = {}): Promise<Float64Array> {
  return (await silhouetteImpl('silhouetteSamples', x, labels, options)).values;
}

/**
 * Mean silhouette coefficient over all samples (or over a seeded sample of `sampleSize` rows),
 * in [-1, 1], higher is better; equal to scikit-learn's `silhouette_score` (Euclidean).
 * @param x - features `[nSamples, nFeatures]`
 * @param labels - `[nSamples]` integer cluster labels, 2 to nSamples − 1 distinct values
 * @throws DataError for NaN/Inf, label-length mismatch, non-integer labels or a bad number of clusters
 * @throws ParamError for invalid options
 * @example
 * ```ts
 * const s = await silhouetteScore(x, labels);                          // exact
 * const s2 = await silhouetteScore(x, labels, { sampleSize: 10000, seed: 0 });
 * ```
 */
export async function silhouetteScore(x: Matrix, labels: ArrayLike<number>, options: SilhouetteOptions = {}): Promise<number> {
  const { values } = await silhouetteImpl('silhouetteScore', x, labels, options);
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

async function silhouetteImpl(where: string, x: Matrix, labels: ArrayLike<number>, options: SilhouetteOptions): Promise<{ values: Float64Array }> {
  if (options === null || typeof options !== 'object') throw new ParamError(`${where}: options must be an object, got ${describeValue(options)}`);
  checkMatrix(where, x);
  const precision = choiceOption(where, 'precision', options.precision, 'float64', ['float64', 'float32'] as const);
  const threads = threadsOption(where, options.threads);
  let xs = x;
  let ls: ArrayLike<number> = labels;
  if (options.sampleSize !== undefined) {
    const m = intOption(where, 'sampleSize', options.sampleSize, undefined, { min: 2, max: x.rows, maxLabel: `nSamples=${x.rows}` });
    const seed = seedOption(where, options.seed);
    if (labels == null || labels.length !== x.rows) encodeLabels(where, labels, { length: x.rows, lengthLabel: `x has ${x.rows} rows` });
    const idx = new Rng(seed).permutation(x.rows).subarray(0, m);
    const d = x.cols;
    const data = x.data instanceof Float64Array ? new Float64Array(m * d) : new Float32Array(m * d);
    const l = new Float64Array(m);
    idx.forEach((r, i) => {
      data.set(x.data.subarray(r * d, (r + 1) * d), i * d);
      l[i] = labels[r]!;
    });
    xs = { data, rows: m, cols: d };
    ls = l;
  }
  const { codes, k } = checkInternal(where, xs, ls);
  const block = intOption(where, 'blockSize', options.blockSize, 512, { min: 1 });
  return { values: await silhouetteValues(xs, codes, k, precision, block, threads) };
}

/** Exact silhouette values of validated data (codes 0..k-1, 2 <= k <= n-1). */
async function silhouetteValues(x: Matrix, codes: Int32Array, k: number, precision: 'float64' | 'float32', blockSize: number, threads: number | undefined): Promise<Float64Array> {
  const n = x.rows;
  const d = x.cols;
  const mean = columnMeans(x.data, n, d);
  const xc: FloatArray = precision === 'float64' ? new Float64Array(n * d) : new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) xc[i * d + t] = x.data[i * d + t]! - mean[t]!;
  const norms = rowNorms(xc, n, d);
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) sizes[codes[i]!]!++;
  const d2 = d + 2;
  const Ctor = precision === 'float64' ? Float64Array : Float32Array;
  const runtime = { threads };
  const out = new Float64Array(n);
  const sums = new Float64Array(k);

  // per-sample value from its distance sums to every cluster (own cluster includes itself: removed)
  const finish = (i: number) => {
    const own = codes[i]!;
    if (sizes[own]! <= 1) return 0; // scikit-learn: 0 for singleton clusters
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own) b = Math.min(b, sums[c]! / sizes[c]!);
    const den = Math.max(a, b);
    return den > 0 ? (b - a) / den : 0; // scikit-learn's nan_to_num of 0/0
  };

  const rowsAug = (s: number, e: number) => {
    const a = new Ctor((e - s) * d2);
    for (let i = s; i < e; i++) {
      const o = (i - s) * d2;
      for (let t = 0; t < d; t++) a[o + t] = -2 * xc[i * d + t]!;
      a[o + d] = norms[i]!;
      a[o + d + 1] = 1;
    }
    return a;
  };

  if (k <= ONE_HOT_MAX_CLUSTERS) {
    // symmetric tiles: off-diagonal tiles serve both blocks, so half the distances are computed
    const tiles = silhouetteTiles(xc, n, d, norms, codes, k, blockSize);
    const { nb, block: B } = tiles;
    const all = new Float64Array(n * k);
    for (let I = 0; I < nb; I++)
      for (let J = I; J < nb; J++) {
        const r = await silhouetteTile(tiles, I, J, runtime);
        const rowsI = Math.min(B, n - I * B);
        for (let i = 0; i < rowsI; i++) {
          const o = (I * B + i) * k;
          for (let c = 0; c < k; c++) all[o + c]! += r.rowSums[i * k + c]!;
        }
        if (r.self) for (let i = 0; i < rowsI; i++) all[(I * B + i) * k + codes[I * B + i]!]! -= r.self[i]!;
        if (r.colSums) {
          const rowsJ = Math.min(B, n - J * B);
          for (let j = 0; j < rowsJ; j++) {
            const o = (J * B + j) * k;
            for (let c = 0; c < k; c++) all[o + c]! += r.colSums[c * B + j]!;
          }
        }
      }
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) sums[c] = all[i * k + c]!;
      out[i] = finish(i);
    }
    return out;
  }

  // many clusters: columns sorted by cluster, running sums read at each cluster's end
  const chunk = Math.max(1, Math.min(blockSize, Math.floor((1 << 23) / n)));
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((p, q) => codes[p]! - codes[q]! || p - q);
  const pos = new Int32Array(n);
  const bSorted = new Ctor(n * d2);
  order.forEach((i, p) => {
    pos[i] = p;
    for (let t = 0; t < d; t++) bSorted[p * d2 + t] = xc[i * d + t]!;
    bSorted[p * d2 + d] = 1;
    bSorted[p * d2 + d + 1] = norms[i]!;
  });
  const ends = new BigInt64Array(k);
  let acc = 0;
  for (let c = 0; c < k; c++) {
    acc += sizes[c]!;
    ends[c] = BigInt(acc - 1);
  }
  for (let s = 0; s < n; s += chunk) {
    const e = Math.min(n, s + chunk);
    const m = e - s;
    const r = await silhouetteChunkSorted(rowsAug(s, e), m, bSorted, n, d2, ends, pos.subarray(s, e), runtime);
    for (let i = 0; i < m; i++) {
      let prev = 0;
      for (let c = 0; c < k; c++) {
        const v = r.cumulative[i * k + c]!;
        sums[c] = v - prev;
        prev = v;
      }
      sums[codes[s + i]!]! -= r.self[i]!;
      out[s + i] = finish(s + i);
    }
  }
  return out;
}

/** Cluster sizes, centroids and the overall mean, in float64. */
function centroids(x: Matrix, codes: Int32Array, k: number): { c: Float64Array; sizes: Float64Array; mean: Float64Array } {
  const d = x.cols;
  const c = new Float64Array(k * d);
  const sizes = new Float64Array(k);
  for (let i = 0; i < x.rows; i++) {
    const o = codes[i]! * d;
    sizes[codes[i]!]!++;
    for (let t = 0; t < d; t++) c[o + t]! += x.data[i * d + t]!;
  }
  for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) c[j * d + t]! /= sizes[j]!;
  return { c, sizes, mean: columnMeans(x.data, x.rows, d) };
}

/**
 * Calinski–Harabasz score (variance ratio criterion): between-cluster over within-cluster
 * dispersion, each divided by its degrees of freedom; higher is better; 1 when every cluster is a
 * single repeated point (scikit-learn's convention). Computed in float64.
 * @param x - features `[nSamples, nFeatures]`
 * @param labels - `[nSamples]` integer cluster labels, 2 to nSamples − 1 distinct values
 * @throws DataError for NaN/Inf, label-length mismatch, non-integer labels or a bad number of clusters
 */
export function calinskiHarabaszScore(x: Matrix, labels: ArrayLike<number>): number {
  const { codes, k } = checkInternal('calinskiHarabaszScore', x, labels);
  const { c, sizes, mean } = centroids(x, codes, k);
  const d = x.cols;
  let extra = 0;
  let intra = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += (c[j * d + t]! - mean[t]!) ** 2;
    extra += sizes[j]! * s;
  }
  for (let i = 0; i < x.rows; i++) {
    const o = codes[i]! * d;
    for (let t = 0; t < d; t++) intra += (x.data[i * d + t]! - c[o + t]!) ** 2;
  }
  return intra === 0 ? 1 : (extra * (x.rows - k)) / (intra * (k - 1));
}

/**
 * Davies–Bouldin score: the mean over clusters of the worst ratio (s_i + s_j) / d(c_i, c_j) of
 * within-cluster scatter to centroid distance; LOWER is better, 0 is the minimum. Pairs of
 * coincident centroids are skipped and all-zero scatter gives 0, as in scikit-learn. Float64.
 * @param x - features `[nSamples, nFeatures]`
 * @param labels - `[nSamples]` integer cluster labels, 2 to nSamples − 1 distinct values
 * @throws DataError for NaN/Inf, label-length mismatch, non-integer labels or a bad number of clusters
 */
export function daviesBouldinScore(x: Matrix, labels: ArrayLike<number>): number {
  const { codes, k } = checkInternal('daviesBouldinScore', x, labels);
  const { c, sizes } = centroids(x, codes, k);
  const d = x.cols;
  const s = new Float64Array(k);
  for (let i = 0; i < x.rows; i++) {
    const o = codes[i]! * d;
    let v = 0;
    for (let t = 0; t < d; t++) v += (x.data[i * d + t]! - c[o + t]!) ** 2;
    s[codes[i]!]! += Math.sqrt(v);
  }
  for (let j = 0; j < k; j++) s[j]! /= sizes[j]!;
  const dist = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = i + 1; j < k; j++) {
      let v = 0;
      for (let t = 0; t < d; t++) v += (c[i * d + t]! - c[j * d + t]!) ** 2;
      dist[i * k + j] = dist[j * k + i] = Math.sqrt(v);
    }
  // scikit-learn: np.allclose(x, 0) on the scatters or on the centroid distances → 0
  if (s.every((v) => Math.abs(v) <= 1e-8) || dist.every((v) => Math.abs(v) <= 1e-8)) return 0;
  let total = 0;
  for (let i = 0; i < k; i++) {
    let worst = 0;
    for (let j = 0; j < k; j++) {
      const dij = dist[i * k + j]!;
      if (j === i || dij === 0) continue; // distance 0 → ratio 0 (scikit-learn sets it to inf)
      worst = Math.max(worst, (s[i]! + s[j]!) / dij);
    }
    total += worst;
  }
  return total / k;
}
