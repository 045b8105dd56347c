/**
 * Classical clustering and projection, matching scikit-learn: {@link KMeans} (Lloyd, k-means++),
 * {@link MiniBatchKMeans}, {@link PCA} and {@link GaussianMixture}; the {@link Umap} step; and
 * {@link estimateK} for the number of clusters. All work on plain {@link Matrix} data; the heavy
 * products run as GEMMs in onnxruntime through the engine, so `fit`/`predict`/`transform` are
 * async.
 */
export { KMeans, type FittedKMeans, type KMeansDiagnostics, type KMeansInit, type KMeansOptions, type KMeansRunInfo } from './kmeans.ts';
export { MiniBatchKMeans, type MiniBatchDiagnostics, type MiniBatchKMeansOptions } from './minibatch-kmeans.ts';
export { PCA, type FittedPCA, type PCAOptions } from './pca.ts';
export { COVARIANCE_TYPES, GMM_INITS, GaussianMixture, type CovarianceType, type FittedGaussianMixture, type GaussianMixtureOptions, type GmmDiagnostics, type GmmInit, type GmmRunInfo } from './gmm.ts';
export { Umap, type FittedUmap, type UmapInit, type UmapOptions, type UmapTimings } from './umap.ts';
export { rowArgMax, storeGaussianMixture, storedMixtureProba, storedUmapTransform, type StoredGaussianMixture, type StoredUmap } from './stored-models.ts';
export { DEFAULT_K_CRITERION, HDBSCAN_MAX_ROWS, HDBSCAN_SIZE_FRACTIONS, K_CRITERIA, MIN_ROWS_FOR_AUTO_K, checkKRange, estimateK, type EstimateKOptions, type HdbscanRun, type KCriterion, type KCurve, type KEstimate } from './estimate-k.ts';
export { DIP_NULL_GRID, DIP_NULL_MAX_N, DIP_NULL_SAMPLES, dip, dipOfSorted, dipPValue, dipTest, type DipTestResult } from './dip.ts';
export { dipMerge, type DipMerge, type DipMergeOptions, type DipMergeResult } from './dip-merge.ts';
export { dipSplit, type DipSplitOptions, type DipSplitResult } from './dip-split.ts';
export { condenseAndSelect, hdbscan, hdbscanTree, type HdbscanOptions, type HdbscanResult, type HdbscanTree } from './hdbscan.ts';
