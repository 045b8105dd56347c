/** Checks of a method against its data before any training: values, ranges, memory of pairwise losses. */
import { DataError, ParamError } from '../errors.ts';
import { clusteringLossBlock } from './blocks/registry.ts';
import type { MethodConfig } from './config.ts';

/** Float32 b×b temporaries a pairwise loss keeps alive per layer (forward and backward), a measured upper bound. */
const PAIRWISE_TEMPORARIES = 12;

/**
 * Refuses batch sizes whose pairwise (b×b) losses would need more memory than the limit: SNNL on
 * every hidden layer, the correlation regulariser, the clustering loss's own matrices (CDC), the
 * locality loss's similarity.
 */
export function checkPairwiseMemory(m: MethodConfig, limit = 2 ** 31): void {
  const layers = m.architecture.kind === 'mlp' ? 2 * m.architecture.hidden.length + 1 : 2 * m.architecture.channels.length + 1;
  const block = clusteringLossBlock(m.clusteringLoss);
  const uses: Array<[string, number | undefined, number]> = [
    ['the SNNL loss', m.pretrain?.snnl ? m.pretrain.batchSize : undefined, layers],
    ['the correlation loss', m.pretrain?.correlation ? m.pretrain.batchSize : undefined, 2],
    [`the ${m.clusteringLoss.kind.toUpperCase()} losses`, block.pairwiseMatrices ? m.train?.batchSize : undefined, block.pairwiseMatrices ?? 0],
    ['the locality loss', (m.regularizers ?? []).some((r) => r.kind === 'locality') ? m.train?.batchSize : undefined, 1],
  ];
  for (const [what, b, count] of uses) {
    if (b === undefined) continue;
    const bytes = count * PAIRWISE_TEMPORARIES * 4 * b * b;
    if (bytes > limit) {
      const maxB = Math.floor(Math.sqrt(limit / (count * PAIRWISE_TEMPORARIES * 4)));
      throw new ParamError(
        `batch size ${b} makes the batch × batch matrices of ${what} need about ${(bytes / 2 ** 30).toFixed(1)} GiB per step (limit ${(limit / 2 ** 30).toFixed(1)} GiB); lower the batch size to at most ${maxB} or raise pairwiseMemoryLimit`,
      );
    }
  }
}

/**
 * Binary cross-entropy reconstruction reads each input as a probability: values outside [0, 1]
 * would train towards an impossible target without any error. Refuse them before training.
 */
export function checkReconstructionRange(m: MethodConfig, x: Float32Array): void {
  const clusteringBce = m.train !== null && m.nonClusteringLoss.kind === 'reconstruction' && m.nonClusteringLoss.loss === 'bce';
  if (m.pretrain?.loss !== 'bce' && !clusteringBce) return;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // float32 rounding of v / 255 may land a hair above 1
  if (lo < 0 || hi > 1 + 1e-6)
    throw new DataError(
      `method '${m.name}' reconstructs with binary cross-entropy, which needs data in [0, 1], but the values range over [${lo}, ${hi}]; rescale them (pixels: the preprocessing step scale255, i.e. divide by 255; features: minmax) or reconstruct with mse`,
    );
}

/** Throws unless the data is finite and non-empty. */
export function checkData(x: Float32Array, n: number, d: number): void {
  if (n < 1 || d < 1) throw new DataError(`the data is empty (${n} rows × ${d} columns); pass at least one row of at least one feature`);
  if (x.length !== n * d) throw new DataError(`the data has ${x.length} values, expected ${n} × ${d} = ${n * d}; make rows × cols match the length of the values`);
  for (let i = 0; i < x.length; i++)
    if (!Number.isFinite(x[i]!)) throw new DataError(`the data has a non-finite value (${x[i]}) at row ${Math.floor(i / d)}, column ${i % d}; remove or impute it first`);
}
