/**
 * A deep clustering method as a choice of building blocks (Aljalbout et al. 2018, "Clustering
 * with Deep Learning: Taxonomy and New Methods"): architecture, clustering features, non-clustering
 * loss, clustering loss, how the two combine, how clusters are updated, and what happens after
 * training. Presets (`presets.ts`) are literals of this type; users can write their own as JSON.
 * Each section's keys, ranges and documented defaults are declared once more, as its schema
 * (schema-method.ts), which is type-checked against these types: validation, `deepclust describe
 * --options` and docs/config.md come from it.
 */
import type { ArchitectureConfig, AugmentConfig, FeaturesConfig, OptimizerConfig, PretrainConfig } from './config-network.ts';
import type { ClusteringLossConfig, FinalClusteringConfig } from './blocks/kinds.ts';

export type { ArchitectureConfig, AugmentConfig, FeaturesConfig, GreedyPretrainConfig, OptimizerConfig, PlateauConfig, PretrainConfig, SnnlConfig } from './config-network.ts';
export type { ClusteringLossConfig, FinalClusteringConfig } from './blocks/kinds.ts';

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
  /** Re-run k-means on the final embedding and report those labels (`finalClustering: { kind: 'kmeans' }`). */
  readonly reclusterAfterTraining: boolean;
  /**
   * The clustering run on the final embedding after training, whose labels and centres the fit
   * reports (a final-clustering block's config). @defaultValue `{ kind: 'kmeans' }` when
   * `reclusterAfterTraining`, else none
   */
  readonly finalClustering?: FinalClusteringConfig;
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
  /**
   * The code width is the number of clusters (N2D's d-500-500-2000-k): the estimator sets
   * `architecture.embeddingDim` to k unless the estimator's overrides set it (with `nClusters: 'auto'`
   * the preset's `embeddingDim` stays); set it to false to keep a width of your own. @defaultValue false
   */
  readonly embeddingDimFromK?: boolean;
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
