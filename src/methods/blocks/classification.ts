/**
 * Cluster classification: a softmax head on the features, trained with cross-entropy against hard
 * pseudo-labels from k-means steps on the embedding, refreshed every T iterations.
 */
import { glorotUniform, initialize, linear, softmax } from '../../engine/index.ts';
import { clusterClassificationLoss } from '../../losses/taxonomy.ts';
import type { ClusteringLossBlock } from './types.ts';

/**
 * Cluster classification: a softmax head on the features, trained with cross-entropy against
 * hard pseudo-labels from k-means steps on the embedding (refreshed every T iterations).
 */
export interface ClassificationLossConfig {
  /** Cluster classification against pseudo-labels. */
  readonly kind: 'classification';
}

declare module './kinds.ts' {
  interface BuiltinClusteringLosses {
    /** Cluster classification. */
    classification: ClassificationLossConfig;
  }
}

/** The cluster-classification block. */
export const classificationLoss: ClusteringLossBlock<ClassificationLossConfig> = {
  kind: 'classification',
  summary: 'a softmax head trained on pseudo-labels from k-means steps on the embedding',
  keys: [],
  trains: true,
  updates: ['alternating', 'agglomerative'],
  updatesWhy: 'its clusters are hard and updated apart from the network',
  softAssignments: true,
  targetDistribution: false,
  hardFeed: {
    name: 'pseudo',
    width: (_dim, clusters) => clusters,
    fill(f, h) {
      f.data.fill(0);
      for (let i = 0; i < h.labels.length; i++) f.data[i * f.width + h.labels[i]!] = 1;
    },
  },
  check() {},
  hardTargets: () => true,
  alpha: () => 1,
  build({ g, z, store, dim, clusters, rng }) {
    const w = 'clusters.head.weight';
    if (!store.has(w)) {
      const headRng = rng.fork('classification-head');
      store.add(w, [dim, clusters], initialize(glorotUniform(), [dim, clusters], 'dense', headRng) as Float32Array);
      store.add('clusters.head.bias', [clusters], new Float32Array(clusters));
    }
    const logits = linear(z, g.param(w, [dim, clusters]), g.param('clusters.head.bias', [clusters]));
    const q = softmax(logits, 1);
    return { clustering: clusterClassificationLoss(logits, g.input('pseudo', ['batch', clusters])), q };
  },
  assign: (z) => z,
};
