/**
 * Convolutional autoencoder (as DCEC and Aljalbout et al. §4): strided conv layers with 'same'
 * padding, a dense code, and a mirrored decoder of transposed convs whose output padding restores
 * each encoder size exactly.
 */
import { ParamError } from '../errors.ts';
import { Graph, type ParameterStore, type Tensor, initParameters, reshape } from '../engine/index.ts';
import { type Activation, Conv2d, Dense, type InitName, type InitPlan, activate } from './layers.ts';
import type { Decoded, Encoded } from './mlp-autoencoder.ts';

/** Options of {@link ConvAutoencoder}. */
export interface ConvAutoencoderOptions {
  /** Input image shape `[channels, height, width]`. */
  readonly imageShape: readonly [number, number, number];
  /** Output channels of each encoder conv. @defaultValue [32, 64, 128] */
  readonly channels?: readonly number[];
  /** Kernel size of each conv. @defaultValue [5, 5, 3] */
  readonly kernels?: readonly number[];
  /** Stride of each conv. @defaultValue [2, 2, 2] */
  readonly strides?: readonly number[];
  /** Code width. @defaultValue 10 */
  readonly embeddingDim?: number;
  /** Hidden activation. @defaultValue 'relu' */
  readonly activation?: Activation;
  /** Batch normalisation after each hidden conv. @defaultValue false */
  readonly batchNorm?: boolean;
  /** Output activation. @defaultValue 'linear' */
  readonly outputActivation?: Activation;
  /** Weight initialiser. @defaultValue 'glorotUniform' */
  readonly init?: InitName;
  /** Prefix of parameter names. @defaultValue 'cae' */
  readonly name?: string;
}

/** A convolutional autoencoder on NCHW images (inputs are flat rows, reshaped inside). */
export class ConvAutoencoder {
  readonly encoderConvs: readonly Conv2d[];
  readonly toCode: Dense;
  readonly fromCode: Dense;
  readonly decoderConvs: readonly Conv2d[];
  /** Spatial size after each encoder conv, input first: `[[28,28],[14,14],[7,7],[4,4]]`. */
  readonly sizes: ReadonlyArray<readonly [number, number]>;
  readonly options: Required<ConvAutoencoderOptions>;

  constructor(options: ConvAutoencoderOptions) {
    const o: Required<ConvAutoencoderOptions> = {
      channels: [32, 64, 128],
      kernels: [5, 5, 3],
      strides: [2, 2, 2],
      embeddingDim: 10,
      activation: 'relu',
      batchNorm: false,
      outputActivation: 'linear',
      init: 'glorotUniform',
      name: 'cae',
      ...options,
    };
    const [c0, h0, w0] = o.imageShape;
    if (![c0, h0, w0].every((v) => Number.isInteger(v) && v >= 1)) throw new ParamError(`ConvAutoencoder: imageShape must be three positive integers, got [${o.imageShape.join(',')}]`);
    this.options = o;
    const sizes: Array<[number, number]> = [[h0, w0]];
    for (let i = 0; i < o.channels.length; i++) {
      const [h, w] = sizes[i]!;
      const k = o.kernels[i]!;
      const s = o.strides[i]!;
      const p = Math.floor(k / 2);
      const next: [number, number] = [Math.floor((h + 2 * p - k) / s) + 1, Math.floor((w + 2 * p - k) / s) + 1];
      if (next[0] < 1 || next[1] < 1) throw new ParamError(`ConvAutoencoder: layer ${i} shrinks the image to ${next.join('×')}; use fewer or smaller-stride layers for ${h0}×${w0} inputs`);
      sizes.push(next);
    }
    this.sizes = sizes;
    const chans = [c0, ...o.channels];
    this.encoderConvs = o.channels.map(
      (c, i) => new Conv2d(`${o.name}.conv${i}`, chans[i]!, c, o.kernels[i]!, { stride: o.strides[i]!, padding: Math.floor(o.kernels[i]! / 2), activation: o.activation, batchNorm: o.batchNorm, init: o.init }),
    );
    const [hl, wl] = sizes[sizes.length - 1]!;
    const flat = chans[chans.length - 1]! * hl * wl;
    this.toCode = new Dense(`${o.name}.code`, flat, o.embeddingDim, 'linear', o.init);
    this.fromCode = new Dense(`${o.name}.uncode`, o.embeddingDim, flat, o.activation, o.init);
    const n = o.channels.length;
    this.decoderConvs = o.channels.map((_, j) => {
      const i = n - 1 - j; // mirrors encoder layer i
      const [hin, win] = sizes[i + 1]!;
      const [hout] = sizes[i]!;
      const k = o.kernels[i]!;
      const s = o.strides[i]!;
      const p = Math.floor(k / 2);
      const op = hout - (s * (hin - 1) + k - 2 * p);
      if (op < 0 || op >= s || sizes[i]![1] - (s * (win - 1) + k - 2 * p) !== op)
        throw new ParamError(`ConvAutoencoder: cannot mirror layer ${i} (${hin}→${hout}) with kernel ${k}, stride ${s}`);
      const last = j === n - 1;
      return new Conv2d(`${o.name}.deconv${j}`, chans[i + 1]!, chans[i]!, k, {
        stride: s,
        padding: p,
        outputPadding: op,
        transposed: true,
        activation: last ? 'linear' : o.activation,
        batchNorm: last ? false : o.batchNorm,
        init: o.init,
      });
    });
  }

  /** Width of a flat input row (c·h·w). */
  get inputDim(): number {
    const [c, h, w] = this.options.imageShape;
    return c * h * w;
  }

  /** Initialiser plan of every parameter. */
  plan(): InitPlan {
    const plan: InitPlan = new Map();
    for (const l of [...this.encoderConvs, ...this.decoderConvs]) l.plan(plan);
    this.toCode.plan(plan);
    this.fromCode.plan(plan);
    return plan;
  }

  /** Names of the encoder's parameters. */
  encoderParamNames(): string[] {
    return [...[...this.plan().keys()].filter((k) => k.startsWith(`${this.options.name}.conv`)), `${this.toCode.name}.weight`, `${this.toCode.name}.bias`];
  }

  /** Names of the decoder's parameters. */
  decoderParamNames(): string[] {
    return [`${this.fromCode.name}.weight`, `${this.fromCode.name}.bias`, ...[...this.plan().keys()].filter((k) => k.startsWith(`${this.options.name}.deconv`))];
  }

  /** Fresh seeded parameters, and the batch-norm buffers at their initial values. */
  initParameters(seed: number): ParameterStore {
    // Shapes come from a throw-away graph so they always match what encode/decode declare.
    const { paramSpecs, buffers } = this.shapes();
    const store = initParameters(paramSpecs, this.plan(), seed);
    for (const b of buffers) store.add(b.name, b.shape, new Float32Array(b.shape.reduce((a, c) => a * c, 1)).fill(b.value), false);
    return store;
  }

  private shapes() {
    const g = new Graph();
    const x = g.input('x', [1, this.inputDim]);
    this.decode(g, this.encode(g, x, true).code, true);
    return { paramSpecs: g.paramSpecs(), buffers: [...this.encoderConvs, ...this.decoderConvs].flatMap((l) => l.buffers()) };
  }

  /** Builds the encoder on flat rows `x` (`[batch, c·h·w]`). */
  encode(g: Graph, x: Tensor, training = false): Encoded {
    const [c, h, w] = this.options.imageShape;
    let t = reshape(x, [-1, c, h, w]);
    const layers: Tensor[] = [];
    for (const conv of this.encoderConvs) {
      t = conv.apply(g, t, training);
      layers.push(reshape(t, [0, -1]));
    }
    const code = this.toCode.apply(g, reshape(t, [0, -1]));
    layers.push(code);
    return { code, layers };
  }

  /** Builds the decoder on a code `z`; outputs are flat rows like the input. */
  decode(g: Graph, z: Tensor, training = false): Decoded {
    const n = this.options.channels.length;
    const [hl, wl] = this.sizes[n]!;
    let t = reshape(this.fromCode.apply(g, z), [-1, this.options.channels[n - 1]!, hl, wl]);
    const layers: Tensor[] = [];
    this.decoderConvs.forEach((d, j) => {
      t = d.apply(g, t, training);
      if (j < n - 1) layers.push(reshape(t, [0, -1]));
    });
    const logits = reshape(t, [0, -1]);
    return { logits, output: activate(logits, this.options.outputActivation), layers };
  }
}
