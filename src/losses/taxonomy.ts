/**
 * The remaining clustering losses of Aljalbout et al.'s taxonomy (§2.4), as graph builders:
 * balanced assignments, locality preservation, group sparsity and cluster classification.
 */
import { GraphError } from '../errors.ts';
import { type Tensor, add, log, logSoftmax, mul, pairwiseSquaredDistances, reduceMean, reduceSum, sqrt, square, stopGradient, sub, slice } from '../engine/index.ts';

/**
 * Balanced-assignment loss `KL(G ‖ U)`: G is the batch's cluster distribution `g_j = mean_i q_ij`,
 * U a prior (uniform by default). Pushes towards clusters of the prior's sizes.
 * @param q - soft assignments `[b, k]`; @param prior - `[k]` probabilities (uniform when omitted)
 */
export function balancedAssignmentLoss(q: Tensor, prior?: Tensor, eps = 1e-10): Tensor {
  if (q.rank !== 2) throw new GraphError(`balancedAssignmentLoss: q must be [batch, k], got ${q}`);
  const k = q.shape[1];
  if (typeof k !== 'number') throw new GraphError('balancedAssignmentLoss: the number of clusters must be static');
  const gdist = reduceMean(q, [0]); // [k]
  const u = prior ?? q.graph.constant(new Array(k).fill(1 / k), [k], q.dtype);
  return reduceSum(mul(gdist, sub(log(add(gdist, eps)), log(add(u, eps)))));
}

/**
 * Locality-preserving loss `Σ_i Σ_j s_ij ‖z_i − z_j‖² / b`: keeps neighbours of the input space
 * close in the embedding. `s` (`[b, b]`) holds the similarity weights of each point's k nearest
 * neighbours (0 elsewhere), e.g. from {@link knnSimilarity}.
 */
export function localityPreservingLoss(z: Tensor, s: Tensor): Tensor {
  return reduceMean(reduceSum(mul(stopGradient(s), pairwiseSquaredDistances(z, z)), [1]));
}

/**
 * Heat-kernel similarities to each row's `k` nearest neighbours within a batch (plain arrays):
 * `s_ij = exp(−‖x_i − x_j‖² / t)` for j among i's k nearest (j ≠ i), else 0.
 */
export function knnSimilarity(x: Float32Array, b: number, d: number, k: number, t = 1): Float32Array {
  const s = new Float32Array(b * b);
  const dist = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    for (let j = 0; j < b; j++) {
      let v = 0;
      for (let c = 0; c < d; c++) v += (x[i * d + c]! - x[j * d + c]!) ** 2;
      dist[j] = j === i ? Infinity : v;
    }
    const order = Array.from(dist.keys()).sort((a, c) => dist[a]! - dist[c]!).slice(0, Math.min(k, b - 1));
    for (const j of order) s[i * b + j] = Math.exp(-dist[j]! / t);
  }
  return s;
}

/**
 * Group-sparsity loss `Σ_g λ√n_g ‖h_g‖₂` averaged over the batch, with the units of `h` split into
 * consecutive groups of the given sizes (λ_g = λ√n_g, as in the taxonomy).
 */
export function groupSparsityLoss(h: Tensor, groupSizes: readonly number[], lambda = 1): Tensor {
  const width = h.shape[1];
  if (h.rank !== 2 || typeof width !== 'number') throw new GraphError(`groupSparsityLoss: h must be [batch, static width], got ${h}`);
  if (groupSizes.reduce((a, b) => a + b, 0) !== width) throw new GraphError(`groupSparsityLoss: group sizes [${groupSizes.join(',')}] do not add up to the width ${width}`);
  let start = 0;
  let total: Tensor | undefined;
  for (const n of groupSizes) {
    const part = slice(h, 1, start, start + n);
    const norm = sqrt(add(reduceSum(square(part), [1]), 1e-12)); // [b]
    const term = mul(norm, lambda * Math.sqrt(n));
    total = total ? add(total, term) : term;
    start += n;
  }
  return reduceMean(total!);
}

/**
 * Cluster-classification loss: cross-entropy of a softmax head's logits against (pseudo-)labels
 * given one-hot, `−mean_i Σ_j y_ij log softmax(l_i)_j`.
 */
export function clusterClassificationLoss(logits: Tensor, oneHot: Tensor): Tensor {
  return mul(reduceMean(reduceSum(mul(stopGradient(oneHot), logSoftmax(logits, 1)), [1])), -1);
}

