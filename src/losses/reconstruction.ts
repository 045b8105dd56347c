/** Non-clustering losses: reconstruction errors of an autoencoder. */
import { type Tensor, mul, reduceMean, reduceSum, softplus, square, sub } from '../engine/index.ts';

/** How a reconstruction error is reduced: `'mean'` over every element (Keras 'mse'), or `'sum'` over features then mean over the batch (DCN's and ClustPy's code). */
export type Reduction = 'mean' | 'sum';

/** Mean squared error `mean((x̂ − x)²)`, or with `'sum'` the batch mean of `‖x̂ − x‖²`. */
export function mseLoss(reconstruction: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  const sq = square(sub(reconstruction, target));
  return reduction === 'sum' ? reduceMean(reduceSum(sq, [1])) : reduceMean(sq);
}

/**
 * Binary cross-entropy of sigmoid outputs given their LOGITS, computed stably as
 * `mean(softplus(l) − x·l)` (equals `−mean(x log σ(l) + (1 − x) log(1 − σ(l)))`). Targets in [0, 1].
 */
export function bceWithLogitsLoss(logits: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  const e = sub(softplus(logits), mul(target, logits));
  return reduction === 'sum' ? reduceMean(reduceSum(e, [1])) : reduceMean(e);
}

/** Reconstruction loss kinds. */
export type ReconstructionKind = 'mse' | 'bce';

/** The reconstruction loss of a decoder's `{ output, logits }` against the input. */
export function reconstructionLoss(kind: ReconstructionKind, decoded: { output: Tensor; logits: Tensor }, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  return kind === 'bce' ? bceWithLogitsLoss(decoded.logits, target, reduction) : mseLoss(decoded.output, target, reduction);
}
