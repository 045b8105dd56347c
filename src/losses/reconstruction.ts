/** Non-clustering losses: reconstruction errors of an autoencoder. */
import { type Tensor, mul, reduceMean, softplus, square, sub } from '../engine/index.ts';

/** Mean squared error over every element: `mean((x̂ − x)²)` (Keras 'mse' averaged over the batch). */
export function mseLoss(reconstruction: Tensor, target: Tensor): Tensor {
  return reduceMean(square(sub(reconstruction, target)));
}

/**
 * Binary cross-entropy of sigmoid outputs given their LOGITS, computed stably as
 * `mean(softplus(l) − x·l)` (equals `−mean(x log σ(l) + (1 − x) log(1 − σ(l)))`). Targets in [0, 1].
 */
export function bceWithLogitsLoss(logits: Tensor, target: Tensor): Tensor {
  return reduceMean(sub(softplus(logits), mul(target, logits)));
}

/** Reconstruction loss kinds. */
export type ReconstructionKind = 'mse' | 'bce';

/** The reconstruction loss of a decoder's `{ output, logits }` against the input. */
export function reconstructionLoss(kind: ReconstructionKind, decoded: { output: Tensor; logits: Tensor }, target: Tensor): Tensor {
  return kind === 'bce' ? bceWithLogitsLoss(decoded.logits, target) : mseLoss(decoded.output, target);
}
