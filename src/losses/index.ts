/**
 * The loss terms the blocks are made of, as graph functions (and the host-side helpers of the
 * refresh: target distribution, arg-max labels). A clustering-loss block of your own builds on these
 * (docs/extending.md).
 */
export { argmaxRows, kmeansLoss, klDivergence, studentTAssignment, targetDistribution } from './clustering.ts';
export { type Reduction, type ReconstructionKind, bceWithLogitsLoss, mseLoss, reconstructionLoss } from './reconstruction.ts';
export { type SnnlOptions, annealedTemperature, combineLayerLosses, softNearestNeighborLoss } from './snnl.ts';
export { affinityLoss, correlationKl, correlationLoss, correlationScores } from './correlation.ts';
export { balancedAssignmentLoss, clusterClassificationLoss, groupSparsityLoss, knnSimilarity, localityPreservingLoss } from './taxonomy.ts';
