/**
 * Pairwise distances and similarities between the rows of two matrices, as GEMM-based composites
 * (their gradients follow from the primitives).
 */
import { GraphError } from '../../errors.ts';
import type { Tensor } from '../graph.ts';
import { add, div, sqrt, square, sub } from './elementwise.ts';
import { relu } from './activation.ts';
import { gemm } from './matmul.ts';
import { reduceSum, transpose } from './shape.ts';

/**
 * Squared Euclidean distances `D[i,j] = ‖a_i − b_j‖²` as `‖a‖² − 2 a bᵀ + ‖b‖²`, clamped at 0.
 * @param a - `[n, d]`; @param b - `[m, d]` (may be the same tensor as a)
 * @returns `[n, m]`
 */
export function pairwiseSquaredDistances(a: Tensor, b: Tensor): Tensor {
  if (a.rank !== 2 || b.rank !== 2) throw new GraphError(`pairwiseSquaredDistances: expects 2-D inputs, got ${a} and ${b}`);
  const an = reduceSum(square(a), [1], true); // [n,1]
  const bn = transpose(reduceSum(square(b), [1], true)); // [1,m]
  const cross = gemm(a, b, { transB: true, alpha: -2 });
  return relu(add(add(cross, an), bn));
}

/**
 * Rows scaled to unit L2 norm: `x / sqrt(‖x‖² + eps)`.
 * @param eps - added under the root so zero rows stay finite; default 1e-12
 */
export function l2Normalize(x: Tensor, eps = 1e-12): Tensor {
  return div(x, sqrt(add(reduceSum(square(x), [x.rank - 1], true), eps)));
}

/**
 * Cosine similarities `S[i,j] = a_i·b_j / (‖a_i‖ ‖b_j‖)`.
 * @param a - `[n, d]`; @param b - `[m, d]`
 * @returns `[n, m]`
 */
export function cosineSimilarity(a: Tensor, b: Tensor, eps = 1e-12): Tensor {
  if (a.rank !== 2 || b.rank !== 2) throw new GraphError(`cosineSimilarity: expects 2-D inputs, got ${a} and ${b}`);
  const an = l2Normalize(a, eps);
  const bn = a === b ? an : l2Normalize(b, eps);
  return gemm(an, bn, { transB: true });
}

/** Cosine distances `1 − cosineSimilarity(a, b)`. */
export function cosineDistance(a: Tensor, b: Tensor, eps = 1e-12): Tensor {
  return sub(1, cosineSimilarity(a, b, eps));
}

/** Squared Euclidean distance of matching rows: `‖a_i − b_i‖²`, `[n]`. */
export function rowSquaredDistance(a: Tensor, b: Tensor): Tensor {
  return reduceSum(square(sub(a, b)), [a.rank - 1]);
}

