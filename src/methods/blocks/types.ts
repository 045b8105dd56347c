/**
 * What a block is. The training loop never branches on a kind: it asks the method's
 * clustering-loss block, cluster-update block and final-clustering block (see registry.ts).
 *
 * - A **clustering-loss block** owns its config (keys, checks), its graph terms, parameter groups
 *   and per-point feeds, how its refresh turns assignments of all data into labels and targets,
 *   and the Student-t α that `predict`, `softAssign` and `exportOnnx` use.
 * - A **cluster-update block** owns where the centres live (trainable or a buffer), the number of
 *   starting clusters, and the refresh of hard clusters (k-means steps, merges).
 * - A **final-clustering block** clusters the final embedding after training.
 */
import type { Graph, Optimizer, ParamGroup, ParameterStore, Tensor } from '../../engine/index.ts';
import type { Encoded } from '../../nn/mlp-autoencoder.ts';
import type { Rng } from '../../random.ts';
import type { Matrix } from '../../matrix.ts';
import type { ClusterUpdateConfig, MethodConfig, OptimizerConfig } from '../config.ts';
import type { HardClusters } from '../hard-clusters.ts';
import type { FieldInfo } from '../schema.ts';
import type { RowFeed } from '../loop.ts';
import type { Autoencoder } from '../types.ts';

/** A block's config section: its `kind` and its own options. */
export interface BlockConfig {
  /** The block's kind, e.g. `'dec'`. */
  readonly kind: string;
}

/** The kinds of cluster update. */
export type ClusterUpdateKind = ClusterUpdateConfig['kind'];

/** What a clustering-loss block's {@link ClusteringLossBlock.build} gets. */
export interface LossContext<C> {
  /** The block's own config section (`method.clusteringLoss`). */
  readonly config: C;
  /** The whole method. */
  readonly method: MethodConfig;
  /** The clustering phase's training graph. */
  readonly g: Graph;
  /** The network (its decoder, for blocks that reconstruct). */
  readonly net: Autoencoder;
  /** The batch input `[batch, d]`, its encoding (training mode) and its clustering features `[batch, dim]`. */
  readonly x: Tensor;
  /** The batch's encoding (training mode). */
  readonly encoded: Encoded;
  /** The batch's clustering features `[batch, dim]`. */
  readonly z: Tensor;
  /** Parameters; a block adds its own (e.g. a classification head) here. */
  readonly store: ParameterStore;
  /** Clusters asked for, width of the features, and clusters at the start (more than k for agglomerative updates). */
  readonly k: number;
  /** Width of the features. */
  readonly dim: number;
  /** Clusters at the start (more than k for agglomerative updates). */
  readonly clusters: number;
  /** The clusters live outside the graph and reach it as per-point feeds ({@link ClusteringLossBlock.hardFeed}). */
  readonly hard: boolean;
  /** Targets from the batch's own assignments (`clusterUpdate.targetScope: 'batch'`) instead of a fed P. */
  readonly perBatchTarget: boolean;
  /** The run's generator; fork it by a name of the block's own. */
  readonly rng: Rng;
  /** A fresh optimizer of the clustering phase's settings. */
  optimizer(): Optimizer;
}

/** The graph part a clustering-loss block adds. */
export interface LossGraph {
  /** The clustering loss (history term `clustering`), weighted by `combination.clusteringWeight`. */
  readonly clustering: Tensor;
  /** Soft assignments of the batch (the `balanced` regulariser needs them). */
  readonly q?: Tensor;
  /** More terms to report (before `clustering` in the history). */
  readonly terms?: Record<string, Tensor>;
  /** Own parameter groups, each with its objective: the block then owns the whole objective `loss`. */
  readonly groups?: ParamGroup[];
  /** The whole objective, with {@link LossGraph.groups} (history term `loss`). */
  readonly loss?: Tensor;
}

/** The per-point feed of a hard-target loss, filled from the hard clusters at each refresh. */
export interface HardTargetFeed {
  /** The graph input's name. */
  readonly name: string;
  /** Values per point, from the feature width and the number of clusters. */
  width(dim: number, clusters: number): number;
  /** Fills the feed from the hard clusters after a refresh. */
  fill(f: RowFeed, h: HardClusters, dim: number): void;
}

/** A clustering-loss block: see the module comment. */
export interface ClusteringLossBlock<C extends BlockConfig = BlockConfig> {
  /** The kind a config names it by. */
  readonly kind: C['kind'];
  /** One line for `describe` and the docs. */
  readonly summary: string;
  /** Its option keys besides `kind`. */
  readonly keys: readonly string[];
  /** False for a block without a clustering phase (`none`: k-means on the pretrained embedding). */
  readonly trains: boolean;
  /** The cluster updates it works with, and why (the error message's reason). */
  readonly updates: readonly ClusterUpdateKind[];
  /** Why only those (ends the error message). */
  readonly updatesWhy: string;
  /** Its graph has soft assignments of the batch (LossGraph.q). */
  readonly softAssignments: boolean;
  /** Its objectives have fixed weights: no `combination.rampIterations`. */
  readonly fixedWeights?: boolean;
  /** Batch × batch matrices (float32) a clustering step keeps, for the pairwise-memory check. */
  readonly pairwiseMatrices?: number;
  /** Its refresh feeds the target distribution P of the soft assignments (DEC-style). */
  readonly targetDistribution: boolean;
  /** Per-point target feed of its hard-target form. */
  readonly hardFeed?: HardTargetFeed;
  /** Throws a ParamError naming the option (`where` is `method.clusteringLoss`). */
  check(c: C, m: MethodConfig, where: string): void;
  /** Whether its clusters live outside the graph (hard targets) under this cluster update. */
  hardTargets(update: ClusterUpdateKind): boolean;
  /** Student-t degrees of freedom of `softAssign`, `predict` and `exportOnnx`. */
  alpha(c: C): number;
  /** The clustering-phase graph terms. */
  build(ctx: LossContext<C>): LossGraph;
  /** Assignments `[rows, k]` of the features to the centres at a refresh (labels: the row's arg-max); not used with hard targets. */
  assign(z: Tensor, centers: Tensor, c: C): Tensor;
}

/** A cluster-update block: see the module comment. */
export interface ClusterUpdateBlock {
  /** The kind a config names it by. */
  readonly kind: ClusterUpdateKind;
  /** One line for `describe` and the docs. */
  readonly summary: string;
  /**
   * Its own options as schema fields (keys, ranges, defaults, docs); the shared ones
   * (updateInterval, targetScope, targetBatchNorm, tol) are the method schema's.
   */
  readonly options: Readonly<Record<string, FieldInfo>>;
  /** Checks between its options and the method, after each option's own check; throws a ParamError naming the option. */
  check(cu: ClusterUpdateConfig, m: MethodConfig): void;
  /** Clusters of the first k-means. */
  initialClusters(cu: ClusterUpdateConfig, n: number, k: number): number;
  /** Puts the starting centres into the store (centre-based losses). */
  addCentres(store: ParameterStore, centres: Float32Array, k: number, dim: number, cu: ClusterUpdateConfig): void;
  /** Parameter groups it trains besides the network's. */
  groups(g: Graph, cu: ClusterUpdateConfig, optimizer: OptimizerConfig, make: (o: OptimizerConfig) => Optimizer): ParamGroup[];
  /** k-means steps of a hard-cluster refresh. */
  readonly refineSteps: number;
  /** A merge stage after the refresh (agglomerative), or undefined. */
  merge?(h: HardClusters, dim: number, k: number, cu: ClusterUpdateConfig): HardClusters | undefined;
}

/** What a final-clustering block gets: the final embedding. */
export interface FinalContext {
  /** The final embedding `[n, dim]`, row-major. */
  readonly z: Float32Array;
  /** Rows. */
  readonly n: number;
  /** Width of the features. */
  readonly dim: number;
  /** Clusters asked for. */
  readonly k: number;
  /** The whole method. */
  readonly method: MethodConfig;
  /** The run's seed. */
  readonly seed: number;
  /** CPU threads the runtime may use. */
  readonly threads?: number;
}

/** What a final-clustering block returns: labels and centres in feature space, and parameters of its own. */
export interface FinalResult {
  /** Cluster of each row. */
  readonly labels: Int32Array;
  /** Row-major `[k, dim]`. */
  readonly centers: Float32Array;
  /** Further parameters (e.g. a GMM's weights and covariances), stored with the model as `final.<name>`. */
  readonly params?: Readonly<Record<string, FinalParam>>;
  /** Seconds of the block's steps (e.g. `umap`, `gmm`), added to the fit's timings as `recluster.<step>`. */
  readonly timings?: Readonly<Record<string, number>>;
}

/** One parameter of a final-clustering block. */
export interface FinalParam {
  /** Its shape. */
  readonly shape: readonly number[];
  /** Its values, row-major. */
  readonly data: Float32Array;
}

/** The graph pieces a final-clustering block's soft assignments are built from. */
export interface FinalAssignContext {
  /** The inference graph. */
  readonly g: Graph;
  /** Features `[rows, dim]`. */
  readonly z: Tensor;
  /** The centres `[k, dim]` (a constant). */
  readonly centers: Tensor;
  /** One of the block's own parameters (see {@link FinalResult.params}). */
  param(name: string, shape: readonly number[]): Tensor;
}

/** A final-clustering block: clusters the final embedding (labels and centres in feature space). */
export interface FinalClusteringBlock<C extends BlockConfig = BlockConfig> {
  /** The kind a config names it by. */
  readonly kind: C['kind'];
  /** One line for `describe` and the docs. */
  readonly summary: string;
  /** Its option keys besides `kind`. */
  readonly keys: readonly string[];
  /** Throws a ParamError naming the option (`where` is `method.finalClustering`). */
  check(c: C, where: string): void;
  /** Clusters the final embedding. */
  run(c: C, ctx: FinalContext): Promise<FinalResult>;
  /**
   * Soft assignments `[rows, k]` of new data for `softAssign`, `predict` (arg-max) and
   * `exportOnnx`; without it, Student-t assignments to the centres (the clustering loss's α).
   */
  softAssign?(ctx: FinalAssignContext, c: C): Tensor;
  /**
   * Soft assignments `[rows, k]` of features `z` computed outside the graph (e.g. through a
   * UMAP transform), from the block's stored parameters; when present, `softAssign` and
   * `predict` of a fitted model use it (arg-max: the labels) and the graph form only serves ONNX export.
   */
  assign?(c: C, z: Matrix, param: (name: string) => FinalParam): Matrix;
  /** Why the soft assignments cannot be exported to ONNX, and what to do instead (export is refused when set). */
  readonly exportRefusal?: string;
}
