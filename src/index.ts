/**
 * deepclust's public library API. Everything a user needs is exported here; deeper modules are
 * implementation details.
 */
export { DeepClustering, FittedDeepClustering, methodPreprocessing, resolveMethod, type CheckpointOptions, type DataInput, type RowsAndCols, type ValuesWithShape, type DeepClusteringOptions, type FitOptions, type OnnxInputTransform, type PretrainSource } from './methods/deep-clustering.ts';
export { fitInWorker, type WorkerFitOptions, type WorkerCheckpointOptions } from './worker/fit-in-worker.ts';
export { type CheckpointInfo, type Fingerprint, hasCheckpoint, readCheckpointInfo, removeCheckpoint } from './methods/checkpoint.ts';
export { PRESETS, preset, snnlPreset } from './methods/presets.ts';
export type { MethodConfig, DeepPartial, OptimizerConfig, GreedyPretrainConfig, SnnlConfig, ArchitectureConfig, FeaturesConfig, PretrainConfig, NonClusteringLossConfig, ClusteringLossConfig, FinalClusteringConfig, CombinationConfig, ClusterUpdateConfig, TrainConfig, RegularizerConfig, AugmentConfig, ShortBudget } from './methods/config.ts';
export { DEFAULT_SHORT_BUDGET, shortBudgetOverrides } from './methods/config.ts';
export { clusteringLossKinds, customClusteringLoss, customFinalClustering, finalClusteringKinds, registerClusteringLoss, registerFinalClustering } from './methods/blocks/registry.ts';
export type { BlockConfig, ClusterUpdateBlock, ClusterUpdateKind, ClusteringLossBlock, FinalAssignContext, FinalClusteringBlock, FinalContext, FinalParam, FinalResult, HardTargetFeed, LossContext, LossGraph } from './methods/blocks/types.ts';
export type { CheckContext, FieldInfo } from './methods/schema.ts';
export type { HardClusters } from './methods/hard-clusters.ts';
export type { RowFeed } from './methods/loop.ts';
export type { BuiltinClusteringLosses, BuiltinFinalClusterings, ClusteringLosses, FinalClusterings } from './methods/blocks/kinds.ts';
// the built-in blocks' config types (their modules also add them to the ClusteringLossConfig union)
export type { DecLossConfig } from './methods/blocks/dec.ts';
export type { KmeansLossConfig } from './methods/blocks/kmeans.ts';
export type { CdcLossConfig } from './methods/blocks/cdc.ts';
export type { ClassificationLossConfig } from './methods/blocks/classification.ts';
export type { NoClusteringLossConfig } from './methods/blocks/none.ts';
export type { KmeansFinalConfig } from './methods/blocks/final-kmeans.ts';
export type { GmmFinalConfig, UmapGmmFinalConfig } from './methods/blocks/final-gmm.ts';
export type { ProgressEvent, HistoryRow, Autoencoder, FitRecord, StoppedBy, FitKEstimate } from './methods/types.ts';
export { AutoClustering, FittedAutoClustering, UMAP_EXPORT_REFUSAL, type AutoClusteringOptions, type AutoFitOptions, type AutoOnnxOptions, type AutoDecision, type AutoPlan, type Choice as AutoChoice, type Representation as AutoRepresentation, type NetworkPlan as AutoNetworkPlan, type KEstimate as AutoKEstimate, type Fallback as AutoFallback, type DataProfile, type PlanOptions as AutoPlanOptions, inspectData, planAuto, planSummary, scaledNetwork, MIN_ROWS_FOR_NETWORK, MIN_FEATURES_FOR_NETWORK } from './auto/index.ts';
// pretraining's plateau stop (pretrain.plateau) and how pretraining ended
export type { PlateauConfig } from './methods/config.ts';
export type { PlateauSettings, PretrainEnd } from './methods/pretrain-plateau.ts';
export type { AutoPretraining, GaussianFit, UnitsDecision, UnitsAlternative as AutoUnitsAlternative } from './auto/index.ts';
export { loadDataset, type Dataset } from './data/index.ts';
export * as metrics from './metrics/index.ts';
export * as cluster from './cluster/index.ts';
export * as engine from './engine/index.ts';
export * as losses from './losses/index.ts';
export { DeepclustError, ParamError, DataError, GraphError, DivergenceError, InterruptedError } from './errors.ts';
export type { Matrix } from './matrix.ts';
