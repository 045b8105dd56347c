/**
 * Adam (Kingma & Ba) with L2 or decoupled (AdamW) weight decay, numerically equal to PyTorch's
 * `torch.optim.Adam` / `AdamW`, in 10 element-wise passes per parameter.
 *
 * @remarks The moments are stored rescaled, u = m/(1−β1) and w = v/(1−β2), so each update needs
 * one Mul+Add per moment; learning rate and both bias corrections fold into two runtime scalars:
 * `stepSize = lr·(1−β1)·√(1−β2ᵗ) / ((1−β1ᵗ)·√(1−β2))` and `epsHat = ε·√(1−β2ᵗ)/√(1−β2)`, giving
 * `p ← p − stepSize · u / (√w + epsHat)`, which is PyTorch's
 * `p ← p − lr·m̂ / (√v̂ + ε)` rearranged. Checkpoints hold the standard m and v.
 *
 * With `lazy: true` (9 passes) the first moment's decay moves into the gradient: the runner scales
 * the loss gradient of the k-th step of a run by s = β1⁻ᵏ, so U = s·u needs no decay multiply
 * (`U ← U + s·g`), W = s²·w decays by β2/β1², the update reads `U / (√W + s·epsHat)`, and one
 * multiply per run (by β1ᴷ and β1²ᴷ) brings both back to u and w. Same algebra, different
 * rounding: results differ from the 10-pass form in the last bits (≈1e-6 relative per step).
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
  /**
   * Fold the first moment's decay into a per-step gradient scale (9 element-wise passes instead
   * of 10; faster, rounds differently). Needs beta1 >= 0.5; ignored (standard form) below.
   * @defaultValue true when the environment variable `DEEPCLUST_LAZY_ADAM` is `1`, else false
   */
  lazy?: boolean;
}

/** Whether {@link adam} uses the lazy form when its options do not say (env `DEEPCLUST_LAZY_ADAM=1`). */
export function lazyAdamDefault(): boolean {
  return typeof process !== 'undefined' && process.env?.DEEPCLUST_LAZY_ADAM === '1';
}

/**
 * The Adam optimizer as a graph transform.
 * @throws ParamError for out-of-range options.
 */
export function adam(options: AdamOptions = {}): Optimizer & {
  /** The learning rate (the default of each run). */
  readonly lr: number;
} {
  const { lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0, decay = 'l2', lazy: lazyOpt = lazyAdamDefault() } = options;
  if (!(lr > 0) || !Number.isFinite(lr)) throw new ParamError(`adam: option 'lr' must be a finite number > 0, got ${lr}`);
  if (!(beta1 >= 0 && beta1 < 1)) throw new ParamError(`adam: option 'beta1' must be in [0, 1), got ${beta1}`);
  if (!(beta2 >= 0 && beta2 < 1)) throw new ParamError(`adam: option 'beta2' must be in [0, 1), got ${beta2}`);
  if (!(eps > 0)) throw new ParamError(`adam: option 'eps' must be > 0, got ${eps}`);
  if (!(weightDecay >= 0)) throw new ParamError(`adam: option 'weightDecay' must be >= 0, got ${weightDecay}`);
  if (decay !== 'l2' && decay !== 'decoupled') throw new ParamError(`adam: option 'decay' must be 'l2' or 'decoupled', got ${String(decay)}`);
  if (typeof lazyOpt !== 'boolean') throw new ParamError(`adam: option 'lazy' must be true or false, got ${String(lazyOpt)}`);
  const decoupled = weightDecay > 0 && decay === 'decoupled';
  const l2 = weightDecay > 0 && !decoupled;
  return adamForm({ lr, beta1, beta2, eps, weightDecay, decay, decoupled, l2, lazy: lazyOpt && beta1 >= 0.5 });
}

/** The checked options of {@link adam}, and which form it takes. */
interface AdamForm {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly decay: string;
  readonly decoupled: boolean;
  readonly l2: boolean;
  readonly lazy: boolean;
}

// The standard and the lazy form (see the module comment); between runs both hold u and w.
function adamForm(o: AdamForm): Optimizer & { readonly lr: number } {
  const { lr, beta1, beta2, eps, weightDecay, decay, decoupled, l2, lazy } = o;
  const s1 = 1 - beta1;
  const s2 = 1 - beta2;
  // lazy: U = s·u needs no decay, W = s²·w decays by β2/β1², and s = β1⁻ᵏ reaches ε and the L2 term
  const wDecay = lazy ? beta2 / (beta1 * beta1) : beta2;
  const names = ['stepSize', 'epsHat'];
  if (decoupled) names.push('keep');
  if (lazy && l2) names.push('decayScale');
  // Keep s² = β1^(−2K) below 1e12 so squared scaled gradients stay far from float32 overflow.
  const maxSteps = Math.max(1, Math.floor(6 / -Math.log10(beta1)));
  const rescale = (slot: string, data: Float32Array | Float64Array, toStandard: boolean) => {
    const f = slot === 'm' ? s1 : s2;
    for (let i = 0; i < data.length; i++) data[i] = toStandard ? data[i]! * f : data[i]! / f;
  };
  return {
    name: 'adam',
    lr,
    config: lazy ? { lr, beta1, beta2, eps, weightDecay, decay, lazy: true } : { lr, beta1, beta2, eps, weightDecay, decay },
    stateSlots: ['m', 'v'],
    scalarNames: names,
    ...(lazy ? { lazy: { gradScale: (k: number) => beta1 ** -k, renorm: (K: number): [number, number] => [beta1 ** K, beta1 ** (2 * K)], maxSteps } } : {}),
    scalars(t: number, rate: number, k = 1) {
      const bc1 = 1 - beta1 ** t;
      const bc2 = Math.sqrt(1 - beta2 ** t);
      const sk = lazy ? beta1 ** -k : 1;
      const out: Record<string, number> = {
        stepSize: (rate * s1 * bc2) / (bc1 * Math.sqrt(s2)),
        epsHat: (sk * eps * bc2) / Math.sqrt(s2),
      };
      if (decoupled) out.keep = 1 - rate * weightDecay;
      if (lazy && l2) out.decayScale = sk * weightDecay;
      return out;
    },
    update({ param, grad, state, scalars }: UpdateContext): UpdateResult {
      const g = l2 ? add(grad, mul(param, lazy ? scalars.decayScale! : weightDecay)) : grad;
      const u = add(lazy ? state[0]! : mul(state[0]!, beta1), g);
      const w = add(mul(state[1]!, wDecay), square(g));
      const denom = add(sqrt(w), scalars.epsHat!);
      const p = decoupled ? mul(param, scalars.keep!) : param;
      return { param: sub(p, mul(div(u, denom), scalars.stepSize!)), state: [u, w] };
    },
    toStandardState: (slot, data) => rescale(slot, data, true),
    fromStandardState: (slot, data) => rescale(slot, data, false),
  };
}
