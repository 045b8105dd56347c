/**
 * deepclust's public library API. Everything a user needs is exported here; deeper modules are
 * implementation details.
 */
export { DeepClustering, FittedDeepClustering, methodPreprocessing, resolveMethod, type CheckpointOptions, type DeepClusteringOptions, type FitOptions, type OnnxInputTransform, type PretrainSource } from './methods/deep-clustering.ts';
export { fitInWorker, type WorkerFitOptions, type WorkerCheckpointOptions } from './worker/fit-in-worker.ts';
export { type CheckpointInfo, type Fingerprint, hasCheckpoint, readCheckpointInfo, removeCheckpoint } from './methods/checkpoint.ts';
export { PRESETS, preset, snnlPreset } from './methods/presets.ts';
export type { MethodConfig, DeepPartial, OptimizerConfig, GreedyPretrainConfig, SnnlConfig, ArchitectureConfig, FeaturesConfig, PretrainConfig, NonClusteringLossConfig, ClusteringLossConfig, CombinationConfig, ClusterUpdateConfig, TrainConfig, RegularizerConfig, AugmentConfig, ShortBudget } from './methods/config.ts';
export { DEFAULT_SHORT_BUDGET, shortBudgetOverrides } from './methods/config.ts';
export type { ProgressEvent, HistoryRow } from './methods/_compose.ts';
export { loadDataset, type Dataset } from './data/index.ts';
export * as metrics from './metrics/index.ts';
export * as cluster from './cluster/index.ts';
export * as engine from './engine/index.ts';
export { DeepclustError, ParamError, DataError, GraphError, DivergenceError, InterruptedError } from './errors.ts';
export type { Matrix } from './matrix.ts';
