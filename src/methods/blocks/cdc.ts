/**
 * CDC (Trinh & Pham): L_c = KL(P‖Q), affinity L_a = KL(C_Q‖C_Z), regulariser L_re = L_cr(Z,X) +
 * L_cr(Z,X′). Algorithm 1: three parameter groups, each descending its own objective — centres
 * L_c + ηL_a, decoder L_AE = λL_re + L_r, encoder L_DC = L_c + ηL_a + βL_re.
 */
import { add, mul } from '../../engine/index.ts';
import { klDivergence, studentTAssignment } from '../../losses/clustering.ts';
import { affinityLoss, correlationLoss } from '../../losses/correlation.ts';
import { reconstructionLoss } from '../../losses/reconstruction.ts';
import { posNum } from '../option-checks.ts';
import { batchTarget } from './dec.ts';
import type { ClusteringLossBlock } from './types.ts';

/**
 * CDC (Trinh & Pham): L_c = KL(P‖Q), affinity L_a = KL(C_Q‖C_Z), regulariser L_re = L_cr(Z,X) +
 * L_cr(Z,X′); centres descend L_c + ηL_a, the decoder L_AE = λL_re + L_r, the encoder
 * L_DC = L_c + ηL_a + βL_re (Algorithm 1).
 */
export interface CdcLossConfig {
  /** Deep clustering with an affinity loss and a correlation regulariser (CDC). */
  readonly kind: 'cdc';
  /** Weight η of the affinity loss L_a. */
  readonly eta: number;
  /** Weight β of the regulariser L_re in the encoder's loss. */
  readonly beta: number;
  /** Weight λ of the regulariser L_re in the decoder's loss. */
  readonly lambda: number;
}

declare module './kinds.ts' {
  interface BuiltinClusteringLosses {
    /** CDC. */
    cdc: CdcLossConfig;
  }
}

/** The CDC block. */
export const cdcLoss: ClusteringLossBlock<CdcLossConfig> = {
  kind: 'cdc',
  summary: 'CDC: KL(P‖Q) plus an affinity loss and a correlation regulariser, three parameter groups (Algorithm 1)',
  keys: ['eta', 'beta', 'lambda'],
  trains: true,
  updates: ['joint'],
  updatesWhy: 'its centres are trained with the network',
  softAssignments: false,
  fixedWeights: true,
  // the correlation and affinity matrices of Z, X and X′
  pairwiseMatrices: 4,
  targetDistribution: true,
  check(c, _m, where) {
    for (const key of ['eta', 'beta', 'lambda'] as const) posNum(`${where}.${key}`, c[key], true);
  },
  hardTargets: () => false,
  // CDC's ν = 1
  alpha: () => 1,
  build({ config, method, g, net, x, encoded, z, k, dim, perBatchTarget, optimizer }) {
    const { eta, beta, lambda } = config;
    const q = studentTAssignment(z, g.param('clusters.centers', [k, dim]), 1);
    const p = perBatchTarget ? batchTarget(q) : g.input('p', ['batch', k]);
    const clustering = klDivergence(p, q);
    const decoded = net.decode(g, encoded.code, true);
    const rec = reconstructionLoss('mse', decoded, x);
    const lcr = add(correlationLoss(z, x), correlationLoss(z, decoded.output));
    const affinity = affinityLoss(q, z);
    const lCentres = add(clustering, mul(affinity, eta));
    // the decoder's reconstruction term is weighted like any non-clustering loss (0 or 'none': the authors' code, one objective)
    const recWeight = method.nonClusteringLoss.kind === 'reconstruction' ? method.combination.nonClusteringWeight : 0;
    const lAE = add(mul(lcr, lambda), mul(rec, recWeight));
    const lDC = add(lCentres, mul(lcr, beta));
    const byName = (names: string[]) => g.params.filter((t) => names.includes(t.name));
    const groups = [
      { name: 'centers', params: byName(['clusters.centers']), optimizer: optimizer(), loss: lCentres },
      { name: 'decoder', params: byName(net.decoderParamNames()), optimizer: optimizer(), loss: lAE },
      { name: 'encoder', params: byName(net.encoderParamNames()), optimizer: optimizer(), loss: lDC },
    ];
    return { clustering, terms: { reconstruction: rec, correlation: lcr, affinity, decoderLoss: lAE }, groups, loss: lDC };
  },
  assign: (z, centers) => studentTAssignment(z, centers, 1),
};
