/**
 * The score sets every report of a clustering gives, computed in one place so that the CLI, the
 * reports, `reproduce` and the benchmarks agree on the metrics and on their guards.
 */
import type { Matrix } from '../matrix.ts';
import { calinskiHarabaszScore, daviesBouldinScore, silhouetteScore } from './internal.ts';
import { adjustedRandScore, clusterAccuracy, normalizedMutualInfoScore } from './supervised.ts';

/** ACC (best one-to-one matching of clusters to classes), NMI (arithmetic mean) and ARI. */
export interface ExternalScores {
  /** Clustering accuracy: the share of rows whose cluster maps to their class (Hungarian matching). */
  readonly acc: number;
  /** Normalised mutual information, arithmetic mean of the entropies. */
  readonly nmi: number;
  /** Adjusted Rand index. */
  readonly ari: number;
}

/**
 * ACC, NMI and ARI of `pred` against the ground truth `truth`.
 * @throws DataError when the labelings differ in length, are empty or hold non-integers
 */
export function externalScores(truth: ArrayLike<number>, pred: ArrayLike<number>): ExternalScores {
  return {
    acc: clusterAccuracy(truth, pred).accuracy,
    nmi: normalizedMutualInfoScore(truth, pred),
    ari: adjustedRandScore(truth, pred),
  };
}

/** Silhouette, Calinski–Harabasz and Davies–Bouldin (lower is better); null when undefined. */
export interface InternalScores {
  /** Mean silhouette coefficient, in [-1, 1] (on a sample when asked for). */
  readonly silhouette: number | null;
  /** Calinski–Harabasz variance ratio. */
  readonly calinskiHarabasz: number | null;
  /** Davies–Bouldin index (lower is better). */
  readonly daviesBouldin: number | null;
}

/** Options of {@link internalScores}. */
export interface InternalScoreOptions {
  /** Score the silhouette on a random sample of this many rows (default: all rows). */
  readonly silhouetteSample?: number;
  /** Seed of that sample. */
  readonly seed?: number;
  /** Threads for the silhouette's distance kernels. */
  readonly threads?: number;
}

/**
 * True when `pred` has 2 to n-1 distinct clusters, the range in which the internal scores are
 * defined (scikit-learn raises outside it; a collapsed clustering gets null scores instead).
 */
export function internalScoresDefined(pred: ArrayLike<number>): boolean {
  const k = new Set(Array.from(pred)).size;
  return k >= 2 && k <= pred.length - 1;
}

/**
 * The internal scores of `pred` on the features `x`, or nulls when `pred` has fewer than 2 or
 * more than n-1 clusters (see {@link internalScoresDefined}).
 * @throws DataError when `x` and `pred` differ in rows or `x` is not a finite matrix
 */
export async function internalScores(x: Matrix, pred: ArrayLike<number>, options: InternalScoreOptions = {}): Promise<InternalScores> {
  if (!internalScoresDefined(pred)) return { silhouette: null, calinskiHarabasz: null, daviesBouldin: null };
  const sampleSize = options.silhouetteSample !== undefined ? Math.min(options.silhouetteSample, x.rows) : undefined;
  return {
    silhouette: await silhouetteScore(x, pred, { sampleSize, seed: options.seed, threads: options.threads }),
    calinskiHarabasz: calinskiHarabaszScore(x, pred),
    daviesBouldin: daviesBouldinScore(x, pred),
  };
}
