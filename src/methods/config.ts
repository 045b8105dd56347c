/**
 * A deep clustering method as a choice of building blocks (Aljalbout et al. 2018, "Clustering
 * with Deep Learning: Taxonomy and New Methods"): architecture, clustering features, non-clustering
 * loss, clustering loss, how the two combine, how clusters are updated, and what happens after
 * training. Presets (`presets.ts`) are literals of this type; users can write their own as JSON.
 */
import { ParamError } from '../errors.ts';
import { didYouMean } from '../suggest.ts';
import { checkPreprocessing } from '../data/preprocess.ts';
import type { Activation, InitName } from '../nn/layers.ts';

/** Optimizer settings (see the engine's `sgd` / `adam`). */
export type OptimizerConfig =
  | {
      /** Adam (Kingma & Ba). */
      readonly name: 'adam';
      /** Learning rate. */
      readonly lr: number;
      /** Decay of the first-moment average. @defaultValue 0.9 */
      readonly beta1?: number;
      /** Decay of the second-moment average. @defaultValue 0.999 */
      readonly beta2?: number;
      /** Added to the root of the second moment. @defaultValue 1e-8 */
      readonly eps?: number;
      /** L2 penalty added to the gradient. @defaultValue 0 */
      readonly weightDecay?: number;
    }
  | {
      /** Stochastic gradient descent. */
      readonly name: 'sgd';
      /** Learning rate. */
      readonly lr: number;
      /** Momentum factor. @defaultValue 0 */
      readonly momentum?: number;
      /** Nesterov momentum. @defaultValue false */
      readonly nesterov?: boolean;
      /** L2 penalty added to the gradient. @defaultValue 0 */
      readonly weightDecay?: number;
    };

/** Network architecture. */
export type ArchitectureConfig =
  | {
      /** A fully connected autoencoder. */
      readonly kind: 'mlp';
      /** Encoder hidden widths; the decoder mirrors them. */
      readonly hidden: readonly number[];
      /** Width of the code (embedding) layer. */
      readonly embeddingDim: number;
      /** Activation of the hidden layers. */
      readonly activation: Activation;
      /** Activation of the code layer (usually linear). */
      readonly codeActivation: Activation;
      /** Activation of the reconstruction (linear, or sigmoid for data in [0, 1]). */
      readonly outputActivation: Activation;
      /** Weight initialiser. */
      readonly init: InitName;
    }
  | {
      /** A convolutional autoencoder (image rows). */
      readonly kind: 'conv';
      /** Output channels of each strided conv layer of the encoder; the decoder mirrors them. */
      readonly channels: readonly number[];
      /** Kernel size of each conv layer. */
      readonly kernels: readonly number[];
      /** Stride of each conv layer (2 halves the image). */
      readonly strides: readonly number[];
      /** Max-pooling window after each conv (1 = none). @defaultValue all 1 */
      readonly pools?: readonly number[];
      /** 'same' or 'valid' conv padding. @defaultValue 'same' */
      readonly padding?: 'same' | 'valid';
      /** A dense code layer (DCEC) or the last conv's output as the code (Aljalbout). @defaultValue true */
      readonly denseCode?: boolean;
      /** Decoder unpooling: to the encoder's switches (arg-max, or every tied maximum) or nearest-neighbour. @defaultValue 'switches' */
      readonly unpool?: 'switches' | 'switchesTies' | 'nearest';
      /** Width of the dense code layer (with `denseCode`). */
      readonly embeddingDim: number;
      /** Activation of the conv layers. */
      readonly activation: Activation;
      /** Batch normalisation after each conv layer. */
      readonly batchNorm: boolean;
      /** Activation of the reconstruction. */
      readonly outputActivation: Activation;
      /** Weight initialiser. */
      readonly init: InitName;
    };

/** Which representation the clustering sees. */
export type FeaturesConfig =
  | {
      /** The code (embedding) layer. */
      readonly kind: 'code';
    }
  | {
      /** Several encoder layers, concatenated. */
      readonly kind: 'layers';
      /** Encoder layer indices (0 = first hidden); concatenated. */
      readonly layers: readonly number[];
    };

/** Autoencoder pretraining (phase 1). */
export interface PretrainConfig {
  /** Reconstruction loss: mean squared error, or binary cross-entropy (data in [0, 1]). */
  readonly loss: 'mse' | 'bce';
  /** Epochs (passes over the data). */
  readonly epochs: number;
  /** Mini-batch size. */
  readonly batchSize: number;
  /** Optimizer of the pretraining. */
  readonly optimizer: OptimizerConfig;
  /** Input corruption while pretraining (denoising autoencoder). */
  readonly corruption?: {
    /** Drop inputs to 0 (scaled), or add Gaussian noise. */
    readonly kind: 'dropout' | 'gaussian';
    /** Dropout probability, or the noise's standard deviation. */
    readonly rate: number;
  };
  /** Soft nearest neighbour loss on the hidden layers (Agarap & Azcarraga 2020), added with weight α. */
  readonly snnl?: SnnlConfig;
  /** CDC's pretraining regulariser λ[L_cr(Z, X) + L_cr(Z, X′)] (Trinh & Pham). */
  readonly correlation?: {
    /** Weight λ of the regulariser. */
    readonly lambda: number;
  };
  /** Greedy layer-wise denoising pretraining before the end-to-end epochs (DEC; MLP only). */
  readonly greedy?: GreedyPretrainConfig;
  /** Random rotations and shifts of the input images (DEC-DA) in the end-to-end epochs (greedy layer-wise pairs train on clean rows); image data only. */
  readonly augment?: AugmentConfig;
}

/** Random affine augmentation of image inputs (Guo et al., ACML 2018: rotation ≤ 10°, shift ≤ 10 %). */
export interface AugmentConfig {
  /** Largest rotation in degrees. */
  readonly rotate: number;
  /** Largest shift along each axis, as a fraction of the image's width and height (0.1: 2.8 pixels of 28). */
  readonly shift: number;
}

/** DEC's greedy layer-wise pretraining: each encoder/decoder layer pair as a denoising autoencoder. */
export interface GreedyPretrainConfig {
  /** Epochs per layer pair (DEC: 50,000 iterations of batch 256 per layer). */
  readonly epochs: number;
  /** Dropout rate of each pair's input. @defaultValue 0.2 */
  readonly corruption?: number;
  /** Optimizer of the layer pairs (DEC: SGD lr 0.1, momentum 0.9). @defaultValue the pretraining optimizer */
  readonly optimizer?: OptimizerConfig;
}

/** The SNNL block of the SNNL autoencoder. */
export interface SnnlConfig {
  /** Weight α of the SNNL term. */
  readonly alpha: number;
  /** A fixed temperature, or `'annealed'`: T = 1/(1 + epoch)^0.55. */
  readonly temperature: number | 'annealed';
  /** Sum of the per-layer losses, or their minimum ("arg-min"). */
  readonly layers: 'sum' | 'min';
  /** Groups are the ground-truth labels (supervised) or all other points (unsupervised). */
  readonly supervised: boolean;
  /** Distance between points in the loss's kernel. */
  readonly distance: 'cosine' | 'euclidean';
}

/** Non-clustering loss of the clustering phase. */
export type NonClusteringLossConfig =
  | {
      /** No non-clustering loss (the decoder is dropped). */
      readonly kind: 'none';
    }
  | {
      /** The autoencoder's reconstruction loss. */
      readonly kind: 'reconstruction';
      /** Mean squared error, or binary cross-entropy (data in [0, 1]). */
      readonly loss: 'mse' | 'bce';
      /** 'mean' over every element, or 'sum' over features then mean over the batch. @defaultValue 'mean' */
      readonly reduction?: 'mean' | 'sum';
    };

/** Clustering loss of the clustering phase. */
export type ClusteringLossConfig =
  | {
      /** No clustering loss: k-means on the pretrained embedding (AE + k-means). */
      readonly kind: 'none';
    }
  /** Cluster assignment hardening (DEC): KL(P‖Q) with Student-t Q of ν = alpha. */
  | {
      /** Cluster assignment hardening (DEC). */
      readonly kind: 'dec';
      /** Degrees of freedom ν of the Student-t kernel (DEC: 1). */
      readonly alpha: number;
    }
  /** k-means loss (DCN): ½‖z − μ_s‖² with hard assignments. */
  | {
      /** k-means loss (DCN). */
      readonly kind: 'kmeans';
    }
  /**
   * CDC (Trinh & Pham): L_c = KL(P‖Q), affinity L_a = KL(C_Q‖C_Z), regulariser L_re = L_cr(Z,X) +
   * L_cr(Z,X′); centres descend L_c + ηL_a, the decoder L_AE = λL_re + L_r, the encoder
   * L_DC = L_c + ηL_a + βL_re (Algorithm 1).
   */
  | {
      /** Deep clustering with an affinity loss and a correlation regulariser (CDC). */
      readonly kind: 'cdc';
      /** Weight η of the affinity loss L_a. */
      readonly eta: number;
      /** Weight β of the regulariser L_re in the encoder's loss. */
      readonly beta: number;
      /** Weight λ of the regulariser L_re in the decoder's loss. */
      readonly lambda: number;
    }
  /**
   * Cluster classification: a softmax head on the features, trained with cross-entropy against
   * hard pseudo-labels from k-means steps on the embedding (refreshed every T iterations).
   */
  | {
      /** Cluster classification against pseudo-labels. */
      readonly kind: 'classification';
    };

/** How the losses combine. */
export interface CombinationConfig {
  /** Weight γ of the clustering loss. */
  readonly clusteringWeight: number;
  /** Weight of the non-clustering loss. */
  readonly nonClusteringWeight: number;
  /** Schedule: the clustering weight ramps linearly from 0 to its value over this many iterations. */
  readonly rampIterations?: number;
}

/** How cluster centres and targets are updated during the clustering phase. */
export interface ClusterUpdateConfig {
  /**
   * `'joint'`: centres are trainable parameters updated with the network (DEC/IDEC).
   * `'alternating'`: centres are updated apart from the network, by running means of the points
   * assigned to them (DCN), or by k-means steps on the whole embedding every T iterations (cluster
   * classification).
   * `'agglomerative'`: start from `initialClusters` small clusters and, every T iterations, merge
   * them by Ward linkage (a fraction `1 − mergeRate` at a time) until k remain — JULE-style merges
   * while the representation learns (hard-target losses: k-means or classification).
   */
  readonly kind: 'joint' | 'alternating' | 'agglomerative';
  /** Iterations T between target refreshes (P from all data) and label-change checks. */
  readonly updateInterval: number;
  /** `'all'`: P computed from ALL data every T iterations (paper); `'batch'`: from each batch (ClustPy). */
  readonly targetScope: 'all' | 'batch';
  /**
   * Batch-norm statistics of the pass that computes Q for the targets P (`targetScope: 'all'`):
   * `'running'` normalises with the running averages (inference mode); `'batch'` runs the data in
   * order in batches of `train.batchSize` with each batch's own statistics, as the training steps
   * see it, as Aljalbout et al.'s Lasagne code does (its pass also nudges the running averages; ours
   * leaves them alone). No effect on a network without batch norm. @defaultValue 'running'
   */
  readonly targetBatchNorm?: 'running' | 'batch';
  /** Stop when fewer than this fraction of labels change between refreshes (δ). */
  readonly tol: number;
  /** Learning rate of the centres when different from the network's (joint updates). */
  readonly centerLr?: number;
  /** Initial per-cluster counts of the running-mean updates (alternating). */
  readonly initialCount?: number;
  /** Clusters the agglomerative update starts from. @defaultValue 5·k (at most n) */
  readonly initialClusters?: number;
  /** Fraction of clusters kept at each agglomerative stage. @defaultValue 0.5 */
  readonly mergeRate?: number;
}

/** The clustering (fine-tuning) phase. */
export interface TrainConfig {
  /** Maximum iterations (mini-batches). */
  readonly maxIter: number;
  /** Mini-batch size. */
  readonly batchSize: number;
  /** Optimizer of the clustering phase. */
  readonly optimizer: OptimizerConfig;
  /** Keep training the decoder (with a reconstruction loss) or drop it. */
  readonly keepDecoder: boolean;
  /**
   * Train on randomly rotated and shifted images while the targets P come from the clean data
   * (DEC-DA); image data only.
   */
  readonly augment?: AugmentConfig;
}

/** Extra clustering-phase terms from the taxonomy, added to the loss with their weights. */
export type RegularizerConfig =
  /** KL(G‖U) of the batch's cluster distribution against the uniform prior (needs soft assignments). */
  | {
      /** Balanced assignments. */
      readonly kind: 'balanced';
      /** Weight of the term. */
      readonly weight: number;
    }
  /** Σ_g λ√n_g‖z_g‖ over consecutive groups of the features. */
  | {
      /** Group sparsity. */
      readonly kind: 'groupSparsity';
      /** Weight λ of the term. */
      readonly weight: number;
      /** Sizes of the consecutive feature groups (summing to the feature width). */
      readonly groups: readonly number[];
    }
  /** Σ_j s_ij‖z_i − z_j‖² over each point's k nearest input-space neighbours in the batch. */
  | {
      /** Locality preservation. */
      readonly kind: 'locality';
      /** Weight of the term. */
      readonly weight: number;
      /** Neighbours k of each point within the batch. */
      readonly neighbors: number;
      /** Heat-kernel bandwidth t: s_ij = exp(−‖x_i − x_j‖² / t). */
      readonly bandwidth: number;
    };

/** A whole method. */
export interface MethodConfig {
  /** Name of the method (a preset's name, or your own). */
  readonly name: string;
  /** The paper (or source) the method follows. */
  readonly reference: string;
  /** The network. */
  readonly architecture: ArchitectureConfig;
  /** The representation the clustering sees. */
  readonly features: FeaturesConfig;
  /** Autoencoder pretraining, or null for none. */
  readonly pretrain: PretrainConfig | null;
  /** k-means restarts for the initial centres. */
  readonly initNInit: number;
  /** Non-clustering loss of the clustering phase. */
  readonly nonClusteringLoss: NonClusteringLossConfig;
  /** Clustering loss of the clustering phase. */
  readonly clusteringLoss: ClusteringLossConfig;
  /** How the two losses combine. */
  readonly combination: CombinationConfig;
  /** How centres and targets are updated. */
  readonly clusterUpdate: ClusterUpdateConfig;
  /** The clustering phase, or null for none (AE + k-means). */
  readonly train: TrainConfig | null;
  /** Re-run k-means on the final embedding and report those labels. */
  readonly reclusterAfterTraining: boolean;
  /** Extra taxonomy terms of the clustering phase. */
  readonly regularizers?: readonly RegularizerConfig[];
  /** Notes on deviations from the paper (shown by `deepclust describe`). */
  readonly notes?: readonly string[];
  /**
   * The paper's settings that differ per data set (e.g. IDEC's update interval T = 30 on USPS),
   * keyed by the named data set (`usps`, `reuters-10k`, …); applied by `applyDatasetDefaults`
   * before the user's own overrides.
   */
  readonly perDataset?: Readonly<Record<string, DeepPartial<MethodConfig>>>;
  /** The reduced schedule of the short budget (`--budget short`). @defaultValue {@link DEFAULT_SHORT_BUDGET} */
  readonly shortBudget?: ShortBudget;
  /**
   * The preprocessing the method's paper applied to the data (step names of `PREPROCESSING`), usually
   * set per data set: DEC and IDEC scale MNIST pixels by 0.02 (`dec-mnist`), not /255. The CLI,
   * `reproduce` and the benchmarks load data with these steps unless `--preprocess` says otherwise.
   * The library's `fit(x)` takes `x` as given: load it with
   * `loadDataset(name, { preprocess: methodPreprocessing(method, name) })`.
   * @defaultValue the data set's own default
   */
  readonly preprocess?: readonly string[];
}

/** A reduced schedule for quick runs: fewer pretraining epochs and clustering iterations. */
export interface ShortBudget {
  /** Pretraining epochs. */
  readonly pretrainEpochs: number;
  /** Most clustering iterations. */
  readonly maxIter: number;
}

/** The short budget of a method that names none: 40 pretraining epochs, 2,000 iterations. */
export const DEFAULT_SHORT_BUDGET: ShortBudget = { pretrainEpochs: 40, maxIter: 2000 };

/**
 * The overrides that put a method on its short budget: only the phases the method has are
 * shortened (AE + k-means has no clustering phase).
 */
export function shortBudgetOverrides(m: MethodConfig): DeepPartial<MethodConfig> {
  const b = m.shortBudget ?? DEFAULT_SHORT_BUDGET;
  // a method already shorter than the budget keeps its own schedule
  return { ...(m.pretrain ? { pretrain: { epochs: Math.min(m.pretrain.epochs, b.pretrainEpochs) } } : {}), ...(m.train ? { train: { maxIter: Math.min(m.train.maxIter, b.maxIter) } } : {}) };
}

/**
 * The method with its per-data-set settings for `dataset` merged in (the named set's base name:
 * `usps:test` → `usps`), and a note saying so; the method itself when none apply.
 */
export function applyDatasetDefaults(m: MethodConfig, dataset: string | undefined): MethodConfig {
  const base = dataset?.toLowerCase().split(':')[0];
  const over = base ? m.perDataset?.[base] : undefined;
  if (!over) return m;
  const merged = mergeConfig(m, over);
  return { ...merged, notes: [...(m.notes ?? []), `Per-data-set settings of the paper for ${base}: ${JSON.stringify(over)}.`] };
}

/** Deep partial of a config, for overrides. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends ReadonlyArray<unknown> ? T[K] : T[K] extends object | null ? DeepPartial<NonNullable<T[K]>> | null : T[K] };

/** Merges overrides into a config (objects merge, arrays and scalars replace, null clears; an optimizer with another `name` replaces the old one whole). */
export function mergeConfig<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (over === undefined) return base;
  if (over === null) return null as T;
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof over !== 'object' || Array.isArray(over)) return over as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    if (v === undefined) continue;
    // another optimizer is a fresh one: SGD's momentum must not linger in an Adam override
    if (k === 'optimizer' && isOptimizerSwitch(out[k], v)) {
      out[k] = v;
      continue;
    }
    out[k] = k in out && out[k] !== null && typeof out[k] === 'object' && v !== null && typeof v === 'object' && !Array.isArray(v) ? mergeConfig(out[k], v as never) : v;
  }
  return out as T;
}

function isOptimizerSwitch(base: unknown, over: unknown): boolean {
  const name = (o: unknown) => (o !== null && typeof o === 'object' ? (o as { name?: unknown }).name : undefined);
  return name(over) !== undefined && name(base) !== undefined && name(over) !== name(base);
}

function posInt(where: string, v: unknown, min = 1): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ParamError(`${where} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
}
function posNum(where: string, v: unknown, allowZero = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) throw new ParamError(`${where} must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${JSON.stringify(v)}`);
}
function oneOf<T extends string>(where: string, v: unknown, options: readonly T[]): void {
  if (!options.includes(v as T)) throw new ParamError(`${where} must be one of ${options.join(', ')}, got ${JSON.stringify(v)}`);
}

const OPTIMIZER_KEYS = { adam: ['name', 'lr', 'beta1', 'beta2', 'eps', 'weightDecay'], sgd: ['name', 'lr', 'momentum', 'nesterov', 'weightDecay'] } as const;
/** The keys each part of a method config may have (a typo in a user's config must not be ignored). */
const METHOD_KEYS = {
  method: ['name', 'reference', 'architecture', 'features', 'pretrain', 'initNInit', 'nonClusteringLoss', 'clusteringLoss', 'combination', 'clusterUpdate', 'train', 'reclusterAfterTraining', 'regularizers', 'notes', 'perDataset', 'shortBudget', 'preprocess'],
  shortBudget: ['pretrainEpochs', 'maxIter'],
  mlp: ['kind', 'hidden', 'embeddingDim', 'activation', 'codeActivation', 'outputActivation', 'init'],
  conv: ['kind', 'channels', 'kernels', 'strides', 'pools', 'padding', 'denseCode', 'unpool', 'embeddingDim', 'activation', 'batchNorm', 'outputActivation', 'init'],
  features: ['kind', 'layers'],
  pretrain: ['loss', 'epochs', 'batchSize', 'optimizer', 'corruption', 'snnl', 'correlation', 'greedy', 'augment'],
  augment: ['rotate', 'shift'],
  greedy: ['epochs', 'corruption', 'optimizer'],
  snnl: ['alpha', 'temperature', 'layers', 'supervised', 'distance'],
  corruption: ['kind', 'rate'],
  correlation: ['lambda'],
  nonClusteringLoss: ['kind', 'loss', 'reduction'],
  clusteringLoss: ['kind', 'alpha', 'eta', 'beta', 'lambda'],
  combination: ['clusteringWeight', 'nonClusteringWeight', 'rampIterations'],
  clusterUpdate: ['kind', 'updateInterval', 'targetScope', 'targetBatchNorm', 'tol', 'centerLr', 'initialCount', 'initialClusters', 'mergeRate'],
  train: ['maxIter', 'batchSize', 'optimizer', 'keepDecoder', 'augment'],
  regularizer: ['kind', 'weight', 'groups', 'neighbors', 'bandwidth'],
} as const;

function checkAugment(where: string, a: AugmentConfig): void {
  for (const key of ['rotate', 'shift'] as const)
    if (!(typeof a[key] === 'number' && Number.isFinite(a[key]) && a[key] >= 0)) throw new ParamError(`${where}.${key} must be a number >= 0 (degrees for rotate, a fraction of the image size for shift), got ${JSON.stringify(a[key])}`);
  if (a.rotate > 180) throw new ParamError(`${where}.rotate is in degrees and at most 180, got ${a.rotate}`);
  if (a.shift > 1) throw new ParamError(`${where}.shift is a fraction of the image size (e.g. 0.1), at most 1; got ${a.shift}`);
}

function knownKeys(where: string, obj: unknown, keys: readonly string[]): void {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return;
  for (const k of Object.keys(obj)) {
    if (keys.includes(k) || (obj as Record<string, unknown>)[k] === undefined) continue;
    throw new ParamError(`${where}.${k} is not a method option${didYouMean(k, keys)}; ${where} takes ${keys.join(', ')}`);
  }
}

/** Rejects keys a method config does not have, naming the closest valid one. */
function checkKeys(m: MethodConfig): void {
  knownKeys('method', m, METHOD_KEYS.method);
  // both kinds' keys: a config that extends an MLP preset with a conv architecture keeps the MLP keys
  knownKeys('method.architecture', m.architecture, [...new Set([...METHOD_KEYS.mlp, ...METHOD_KEYS.conv])]);
  knownKeys('method.features', m.features, METHOD_KEYS.features);
  if (m.pretrain) {
    knownKeys('method.pretrain', m.pretrain, METHOD_KEYS.pretrain);
    knownKeys('method.pretrain.snnl', m.pretrain.snnl, METHOD_KEYS.snnl);
    knownKeys('method.pretrain.corruption', m.pretrain.corruption, METHOD_KEYS.corruption);
    knownKeys('method.pretrain.correlation', m.pretrain.correlation, METHOD_KEYS.correlation);
    knownKeys('method.pretrain.greedy', m.pretrain.greedy, METHOD_KEYS.greedy);
    knownKeys('method.pretrain.augment', m.pretrain.augment, METHOD_KEYS.augment);
    const o = m.pretrain.optimizer as { name?: string } | undefined;
    if (o?.name === 'adam' || o?.name === 'sgd') knownKeys('method.pretrain.optimizer', o, [...new Set([...OPTIMIZER_KEYS.adam, ...OPTIMIZER_KEYS.sgd])]);
  }
  knownKeys('method.nonClusteringLoss', m.nonClusteringLoss, METHOD_KEYS.nonClusteringLoss);
  knownKeys('method.clusteringLoss', m.clusteringLoss, METHOD_KEYS.clusteringLoss);
  knownKeys('method.combination', m.combination, METHOD_KEYS.combination);
  knownKeys('method.clusterUpdate', m.clusterUpdate, METHOD_KEYS.clusterUpdate);
  if (m.train) {
    knownKeys('method.train', m.train, METHOD_KEYS.train);
    knownKeys('method.train.augment', m.train.augment, METHOD_KEYS.augment);
    const o = m.train.optimizer as { name?: string } | undefined;
    if (o?.name === 'adam' || o?.name === 'sgd') knownKeys('method.train.optimizer', o, [...new Set([...OPTIMIZER_KEYS.adam, ...OPTIMIZER_KEYS.sgd])]);
  }
  (m.regularizers ?? []).forEach((r, i) => knownKeys(`method.regularizers[${i}]`, r, METHOD_KEYS.regularizer));
  if (m.shortBudget !== undefined) {
    knownKeys('method.shortBudget', m.shortBudget, METHOD_KEYS.shortBudget);
    posInt('method.shortBudget.pretrainEpochs', m.shortBudget.pretrainEpochs, 0);
    posInt('method.shortBudget.maxIter', m.shortBudget.maxIter, 0);
  }
  if (m.perDataset !== undefined && (typeof m.perDataset !== 'object' || m.perDataset === null || Array.isArray(m.perDataset)))
    throw new ParamError('method.perDataset must map data set names to settings, e.g. { usps: { clusterUpdate: { updateInterval: 30 } } }');
  checkStepList('method.preprocess', m.preprocess);
  for (const [name, over] of Object.entries(m.perDataset ?? {})) checkStepList(`method.perDataset.${name}.preprocess`, over?.preprocess);
}

/** A method's preprocessing: absent, or a list of known step names. */
function checkStepList(where: string, steps: unknown): void {
  if (steps === undefined) return;
  if (!Array.isArray(steps) || !steps.every((s) => typeof s === 'string'))
    throw new ParamError(`${where} must be a list of preprocessing step names, e.g. [dec-mnist], got ${JSON.stringify(steps)}`);
  checkPreprocessing(steps);
}

const ACTIVATIONS = ['linear', 'relu', 'leakyRelu', 'sigmoid', 'tanh'] as const;
const INITS = ['heNormal', 'heUniform', 'glorotUniform', 'glorotNormal', 'decUniform'] as const;

function checkOptimizer(where: string, o: OptimizerConfig): void {
  oneOf(`${where}.name`, o?.name, ['adam', 'sgd']);
  posNum(`${where}.lr`, o.lr);
  if (o.name === 'sgd' && o.momentum !== undefined && !(o.momentum >= 0 && o.momentum < 1)) throw new ParamError(`${where}.momentum must be in [0, 1), got ${o.momentum}`);
}

/**
 * Validates a whole method config, throwing a ParamError that names the offending option
 * (`method.train.batchSize must be an integer >= 1, got 0`).
 */
export function validateMethod(m: MethodConfig): MethodConfig {
  checkKeys(m);
  const a = m.architecture;
  oneOf('method.architecture.kind', a?.kind, ['mlp', 'conv']);
  posInt('method.architecture.embeddingDim', a.embeddingDim);
  oneOf('method.architecture.activation', a.activation, ACTIVATIONS);
  oneOf('method.architecture.outputActivation', a.outputActivation, ACTIVATIONS);
  oneOf('method.architecture.init', a.init, INITS);
  if (a.kind === 'mlp') {
    if (!Array.isArray(a.hidden)) throw new ParamError('method.architecture.hidden must be a list of layer widths, e.g. [500, 500, 2000]');
    a.hidden.forEach((h, i) => posInt(`method.architecture.hidden[${i}]`, h));
    oneOf('method.architecture.codeActivation', a.codeActivation, ACTIVATIONS);
  } else {
    if (!Array.isArray(a.channels) || a.channels.length === 0) throw new ParamError('method.architecture.channels must be a non-empty list, e.g. [32, 64, 128]');
    if (a.kernels.length !== a.channels.length || a.strides.length !== a.channels.length)
      throw new ParamError(`method.architecture: channels, kernels and strides must have the same length, got ${a.channels.length}, ${a.kernels.length}, ${a.strides.length}`);
    a.channels.forEach((c, i) => posInt(`method.architecture.channels[${i}]`, c));
    a.kernels.forEach((c, i) => posInt(`method.architecture.kernels[${i}]`, c));
    a.strides.forEach((c, i) => posInt(`method.architecture.strides[${i}]`, c));
    if (a.pools !== undefined) {
      if (!Array.isArray(a.pools) || a.pools.length !== a.channels.length) throw new ParamError(`method.architecture.pools must list one pool size per conv layer (${a.channels.length}), e.g. [2, 2, 1]`);
      a.pools.forEach((c, i) => posInt(`method.architecture.pools[${i}]`, c));
    }
    if (a.padding !== undefined) oneOf('method.architecture.padding', a.padding, ['same', 'valid']);
    if (a.unpool !== undefined) oneOf('method.architecture.unpool', a.unpool, ['switches', 'switchesTies', 'nearest']);
    if (a.denseCode !== undefined && typeof a.denseCode !== 'boolean') throw new ParamError(`method.architecture.denseCode must be true or false, got ${JSON.stringify(a.denseCode)}`);
  }
  oneOf('method.features.kind', m.features?.kind, ['code', 'layers']);
  if (m.features.kind === 'layers') {
    const depth = a.kind === 'mlp' ? a.hidden.length + 1 : a.channels.length + 1;
    if (!m.features.layers.length) throw new ParamError('method.features.layers must list at least one encoder layer');
    m.features.layers.forEach((l, i) => {
      posInt(`method.features.layers[${i}]`, l, 0);
      if (l >= depth) throw new ParamError(`method.features.layers[${i}] = ${l} but the encoder has ${depth} layers (0..${depth - 1})`);
    });
  }
  if (m.pretrain) {
    oneOf('method.pretrain.loss', m.pretrain.loss, ['mse', 'bce']);
    posInt('method.pretrain.epochs', m.pretrain.epochs, 0);
    posInt('method.pretrain.batchSize', m.pretrain.batchSize);
    checkOptimizer('method.pretrain.optimizer', m.pretrain.optimizer);
    if (m.pretrain.snnl) {
      const sn = m.pretrain.snnl;
      posNum('method.pretrain.snnl.alpha', sn.alpha, true);
      if (sn.temperature !== 'annealed') posNum('method.pretrain.snnl.temperature', sn.temperature);
      oneOf('method.pretrain.snnl.layers', sn.layers, ['sum', 'min']);
      oneOf('method.pretrain.snnl.distance', sn.distance, ['cosine', 'euclidean']);
    }
    if (m.pretrain.greedy) {
      const gr = m.pretrain.greedy;
      if (a.kind !== 'mlp') throw new ParamError("method.pretrain.greedy needs an MLP autoencoder (architecture.kind: 'mlp'); remove it for a conv network");
      posInt('method.pretrain.greedy.epochs', gr.epochs, 0);
      if (gr.corruption !== undefined && !(typeof gr.corruption === 'number' && gr.corruption >= 0 && gr.corruption < 1)) throw new ParamError(`method.pretrain.greedy.corruption must be a dropout rate in [0, 1), got ${JSON.stringify(gr.corruption)}`);
      if (gr.optimizer) checkOptimizer('method.pretrain.greedy.optimizer', gr.optimizer);
    }
    if (m.pretrain.augment) checkAugment('method.pretrain.augment', m.pretrain.augment);
    if (m.pretrain.corruption) {
      oneOf('method.pretrain.corruption.kind', m.pretrain.corruption.kind, ['dropout', 'gaussian']);
      const r = m.pretrain.corruption.rate;
      if (!(r >= 0 && (m.pretrain.corruption.kind === 'gaussian' || r < 1))) throw new ParamError(`method.pretrain.corruption.rate must be in [0, 1) for dropout or >= 0 for gaussian, got ${r}`);
    }
  }
  posInt('method.initNInit', m.initNInit);
  oneOf('method.nonClusteringLoss.kind', m.nonClusteringLoss?.kind, ['none', 'reconstruction']);
  oneOf('method.clusteringLoss.kind', m.clusteringLoss?.kind, ['none', 'dec', 'kmeans', 'cdc', 'classification']);
  if (m.clusteringLoss.kind === 'cdc') for (const key of ['eta', 'beta', 'lambda'] as const) posNum(`method.clusteringLoss.${key}`, m.clusteringLoss[key], true);
  (m.regularizers ?? []).forEach((r, i) => {
    oneOf(`method.regularizers[${i}].kind`, r?.kind, ['balanced', 'groupSparsity', 'locality']);
    posNum(`method.regularizers[${i}].weight`, r.weight, true);
    if (r.kind === 'balanced' && m.clusteringLoss.kind !== 'dec' && m.clusteringLoss.kind !== 'classification') throw new ParamError(`method.regularizers[${i}]: 'balanced' needs soft assignments (clusteringLoss 'dec' or 'classification')`);
    if (r.kind === 'groupSparsity' && (!Array.isArray(r.groups) || !r.groups.length)) throw new ParamError(`method.regularizers[${i}].groups must list group sizes, e.g. [5, 5]`);
    if (r.kind === 'locality') posInt(`method.regularizers[${i}].neighbors`, r.neighbors);
  });
  if (m.pretrain?.correlation) posNum('method.pretrain.correlation.lambda', m.pretrain.correlation.lambda, true);
  if (m.clusteringLoss.kind === 'dec') posNum('method.clusteringLoss.alpha', m.clusteringLoss.alpha);
  if (m.nonClusteringLoss.kind === 'reconstruction' && m.nonClusteringLoss.reduction !== undefined) oneOf('method.nonClusteringLoss.reduction', m.nonClusteringLoss.reduction, ['mean', 'sum']);
  posNum('method.combination.clusteringWeight', m.combination?.clusteringWeight, true);
  posNum('method.combination.nonClusteringWeight', m.combination.nonClusteringWeight, true);
  oneOf('method.clusterUpdate.kind', m.clusterUpdate?.kind, ['joint', 'alternating', 'agglomerative']);
  posInt('method.clusterUpdate.updateInterval', m.clusterUpdate.updateInterval);
  oneOf('method.clusterUpdate.targetScope', m.clusterUpdate.targetScope, ['all', 'batch']);
  if (m.clusterUpdate.targetBatchNorm !== undefined) oneOf('method.clusterUpdate.targetBatchNorm', m.clusterUpdate.targetBatchNorm, ['running', 'batch']);
  posNum('method.clusterUpdate.tol', m.clusterUpdate.tol, true);
  const cl = m.clusteringLoss.kind;
  const cu = m.clusterUpdate.kind;
  if ((cl === 'kmeans' || cl === 'classification') && cu === 'joint')
    throw new ParamError(`method.clusterUpdate.kind must be 'alternating' or 'agglomerative' with the '${cl}' clustering loss (its clusters are hard and updated apart from the network)`);
  if ((cl === 'dec' || cl === 'cdc') && cu !== 'joint') throw new ParamError(`method.clusterUpdate.kind must be 'joint' with the '${cl}' clustering loss (its centres are trained with the network)`);
  if (cu === 'agglomerative') {
    if (m.clusterUpdate.initialClusters !== undefined) posInt('method.clusterUpdate.initialClusters', m.clusterUpdate.initialClusters, 2);
    const r = m.clusterUpdate.mergeRate;
    if (r !== undefined && !(typeof r === 'number' && r > 0 && r < 1)) throw new ParamError(`method.clusterUpdate.mergeRate must be in (0, 1), got ${JSON.stringify(r)}`);
  }
  if (m.combination.rampIterations !== undefined) {
    posInt('method.combination.rampIterations', m.combination.rampIterations, 0);
    if (cl === 'cdc') throw new ParamError("method.combination.rampIterations cannot be used with the 'cdc' clustering loss (its three objectives have fixed weights)");
  }
  if (m.clusteringLoss.kind !== 'none') {
    if (!m.train) throw new ParamError('method.train is required when there is a clustering loss');
    posInt('method.train.maxIter', m.train.maxIter, 0);
    posInt('method.train.batchSize', m.train.batchSize);
    checkOptimizer('method.train.optimizer', m.train.optimizer);
    if (m.train.augment) {
      checkAugment('method.train.augment', m.train.augment);
      // the clean-data targets are what make augmentation safe: refuse settings that would take them from augmented rows
      if (m.clusterUpdate.targetScope === 'batch') throw new ParamError("method.train.augment needs targets P from all (clean) data: use clusterUpdate.targetScope 'all', or remove train.augment");
      if (m.clusteringLoss.kind === 'kmeans' && m.clusterUpdate.kind !== 'agglomerative')
        throw new ParamError('method.train.augment cannot be used with the DCN k-means loss: its centres are updated from the (augmented) batch codes; remove train.augment');
    }
    if (m.nonClusteringLoss.kind === 'reconstruction' && !m.train.keepDecoder) throw new ParamError('method.train.keepDecoder must be true when the clustering phase has a reconstruction loss');
  }
  return m;
}
