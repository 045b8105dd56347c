/**
 * UMAP's spectral initialisation: the eigenvectors of the normalised graph Laplacian
 * I − D^(−½) W D^(−½) with the smallest non-trivial eigenvalues (umap-learn's `spectral_layout`),
 * scaled into [−10, 10].
 *
 * umap-learn calls ARPACK. Here: for small graphs a dense eigendecomposition; otherwise subspace
 * iteration on (I + D^(−½) W D^(−½)) / 2 — whose largest eigenvalues are the Laplacian's smallest —
 * with Rayleigh–Ritz, stopped when the Ritz values settle or after a fixed number of iterations.
 * An initialisation needs the leading directions, not eigenvectors to machine precision.
 * Disconnected graphs are handled as one graph (umap-learn lays components out separately): the
 * components' indicator vectors then share the leading eigenvalue 1 and any basis of them serves.
 */
import { Rng } from '../../random.ts';
import { gram, symmetricEigen } from '../_internal/linalg.ts';
import type { SparseGraph } from './fuzzy-graph.ts';

/** Graphs up to this size use a dense eigendecomposition. */
const DENSE_LIMIT = 600;
/** Extra vectors of the iterated block: they speed up the convergence of the wanted ones. */
const OVERSAMPLE = 4;
const MAX_ITERATIONS = 60;
const CHECK_EVERY = 20;
/** Ritz values converge about twice as fast as the vectors: 1e-9 on values is ~1e-4.5 on vectors. */
const RITZ_TOLERANCE = 1e-9;

/** `[n, dim]` initial coordinates in [−10, 10] (before UMAP's per-column rescaling). */
export function spectralInit(g: SparseGraph, dim: number, seed: number): Float64Array {
  const n = g.n;
  const invSqrtDeg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = g.rowStart[i]!; p < g.rowStart[i + 1]!; p++) s += g.weights[p]!;
    invSqrtDeg[i] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  const rng = new Rng(seed);
  const vectors = n <= DENSE_LIMIT || n <= 4 * (dim + 1 + OVERSAMPLE) ? denseLeading(g, invSqrtDeg, dim + 1) : iteratedLeading(g, invSqrtDeg, dim + 1, rng);
  // drop the trivial leading vector, scale to [−10, 10]
  const out = new Float64Array(n * dim);
  let maxAbs = 0;
  for (let i = 0; i < n; i++)
    for (let t = 0; t < dim; t++) {
      const v = vectors[i * (dim + 1) + t + 1]!;
      out[i * dim + t] = v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
  const scale = maxAbs > 0 ? 10 / maxAbs : 1;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * scale + 1e-4 * rng.normal();
  return out;
}

/** y = (x + A x) / 2 for the `[n, p]` block x, A = D^(−½) W D^(−½). */
function halfShifted(g: SparseGraph, invSqrtDeg: Float64Array, x: Float64Array, p: number, y: Float64Array): void {
  const n = g.n;
  for (let i = 0; i < n; i++) {
    const yo = i * p;
    for (let c = 0; c < p; c++) y[yo + c] = 0;
    for (let e = g.rowStart[i]!; e < g.rowStart[i + 1]!; e++) {
      const j = g.cols[e]!;
      const w = g.weights[e]! * invSqrtDeg[j]!;
      const xo = j * p;
      for (let c = 0; c < p; c++) y[yo + c] += w * x[xo + c]!;
    }
    const s = invSqrtDeg[i]!;
    for (let c = 0; c < p; c++) y[yo + c] = 0.5 * (x[yo + c]! + s * y[yo + c]!);
  }
}

/**
 * Orthonormalises the columns of the `[n, p]` row-major block in place by Cholesky QR, twice
 * (CholeskyQR2): both passes read the block row by row, which matters at 70,000 × 20. A column
 * that has lost its rank (a non-positive pivot) restarts at random.
 */
function orthonormalize(q: Float64Array, n: number, p: number, rng: Rng): void {
  for (let pass = 0; pass < 2; pass++) {
    const g = gram(q, n, p);
    // G = Rᵀ R (R upper triangular, stored in the upper triangle of g)
    let lost = -1;
    for (let a = 0; a < p && lost < 0; a++) {
      let diag = g[a * p + a]!;
      for (let t = 0; t < a; t++) diag -= g[t * p + a]! ** 2;
      if (!(diag > 1e-12 * Math.max(1, g[a * p + a]!))) {
        lost = a;
        break;
      }
      const r = Math.sqrt(diag);
      g[a * p + a] = r;
      for (let b = a + 1; b < p; b++) {
        let v = g[a * p + b]!;
        for (let t = 0; t < a; t++) v -= g[t * p + a]! * g[t * p + b]!;
        g[a * p + b] = v / r;
      }
    }
    if (lost >= 0) {
      for (let i = 0; i < n; i++) q[i * p + lost] = rng.normal();
      pass = -1; // start over with the new column
      continue;
    }
    // Q ← Q R⁻¹, row by row (forward substitution on each row)
    for (let i = 0; i < n; i++) {
      const o = i * p;
      for (let b = 0; b < p; b++) {
        let v = q[o + b]!;
        for (let t = 0; t < b; t++) v -= q[o + t]! * g[t * p + b]!;
        q[o + b] = v / g[b * p + b]!;
      }
    }
  }
}

/** Rayleigh–Ritz: rotates q (orthonormal, with mq = M q) onto the Ritz vectors; returns the values. */
function rayleighRitz(q: Float64Array, mq: Float64Array, n: number, p: number): Float64Array {
  const h = new Float64Array(p * p);
  for (let a = 0; a < p; a++)
    for (let b = a; b < p; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += q[i * p + a]! * mq[i * p + b]!;
      h[a * p + b] = s;
      h[b * p + a] = s;
    }
  const { values, vectors } = symmetricEigen(h, p);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < p; c++) {
      let s = 0;
      for (let a = 0; a < p; a++) s += q[i * p + a]! * vectors[a * p + c]!;
      row[c] = s;
    }
    q.set(row, i * p);
  }
  return values;
}

/**
 * The trivial eigenvector D^½ 1 and the `m − 1` next ones of M by subspace iteration, `[n, m]`.
 * The trivial vector is projected out of the block at every step (with several connected
 * components it would otherwise mix with their indicator vectors).
 */
function iteratedLeading(g: SparseGraph, invSqrtDeg: Float64Array, m: number, rng: Rng): Float64Array {
  const n = g.n;
  const p = Math.min(n - 1, m - 1 + OVERSAMPLE);
  const trivial = new Float64Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    trivial[i] = invSqrtDeg[i]! > 0 ? 1 / invSqrtDeg[i]! : 0;
    norm += trivial[i]! ** 2;
  }
  for (let i = 0; i < n; i++) trivial[i]! /= Math.sqrt(norm);
  const dots = new Float64Array(p);
  const deflate = (q: Float64Array) => {
    dots.fill(0);
    for (let i = 0; i < n; i++) for (let c = 0; c < p; c++) dots[c] += trivial[i]! * q[i * p + c]!;
    for (let i = 0; i < n; i++) for (let c = 0; c < p; c++) q[i * p + c] -= dots[c]! * trivial[i]!;
  };
  let q = new Float64Array(n * p);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  deflate(q);
  orthonormalize(q, n, p, rng);
  let y = new Float64Array(n * p);
  let previous: Float64Array | undefined;
  for (let it = 1; it <= MAX_ITERATIONS; it++) {
    halfShifted(g, invSqrtDeg, q, p, y);
    [q, y] = [y, q];
    deflate(q);
    orthonormalize(q, n, p, rng);
    if (it % CHECK_EVERY === 0 || it === MAX_ITERATIONS) {
      halfShifted(g, invSqrtDeg, q, p, y);
      const values = rayleighRitz(q, y, n, p);
      let change = 0;
      if (previous) for (let c = 0; c < m - 1; c++) change = Math.max(change, Math.abs(values[c]! - previous[c]!));
      if (previous && change < RITZ_TOLERANCE) break;
      previous = values;
    }
  }
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    out[i * m] = trivial[i]!;
    for (let c = 1; c < m; c++) out[i * m + c] = q[i * p + c - 1]!;
  }
  return out;
}

/** The `m` leading eigenvectors of D^(−½) W D^(−½) from a dense decomposition, `[n, m]`. */
function denseLeading(g: SparseGraph, invSqrtDeg: Float64Array, m: number): Float64Array {
  const n = g.n;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let e = g.rowStart[i]!; e < g.rowStart[i + 1]!; e++) a[i * n + g.cols[e]!] = g.weights[e]! * invSqrtDeg[i]! * invSqrtDeg[g.cols[e]!]!;
  const { vectors } = symmetricEigen(a, n);
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let c = 0; c < Math.min(m, n); c++) out[i * m + c] = vectors[i * n + c]!;
  return out;
}
