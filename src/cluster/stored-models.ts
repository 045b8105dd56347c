/**
 * Fitted models kept as plain arrays, for a saved deep clustering model to predict new rows
 * without refitting: a Gaussian mixture's soft assignments from its stored parameters, and
 * UMAP's out-of-sample transform from the stored training inputs and their coordinates (as
 * umap-learn's `transform` initialises new points, without its further optimisation).
 */
import type { Matrix } from '../matrix.ts';
import type { CovarianceType, FittedGaussianMixture } from './gmm.ts';
import { memberships, smoothKnnDist } from './umap/fuzzy-graph.ts';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * A Gaussian mixture as three arrays (any covariance type, written as full Cholesky factors of
 * the precisions P_j): log N(x | j) + log w_j = logNorm_j − ½ ‖x P_j − μ_j P_j‖².
 */
export interface StoredGaussianMixture {
  /** Components k. */
  readonly k: number;
  /** Width d of the rows. */
  readonly d: number;
  /** `[d, k·d]`: column j·d + b holds column b of P_j. */
  readonly precFlat: Float32Array;
  /** `[k·d]`: μ_j P_j. */
  readonly meanProj: Float32Array;
  /** `[k]`: log w_j + log det P_j − ½ d log 2π. */
  readonly logNorm: Float32Array;
}

/** The full `[k, d, d]` Cholesky factors of the precisions of any covariance type. */
function fullPrecisionsCholesky(type: CovarianceType, pc: Float64Array, k: number, d: number): Float64Array {
  if (type === 'full') return pc;
  const out = new Float64Array(k * d * d);
  for (let j = 0; j < k; j++)
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        let v = 0;
        if (type === 'tied') v = pc[a * d + b]!;
        else if (a === b) v = type === 'diag' ? pc[j * d + a]! : pc[j]!;
        out[j * d * d + a * d + b] = v;
      }
  return out;
}

/** Stores a fitted mixture's parameters as float32 arrays (the precision a saved model keeps). */
export function storeGaussianMixture(gm: FittedGaussianMixture): StoredGaussianMixture {
  const k = gm.nComponents;
  const d = gm.nFeatures;
  const P = fullPrecisionsCholesky(gm.covarianceType, gm.precisionsCholesky, k, d);
  const precFlat = new Float32Array(d * k * d);
  const meanProj = new Float32Array(k * d);
  const logNorm = new Float32Array(k);
  for (let j = 0; j < k; j++) {
    let logDet = 0;
    for (let a = 0; a < d; a++) logDet += Math.log(P[j * d * d + a * d + a]!);
    logNorm[j] = Math.log(gm.weights[j]!) + logDet - 0.5 * d * LOG_2PI;
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let a = 0; a < d; a++) {
        const p = P[j * d * d + a * d + b]!;
        precFlat[a * k * d + j * d + b] = p;
        s += gm.means.data[j * d + a]! * p;
      }
      meanProj[j * d + b] = s;
    }
  }
  return { k, d, precFlat, meanProj, logNorm };
}

/**
 * Posterior probabilities `[rows, k]` (float64) of the stored mixture for the rows of `x`:
 * a row's result depends on that row alone, so any subset of rows gets the same values.
 */
export function storedMixtureProba(gm: StoredGaussianMixture, x: Matrix): Matrix {
  const { k, d, precFlat, meanProj, logNorm } = gm;
  const n = x.rows;
  const out = new Float64Array(n * k);
  const logp = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    let max = -Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let b = 0; b < d; b++) {
        let y = -meanProj[j * d + b]!;
        for (let a = 0; a < d; a++) y += x.data[xi + a]! * precFlat[a * k * d + j * d + b]!;
        s += y * y;
      }
      logp[j] = logNorm[j]! - 0.5 * s;
      if (logp[j]! > max) max = logp[j]!;
    }
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(logp[j]! - max);
    for (let j = 0; j < k; j++) out[i * k + j] = Math.exp(logp[j]! - max) / sum;
  }
  return { data: out, rows: n, cols: k };
}

/** Arg-max of each row (the first of equal maxima). */
export function rowArgMax(q: Matrix): Int32Array {
  const out = new Int32Array(q.rows);
  const k = q.cols;
  for (let i = 0; i < q.rows; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (q.data[i * k + j]! > q.data[i * k + best]!) best = j;
    out[i] = best;
  }
  return out;
}

/** A UMAP kept as its training inputs and their coordinates. */
export interface StoredUmap {
  /** Training inputs `[m, d]` the UMAP was fitted on (or a sample of them). */
  readonly inputs: Matrix;
  /** Their UMAP coordinates `[m, c]`. */
  readonly coords: Matrix;
  /** Neighbours per new row. */
  readonly nNeighbors: number;
}


/**
 * Out-of-sample UMAP coordinates `[rows, c]` (float64) of the rows of `x`, as umap-learn's
 * `transform` initialises them: the `nNeighbors` nearest stored inputs (Euclidean), membership
 * weights exp(−(dᵢ − ρ)/σ) from the smooth-kNN distances (ρ the nearest distance, σ solving
 * Σ weights = log2(nNeighbors)), and the weighted mean of the neighbours' coordinates. A row
 * equal to a stored input gets that input's coordinates (the first such input), so the training
 * rows keep their fitted coordinates.
 */
export function storedUmapTransform(u: StoredUmap, x: Matrix): Matrix {
  const { inputs, coords } = u;
  const m = inputs.rows;
  const d = inputs.cols;
  const c = coords.cols;
  const kn = Math.min(u.nNeighbors, m);
  const out = new Float64Array(x.rows * c);
  const dist = new Float64Array(m);
  const idx = new Int32Array(kn);
  const nd = new Float64Array(kn);
  for (let i = 0; i < x.rows; i++) {
    for (let p = 0; p < m; p++) {
      let s = 0;
      for (let a = 0; a < d; a++) {
        const t = x.data[i * d + a]! - inputs.data[p * d + a]!;
        s += t * t;
      }
      dist[p] = s;
    }
    nearest(dist, kn, idx, nd);
    if (nd[0] === 0) {
      for (let t = 0; t < c; t++) out[i * c + t] = coords.data[idx[0]! * c + t]!;
      continue;
    }
    for (let q = 0; q < kn; q++) nd[q] = Math.sqrt(nd[q]!);
    const w = membership(nd, idx);
    let sw = 0;
    for (let q = 0; q < kn; q++) sw += w[q]!;
    for (let q = 0; q < kn; q++) for (let t = 0; t < c; t++) out[i * c + t] += (w[q]! / sw) * coords.data[idx[q]! * c + t]!;
  }
  return { data: out, rows: x.rows, cols: c };
}

/** The `kn` smallest of `dist` in increasing order (ties: lower index first) into idx/nd. */
function nearest(dist: Float64Array, kn: number, idx: Int32Array, nd: Float64Array): void {
  let filled = 0;
  for (let p = 0; p < dist.length; p++) {
    const v = dist[p]!;
    if (filled === kn && v >= nd[kn - 1]!) continue;
    let q = filled < kn ? filled++ : kn - 1;
    while (q > 0 && nd[q - 1]! > v) {
      nd[q] = nd[q - 1]!;
      idx[q] = idx[q - 1]!;
      q--;
    }
    nd[q] = v;
    idx[q] = p;
  }
}

/** umap-learn's smooth_knn_dist and membership strengths (local connectivity 1) for sorted distances `ds` (ds[0] > 0) of the neighbours `idx`. */
function membership(ds: Float64Array, idx: Int32Array): Float64Array {
  const nn = { indices: idx, distances: ds, k: ds.length };
  return memberships(nn, smoothKnnDist(nn, 1), false);
}

/** A row's values as a string key, with −0 read as 0 (equal keys ⇔ equal rows, for finite values). */
function rowKey(v: Float32Array): string {
  const copy = Float32Array.from(v, (t) => (t === 0 ? 0 : t));
  return Buffer.from(copy.buffer).toString('latin1');
}

/**
 * The stored UMAP's transform of float32 rows, equal to {@link storedUmapTransform} (which gives
 * a row equal to a stored input the coordinates of the first such input) but without its
 * nearest-neighbour search for rows equal to a stored input (found by a hash of their values):
 * the training rows cost O(d) each instead of O(stored rows × d). Other data types go through
 * storedUmapTransform itself.
 */
export function umapTransform(u: StoredUmap, x: Matrix): Matrix {
  if (!(x.data instanceof Float32Array)) return storedUmapTransform(u, x);
  const d = u.inputs.cols;
  const c = u.coords.cols;
  const first = new Map<string, number>();
  for (let p = 0; p < u.inputs.rows; p++) {
    const key = rowKey(u.inputs.data.subarray(p * d, (p + 1) * d) as Float32Array);
    if (!first.has(key)) first.set(key, p);
  }
  const out = new Float64Array(x.rows * c);
  const rest: number[] = [];
  const row = new Float32Array(d);
  for (let i = 0; i < x.rows; i++) {
    for (let a = 0; a < d; a++) row[a] = x.data[i * d + a]!;
    const p = first.get(rowKey(row));
    if (p === undefined) rest.push(i);
    else for (let t = 0; t < c; t++) out[i * c + t] = u.coords.data[p * c + t]!;
  }
  if (rest.length) {
    const sub = new Float32Array(rest.length * d);
    rest.forEach((r, j) => {
      for (let a = 0; a < d; a++) sub[j * d + a] = x.data[r * d + a]!;
    });
    const y = storedUmapTransform(u, { data: sub, rows: rest.length, cols: d });
    rest.forEach((r, j) => out.set(y.data.subarray(j * c, (j + 1) * c) as Float64Array, r * c));
  }
  return { data: out, rows: x.rows, cols: c };
}
