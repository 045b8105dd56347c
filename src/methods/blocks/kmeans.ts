/**
 * The k-means loss (DCN, Yang et al. 2017): ½‖z − μ_s‖² to the nearest centre. With the
 * `alternating` update the centres are a buffer updated in the graph by running means of the
 * points assigned to them (DCN); with `agglomerative` the clusters live outside the graph and each
 * point's centroid is fed as its target.
 */
import { add, cast, div, equal, gemm, mul, pairwiseSquaredDistances, reduceMean, reduceMin, reduceSum, reshape, square, stopGradient, sub } from '../../engine/index.ts';
import { ParamError } from '../../errors.ts';
import { kmeansLoss } from '../../losses/clustering.ts';
import type { ClusteringLossBlock } from './types.ts';

/** k-means loss (DCN): ½‖z − μ_s‖² with hard assignments. */
export interface KmeansLossConfig {
  /** k-means loss (DCN). */
  readonly kind: 'kmeans';
}

declare module './kinds.ts' {
  interface BuiltinClusteringLosses {
    /** The k-means loss (DCN). */
    kmeans: KmeansLossConfig;
  }
}

/** The k-means-loss block. */
export const kmeansLossBlock: ClusteringLossBlock<KmeansLossConfig> = {
  kind: 'kmeans',
  summary: 'k-means loss to the nearest centre; running-mean centres (DCN) or fed centroids (agglomerative)',
  keys: [],
  trains: true,
  updates: ['alternating', 'agglomerative'],
  updatesWhy: 'its clusters are hard and updated apart from the network',
  softAssignments: false,
  targetDistribution: false,
  hardFeed: {
    name: 'target',
    width: (dim) => dim,
    fill(f, h, dim) {
      for (let i = 0; i < h.labels.length; i++) for (let j = 0; j < dim; j++) f.data[i * dim + j] = h.centroids[h.labels[i]! * dim + j]!;
    },
  },
  check(_c, m) {
    if (m.train?.augment && m.clusterUpdate.kind !== 'agglomerative')
      throw new ParamError('method.train.augment cannot be used with the DCN k-means loss: its centres are updated from the (augmented) batch codes; remove train.augment');
  },
  hardTargets: (update) => update === 'agglomerative',
  alpha: () => 1,
  build({ g, z, k, dim, hard }) {
    // k-means loss towards the centroid of each point's current cluster
    if (hard) return { clustering: reduceMean(mul(reduceSum(square(sub(z, g.input('target', ['batch', dim]))), [1]), 0.5)) };
    // DCN: hard assignment to the nearest centre, k-means loss, running-mean centre update
    const centers = g.buffer('clusters.centers', [k, dim]);
    const d2 = pairwiseSquaredDistances(stopGradient(z), centers);
    const oneHot = cast(equal(d2, reduceMin(d2, [1], true)), 'float32');
    const clustering = kmeansLoss(z, centers, oneHot);
    const counts = g.buffer('clusters.counts', [k]);
    const nb = reduceSum(oneHot, [0]);
    const newCounts = add(counts, nb);
    const sums = gemm(oneHot, stopGradient(z), { transA: true });
    g.assign(centers, div(add(mul(centers, reshape(counts, [k, 1])), sums), reshape(newCounts, [k, 1])));
    g.assign(counts, newCounts);
    return { clustering };
  },
  assign: (z, centers) => mul(pairwiseSquaredDistances(z, centers), -1),
};
