/**
 * k-means internals shared by KMeans and MiniBatchKMeans: centred working data, chunked
 * nearest-centre assignment, greedy k-means++ and random initialisation, and the Lloyd iteration
 * (as scikit-learn's `_kmeans_single_lloyd`). Inputs are already validated.
 */
import type { Rng } from '../../random.ts';
import { type FloatArray, type KernelRuntime, assignNearest, product } from './kernels.ts';
import { centered, columnMeans, rowNorms } from './validate.ts';

/** Centred working copy of the data (scikit-learn subtracts the mean for accurate distances). */
export interface WorkData {
  /** Centred rows, `[n, d]`, in the input's dtype. */
  readonly x: FloatArray;
  readonly n: number;
  readonly d: number;
  /** Column means that were subtracted (float64). */
  readonly mean: Float64Array;
  /** Squared norms of the centred rows (float64). */
  readonly norms: Float64Array;
  readonly runtime: KernelRuntime;
}

/** Centres the data and computes the row norms. */
export function workData(data: FloatArray, n: number, d: number, runtime: KernelRuntime): WorkData {
  const mean = columnMeans(data, n, d);
  const x = centered(data, n, d, mean);
  return { x, n, d, mean, norms: rowNorms(x, n, d), runtime };
}

/** Rows per kernel call: about 2 M values (cache-friendlier GEMMs), at least 256 rows. */
export function chunkRows(d: number): number {
  return Math.max(256, Math.floor((1 << 21) / d));
}

/** Converts float64 centres to the working dtype and computes their norms from the rounded values. */
function kernelCenters(centers: Float64Array, k: number, d: number, like: FloatArray): { c: FloatArray; cn: FloatArray } {
  const c = like instanceof Float64Array ? Float64Array.from(centers) : Float32Array.from(centers);
  const norms = rowNorms(c, k, d);
  const cn = like instanceof Float64Array ? norms : Float32Array.from(norms);
  return { c, cn };
}

/** Result of {@link assignAll}. */
export interface FullAssignment {
  readonly labels: Int32Array;
  /** Squared distance of each row to its centre (float64, >= 0). */
  readonly dist: Float64Array;
  /** Sum of `dist`. */
  readonly inertia: number;
  /** Per-centre sums of the rows (float64 `[k, d]`), when asked. */
  readonly sums?: Float64Array;
}

/** Nearest centre of every row of `w` (in chunks), with distances and optionally per-centre sums. */
export async function assignAll(w: WorkData, centers: Float64Array, k: number, withSums: boolean): Promise<FullAssignment> {
  return assignRows(w.x, w.norms, w.n, w.d, centers, k, withSums, w.runtime);
}

/** {@link assignAll} on any rows `x` (`[n, d]`) with their squared norms. */
export async function assignRows(x: FloatArray, norms: Float64Array, n: number, d: number, centers: Float64Array, k: number, withSums: boolean, runtime: KernelRuntime): Promise<FullAssignment> {
  const { c, cn } = kernelCenters(centers, k, d, x);
  const labels = new Int32Array(n);
  const dist = new Float64Array(n);
  const sums = withSums ? new Float64Array(k * d) : undefined;
  const step = chunkRows(d);
  let inertia = 0;
  for (let s = 0; s < n; s += step) {
    const e = Math.min(n, s + step);
    const r = await assignNearest(x.subarray(s * d, e * d), e - s, d, c, cn, k, { ...runtime, sums: withSums });
    labels.set(r.labels, s);
    for (let i = s; i < e; i++) {
      const v = norms[i]! + r.minPartial[i - s]!;
      const dv = v > 0 ? v : 0;
      dist[i] = dv;
      inertia += dv;
    }
    if (sums) for (let j = 0; j < k * d; j++) sums[j]! += r.sums![j]!;
  }
  return { labels, dist, inertia, sums };
}

/**
 * Nearest centre of every row of raw (uncentred) data, centring one chunk at a time so no copy of
 * the whole data is made (for predict and for data too large to copy).
 * @param centers - float64 centres `[k, d]` in centred coordinates
 */
export async function assignCentering(data: FloatArray, n: number, d: number, mean: Float64Array, centers: Float64Array, k: number, runtime: KernelRuntime): Promise<{ labels: Int32Array; inertia: number }> {
  const labels = new Int32Array(n);
  let inertia = 0;
  const step = chunkRows(d);
  for (let s = 0; s < n; s += step) {
    const e = Math.min(n, s + step);
    const chunk = centered(data.subarray(s * d, e * d), e - s, d, mean);
    const r = await assignRows(chunk, rowNorms(chunk, e - s, d), e - s, d, centers, k, false, runtime);
    labels.set(r.labels, s);
    inertia += r.inertia;
  }
  return { labels, inertia };
}

/** Squared distances `[m, n]` (float64, clamped at 0) from rows `idx` of `w` to every row. */
async function distancesFrom(w: WorkData, idx: ArrayLike<number>): Promise<Float64Array> {
  const { x, n, d, norms } = w;
  const m = idx.length;
  const rows = x instanceof Float64Array ? new Float64Array(m * d) : new Float32Array(m * d);
  for (let t = 0; t < m; t++) rows.set(x.subarray(idx[t]! * d, (idx[t]! + 1) * d), t * d);
  const cross = await product(rows, m, d, x, n, d, { ...w.runtime, transB: true });
  const out = new Float64Array(m * n);
  for (let t = 0; t < m; t++) {
    const ni = norms[idx[t]!]!;
    const o = t * n;
    for (let i = 0; i < n; i++) {
      const v = ni + norms[i]! - 2 * cross[o + i]!;
      out[o + i] = v > 0 ? v : 0;
    }
  }
  return out;
}

/**
 * Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): the first centre uniformly at random,
 * then for each next centre `nTrials` candidates sampled with probability proportional to the
 * squared distance to the closest chosen centre, keeping the one that lowers the potential most.
 * @returns float64 centres `[k, d]` (centred coordinates) and the chosen row indices
 */
export async function kmeansPlusPlus(w: WorkData, k: number, rng: Rng, nTrials = 2 + Math.floor(Math.log(k))): Promise<{ centers: Float64Array; indices: Int32Array }> {
  const { x, n, d } = w;
  const centers = new Float64Array(k * d);
  const indices = new Int32Array(k);
  const first = rng.int(n);
  indices[0] = first;
  for (let t = 0; t < d; t++) centers[t] = x[first * d + t]!;
  let closest = await distancesFrom(w, [first]);
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i]!;
  const cum = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) cum[i] = acc += closest[i]!;
    const cand = new Int32Array(nTrials);
    for (let t = 0; t < nTrials; t++) cand[t] = Math.min(searchSorted(cum, rng.random() * pot), n - 1);
    const dist = await distancesFrom(w, cand);
    let best = 0;
    let bestPot = Infinity;
    for (let t = 0; t < nTrials; t++) {
      let p = 0;
      const o = t * n;
      for (let i = 0; i < n; i++) {
        const v = dist[o + i]!;
        const cl = closest[i]!;
        p += v < cl ? v : cl;
      }
      if (p < bestPot) {
        bestPot = p;
        best = t;
      }
    }
    const next = new Float64Array(n);
    const o = best * n;
    for (let i = 0; i < n; i++) {
      const v = dist[o + i]!;
      const cl = closest[i]!;
      next[i] = v < cl ? v : cl;
    }
    closest = next;
    pot = bestPot;
    indices[c] = cand[best]!;
    for (let t = 0; t < d; t++) centers[c * d + t] = x[cand[best]! * d + t]!;
  }
  return { centers, indices };
}

/** First index `i` with `cum[i] >= v` (numpy's `searchsorted(..., side='left')`). */
function searchSorted(cum: Float64Array, v: number): number {
  let lo = 0;
  let hi = cum.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `k` distinct rows chosen uniformly at random (scikit-learn: `permutation(n)[:k]`). */
export function randomCenters(w: WorkData, k: number, rng: Rng): Float64Array {
  const { x, d } = w;
  const idx = rng.permutation(w.n).subarray(0, k);
  const centers = new Float64Array(k * d);
  for (let c = 0; c < k; c++) for (let t = 0; t < d; t++) centers[c * d + t] = x[idx[c]! * d + t]!;
  return centers;
}

/**
 * New centres from per-cluster sums (the M-step). Empty clusters are re-seeded with the points
 * farthest from their centres, which leave their old cluster (scikit-learn's
 * `_relocate_empty_clusters_dense`). Returns the number of relocated clusters.
 */
export function updateCenters(w: WorkData, sums: Float64Array, labels: Int32Array, dist: Float64Array, k: number, out: Float64Array): number {
  const { x, d, n } = w;
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) counts[labels[i]!]!++;
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (counts[j] === 0) empty.push(j);
  if (empty.length) {
    const far = farthest(dist, empty.length);
    empty.forEach((j, e) => {
      const p = far[e]!;
      const old = labels[p]!;
      for (let t = 0; t < d; t++) {
        const v = x[p * d + t]!;
        sums[old * d + t]! -= v;
        sums[j * d + t] = v;
      }
      counts[j] = 1;
      counts[old]!--;
    });
  }
  for (let j = 0; j < k; j++) {
    const c = counts[j]!;
    const inv = c > 0 ? 1 / c : 1;
    for (let t = 0; t < d; t++) out[j * d + t] = sums[j * d + t]! * inv;
  }
  return empty.length;
}

/** Indices of the `m` largest values, largest first (ties: lower index first). */
export function farthest(values: Float64Array, m: number): Int32Array {
  const idx = Int32Array.from({ length: values.length }, (_, i) => i);
  idx.sort((a, b) => values[b]! - values[a]! || a - b);
  return idx.slice(0, m);
}

/** Result of one Lloyd run. */
export interface LloydRun {
  readonly centers: Float64Array;
  readonly labels: Int32Array;
  /** Inertia from the kernel distances (float32 GEMM for float32 data). */
  readonly inertia: number;
  readonly nIter: number;
  /** True when the labels stopped changing, or the centre shift fell to `tol`. */
  readonly converged: boolean;
  /** Empty clusters re-seeded over the run. */
  readonly relocated: number;
}

/**
 * Lloyd iterations from `init` (scikit-learn's `_kmeans_single_lloyd`): stop when the labels no
 * longer change or when the total squared centre shift is `<= tolAbs`; then (unless the labels
 * were stable) a last assignment so labels match the returned centres.
 */
export async function lloyd(w: WorkData, init: Float64Array, k: number, maxIter: number, tolAbs: number): Promise<LloydRun> {
  const { x, d, n } = w;
  let centers = Float64Array.from(init);
  let next = new Float64Array(k * d);
  let labelsOld: Int32Array | undefined;
  let strict = false;
  let converged = false;
  let relocated = 0;
  let nIter = maxIter;
  let a: FullAssignment | undefined;
  // Per-centre sums of the current labels, kept up to date incrementally once few labels change
  // (late iterations move a handful of points), recomputed by the kernel otherwise.
  let sums: Float64Array | undefined;
  let changed = n;
  for (let it = 0; it < maxIter; it++) {
    const full = !sums || changed > n / 16;
    a = await assignAll(w, centers, k, full);
    if (full) sums = a.sums!;
    changed = 0;
    if (labelsOld) {
      for (let i = 0; i < n; i++) {
        const now = a.labels[i]!;
        const before = labelsOld[i]!;
        if (now === before) continue;
        changed++;
        if (full) continue;
        const o = i * d;
        const src = before * d;
        const dst = now * d;
        for (let t = 0; t < d; t++) {
          const v = x[o + t]!;
          sums![src + t]! -= v;
          sums![dst + t]! += v;
        }
      }
    } else changed = n;
    relocated += updateCenters(w, Float64Array.from(sums!), a.labels, a.dist, k, next);
    let shift = 0;
    for (let j = 0; j < k * d; j++) {
      const v = next[j]! - centers[j]!;
      shift += v * v;
    }
    [centers, next] = [next, centers];
    if (labelsOld && changed === 0) {
      strict = true;
      converged = true;
      nIter = it + 1;
      break;
    }
    if (shift <= tolAbs) {
      converged = true;
      nIter = it + 1;
      break;
    }
    labelsOld = a.labels;
  }
  if (!strict) a = await assignAll(w, centers, k, false);
  return { centers, labels: a!.labels, inertia: a!.inertia, nIter, converged, relocated };
}

/** True when `a` is a relabelling of `b` (scikit-learn's `_is_same_clustering`). */
export function sameClustering(a: Int32Array, b: Int32Array, k: number): boolean {
  const map = new Int32Array(k).fill(-1);
  for (let i = 0; i < a.length; i++) {
    const m = map[a[i]!]!;
    if (m === -1) map[a[i]!] = b[i]!;
    else if (m !== b[i]) return false;
  }
  return true;
}

/** Exact inertia in float64 (direct differences) of centred rows against float64 centres. */
export function exactInertia(w: WorkData, centers: Float64Array, labels: Int32Array): number {
  const { x, n, d } = w;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    const c = labels[i]! * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = x[o + t]! - centers[c + t]!;
      s += v * v;
    }
    total += s;
  }
  return total;
}

/** scikit-learn's `_tolerance`: `tol` times the mean per-feature variance. */
export function absoluteTolerance(w: WorkData, tol: number): number {
  if (tol === 0) return 0;
  const { x, n, d } = w;
  // the data are centred: variance = mean of squares
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) v[t]! += x[i * d + t]! ** 2;
  let s = 0;
  for (let t = 0; t < d; t++) s += v[t]! / n;
  return (s / d) * tol;
}
