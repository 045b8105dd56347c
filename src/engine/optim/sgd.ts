/**
 * Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, following
 * PyTorch's `torch.optim.SGD` (dampening 0).
 */
import { ParamError } from '../../errors.ts';
import { add, mul, sub } from '../ops/elementwise.ts';
import type { Optimizer, UpdateContext, UpdateResult } from './types.ts';

/** Options of {@link sgd}. */
export interface SgdOptions {
  /** Learning rate (> 0). */
  lr: number;
  /** Momentum factor in [0, 1). @defaultValue 0 */
  momentum?: number;
  /** Use Nesterov momentum (needs momentum > 0). @defaultValue false */
  nesterov?: boolean;
  /** L2 penalty added to the gradient. @defaultValue 0 */
  weightDecay?: number;
}

/**
 * SGD: `buf ← μ·buf + g`, `p ← p − lr·(nesterov ? g + μ·buf : buf)` (with `g += wd·p` first).
 * @throws ParamError for out-of-range options.
 */
export function sgd(options: SgdOptions): Optimizer & {
  /** The learning rate (the default of each run). */
  readonly lr: number;
} {
  const { lr, momentum = 0, nesterov = false, weightDecay = 0 } = options;
  if (!(lr > 0) || !Number.isFinite(lr)) throw new ParamError(`sgd: option 'lr' must be a finite number > 0, got ${lr}`);
  if (!(momentum >= 0 && momentum < 1)) throw new ParamError(`sgd: option 'momentum' must be in [0, 1), got ${momentum}`);
  if (nesterov && momentum === 0) throw new ParamError(`sgd: option 'nesterov' needs momentum > 0`);
  if (!(weightDecay >= 0)) throw new ParamError(`sgd: option 'weightDecay' must be >= 0, got ${weightDecay}`);
  return {
    name: 'sgd',
    lr,
    config: { lr, momentum, nesterov, weightDecay },
    stateSlots: momentum > 0 ? ['momentum'] : [],
    scalarNames: ['lr'],
    scalars: (_t, rate) => ({ lr: rate }),
    update({ param, grad, state, scalars }: UpdateContext): UpdateResult {
      let g = weightDecay > 0 ? add(grad, mul(param, weightDecay)) : grad;
      const next: typeof state[number][] = [];
      if (momentum > 0) {
        const buf = add(mul(state[0]!, momentum), g);
        next.push(buf);
        g = nesterov ? add(g, mul(buf, momentum)) : buf;
      }
      return { param: sub(param, mul(g, scalars.lr!)), state: next };
    },
  };
}
