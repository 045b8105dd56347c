/**
 * Clustering losses of the taxonomy (Aljalbout et al. §2.4) and DEC/IDEC/DCN, as graph builders,
 * plus the plain-array helpers (target distribution) that run between training steps.
 */
import { type Tensor, add, div, log, mul, pairwiseSquaredDistances, pow, reduceMean, reduceSum, stopGradient, sub } from '../engine/index.ts';

/**
 * Student's t soft assignment of DEC: `q_ij ∝ (1 + ‖z_i − μ_j‖²/α)^(−(α+1)/2)`, rows normalised.
 * @param z - `[batch, d]`; @param centers - `[k, d]`
 * @returns `[batch, k]`
 */
export function studentTAssignment(z: Tensor, centers: Tensor, alpha = 1): Tensor {
  const d2 = pairwiseSquaredDistances(z, centers);
  const kernel = alpha === 1 ? div(1, add(d2, 1)) : pow(add(div(d2, alpha), 1), -(alpha + 1) / 2);
  return div(kernel, reduceSum(kernel, [1], true));
}

/**
 * `KL(P‖Q) = Σ_j p_ij log(p_ij / q_ij)` averaged over the batch (Keras 'kld', PyTorch
 * `kl_div(..., reduction='batchmean')`). P is a target: it gets no gradient.
 * @param eps - guards log(0) for zero entries of P or Q
 */
export function klDivergence(p: Tensor, q: Tensor, eps = 1e-10): Tensor {
  const pc = stopGradient(p);
  return reduceMean(reduceSum(mul(pc, sub(log(add(pc, eps)), log(add(q, eps)))), [1]));
}

/**
 * DEC's auxiliary target distribution from soft assignments (plain arrays):
 * `p_ij = (q_ij² / f_j) / Σ_j' (q_ij'² / f_j')` with cluster frequencies `f_j = Σ_i q_ij`.
 * @param q - row-major `[n, k]`
 */
export function targetDistribution(q: Float32Array | Float64Array, n: number, k: number): Float32Array {
  const f = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) f[j]! += q[i * k + j]!;
  const p = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += (q[i * k + j]! * q[i * k + j]!) / Math.max(f[j]!, 1e-12);
    for (let j = 0; j < k; j++) p[i * k + j] = (q[i * k + j]! * q[i * k + j]!) / Math.max(f[j]!, 1e-12) / s;
  }
  return p;
}

/**
 * DCN's k-means loss `½‖z_i − μ_{s_i}‖²` averaged over the batch, with hard assignments given as
 * a one-hot `[batch, k]` tensor (the centres are not differentiated here: DCN updates them apart).
 */
export function kmeansLoss(z: Tensor, centers: Tensor, oneHot: Tensor): Tensor {
  const assigned = mul(reduceSum(mul(pairwiseSquaredDistances(z, stopGradient(centers)), oneHot), [1]), 0.5);
  return reduceMean(assigned);
}

/** Hard labels (arg-max per row) of a row-major `[n, k]` matrix. */
export function argmaxRows(q: Float32Array | Float64Array, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (q[i * k + j]! > q[i * k + best]!) best = j;
    out[i] = best;
  }
  return out;
}
