/**
 * CDC's pairwise correlation losses (Trinh & Pham, "Learning discriminative representations for
 * deep clustering"). The paper (Eqs. 5, 6, 11) normalises a Student-t kernel (α = 1) over every pair
 * k ≠ l of the batch; the authors' code (`our_HDC.py`: `ae_make_t_students`, `compute_corr_loss`,
 * `compute_aff_loss`), which gave the published numbers, normalises it per row with the pair (i, i)
 * included, sharpens the target side with DEC's target distribution, and averages Keras' per-row KL
 * over the batch. `correlationLoss` and `affinityLoss` follow the code; `correlationScores` and
 * `correlationKl` keep the paper's form.
 */
import { GraphError } from '../errors.ts';
import { type Tensor, add, clip, div, equal, log, mul, not, pairwiseSquaredDistances, reduceMean, reduceSum, stopGradient, sub, transpose, where } from '../engine/index.ts';

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

/**
 * Pair scores of the authors' code (`ae_make_t_students`, α = 1): each row of the Student-t kernel
 * `(1 + ‖a_i − a_j‖²)^-1` normalised over j, the pair (i, i) included, clipped to [1e-10, 1].
 * @param a - `[b, d]`
 * @returns `[b, b]`, rows summing to 1
 */
export function rowCorrelationScores(a: Tensor): Tensor {
  if (a.rank !== 2) throw new GraphError(`rowCorrelationScores: expects [batch, features], got ${a}`);
  const kernel = div(1, add(pairwiseSquaredDistances(a, a), 1));
  return clip(div(kernel, reduceSum(kernel, [1], true)), 1e-10, 1);
}

/**
 * DEC's target distribution applied to a `[b, b]` score matrix, as the code's `target_distribution`:
 * `T_ij = (C_ij² / f_j) / Σ_j' (C_ij'² / f_j')` with column sums `f_j = Σ_i C_ij`. Differentiable
 * (the code computes it inside the loss, so gradients pass through it).
 */
export function sharpenScores(c: Tensor): Tensor {
  const w = div(mul(c, c), reduceSum(c, [0], true));
  return div(w, reduceSum(w, [1], true));
}

/** Keras' `KLDivergence` per row (both sides clipped to [1e-7, 1]), averaged over the rows. */
function rowKl(p: Tensor, q: Tensor): Tensor {
  const pc = clip(p, 1e-7, 1);
  const qc = clip(q, 1e-7, 1);
  return reduceMean(reduceSum(mul(pc, sub(log(pc), log(qc))), [1]));
}

/**
 * CDC's correlation loss as the authors' code forms it, `L_cr(Z, Y) = KL(T(C_Z) ‖ C_Y)` averaged over
 * the batch's rows: the code Z's row scores, sharpened, are the target for the other layer's
 * (the input X, or the reconstruction X′). Gradients flow through both sides, as in the code.
 * @param z - the code `[b, d_z]`; @param y - the input or the reconstruction `[b, d_y]`
 */
export function correlationLoss(z: Tensor, y: Tensor): Tensor {
  return rowKl(sharpenScores(rowCorrelationScores(z)), rowCorrelationScores(y));
}

/**
 * CDC's affinity loss as the code forms it, `L_a = KL(T(C_Q) ‖ C_Z)` averaged over the rows: the
 * soft assignments' row scores, sharpened, are the target for the codes'; gradients flow through both.
 * @param q - soft assignments `[b, k]`; @param z - codes `[b, d]`
 */
export function affinityLoss(q: Tensor, z: Tensor): Tensor {
  return rowKl(sharpenScores(rowCorrelationScores(q)), rowCorrelationScores(z));
}
