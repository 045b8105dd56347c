/**
 * Batch normalisation (training and inference modes), dropout and additive noise.
 */
import { GraphError } from '../../errors.ts';
import type { Tensor } from '../graph.ts';
import { add, div, maximum, mul, sqrt, square, sub } from './elementwise.ts';
import { reduceMean } from './reduce.ts';
import { reshape, stopGradient, sizeOf } from './shape.ts';

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /** Training mode: normalise with batch statistics and update the running ones. */
  training: boolean;
  /** Weight of the new batch statistics in the running averages (PyTorch convention). @defaultValue 0.1 */
  momentum?: number;
  /** Added to the variance. @defaultValue 1e-5 */
  eps?: number;
}

/**
 * Batch normalisation over all axes but the channel axis 1 (`[N, C]` or `[N, C, H, W]`).
 * In training mode the running mean/variance buffers are updated (unbiased variance, as PyTorch;
 * with one value per channel, the biased 0).
 * @param gamma - scale `[C]`; @param beta - shift `[C]`
 * @param runningMean - buffer `[C]`; @param runningVar - buffer `[C]`
 */
export function batchNorm(x: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor, options: BatchNormOptions): Tensor {
  if (x.rank !== 2 && x.rank !== 4) throw new GraphError(`batchNorm: expects [N, C] or [N, C, H, W], got ${x}`);
  const c = x.shape[1];
  for (const t of [gamma, beta, runningMean, runningVar])
    if (t.rank !== 1 || t.shape[0] !== c) throw new GraphError(`batchNorm: ${t} must be [${c}] for input ${x}`);
  const { momentum = 0.1, eps = 1e-5 } = options;
  const axes = x.rank === 2 ? [0] : [0, 2, 3];
  const bshape = x.rank === 2 ? [1, -1] : [1, -1, 1, 1];
  const perChannel = (t: Tensor) => reshape(t, bshape);
  let mean: Tensor;
  let variance: Tensor;
  if (options.training) {
    mean = reduceMean(x, axes, true);
    variance = reduceMean(square(sub(x, mean)), axes, true);
    const g = x.graph;
    const n = div(sizeOf(x), sizeOf(mean));
    // n/(n − 1) is infinite for one value per channel (a one-row batch at a 1×1 feature map): the
    // running variance then takes the biased 0 instead of NaN (training loops skip such batches)
    const unbiased = mul(reshape(stopGradient(variance), [-1]), div(n, maximum(sub(n, 1), 1)));
    g.assign(runningMean, add(mul(runningMean, 1 - momentum), mul(reshape(stopGradient(mean), [-1]), momentum)));
    g.assign(runningVar, add(mul(runningVar, 1 - momentum), mul(unbiased, momentum)));
  } else {
    mean = perChannel(runningMean);
    variance = perChannel(runningVar);
  }
  const normed = div(sub(x, mean), sqrt(add(variance, eps)));
  return add(mul(normed, perChannel(gamma)), perChannel(beta));
}

/**
 * Inverted dropout `x · mask / (1 − p)` with a 0/1 `mask` (usually a bernoulli
 * `graph.randomInput` with probability 1 − p of a 1).
 */
export function dropout(x: Tensor, mask: Tensor, p: number): Tensor {
  if (!(p >= 0 && p < 1)) throw new GraphError(`dropout: p must be in [0, 1), got ${p}`);
  return mul(mul(x, mask), 1 / (1 - p));
}

/** Additive noise `x + noise` (usually a normal `graph.randomInput`). */
export function addNoise(x: Tensor, noise: Tensor): Tensor {
  return add(x, noise);
}
