/** The preset of the toy soft k-means loss (docs/extending.md): IDEC with the loss swapped. */
import { PRESETS, customClusteringLoss, type MethodConfig } from '../../src/index.ts';
import type { SoftKmeansConfig } from './soft-kmeans.ts';
import './soft-kmeans.ts'; // registers the block

/** IDEC's network, pretraining and schedule, with the soft k-means clustering loss. */
export const SOFT_KMEANS: MethodConfig = {
  ...PRESETS.idec!,
  name: 'soft-kmeans',
  reference: 'docs/extending.md (a worked example, not a paper)',
  clusteringLoss: customClusteringLoss<SoftKmeansConfig>({ kind: 'soft-kmeans', alpha: 1 }),
  notes: ['A toy loss showing how a clustering loss is added as one block module plus one preset.'],
};
