/**
 * Layers: named bundles of parameters with their initialisers and a forward function. A layer
 * holds no values; values live in a ParameterStore under `<layer>.<param>` names, so the same
 * layer builds training and inference graphs alike.
 */
import { ParamError } from '../errors.ts';
import {
  type Graph,
  type Init,
  type ParamInit,
  type Tensor,
  batchNorm,
  conv2d,
  convTranspose2d,
  glorotUniform,
  heNormal,
  leakyRelu,
  linear,
  relu,
  sigmoid,
  tanh,
  zeros,
} from '../engine/index.ts';

/** Activation names accepted by layers. */
export type Activation = 'linear' | 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh';

/** Applies a named activation. */
export function activate(x: Tensor, activation: Activation): Tensor {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return relu(x);
    case 'leakyRelu':
      return leakyRelu(x, 0.2);
    case 'sigmoid':
      return sigmoid(x);
    case 'tanh':
      return tanh(x);
    default:
      throw new ParamError(`activation must be one of linear, relu, leakyRelu, sigmoid, tanh; got ${JSON.stringify(activation)}`);
  }
}

/** Initialiser names accepted by layers (besides full {@link Init} objects). */
export type InitName = 'heNormal' | 'heUniform' | 'glorotUniform' | 'glorotNormal' | 'decUniform';

/** Resolves an initialiser name or object. `decUniform` is Keras' VarianceScaling(1/3, fanIn, uniform) used by DEC/IDEC code. */
export function resolveInit(init: InitName | Init): Init {
  if (typeof init !== 'string') return init;
  switch (init) {
    case 'heNormal':
      return heNormal();
    case 'heUniform':
      return { kind: 'varianceScaling', scale: 2, mode: 'fanIn', distribution: 'uniform' };
    case 'glorotUniform':
      return glorotUniform();
    case 'glorotNormal':
      return { kind: 'varianceScaling', scale: 1, mode: 'fanAvg', distribution: 'normal' };
    case 'decUniform':
      return { kind: 'varianceScaling', scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' };
    default:
      throw new ParamError(`init must be one of heNormal, heUniform, glorotUniform, glorotNormal, decUniform; got ${JSON.stringify(init)}`);
  }
}

/** Collects the initialiser plan of every parameter a model declares. */
export type InitPlan = Map<string, ParamInit>;

/** A dense (fully connected) layer `act(x W + b)`, W stored as `[in, out]`. */
export class Dense {
  constructor(
    /** Parameter name prefix (`<name>.weight`, `<name>.bias`). */
    readonly name: string,
    /** Input width. */
    readonly inDim: number,
    /** Output width. */
    readonly outDim: number,
    /** Activation after the affine map. */
    readonly activation: Activation = 'linear',
    /** Weight initialiser (biases start at 0). */
    readonly init: InitName | Init = 'glorotUniform',
  ) {
    for (const [k, v] of [['inDim', inDim], ['outDim', outDim]] as const)
      if (!Number.isInteger(v) || v < 1) throw new ParamError(`Dense(${name}): ${k} must be an integer >= 1, got ${v}`);
  }

  /** Adds this layer's initialisers to a plan. */
  plan(plan: InitPlan): void {
    plan.set(`${this.name}.weight`, { init: resolveInit(this.init), layout: 'dense' });
    plan.set(`${this.name}.bias`, { init: zeros(), layout: 'vector' });
  }

  /** Pre-activation `x W + b`. */
  linear(g: Graph, x: Tensor): Tensor {
    return linear(x, g.param(`${this.name}.weight`, [this.inDim, this.outDim]), g.param(`${this.name}.bias`, [this.outDim]));
  }

  /** `act(x W + b)`. */
  apply(g: Graph, x: Tensor): Tensor {
    return activate(this.linear(g, x), this.activation);
  }
}

/** A 2-D convolution layer (NCHW, weight `[out, in, k, k]`), optional batch-norm, then activation. */
export class Conv2d {
  constructor(
    /** Parameter name prefix (`<name>.weight`, `<name>.bias`, `<name>.bn.*`). */
    readonly name: string,
    /** Input channels. */
    readonly inChannels: number,
    /** Output channels. */
    readonly outChannels: number,
    /** Kernel size (square). */
    readonly kernel: number,
    /** Stride, padding, activation, batch-norm, transposition and initialiser. */
    readonly options: {
      /** Stride. @defaultValue 1 */
      stride?: number;
      /** Zero padding on each side. @defaultValue 0 */
      padding?: number;
      /** Activation after the (normalised) convolution. @defaultValue 'relu' */
      activation?: Activation;
      /** Batch normalisation before the activation. @defaultValue false */
      batchNorm?: boolean;
      /** A transposed convolution (upsampling), weight `[in, out, k, k]`. @defaultValue false */
      transposed?: boolean;
      /** Extra rows/columns added to one side of a transposed convolution's output. @defaultValue 0 */
      outputPadding?: number;
      /** Weight initialiser (biases start at 0). @defaultValue 'heNormal' */
      init?: InitName | Init;
    } = {},
  ) {
    for (const [k, v] of [['inChannels', inChannels], ['outChannels', outChannels], ['kernel', kernel]] as const)
      if (!Number.isInteger(v) || v < 1) throw new ParamError(`Conv2d(${name}): ${k} must be an integer >= 1, got ${v}`);
  }

  private get weightShape(): number[] {
    const k = this.kernel;
    return this.options.transposed ? [this.inChannels, this.outChannels, k, k] : [this.outChannels, this.inChannels, k, k];
  }

  /** Adds this layer's initialisers to a plan. */
  plan(plan: InitPlan): void {
    plan.set(`${this.name}.weight`, { init: resolveInit(this.options.init ?? 'heNormal'), layout: this.options.transposed ? 'convTranspose' : 'conv' });
    plan.set(`${this.name}.bias`, { init: zeros(), layout: 'vector' });
    if (this.options.batchNorm) {
      plan.set(`${this.name}.bn.gamma`, { init: { kind: 'constant', value: 1 }, layout: 'vector' });
      plan.set(`${this.name}.bn.beta`, { init: zeros(), layout: 'vector' });
    }
  }

  /** Names and shapes of this layer's buffers (batch-norm running statistics), with initial values. */
  buffers(): Array<{
    /** Name in the parameter store. */
    name: string;
    /** Shape (`[outChannels]`). */
    shape: number[];
    /** Initial value of every element. */
    value: number;
  }> {
    if (!this.options.batchNorm) return [];
    return [
      { name: `${this.name}.bn.runningMean`, shape: [this.outChannels], value: 0 },
      { name: `${this.name}.bn.runningVar`, shape: [this.outChannels], value: 1 },
    ];
  }

  /** Applies conv (or transposed conv), batch-norm (training or inference mode) and activation. */
  apply(g: Graph, x: Tensor, training: boolean): Tensor {
    const w = g.param(`${this.name}.weight`, this.weightShape);
    const b = g.param(`${this.name}.bias`, [this.outChannels]);
    const { stride = 1, padding = 0, outputPadding = 0 } = this.options;
    let y = this.options.transposed ? convTranspose2d(x, w, b, { stride, padding, outputPadding }) : conv2d(x, w, b, { stride, padding });
    if (this.options.batchNorm) {
      const c = this.outChannels;
      y = batchNorm(y, g.param(`${this.name}.bn.gamma`, [c]), g.param(`${this.name}.bn.beta`, [c]), g.buffer(`${this.name}.bn.runningMean`, [c]), g.buffer(`${this.name}.bn.runningVar`, [c]), { training });
    }
    return activate(y, this.options.activation ?? 'relu');
  }
}
