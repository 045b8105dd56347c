/**
 * The fully connected autoencoder of DEC/IDEC/DCN (default d-500-500-2000-10, ReLU, linear code and
 * output) with any layer sizes and activations.
 */
import { ParamError } from '../errors.ts';
import { type Graph, type ParameterStore, type Tensor, initParameters } from '../engine/index.ts';
import { type Activation, Dense, type InitName, type InitPlan, activate } from './layers.ts';
import type { Init } from '../engine/index.ts';

/** Options of {@link MlpAutoencoder}. */
export interface MlpAutoencoderOptions {
  /** Input width d. */
  readonly inputDim: number;
  /** Hidden widths of the encoder (the decoder mirrors them). @defaultValue [500, 500, 2000] */
  readonly hidden?: readonly number[];
  /** Code (embedding) width. @defaultValue 10 */
  readonly embeddingDim?: number;
  /** Hidden activation. @defaultValue 'relu' */
  readonly activation?: Activation;
  /** Code activation. @defaultValue 'linear' */
  readonly codeActivation?: Activation;
  /** Output activation (use 'sigmoid' with BCE on [0,1] data). @defaultValue 'linear' */
  readonly outputActivation?: Activation;
  /** Weight initialiser. @defaultValue 'glorotUniform' */
  readonly init?: InitName | Init;
  /** Prefix of parameter names. @defaultValue 'ae' */
  readonly name?: string;
}

/** Result of {@link MlpAutoencoder.encode}. */
export interface Encoded {
  /** The code (after the code activation). */
  readonly code: Tensor;
  /** Every encoder layer's output, first hidden layer first, the code last. */
  readonly layers: readonly Tensor[];
}

/** Result of {@link MlpAutoencoder.decode}. */
export interface Decoded {
  /** Reconstruction after the output activation. */
  readonly output: Tensor;
  /** Reconstruction before the output activation (for BCE with logits). */
  readonly logits: Tensor;
  /** Every decoder hidden layer's output. */
  readonly layers: readonly Tensor[];
}

/** A symmetric fully connected autoencoder. */
export class MlpAutoencoder {
  /** Encoder layers, input first (the last one outputs the code). */
  readonly encoder: readonly Dense[];
  /** Decoder layers, code first (the last one outputs the reconstruction). */
  readonly decoder: readonly Dense[];
  /** The options with their defaults filled in. */
  readonly options: Required<Omit<MlpAutoencoderOptions, 'init'>> & {
    /** Weight initialiser. */
    init: InitName | Init;
  };

  constructor(options: MlpAutoencoderOptions) {
    const o = {
      hidden: [500, 500, 2000],
      embeddingDim: 10,
      activation: 'relu' as Activation,
      codeActivation: 'linear' as Activation,
      outputActivation: 'linear' as Activation,
      init: 'glorotUniform' as InitName | Init,
      name: 'ae',
      ...options,
    };
    if (!Number.isInteger(o.inputDim) || o.inputDim < 1) throw new ParamError(`MlpAutoencoder: option 'inputDim' must be an integer >= 1, got ${o.inputDim}`);
    if (!Number.isInteger(o.embeddingDim) || o.embeddingDim < 1) throw new ParamError(`MlpAutoencoder: option 'embeddingDim' must be an integer >= 1, got ${o.embeddingDim}`);
    for (const h of o.hidden) if (!Number.isInteger(h) || h < 1) throw new ParamError(`MlpAutoencoder: option 'hidden' must hold integers >= 1, got [${o.hidden.join(',')}]`);
    this.options = o;
    const dims = [o.inputDim, ...o.hidden, o.embeddingDim];
    const n = dims.length - 1;
    this.encoder = dims.slice(0, -1).map((d, i) => new Dense(`${o.name}.enc${i}`, d, dims[i + 1]!, i === n - 1 ? o.codeActivation : o.activation, o.init));
    const rdims = [...dims].reverse();
    this.decoder = rdims.slice(0, -1).map((d, i) => new Dense(`${o.name}.dec${i}`, d, rdims[i + 1]!, i === n - 1 ? o.outputActivation : o.activation, o.init));
  }

  /** Width of the input rows. */
  get inputDim(): number {
    return this.options.inputDim;
  }

  /** Layer widths from input to code, e.g. `[784, 500, 500, 2000, 10]`. */
  get dims(): number[] {
    return [this.options.inputDim, ...this.options.hidden, this.options.embeddingDim];
  }

  /** Initialiser plan of every parameter. */
  plan(): InitPlan {
    const plan: InitPlan = new Map();
    for (const l of [...this.encoder, ...this.decoder]) l.plan(plan);
    return plan;
  }

  /** Names of the encoder's parameters. */
  encoderParamNames(): string[] {
    return this.encoder.flatMap((l) => [`${l.name}.weight`, `${l.name}.bias`]);
  }

  /** Names of the decoder's parameters. */
  decoderParamNames(): string[] {
    return this.decoder.flatMap((l) => [`${l.name}.weight`, `${l.name}.bias`]);
  }

  /** Fresh seeded parameters (encoder then decoder, in layer order). */
  initParameters(seed: number, dtype: 'float32' | 'float64' = 'float32'): ParameterStore {
    const specs = [...this.encoder, ...this.decoder].flatMap((l) => [
      { name: `${l.name}.weight`, shape: [l.inDim, l.outDim], dtype },
      { name: `${l.name}.bias`, shape: [l.outDim], dtype },
    ]);
    return initParameters(specs, this.plan(), seed);
  }

  /** Builds the encoder on `x` (`[batch, inputDim]`). */
  encode(g: Graph, x: Tensor, _training = false): Encoded {
    const layers: Tensor[] = [];
    let h = x;
    for (const l of this.encoder) {
      h = l.apply(g, h);
      layers.push(h);
    }
    return { code: h, layers };
  }

  /** Builds the decoder on a code `z` (`[batch, embeddingDim]`). */
  decode(g: Graph, z: Tensor, _training = false): Decoded {
    const layers: Tensor[] = [];
    let h = z;
    this.decoder.forEach((l, i) => {
      if (i < this.decoder.length - 1) {
        h = l.apply(g, h);
        layers.push(h);
      } else {
        h = l.linear(g, h);
      }
    });
    return { logits: h, output: activate(h, this.options.outputActivation), layers };
  }
}
