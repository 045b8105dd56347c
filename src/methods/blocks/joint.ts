/** The joint cluster update (DEC, IDEC, CDC): the centres are parameters trained with the network. */
import type { ClusterUpdateConfig } from '../config.ts';
import { type Fields, num, optional } from '../schema.ts';
import type { ClusterUpdateBlock } from './types.ts';

/** The joint-update block; `centerLr` gives the centres their own learning rate. */
export const jointUpdate: ClusterUpdateBlock = {
  kind: 'joint',
  summary: 'centres are trainable parameters updated with the network',
  options: {
    centerLr: optional(num("Learning rate of the centres when different from the network's.", { minOpen: true }), "the clustering phase's lr"),
  } satisfies Fields<Pick<ClusterUpdateConfig, 'centerLr'>>,
  check() {},
  initialClusters: (_cu, _n, k) => k,
  addCentres: (store, centres, k, dim) => store.add('clusters.centers', [k, dim], centres.slice(), true),
  groups(g, cu, optimizer, make) {
    const centres = g.params.find((p) => p.name === 'clusters.centers');
    if (!centres) return [];
    return [{ name: 'centers', params: [centres], optimizer: make(cu.centerLr ? { ...optimizer, lr: cu.centerLr } : optimizer) }];
  },
  refineSteps: 1,
};
