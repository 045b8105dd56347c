/**
 * A toy clustering loss as a block of its own (docs/extending.md): the soft k-means loss
 * Σ_j q_ij ‖z_i − μ_j‖², with Student-t soft assignments q (fixed within a step) and centres
 * trained with the network. This file is the whole loss: its config type, checks, graph term,
 * refresh rule and the assignments `predict` and `exportOnnx` use.
 */
import { ParamError, engine, losses, registerClusteringLoss, type ClusteringLossBlock } from '../../src/index.ts';

const { mul, pairwiseSquaredDistances, reduceMean, reduceSum, stopGradient } = engine;
const { studentTAssignment } = losses;

/** The block's config section: `clusteringLoss: { kind: 'soft-kmeans', alpha: 1 }`. */
export interface SoftKmeansConfig {
  readonly kind: 'soft-kmeans';
  /** Degrees of freedom of the Student-t assignments. */
  readonly alpha: number;
}

/** The soft k-means block. */
export const softKmeans: ClusteringLossBlock<SoftKmeansConfig> = {
  kind: 'soft-kmeans',
  summary: 'soft k-means: Σ_j q_ij ‖z_i − μ_j‖² with Student-t q',
  keys: ['alpha'],
  trains: true,
  // centres are parameters trained with the network
  updates: ['joint'],
  updatesWhy: 'its centres are trained with the network',
  softAssignments: true,
  // no target distribution P to feed: the refresh only relabels (for the stop test)
  targetDistribution: false,
  check(c, _m, where) {
    if (!(typeof c.alpha === 'number' && c.alpha > 0)) throw new ParamError(`${where}.alpha must be a number > 0, got ${JSON.stringify(c.alpha)}`);
  },
  hardTargets: () => false,
  alpha: (c) => c.alpha,
  build({ config, g, z, k, dim }) {
    const centres = g.param('clusters.centers', [k, dim]);
    const q = studentTAssignment(z, centres, config.alpha);
    const clustering = reduceMean(reduceSum(mul(stopGradient(q), pairwiseSquaredDistances(z, centres)), [1]));
    return { clustering, q };
  },
  assign: (z, centres, c) => studentTAssignment(z, centres, c.alpha),
};

registerClusteringLoss(softKmeans);
