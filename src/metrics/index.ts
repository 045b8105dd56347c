/**
 * Clustering metrics, equal to scikit-learn's. External metrics compare predicted labels with
 * ground truth (ACC with the Hungarian matching, NMI, AMI, ARI, purity, contingency matrix) and
 * are synchronous; internal metrics score labels on the features (silhouette — async, its
 * distances run on onnxruntime —, Calinski–Harabasz, Davies–Bouldin). Every `*Score` is
 * higher-is-better except {@link daviesBouldinScore} (lower is better), as in scikit-learn.
 * {@link externalScores} and {@link internalScores} give the sets every deepclust report shows.
 */
export {
  type ClusterAccuracy,
  type Contingency,
  type MutualInfoOptions,
  type NmiAverage,
  accuracyScore,
  adjustedMutualInfoScore,
  adjustedRandScore,
  clusterAccuracy,
  contingencyMatrix,
  labelEntropy,
  mutualInfoScore,
  normalizedMutualInfoScore,
  purityScore,
} from './supervised.ts';
export { type SilhouetteOptions, calinskiHarabaszScore, daviesBouldinScore, silhouetteSamples, silhouetteScore } from './internal.ts';
export { hungarianMaximize } from './hungarian.ts';
export { type ExternalScores, type InternalScoreOptions, type InternalScores, externalScores, internalScores, internalScoresDefined } from './scores.ts';
