/**
 * Cluster assignment hardening (DEC, Xie et al. 2016): KL(P‖Q) between Student-t soft assignments
 * Q (ν = alpha) and the sharpened target P, refreshed from all data every T iterations (or from
 * the batch itself with `clusterUpdate.targetScope: 'batch'`). Centres train with the network.
 */
import { type Tensor, div, mul, reduceSum, stopGradient } from '../../engine/index.ts';
import { klDivergence, studentTAssignment } from '../../losses/clustering.ts';
import { posNum } from '../option-checks.ts';
import type { ClusteringLossBlock } from './types.ts';

/** Cluster assignment hardening (DEC): KL(P‖Q) with Student-t Q of ν = alpha. */
export interface DecLossConfig {
  /** Cluster assignment hardening (DEC). */
  readonly kind: 'dec';
  /** Degrees of freedom ν of the Student-t kernel (DEC: 1). */
  readonly alpha: number;
}

declare module './kinds.ts' {
  interface BuiltinClusteringLosses {
    /** Cluster assignment hardening (DEC). */
    dec: DecLossConfig;
  }
}

/** ClustPy's variant: the target distribution computed from the batch's own assignments. */
export function batchTarget(q: Tensor): Tensor {
  const qc = stopGradient(q);
  const w = div(mul(qc, qc), reduceSum(qc, [0], true));
  return div(w, reduceSum(w, [1], true));
}

/** The DEC block. */
export const decLoss: ClusteringLossBlock<DecLossConfig> = {
  kind: 'dec',
  summary: 'KL(P‖Q) of Student-t soft assignments to a sharpened target (DEC, IDEC)',
  keys: ['alpha'],
  trains: true,
  updates: ['joint'],
  updatesWhy: 'its centres are trained with the network',
  softAssignments: true,
  targetDistribution: true,
  check: (c, _m, where) => posNum(`${where}.alpha`, c.alpha),
  hardTargets: () => false,
  alpha: (c) => c.alpha,
  build({ config, g, z, k, dim, perBatchTarget }) {
    const q = studentTAssignment(z, g.param('clusters.centers', [k, dim]), config.alpha);
    const p = perBatchTarget ? batchTarget(q) : g.input('p', ['batch', k]);
    return { clustering: klDivergence(p, q), q };
  },
  assign: (z, centers, c) => studentTAssignment(z, centers, c.alpha),
};
