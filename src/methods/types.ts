/**
 * The public types of the methods: progress events, history rows, the autoencoder contract and the
 * record a fit produces. Other folders (cli, report, reproduce, worker) import them from here.
 */
import type { KCriterion, KCurve } from '../cluster/estimate-k.ts';
import type { Graph, ParameterStore, Tensor } from '../engine/index.ts';
import type { Decoded, Encoded } from '../nn/mlp-autoencoder.ts';
import type { PretrainEnd } from './pretrain-plateau.ts';

/** The autoencoder contract the training loop needs (MLP and conv autoencoders implement it). */
export interface Autoencoder {
  /** Width of the input rows. */
  readonly inputDim: number;
  /** Adds the encoder to `g`: the code and every encoder layer's output (training: batch statistics, dropout). */
  encode(g: Graph, x: Tensor, training?: boolean): Encoded;
  /** Adds the decoder to `g`: the reconstruction (logits and output) and its layers. */
  decode(g: Graph, z: Tensor, training?: boolean): Decoded;
  /** Names of the encoder's parameters in the store. */
  encoderParamNames(): string[];
  /** Names of the decoder's parameters in the store. */
  decoderParamNames(): string[];
  /** Fresh parameters from a seed. */
  initParameters(seed: number): ParameterStore;
}

/** One progress event. */
export interface ProgressEvent {
  /** Greedy layer-wise pretraining, pretraining, initial k-means, clustering, final re-clustering. */
  readonly phase: 'greedy' | 'pretrain' | 'init' | 'cluster' | 'recluster';
  /** Epoch (greedy: over all layer pairs; pretraining) or iteration (clustering) done so far, and the total. */
  readonly done: number;
  /** Epochs or iterations of the whole phase. */
  readonly total: number;
  /** Loss terms of the last epoch / interval. */
  readonly losses?: Readonly<Record<string, number>>;
  /** Fraction of labels that changed at the last target refresh. */
  readonly labelChange?: number;
  /** Current labels (for metrics against ground truth). */
  readonly labels?: Int32Array;
}

/** One row of the training history. */
export interface HistoryRow {
  /** The phase (`greedy`, `pretrain`, `init`, `cluster`). */
  readonly phase: string;
  /** Epoch (pretraining) or iteration (clustering) at the row's end; 0 for the initial k-means. */
  readonly step: number;
  /** Loss terms (and the initial k-means inertia). */
  readonly losses: Record<string, number>;
  /** Fraction of labels changed since the last refresh (clustering). */
  readonly labelChange?: number;
  /** On the last pretraining row of a method with `pretrain.plateau`: how the epochs ended. */
  readonly pretrainEnd?: PretrainEnd;
  /** Clustering accuracy against ground truth, filled in by callers that have labels. */
  acc?: number;
  /** Normalised mutual information against ground truth, filled in by callers that have labels. */
  nmi?: number;
}

/** Why training stopped: few labels changed (`tolerance`), the iteration budget, or no clustering phase (`none`). */
export type StoppedBy = 'tolerance' | 'maxIter' | 'none';

/** The result of a fit, as the training loop, checkpoints and saved models record it. */
export interface FitRecord {
  /** Cluster of each training row. */
  readonly labels: Int32Array;
  /** Row-major `[k, embeddingDim]` centres. */
  readonly centers: Float32Array;
  /** Width of the clustering feature space. */
  readonly embeddingDim: number;
  /** Clustering-phase iterations run. */
  readonly iterations: number;
  /** Why training stopped. */
  readonly stoppedBy: StoppedBy;
}

/**
 * Nodes put in front of an exported encoder, so the ONNX model takes raw rows of `nInputs`
 * features (e.g. `FittedPreprocessing.appendToGraph`).
 */
export interface OnnxInputTransform {
  /** Width of the raw rows. */
  readonly nInputs: number;
  /** Appends the transformation after the raw input tensor and returns the network's input. */
  readonly apply: (x: Tensor) => Tensor;
}

/** How k was estimated when a fit was asked for `nClusters: 'auto'` (on the embedding after pretraining). */
export interface FitKEstimate {
  /** The k the fit used. */
  readonly chosen: number;
  /** The criterion that chose it. */
  readonly criterion: KCriterion;
  /** The k values tried. */
  readonly ks: number[];
  /** Each computed criterion's curve over `ks` (values, rule, its own best k). */
  readonly curves: Partial<Record<KCriterion, KCurve>>;
  /** Rows the criteria were computed on (a seeded sample of at most 5,000). */
  readonly sampleSize: number;
  /** Seconds the estimate took. */
  readonly seconds: number;
}
