/**
 * The agglomerative cluster update (JULE-style): start from `initialClusters` small clusters and,
 * every T iterations, merge them by Ward linkage (a fraction `1 − mergeRate` at a time) until k
 * remain.
 */
import { DataError, ParamError } from '../../errors.ts';
import type { ClusterUpdateConfig } from '../config.ts';
import { nextClusterCount, wardMerge } from '../hard-clusters.ts';
import { type Fields, int, num, optional } from '../schema.ts';
import { alternatingUpdate } from './alternating.ts';
import type { ClusterUpdateBlock } from './types.ts';

/** The agglomerative-update block. */
export const agglomerativeUpdate: ClusterUpdateBlock = {
  kind: 'agglomerative',
  summary: 'start from many small clusters and merge them by Ward linkage every T iterations until k remain',
  options: {
    initialClusters: optional(int('Clusters the agglomerative update starts from.', 2), '5·k (at most n)'),
    mergeRate: optional(num('Fraction of clusters kept at each merge stage.', { minOpen: true, max: 1, maxOpen: true }), '0.5'),
  } satisfies Fields<Pick<ClusterUpdateConfig, 'initialClusters' | 'mergeRate'>>,
  check() {},
  initialClusters(cu, n, k) {
    const k0 = cu.initialClusters ?? Math.min(n, 5 * k);
    if (k0 < k) throw new ParamError(`method.clusterUpdate.initialClusters (${k0}) must be at least k = ${k}`);
    if (k0 > n) throw new DataError(`method.clusterUpdate.initialClusters (${k0}) is larger than the ${n} samples; lower it`);
    return k0;
  },
  addCentres: alternatingUpdate.addCentres,
  groups: () => [],
  refineSteps: 1,
  merge: (h, dim, k, cu) => (h.count > k ? wardMerge(h, dim, nextClusterCount(h.count, k, cu.mergeRate ?? 0.5)) : undefined),
};
