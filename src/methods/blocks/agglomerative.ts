/**
 * The agglomerative cluster update (JULE-style): start from `initialClusters` small clusters and,
 * every T iterations, merge them by Ward linkage (a fraction `1 − mergeRate` at a time) until k
 * remain.
 */
import { DataError, ParamError } from '../../errors.ts';
import { nextClusterCount, wardMerge } from '../hard-clusters.ts';
import { posInt } from '../option-checks.ts';
import { alternatingUpdate } from './alternating.ts';
import type { ClusterUpdateBlock } from './types.ts';

/** The agglomerative-update block. */
export const agglomerativeUpdate: ClusterUpdateBlock = {
  kind: 'agglomerative',
  summary: 'start from many small clusters and merge them by Ward linkage every T iterations until k remain',
  keys: ['initialClusters', 'mergeRate'],
  check(cu) {
    if (cu.initialClusters !== undefined) posInt('method.clusterUpdate.initialClusters', cu.initialClusters, 2);
    const r = cu.mergeRate;
    if (r !== undefined && !(typeof r === 'number' && r > 0 && r < 1)) throw new ParamError(`method.clusterUpdate.mergeRate must be in (0, 1), got ${JSON.stringify(r)}`);
  },
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
