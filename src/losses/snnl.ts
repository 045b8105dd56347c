/**
 * Soft nearest neighbour loss (Frosst, Papernot & Hinton 2019; used on hidden layers by Agarap &
 * Azcarraga 2020):
 * `ℓ = −(1/b) Σ_i log( Σ_{j≠i, g_j = g_i} e^{−d_ij/T} / Σ_{k≠i} e^{−d_ik/T} )`,
 * computed with log-sum-exp so that tiny temperatures and large distances stay finite.
 */
import { GraphError } from '../errors.ts';
import {
  type Tensor,
  add,
  cast,
  cosineDistance,
  div,
  equal,
  exp,
  log,
  mul,
  not,
  pairwiseSquaredDistances,
  reduceMax,
  reduceMean,
  reduceMin,
  reduceSum,
  reshape,
  stopGradient,
  sub,
  transpose,
  where,
  concat,
  and,
} from '../engine/index.ts';

/** Options of {@link softNearestNeighborLoss}. */
export interface SnnlOptions {
  /** `'cosine'` (the paper's default) or `'euclidean'` (squared). @defaultValue 'cosine' */
  readonly distance?: 'cosine' | 'euclidean';
  /**
   * Added inside the log to the same-group mass, so a point alone in its group gives a large but
   * finite loss (the reference code uses 1e-5). @defaultValue 1e-5
   */
  readonly eps?: number;
}

/** The annealed temperature of the SNNL autoencoder: `T = 1 / (η + epoch)^γ` (η = 1, γ = 0.55). */
export function annealedTemperature(epoch: number, eta = 1, gamma = 0.55): number {
  return 1 / (eta + epoch) ** gamma;
}

/**
 * Soft nearest neighbour loss of a batch.
 * @param h - `[b, d]` representations
 * @param groups - `[b, 1]` float group ids (labels), or undefined for the unsupervised form in which
 *   every other point is a neighbour
 * @param temperature - scalar tensor T > 0 (a runtime input, so it can be annealed)
 * @remarks The diagonal (i = j) is excluded from both sums. With `groups` undefined the ratio is 1
 * and the loss 0: an unsupervised use needs pseudo-labels as groups.
 */
export function softNearestNeighborLoss(h: Tensor, groups: Tensor | undefined, temperature: Tensor, options: SnnlOptions = {}): Tensor {
  if (h.rank !== 2) throw new GraphError(`softNearestNeighborLoss: h must be [batch, features], got ${h}`);
  if (groups && (groups.rank !== 2 || groups.shape[1] !== 1)) throw new GraphError(`softNearestNeighborLoss: groups must be [batch, 1], got ${groups}`);
  const { distance = 'cosine', eps = 1e-5 } = options;
  const d = distance === 'cosine' ? cosineDistance(h, h) : pairwiseSquaredDistances(h, h);
  const logits = div(mul(d, -1), temperature); // [b, b]
  // i ≠ j mask from the distance matrix's own shape (works with a symbolic batch).
  const eye = equal(sub(rowIndex(h), transpose(rowIndex(h))), 0);
  const others = not(eye);
  const same = groups ? and(others, equal(groups, transpose(groups))) : others;
  const big = -1e30;
  const m = stopGradient(reduceMax(where(others, logits, big), [1], true)); // row max over k ≠ i
  const e = exp(sub(where(others, logits, big), m)); // 0 on the diagonal
  const all = reduceSum(e, [1], true);
  const num = reduceSum(mul(e, cast(same, e.dtype)), [1], true);
  return mul(reduceMean(log(add(div(num, all), eps))), -1);
}

// Row numbers 0..b-1 as a [b, 1] float column, from a cumulative sum of ones (symbolic-batch safe).
function rowIndex(h: Tensor): Tensor {
  const g = h.graph;
  const ones = add(mul(reduceSum(h, [1], true), 0), 1); // [b,1] of ones, no gradient needed
  const cs = g.node1('CumSum', [stopGradient(ones), g.ints([0])], ones.shape, ones.dtype);
  return sub(cs, 1);
}

/** Sum, or element-wise minimum ("arg-min" in the paper), of per-layer losses. */
export function combineLayerLosses(losses: readonly Tensor[], mode: 'sum' | 'min'): Tensor {
  if (losses.length === 0) throw new GraphError('combineLayerLosses: no losses');
  if (losses.length === 1) return losses[0]!;
  if (mode === 'sum') return losses.slice(1).reduce((a, b) => add(a, b), losses[0]!);
  return reduceMin(concat(losses.map((l) => reshape(l, [1])), 0), [0]);
}
