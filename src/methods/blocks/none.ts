/** No clustering loss: the method stops after the initial k-means on the pretrained embedding (AE + k-means). */
import { GraphError } from '../../errors.ts';
import { studentTAssignment } from '../../losses/clustering.ts';
import type { ClusteringLossBlock } from './types.ts';

/** No clustering loss: k-means on the pretrained embedding (AE + k-means). */
export interface NoClusteringLossConfig {
  /** No clustering loss: k-means on the pretrained embedding (AE + k-means). */
  readonly kind: 'none';
}

declare module './kinds.ts' {
  interface BuiltinClusteringLosses {
    /** No clustering phase. */
    none: NoClusteringLossConfig;
  }
}

/** The block without a clustering phase. */
export const noClusteringLoss: ClusteringLossBlock<NoClusteringLossConfig> = {
  kind: 'none',
  summary: 'no clustering phase: k-means on the pretrained embedding',
  keys: [],
  trains: false,
  updates: ['joint', 'alternating', 'agglomerative'],
  updatesWhy: '',
  softAssignments: false,
  targetDistribution: false,
  check() {},
  hardTargets: () => false,
  alpha: () => 1,
  build() {
    throw new GraphError("the clustering loss 'none' has no clustering phase");
  },
  assign: (z, centers) => studentTAssignment(z, centers, 1),
};
