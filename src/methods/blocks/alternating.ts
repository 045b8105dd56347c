/**
 * The alternating cluster update: centres are updated apart from the network — by running means of
 * the points assigned to them (DCN; the centres are a buffer with per-cluster counts), or by
 * k-means steps on the whole embedding every T iterations (hard-target losses).
 */
import type { ClusterUpdateConfig } from '../config.ts';
import { type Fields, num, optional } from '../schema.ts';
import type { ClusterUpdateBlock } from './types.ts';

/** The alternating-update block; `initialCount` seeds DCN's per-cluster counts. */
export const alternatingUpdate: ClusterUpdateBlock = {
  kind: 'alternating',
  summary: 'centres updated apart from the network: running means (DCN) or k-means steps every T iterations',
  options: {
    initialCount: optional(num('Initial per-cluster counts of the running-mean centre updates (DCN).', { minOpen: true }), '1'),
  } satisfies Fields<Pick<ClusterUpdateConfig, 'initialCount'>>,
  check() {},
  initialClusters: (_cu, _n, k) => k,
  addCentres(store, centres, k, dim, cu) {
    store.add('clusters.centers', [k, dim], centres.slice(), false);
    store.add('clusters.counts', [k], new Float32Array(k).fill(cu.initialCount ?? 1), false);
  },
  groups: () => [],
  refineSteps: 10,
};
