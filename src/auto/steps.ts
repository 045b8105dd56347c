/**
 * The small interfaces `auto` runs its clustering through, and their implementations: k-means and
 * a Gaussian mixture (src/cluster), k by src/cluster's estimateK (or the older silhouette-only
 * estimator), and a UMAP embedding (src/cluster/umap.ts).
 */
import { type KCriterion, estimateK } from '../cluster/estimate-k.ts';
import { GaussianMixture, selectionRegCovar } from '../cluster/gmm.ts';
import { KMeans } from '../cluster/kmeans.ts';
import { Umap } from '../cluster/umap.ts';
import { silhouetteScore } from '../metrics/index.ts';
import type { Matrix } from '../matrix.ts';
import { AUTO_GMM_RESTARTS, autoKMeansRestarts } from './plan.ts';

/** A clustering step: rows in, one label per row out. */
export interface ClusteringStep {
  /** Its name in plans and results (`kmeans`, `gmm`…). */
  readonly name: string;
  /** Partitions `x` into `k` clusters, reproducibly for a seed. */
  fit(x: Matrix, k: number, seed: number): Promise<Int32Array>;
}

/** What a {@link KEstimator} returns. */
export interface KEstimatorResult {
  /** The chosen k. */
  readonly k: number;
  /** The deciding criterion's value at every candidate k (its rule says whether higher or lower wins). */
  readonly scores: Record<number, number>;
  /** The criterion that decided (e.g. `silhouette`, `bic`). */
  readonly criterion?: string;
  /**
   * Whether the choice is clear-cut: for a criterion that is minimised (BIC), whether its minimum
   * lies inside the range with the curve rising over the next k's; undefined when not checked.
   */
  readonly clear?: boolean;
}

/** Chooses the number of clusters. */
export interface KEstimator {
  /** Its name in plans and results. */
  readonly name: string;
  /** The estimated k within `[lo, hi]` by `criterion` (the estimator's default when omitted). */
  estimate(x: Matrix, range: readonly [number, number], seed: number, criterion?: string): Promise<KEstimatorResult>;
}

/** An embedding step (UMAP, an autoencoder's encoder…): rows in, fewer columns out. */
export interface EmbeddingStep {
  /** Its name in plans and results. */
  readonly name: string;
  /** Embeds the rows, reproducibly for a seed. */
  embed(x: Matrix, seed: number): Promise<Matrix>;
}

/** Options of auto's clustering steps. */
export interface StepOptions {
  /** Restarts. @defaultValue {@link autoKMeansRestarts} for k-means, {@link AUTO_GMM_RESTARTS} for the mixture */
  readonly nInit?: number;
  /** onnxruntime threads. */
  readonly threads?: number;
}

/** The fitted k-means of auto's `kmeans` step: k-means++ with `nInit` restarts (by default {@link autoKMeansRestarts}: 10 to 50 by the data's size). */
export function fitKMeansStep(x: Matrix, k: number, seed: number, options: StepOptions = {}) {
  return new KMeans({ nClusters: k, nInit: options.nInit ?? autoKMeansRestarts(x.rows, x.cols, k), seed, threads: options.threads }).fit(x);
}

/** k-means++ with `nInit` restarts (src/cluster's KMeans, equal to scikit-learn's). */
export function kmeansStep(options: StepOptions = {}): ClusteringStep {
  return {
    name: 'kmeans',
    async fit(x, k, seed) {
      return (await fitKMeansStep(x, k, seed, options)).labels;
    },
  };
}

/** Covariance a Gaussian mixture gets on `d` columns: full up to 16 (as estimateK's BIC), diagonal above. */
export function covarianceFor(d: number): 'full' | 'diag' {
  return d <= 16 ? 'full' : 'diag';
}

/** A Gaussian mixture (src/cluster's GaussianMixture, EM from a k-means start; full covariances up to 16 columns, diagonal above). */
export function gmmStep(options: StepOptions = {}): ClusteringStep {
  return {
    name: 'gmm',
    async fit(x, k, seed) {
      return (await fitGmmStep(x, k, seed, options)).labels;
    },
  };
}


/**
 * The fitted mixture of auto's `gmm` step: {@link covarianceFor} the columns, `nInit` restarts
 * ({@link AUTO_GMM_RESTARTS} by default; k-means starts: the `'mixed'` starts did not help on the held-out tables, docs/own-data.md rule 8), the covariance floor estimateK's BIC used ({@link selectionRegCovar}).
 */
export function fitGmmStep(x: Matrix, k: number, seed: number, options: StepOptions = {}) {
  return new GaussianMixture({ nComponents: k, covarianceType: covarianceFor(x.cols), nInit: options.nInit ?? AUTO_GMM_RESTARTS, regCovar: selectionRegCovar(x), seed, threads: options.threads }).fit(x);
}

/** k's after the minimum over which a clear BIC minimum must keep rising. */
export const BIC_RISE_STEPS = 3;

/**
 * Whether a minimised curve has a clear interior minimum: at least {@link BIC_RISE_STEPS} k's
 * after it, over which the curve rises step by step. A curve still falling at the end of the
 * range (a mixture that keeps splitting: clusters that are not Gaussian) is not clear.
 */
export function clearMinimum(values: readonly (number | null)[], best: number): boolean {
  if (best + BIC_RISE_STEPS >= values.length) return false;
  for (let i = best; i < best + BIC_RISE_STEPS; i++) {
    const a = values[i];
    const b = values[i + 1];
    if (a === null || a === undefined || b === null || b === undefined || !(b > a)) return false;
  }
  return true;
}

/**
 * Uniform reference sets of the gap statistic on auto's table path (estimateK's default is 5): its
 * one-standard-error rule compares each k's gap with the next k's minus a standard error that is
 * itself noisy with 5 references on small tables. On held-out draws 0–9, 20 moved negative's draw 5
 * from k 4 to the true 3 and changed no other table's target (docs/own-data.md, rule 9).
 */
export const AUTO_GAP_REFERENCES = 20;

/**
 * k by src/cluster's estimateK (a seeded sample of at most 5000 rows): `silhouette` of k-means
 * partitions (the default) or `bic` of a Gaussian mixture, whose result says whether its minimum
 * is clear ({@link clearMinimum}).
 */
export function estimateKStep(options: { threads?: number; sampleSize?: number } = {}): KEstimator {
  return {
    name: 'estimateK',
    async estimate(x, [lo, hi], seed, criterion = 'silhouette') {
      const select = criterion as KCriterion;
      const est = await estimateK(x, { range: [lo, Math.min(hi, x.rows - 1)], select, gapReferences: AUTO_GAP_REFERENCES, seed, threads: options.threads, sampleSize: options.sampleSize });
      const curve = est.curves[select]!;
      const scores: Record<number, number> = {};
      est.ks.forEach((k, i) => {
        const v = curve.values[i];
        if (v !== null && v !== undefined) scores[k] = v;
      });
      return { k: est.k, scores, criterion: select, ...(curve.rule === 'min' ? { clear: clearMinimum(curve.values, est.ks.indexOf(est.k)) } : {}) };
    },
  };
}

/**
 * k by the silhouette of k-means partitions (on a seeded sample of at most `sampleSize` rows for
 * the score): the k in the range with the highest mean silhouette.
 */
export function silhouetteK(options: { sampleSize?: number; nInit?: number; threads?: number } = {}): KEstimator {
  return {
    name: 'silhouette of k-means',
    async estimate(x, [lo, hi], seed) {
      const scores: Record<number, number> = {};
      let best = lo;
      const sampleSize = Math.min(x.rows, options.sampleSize ?? 3000);
      for (let k = lo; k <= Math.min(hi, x.rows - 1); k++) {
        const labels = (await new KMeans({ nClusters: k, nInit: options.nInit ?? 4, seed, threads: options.threads }).fit(x)).labels;
        scores[k] = await silhouetteScore(x, labels, { sampleSize: sampleSize < x.rows ? sampleSize : undefined, seed, precision: 'float32', threads: options.threads });
        if (scores[k]! > scores[best]!) best = k;
      }
      return { k: best, scores };
    },
  };
}

/** Options of {@link umapStep}. */
export interface UmapStepOptions {
  /** Output dimensions. @defaultValue 10 */
  readonly nComponents?: number;
  /** Neighbours of the k-NN graph. @defaultValue 15 */
  readonly nNeighbors?: number;
  /** Minimum distance of the layout (0 packs clusters tightly, as N2D). @defaultValue 0 */
  readonly minDist?: number;
  /** Optimisation epochs (umap-learn's choice for large data; it would run 500 up to 10,000 rows). @defaultValue 200 */
  readonly nEpochs?: number;
  /** onnxruntime threads of the kNN search. */
  readonly threads?: number;
}

/** UMAP, seeded, as N2D uses it between the features and the clustering step. */
export function umapStep(options: UmapStepOptions = {}): EmbeddingStep {
  const nComponents = options.nComponents ?? 10;
  return {
    name: `umap(${nComponents}d, ${options.nNeighbors ?? 15} neighbours)`,
    async embed(x, seed) {
      const u = await new Umap({ nComponents, nNeighbors: Math.min(options.nNeighbors ?? 15, x.rows - 1), minDist: options.minDist ?? 0, nEpochs: options.nEpochs ?? 200, seed, threads: options.threads }).fit(x);
      return { data: Float32Array.from(u.embedding.data), rows: x.rows, cols: nComponents };
    },
  };
}
