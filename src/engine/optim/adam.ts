/**
 * Adam (Kingma & Ba) with L2 or decoupled (AdamW) weight decay, numerically equal to PyTorch's
 * `torch.optim.Adam` / `AdamW`, in 10 element-wise passes per parameter.
 *
 * @remarks The moments are stored rescaled, u = m/(1−β1) and w = v/(1−β2), so each update needs
 * one Mul+Add per moment; learning rate and both bias corrections fold into two runtime scalars:
 * `stepSize = lr·(1−β1)·√(1−β2ᵗ) / ((1−β1ᵗ)·√(1−β2))` and `epsHat = ε·√(1−β2ᵗ)/√(1−β2)`, giving
 * `p ← p − stepSize · u / (√w + epsHat)`, which is PyTorch's
 * `p ← p − lr·m̂ / (√v̂ + ε)` rearranged. Checkpoints hold the standard m and v.
 */
import { ParamError } from '../../errors.ts';
import { add, div, mul, sqrt, square, sub } from '../ops/elementwise.ts';
import type { Optimizer, UpdateContext, UpdateResult } from './types.ts';

/** Options of {@link adam}. */
export interface AdamOptions {
  /** Learning rate (> 0). @defaultValue 1e-3 */
  lr?: number;
  /** Decay of the first moment, in [0, 1). @defaultValue 0.9 */
  beta1?: number;
  /** Decay of the second moment, in [0, 1). @defaultValue 0.999 */
  beta2?: number;
  /** Added to the denominator. @defaultValue 1e-8 */
  eps?: number;
  /** Weight decay. @defaultValue 0 */
  weightDecay?: number;
  /** `'l2'`: added to the gradient (Adam); `'decoupled'`: applied to the weights (AdamW). @defaultValue 'l2' */
  decay?: 'l2' | 'decoupled';
}

/**
 * The Adam optimizer as a graph transform.
 * @throws ParamError for out-of-range options.
 */
export function adam(options: AdamOptions = {}): Optimizer & {
  /** The learning rate (the default of each run). */
  readonly lr: number;
} {
  const { lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0, decay = 'l2' } = options;
  if (!(lr > 0) || !Number.isFinite(lr)) throw new ParamError(`adam: option 'lr' must be a finite number > 0, got ${lr}`);
  if (!(beta1 >= 0 && beta1 < 1)) throw new ParamError(`adam: option 'beta1' must be in [0, 1), got ${beta1}`);
  if (!(beta2 >= 0 && beta2 < 1)) throw new ParamError(`adam: option 'beta2' must be in [0, 1), got ${beta2}`);
  if (!(eps > 0)) throw new ParamError(`adam: option 'eps' must be > 0, got ${eps}`);
  if (!(weightDecay >= 0)) throw new ParamError(`adam: option 'weightDecay' must be >= 0, got ${weightDecay}`);
  if (decay !== 'l2' && decay !== 'decoupled') throw new ParamError(`adam: option 'decay' must be 'l2' or 'decoupled', got ${String(decay)}`);
  const decoupled = weightDecay > 0 && decay === 'decoupled';
  const s1 = 1 - beta1;
  const s2 = 1 - beta2;
  return {
    name: 'adam',
    lr,
    config: { lr, beta1, beta2, eps, weightDecay, decay },
    stateSlots: ['m', 'v'],
    scalarNames: decoupled ? ['stepSize', 'epsHat', 'keep'] : ['stepSize', 'epsHat'],
    scalars(t: number, rate: number) {
      const bc1 = 1 - beta1 ** t;
      const bc2 = Math.sqrt(1 - beta2 ** t);
      const out: Record<string, number> = {
        stepSize: (rate * s1 * bc2) / (bc1 * Math.sqrt(s2)),
        epsHat: (eps * bc2) / Math.sqrt(s2),
      };
      if (decoupled) out.keep = 1 - rate * weightDecay;
      return out;
    },
    update({ param, grad, state, scalars }: UpdateContext): UpdateResult {
      const g = weightDecay > 0 && !decoupled ? add(grad, mul(param, weightDecay)) : grad;
      const u = add(mul(state[0]!, beta1), g);
      const w = add(mul(state[1]!, beta2), square(g));
      const denom = add(sqrt(w), scalars.epsHat!);
      const p = decoupled ? mul(param, scalars.keep!) : param;
      return { param: sub(p, mul(div(u, denom), scalars.stepSize!)), state: [u, w] };
    },
    toStandardState(slot, data) {
      const f = slot === 'm' ? s1 : s2;
      for (let i = 0; i < data.length; i++) data[i] = data[i]! * f;
    },
    fromStandardState(slot, data) {
      const f = slot === 'm' ? s1 : s2;
      for (let i = 0; i < data.length; i++) data[i] = data[i]! / f;
    },
  };
}
