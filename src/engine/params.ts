/**
 * Parameter stores and seeded initialisers. A store maps parameter names to flat typed arrays;
 * graphs refer to parameters by name, so one store serves training and inference graphs alike.
 */
import { GraphError, ParamError } from '../errors.ts';
import { Rng } from '../random.ts';
import type { FloatDType, ParamSpec } from './graph.ts';

/** One stored tensor. */
export interface StoredTensor {
  /** Shape. */
  readonly shape: readonly number[];
  /** Float dtype of `data`. */
  readonly dtype: FloatDType;
  /** Row-major values. */
  data: Float32Array | Float64Array;
  /** False for buffers (running statistics…) that no optimizer updates. */
  readonly trainable: boolean;
}

/** Named parameter (and buffer) values. */
export class ParameterStore {
  private readonly entries = new Map<string, StoredTensor>();

  /** Names in insertion order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** True when a tensor of that name is stored. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The stored tensor, or a GraphError naming the missing parameter. */
  get(name: string): StoredTensor {
    const e = this.entries.get(name);
    if (!e) throw new GraphError(`ParameterStore: no parameter named '${name}' (have: ${this.names().slice(0, 12).join(', ')}${this.entries.size > 12 ? ', …' : ''})`);
    return e;
  }

  /** Adds a tensor (replacing one of the same name). */
  add(name: string, shape: readonly number[], data: Float32Array | Float64Array, trainable = true): void {
    const size = shape.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new GraphError(`ParameterStore.add(${name}): ${data.length} values for shape [${shape.join(',')}]`);
    this.entries.set(name, { shape: [...shape], dtype: data instanceof Float64Array ? 'float64' : 'float32', data, trainable });
  }

  /** Replaces the values of an existing tensor (same length). */
  set(name: string, data: Float32Array | Float64Array): void {
    const e = this.get(name);
    if (data.length !== e.data.length) throw new GraphError(`ParameterStore.set(${name}): ${data.length} values, expected ${e.data.length}`);
    e.data = data;
  }

  /** A deep copy. */
  clone(): ParameterStore {
    const s = new ParameterStore();
    for (const [k, e] of this.entries) s.add(k, e.shape, e.data.slice(), e.trainable);
    return s;
  }

  /** Iterates `[name, tensor]` pairs. */
  [Symbol.iterator](): IterableIterator<[string, StoredTensor]> {
    return this.entries.entries();
  }

  /** Total number of stored values. */
  size(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.data.length;
    return n;
  }
}

/** How a weight's fan-in/fan-out are read from its shape. */
export type WeightLayout = 'dense' | 'conv' | 'convTranspose' | 'vector';

/** Serializable description of an initialiser. */
export type Init =
  | {
      /** All zeros. */
      readonly kind: 'zeros';
    }
  | {
      /** One value everywhere. */
      readonly kind: 'constant';
      /** The value. */
      readonly value: number;
    }
  | {
      /** Gaussian values. */
      readonly kind: 'normal';
      /** Standard deviation. */
      readonly std: number;
      /** Mean. @defaultValue 0 */
      readonly mean?: number;
    }
  | {
      /** Uniform values in [low, high). */
      readonly kind: 'uniform';
      /** Lower bound. */
      readonly low: number;
      /** Upper bound. */
      readonly high: number;
    }
  | {
      /** Variance `scale / fan` (He, Glorot, LeCun…). */
      readonly kind: 'varianceScaling';
      /** Numerator of the variance. */
      readonly scale: number;
      /** Which fan divides it: fan-in, fan-out or their mean. */
      readonly mode: 'fanIn' | 'fanOut' | 'fanAvg';
      /** Distribution of the values (truncated normal: cut at 2 std, std corrected). */
      readonly distribution: 'normal' | 'truncatedNormal' | 'uniform';
    };

/** He (Kaiming) normal: N(0, 2/fanIn), as PyTorch's `kaiming_normal_` for ReLU. */
export const heNormal = (): Init => ({ kind: 'varianceScaling', scale: 2, mode: 'fanIn', distribution: 'normal' });
/** He uniform: U(±√(6/fanIn)). */
export const heUniform = (): Init => ({ kind: 'varianceScaling', scale: 2, mode: 'fanIn', distribution: 'uniform' });
/** Glorot (Xavier) uniform: U(±√(6/(fanIn+fanOut))), Keras' Dense default. */
export const glorotUniform = (): Init => ({ kind: 'varianceScaling', scale: 1, mode: 'fanAvg', distribution: 'uniform' });
/** Glorot (Xavier) normal: N(0, 2/(fanIn+fanOut)). */
export const glorotNormal = (): Init => ({ kind: 'varianceScaling', scale: 1, mode: 'fanAvg', distribution: 'normal' });
/** Keras-style variance scaling. */
export const varianceScaling = (scale: number, mode: 'fanIn' | 'fanOut' | 'fanAvg', distribution: 'normal' | 'truncatedNormal' | 'uniform'): Init => ({
  kind: 'varianceScaling',
  scale,
  mode,
  distribution,
});
/** All zeros (biases). */
export const zeros = (): Init => ({ kind: 'zeros' });

/** Fan-in and fan-out of a weight shape. */
export function fans(
  shape: readonly number[],
  layout: WeightLayout,
): {
  /** Inputs feeding one output unit. */
  fanIn: number;
  /** Outputs one input unit feeds. */
  fanOut: number;
} {
  if (layout === 'dense') return { fanIn: shape[0]!, fanOut: shape[1] ?? 1 };
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  if (layout === 'conv') return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
  if (layout === 'convTranspose') return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
  return { fanIn: shape[0]!, fanOut: shape[0]! };
}

/** Draws initial values for a tensor. */
export function initialize(init: Init, shape: readonly number[], layout: WeightLayout, rng: Rng, dtype: FloatDType = 'float32'): Float32Array | Float64Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  switch (init.kind) {
    case 'zeros':
      return out;
    case 'constant':
      return out.fill(init.value);
    case 'normal':
      for (let i = 0; i < n; i++) out[i] = (init.mean ?? 0) + init.std * rng.normal();
      return out;
    case 'uniform':
      for (let i = 0; i < n; i++) out[i] = init.low + (init.high - init.low) * rng.random();
      return out;
    case 'varianceScaling': {
      const { fanIn, fanOut } = fans(shape, layout);
      const fan = init.mode === 'fanIn' ? fanIn : init.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
      if (!(fan > 0)) throw new ParamError(`initialize: cannot compute the fan of shape [${shape.join(',')}]`);
      const variance = init.scale / fan;
      if (init.distribution === 'uniform') {
        const limit = Math.sqrt(3 * variance);
        for (let i = 0; i < n; i++) out[i] = limit * (2 * rng.random() - 1);
      } else if (init.distribution === 'normal') {
        const std = Math.sqrt(variance);
        for (let i = 0; i < n; i++) out[i] = std * rng.normal();
      } else {
        // Keras: truncated at 2 std, std corrected so the variance is as asked.
        const std = Math.sqrt(variance) / 0.8796256610342398;
        for (let i = 0; i < n; i++) {
          let z: number;
          do z = rng.normal();
          while (Math.abs(z) > 2);
          out[i] = std * z;
        }
      }
      return out;
    }
  }
}

/** An initialiser plan for one parameter. */
export interface ParamInit {
  /** The initialiser. */
  readonly init: Init;
  /** How to read fan-in and fan-out from the parameter's shape. */
  readonly layout: WeightLayout;
}

/**
 * Creates a store holding freshly initialised values for the given specs, drawing from one
 * seeded stream in spec order (so the same seed and architecture give the same weights).
 * @param plan - initialiser of each parameter name; names not in the plan get zeros
 */
export function initParameters(specs: readonly ParamSpec[], plan: ReadonlyMap<string, ParamInit>, seed: number): ParameterStore {
  const rng = new Rng(seed);
  const store = new ParameterStore();
  for (const s of specs) {
    const p = plan.get(s.name) ?? { init: zeros(), layout: 'vector' as const };
    store.add(s.name, s.shape, initialize(p.init, s.shape, p.layout, rng, s.dtype));
  }
  return store;
}
