/** Every metric of the papers for predicted labels (external ones when ground truth exists). */
import type { Matrix } from '../matrix.ts';
import { externalScores, internalScores } from '../metrics/index.ts';

/** ACC, NMI, ARI against `truth` (null without it); SIL, CH, DB on `features` when given (null for 1 or n clusters). */
export async function evaluateLabels(truth: Int32Array | undefined, pred: Int32Array, features?: Matrix, options: { silhouetteSample?: number; seed?: number } = {}): Promise<Record<string, number | null>> {
  const m: Record<string, number | null> = truth ? { ...externalScores(truth, pred) } : { acc: null, nmi: null, ari: null };
  if (features) Object.assign(m, await internalScores(features, pred, options));
  return m;
}
