/** Every metric of the papers for predicted labels (external ones when ground truth exists). */
import type { Matrix } from '../matrix.ts';
import { adjustedRandScore, calinskiHarabaszScore, clusterAccuracy, daviesBouldinScore, normalizedMutualInfoScore, silhouetteScore } from '../metrics/index.ts';

/** ACC, NMI, ARI against `truth` (null without it); SIL, CH, DB on `features` when given. */
export async function evaluateLabels(truth: Int32Array | undefined, pred: Int32Array, features?: Matrix, options: { silhouetteSample?: number; seed?: number } = {}): Promise<Record<string, number | null>> {
  const m: Record<string, number | null> = { acc: null, nmi: null, ari: null };
  if (truth) {
    m.acc = clusterAccuracy(truth, pred).accuracy;
    m.nmi = normalizedMutualInfoScore(truth, pred);
    m.ari = adjustedRandScore(truth, pred);
  }
  if (features && new Set(pred).size > 1) {
    m.silhouette = await silhouetteScore(features, pred, { sampleSize: options.silhouetteSample, seed: options.seed });
    m.calinskiHarabasz = await calinskiHarabaszScore(features, pred);
    m.daviesBouldin = await daviesBouldinScore(features, pred);
  }
  return m;
}
