/**
 * Convolutional autoencoder: conv layers (strided, or followed by max pooling; 'same' or 'valid'
 * padding, optional batch norm), a code that is a dense layer (DCEC) or the last conv's output
 * itself (Aljalbout et al. §4), and a mirrored decoder: upsampling (max-unpooling to the
 * encoder's recorded switches, or nearest-neighbour) and transposed convs whose output padding
 * restores each encoder size exactly.
 */
import { ParamError } from '../errors.ts';
import { Graph, type ParameterStore, type Tensor, initParameters, maxPool2dWithIndices, maxUnpool2d, maxUnpool2dTies, reshape, upsample2d } from '../engine/index.ts';
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
  /** Max-pooling window (and stride) after each conv; 1 = none. @defaultValue all 1 */
  readonly pools?: readonly number[];
  /** 'same' (⌊k/2⌋ zero padding) or 'valid' (none). @defaultValue 'same' */
  readonly padding?: 'same' | 'valid';
  /** A dense code layer after the convs (DCEC), or the last conv's flattened output as the code (Aljalbout). @defaultValue true */
  readonly denseCode?: boolean;
  /**
   * How the decoder undoes pooling: to the encoder's arg-max position of each window
   * (`'switches'`), to every position that equals its window's maximum (`'switchesTies'`: Theano's
   * max-pool gradient, which Lasagne's InverseLayer in Aljalbout et al.'s code uses; all-zero
   * windows after a ReLU get the value in all positions), or nearest-neighbour. @defaultValue 'switches'
   */
  readonly unpool?: 'switches' | 'switchesTies' | 'nearest';
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

/** True when the options ask for a code of 1×1 maps: no dense code and embeddingDim = the last conv's channels. */
function codeSpansMap(o: Required<ConvAutoencoderOptions>): boolean {
  return !o.denseCode && o.embeddingDim === o.channels[o.channels.length - 1];
}

/**
 * A convolutional autoencoder on NCHW images (inputs are flat rows, reshaped inside). It adapts to
 * the image size in one way: without a dense code and with `embeddingDim` equal to the last conv's
 * channels (a 1×1 code), a valid, stride-1, unpooled last conv gets a kernel spanning the whole
 * square map left before it (Aljalbout et al.'s MNIST network: 4×4 on 28×28 images, 5×5 on 32×32).
 * Any other kernel or pool that does not fit the image is refused, naming the image size.
 */
export class ConvAutoencoder {
  /** The encoder's conv layers, input first. */
  readonly encoderConvs: readonly Conv2d[];
  /** Dense layer from the flattened last conv to the code (used with `denseCode`). */
  readonly toCode: Dense;
  /** Dense layer from the code back to the flattened last conv's shape (used with `denseCode`). */
  readonly fromCode: Dense;
  /** The decoder's (transposed) conv layers, code side first. */
  readonly decoderConvs: readonly Conv2d[];
  /** Spatial size after each encoder conv, input first: `[[28,28],[14,14],[7,7],[4,4]]`. */
  readonly sizes: ReadonlyArray<readonly [number, number]>;
  /** Spatial size right after each encoder conv, before its pooling. */
  readonly convSizes: ReadonlyArray<readonly [number, number]>;
  /** The options with their defaults filled in. */
  readonly options: Required<ConvAutoencoderOptions>;
  /** The pooling switches of each code this autoencoder encoded, for the decoder's unpooling. */
  private readonly switches = new WeakMap<Tensor, Array<{ indices: Tensor; like: Tensor; pooled: Tensor } | null>>();

  constructor(options: ConvAutoencoderOptions) {
    const o: Required<ConvAutoencoderOptions> = {
      channels: [32, 64, 128],
      kernels: [5, 5, 3],
      strides: [2, 2, 2],
      pools: (options.channels ?? [32, 64, 128]).map(() => 1),
      padding: 'same',
      denseCode: true,
      unpool: 'switches',
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
    const n = o.channels.length;
    if (o.kernels.length !== n || o.strides.length !== n || o.pools.length !== n)
      throw new ParamError(`ConvAutoencoder: channels, kernels, strides and pools must have the same length, got ${n}, ${o.kernels.length}, ${o.strides.length}, ${o.pools.length}`);
    const pad = (k: number) => (o.padding === 'valid' ? 0 : Math.floor(k / 2));
    const kernels = [...o.kernels];
    const sizes: Array<[number, number]> = [[h0, w0]];
    const convSizes: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) {
      const [h, w] = sizes[i]!;
      // a 1×1 code asked for (embeddingDim = the last conv's channels, no dense code) on another image size:
      // the last conv spans the whole remaining map, as each of Aljalbout et al.'s networks does
      if (i === n - 1 && codeSpansMap(o) && h === w && h !== kernels[i] && o.padding === 'valid' && o.strides[i] === 1 && o.pools[i] === 1) kernels[i] = h;
      const k = kernels[i]!;
      const s = o.strides[i]!;
      const q = o.pools[i]!;
      if (!Number.isInteger(q) || q < 1) throw new ParamError(`ConvAutoencoder: pools[${i}] must be an integer >= 1, got ${q}`);
      const conv: [number, number] = [Math.floor((h + 2 * pad(k) - k) / s) + 1, Math.floor((w + 2 * pad(k) - k) / s) + 1];
      if (conv[0] < 1 || conv[1] < 1) throw new ParamError(`ConvAutoencoder: on ${h0}×${w0} images layer ${i}'s ${k}×${k} kernel does not fit its ${h}×${w} input; use fewer, smaller or 'same'-padded layers for ${h0}×${w0} inputs`);
      if (conv[0] % q || conv[1] % q) throw new ParamError(`ConvAutoencoder: on ${h0}×${w0} images layer ${i}'s ${conv.join('×')} output cannot be pooled by ${q} and restored exactly; pick a pool size dividing it, or another kernel size`);
      convSizes.push(conv);
      sizes.push([conv[0] / q, conv[1] / q]);
    }
    this.options = { ...o, kernels };
    this.sizes = sizes;
    this.convSizes = convSizes;
    const chans = [c0, ...o.channels];
    const [hl, wl] = sizes[n]!;
    const flat = chans[n]! * hl * wl;
    if (!o.denseCode && o.embeddingDim !== flat)
      throw new ParamError(`ConvAutoencoder: without a dense code layer the code is the last conv's output, ${chans[n]}×${hl}×${wl} = ${flat} values; set embeddingDim to ${flat}`);
    this.encoderConvs = o.channels.map(
      (c, i) =>
        new Conv2d(`${o.name}.conv${i}`, chans[i]!, c, kernels[i]!, {
          stride: o.strides[i]!,
          padding: pad(kernels[i]!),
          // without a dense code, the last conv is the code: linear, as Aljalbout et al.'s
          activation: !o.denseCode && i === n - 1 ? 'linear' : o.activation,
          batchNorm: o.batchNorm,
          init: o.init,
        }),
    );
    this.toCode = new Dense(`${o.name}.code`, flat, o.embeddingDim, 'linear', o.init);
    this.fromCode = new Dense(`${o.name}.uncode`, o.embeddingDim, flat, o.activation, o.init);
    this.decoderConvs = o.channels.map((_, j) => {
      const i = n - 1 - j; // mirrors encoder layer i: from its conv output size back to its input size
      const [hin, win] = convSizes[i]!;
      const [hout, wout] = sizes[i]!;
      const k = kernels[i]!;
      const s = o.strides[i]!;
      const p = pad(k);
      const op = hout - (s * (hin - 1) + k - 2 * p);
      if (op < 0 || op >= s || wout - (s * (win - 1) + k - 2 * p) !== op) throw new ParamError(`ConvAutoencoder: cannot mirror layer ${i} (${hin}→${hout}) with kernel ${k}, stride ${s}`);
      const last = j === n - 1;
      return new Conv2d(`${o.name}.deconv${j}`, chans[i + 1]!, chans[i]!, k, {
        stride: s,
        padding: p,
        outputPadding: op,
        transposed: true,
        activation: last ? 'linear' : !o.denseCode && j === 0 ? 'linear' : o.activation,
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
    if (this.options.denseCode) {
      this.toCode.plan(plan);
      this.fromCode.plan(plan);
    }
    return plan;
  }

  /** Names of the encoder's parameters. */
  encoderParamNames(): string[] {
    const convs = [...this.plan().keys()].filter((k) => k.startsWith(`${this.options.name}.conv`));
    return this.options.denseCode ? [...convs, `${this.toCode.name}.weight`, `${this.toCode.name}.bias`] : convs;
  }

  /** Names of the decoder's parameters. */
  decoderParamNames(): string[] {
    const deconvs = [...this.plan().keys()].filter((k) => k.startsWith(`${this.options.name}.deconv`));
    return this.options.denseCode ? [`${this.fromCode.name}.weight`, `${this.fromCode.name}.bias`, ...deconvs] : deconvs;
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
    const switches: Array<{ indices: Tensor; like: Tensor; pooled: Tensor } | null> = [];
    this.encoderConvs.forEach((conv, i) => {
      t = conv.apply(g, t, training);
      const q = this.options.pools[i]!;
      if (q > 1) {
        const pooled = maxPool2dWithIndices(t, { kernel: q });
        switches.push({ indices: pooled.indices, like: t, pooled: pooled.y });
        t = pooled.y;
      } else switches.push(null);
      const [hh, ww] = this.sizes[i + 1]!;
      layers.push(reshape(t, [0, this.options.channels[i]! * hh * ww])); // static width: the code's size must be known
    });
    const code = this.options.denseCode ? this.toCode.apply(g, reshape(t, [0, -1])) : layers[layers.length - 1]!;
    if (this.options.denseCode) layers.push(code);
    this.switches.set(code, switches);
    return { code, layers };
  }

  /**
   * Builds the decoder on a code `z`; outputs are flat rows like the input. With pooling undone
   * by switches, `z` must be (a tensor computed from) the code this autoencoder's `encode` gave.
   */
  decode(g: Graph, z: Tensor, training = false): Decoded {
    const n = this.options.channels.length;
    const [hl, wl] = this.sizes[n]!;
    const c = this.options.channels[n - 1]!;
    let t = reshape(this.options.denseCode ? this.fromCode.apply(g, z) : z, [-1, c, hl, wl]);
    const unpool = this.options.unpool;
    const usesSwitches = unpool !== 'nearest' && this.options.pools.some((q) => q > 1);
    const switches = this.switches.get(z);
    if (usesSwitches && !switches) throw new ParamError('ConvAutoencoder: unpooling to switches needs the code from encode() in the same graph; use unpool: nearest to decode other codes');
    const layers: Tensor[] = [];
    this.decoderConvs.forEach((d, j) => {
      const i = n - 1 - j;
      const q = this.options.pools[i]!;
      if (q > 1 && !usesSwitches) t = upsample2d(t, q);
      else if (q > 1) {
        const sw = switches![i]!;
        t = unpool === 'switches' ? maxUnpool2d(t, sw.indices, sw.like) : maxUnpool2dTies(t, sw.pooled, sw.like, q);
      }
      t = d.apply(g, t, training);
      if (j < n - 1) layers.push(reshape(t, [0, -1]));
    });
    const logits = reshape(t, [0, -1]);
    return { logits, output: activate(logits, this.options.outputActivation), layers };
  }
}
