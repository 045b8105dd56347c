/**
 * UMAP's fuzzy simplicial set (McInnes et al. 2018, §3; umap-learn's `fuzzy_simplicial_set`):
 * per point, a distance offset ρ (the nearest non-zero neighbour distance) and a scale σ such that
 * Σ_j exp(−(d_j − ρ)/σ) = log2(k); memberships w_ij = exp(−(d_ij − ρ_i)/σ_i); then the fuzzy
 * union w + wᵀ − w∘wᵀ, a symmetric sparse graph.
 */
import type { NearestNeighbors } from './knn.ts';

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;
const BISECTION_STEPS = 64;

/** ρ and σ of every point. */
export interface SmoothKnn {
  /** `[n]` distance to the nearest neighbour at non-zero distance (0 with local connectivity 0). */
  readonly rho: Float64Array;
  /** `[n]` the scale solving the membership sum. */
  readonly sigma: Float64Array;
}

/**
 * umap-learn's `smooth_knn_dist` with bandwidth 1. The neighbour lists include the point itself
 * first for a fit (`localConnectivity` 1) and exclude it for new rows (`localConnectivity` 0);
 * the sum skips the first neighbour in both cases, as umap-learn does.
 */
export function smoothKnnDist(nn: NearestNeighbors, localConnectivity: 0 | 1): SmoothKnn {
  const { distances, k } = nn;
  const n = distances.length / k;
  const target = Math.log2(k);
  const rho = new Float64Array(n);
  const sigma = new Float64Array(n);
  let meanAll = 0;
  for (const v of distances) meanAll += v;
  meanAll /= distances.length;
  for (let i = 0; i < n; i++) {
    const off = i * k;
    if (localConnectivity === 1) {
      let r = 0;
      for (let j = 0; j < k; j++) {
        const v = distances[off + j]!;
        if (v > 0) {
          r = v;
          break;
        }
      }
      rho[i] = r;
    }
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let it = 0; it < BISECTION_STEPS; it++) {
      let psum = 0;
      for (let j = 1; j < k; j++) {
        const t = distances[off + j]! - rho[i]!;
        psum += t > 0 ? Math.exp(-t / mid) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    let floor = MIN_K_DIST_SCALE * meanAll;
    if (rho[i]! > 0) {
      let m = 0;
      for (let j = 0; j < k; j++) m += distances[off + j]! / k;
      floor = MIN_K_DIST_SCALE * m;
    }
    sigma[i] = Math.max(mid, floor);
  }
  return { rho, sigma };
}

/**
 * Membership strengths `[n, k]` of the neighbour lists: 0 for the point itself (when `self` says
 * the lists include it), 1 up to ρ, exp(−(d − ρ)/σ) beyond.
 */
export function memberships(nn: NearestNeighbors, s: SmoothKnn, self: boolean): Float64Array {
  const { indices, distances, k } = nn;
  const n = distances.length / k;
  const w = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) {
      const p = i * k + j;
      if (self && indices[p] === i) continue;
      const t = distances[p]! - s.rho[i]!;
      w[p] = t <= 0 || s.sigma[i] === 0 ? 1 : Math.exp(-t / s.sigma[i]!);
    }
  return w;
}

/** A sparse matrix in compressed rows; columns ascending within a row. */
export interface SparseGraph {
  /** Rows (= columns). */
  readonly n: number;
  /** `[n + 1]` row starts. */
  readonly rowStart: Int32Array;
  /** Column of each entry. */
  readonly cols: Int32Array;
  /** Weight of each entry (> 0). */
  readonly weights: Float64Array;
}

/**
 * The fuzzy union w + wᵀ − w∘wᵀ of the directed kNN memberships, without zero entries.
 */
export function fuzzyUnion(nn: NearestNeighbors, w: Float64Array): SparseGraph {
  const { indices, k } = nn;
  const n = indices.length / k;
  // transpose by counting: incoming[i] lists (source, weight) of edges source → i
  const inStart = new Int32Array(n + 1);
  for (let p = 0; p < indices.length; p++) if (w[p]! > 0) inStart[indices[p]! + 1]++;
  for (let i = 0; i < n; i++) inStart[i + 1] += inStart[i]!;
  const fill = inStart.slice(0, n);
  const inSrc = new Int32Array(inStart[n]!);
  const inW = new Float64Array(inStart[n]!);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) {
      const p = i * k + j;
      if (!(w[p]! > 0)) continue;
      const t = indices[p]!;
      inSrc[fill[t]!] = i;
      inW[fill[t]!++] = w[p]!;
    }
  // per row: merge out-edges (w_ij) and in-edges (w_ji) through a position map
  const pos = new Int32Array(n).fill(-1);
  const rowStart = new Int32Array(n + 1);
  const cap = 2 * inStart[n]!;
  const cols = new Int32Array(cap);
  const vals = new Float64Array(cap);
  let nnz = 0;
  const rowCols: number[] = [];
  const out = new Float64Array(n);
  const inn = new Float64Array(n);
  // the first time column c shows up in the current row: give it a slot and zero its two weights
  const touch = (c: number) => {
    if (pos[c] !== -1) return;
    pos[c] = rowCols.length;
    rowCols.push(c);
    out[c] = 0;
    inn[c] = 0;
  };
  for (let i = 0; i < n; i++) {
    rowCols.length = 0;
    for (let j = 0; j < k; j++) {
      const p = i * k + j;
      if (!(w[p]! > 0)) continue;
      const c = indices[p]!;
      touch(c);
      out[c] = Math.max(out[c]!, w[p]!); // a duplicate index (cannot happen for exact kNN) keeps the larger
    }
    for (let p = inStart[i]!; p < inStart[i + 1]!; p++) {
      const c = inSrc[p]!;
      touch(c);
      inn[c] = Math.max(inn[c]!, inW[p]!);
    }
    rowCols.sort((x, y) => x - y);
    for (const c of rowCols) {
      const v = out[c]! + inn[c]! - out[c]! * inn[c]!;
      pos[c] = -1;
      if (v > 0) {
        cols[nnz] = c;
        vals[nnz++] = v;
      }
    }
    rowStart[i + 1] = nnz;
  }
  return { n, rowStart, cols: cols.slice(0, nnz), weights: vals.slice(0, nnz) };
}
