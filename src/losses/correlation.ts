/**
 * CDC's pairwise correlation losses (Trinh & Pham, "Learning discriminative representations for
 * deep clustering"): a Student-t kernel (α = 1) over all pairs of a batch, normalised over every
 * pair k ≠ l, compared between two representations with KL.
 */
import { GraphError } from '../errors.ts';
import { type Tensor, add, div, equal, log, mul, not, pairwiseSquaredDistances, reduceSum, stopGradient, sub, transpose, where } from '../engine/index.ts';

// Ones off the diagonal of a [b, b] matrix, built from a row-index column (works with a symbolic batch).
function offDiagonal(a: Tensor): Tensor {
  const g = a.graph;
  const ones = add(mul(reduceSum(stopGradient(a), [1], true), 0), 1);
  const idx = g.node1('CumSum', [ones, g.ints([0])], ones.shape, ones.dtype);
  return not(equal(idx, transpose(idx)));
}

/**
 * Correlation scores `C_ij = (1 + ‖a_i − a_j‖²)^-1 / Σ_{k≠l} (1 + ‖a_k − a_l‖²)^-1` for i ≠ j
 * (0 on the diagonal).
 * @param a - `[b, d]`
 * @returns `[b, b]`
 */
export function correlationScores(a: Tensor): Tensor {
  if (a.rank !== 2) throw new GraphError(`correlationScores: expects [batch, features], got ${a}`);
  const mask = offDiagonal(a);
  const kernel = where(mask, div(1, add(pairwiseSquaredDistances(a, a), 1)), 0);
  return div(kernel, reduceSum(kernel));
}

/**
 * `KL(C_P ‖ C_Q) = Σ_{i≠j} C_P,ij log(C_P,ij / C_Q,ij)` between two correlation-score matrices.
 * @param eps - guards log(0)
 */
export function correlationKl(cp: Tensor, cq: Tensor, eps = 1e-12): Tensor {
  return reduceSum(mul(cp, sub(log(add(cp, eps)), log(add(cq, eps)))));
}

/** CDC's correlation loss `L_cr(Z, X) = KL(C_Z ‖ C_X)` (X is the target: no gradient). */
export function correlationLoss(z: Tensor, x: Tensor): Tensor {
  return correlationKl(correlationScores(z), stopGradient(correlationScores(x)));
}

/**
 * CDC's affinity loss `L_a = KL(C_Q ‖ C_Z)`: soft assignments Q `[b, k]` and codes Z `[b, d]`.
 */
export function affinityLoss(q: Tensor, z: Tensor): Tensor {
  return correlationKl(correlationScores(q), correlationScores(z));
}

