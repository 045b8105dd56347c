/**
 * The small interfaces `auto` runs its clustering through, and the implementations that exist
 * today: k-means (src/cluster), k chosen by the silhouette of k-means partitions, and a UMAP
 * embedding (umap-js). A Gaussian mixture or another `estimateK` plugs in by implementing
 * {@link ClusteringStep} / {@link KEstimator}.
 */
import { UMAP } from 'umap-js';
import { KMeans } from '../cluster/kmeans.ts';
import { silhouetteScore } from '../metrics/index.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../random.ts';

/** A clustering step: rows in, one label per row out. */
export interface ClusteringStep {
  /** Its name in plans and results (`kmeans`, `gmm`…). */
  readonly name: string;
  /** Partitions `x` into `k` clusters, reproducibly for a seed. */
  fit(x: Matrix, k: number, seed: number): Promise<Int32Array>;
}

/** Chooses the number of clusters. */
export interface KEstimator {
  /** Its name in plans and results. */
  readonly name: string;
  /** The estimated k within `[lo, hi]`, with the score of every candidate (higher is better). */
  estimate(x: Matrix, range: readonly [number, number], seed: number): Promise<{ k: number; scores: Record<number, number> }>;
}

/** An embedding step (UMAP, an autoencoder's encoder…): rows in, fewer columns out. */
export interface EmbeddingStep {
  /** Its name in plans and results. */
  readonly name: string;
  /** Embeds the rows, reproducibly for a seed. */
  embed(x: Matrix, seed: number): Promise<Matrix>;
}

/** k-means++ with `nInit` restarts (src/cluster's KMeans, equal to scikit-learn's). */
export function kmeansStep(options: { nInit?: number; threads?: number } = {}): ClusteringStep {
  return {
    name: 'kmeans',
    async fit(x, k, seed) {
      return (await new KMeans({ nClusters: k, nInit: options.nInit ?? 10, seed, threads: options.threads }).fit(x)).labels;
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
  /** Optimisation epochs (umap-learn's choice for large data; umap-js would run 500 below 10,000 rows). @defaultValue 200 */
  readonly nEpochs?: number;
}

/** UMAP (umap-js), seeded, as N2D uses it between the features and the clustering step. */
export function umapStep(options: UmapStepOptions = {}): EmbeddingStep {
  const nComponents = options.nComponents ?? 10;
  return {
    name: `umap(${nComponents}d, ${options.nNeighbors ?? 15} neighbours)`,
    async embed(x, seed) {
      const rng = new Rng(seed);
      const rows: number[][] = [];
      for (let r = 0; r < x.rows; r++) rows.push(Array.from(x.data.subarray(r * x.cols, (r + 1) * x.cols)));
      const umap = new UMAP({ nComponents, nNeighbors: Math.min(options.nNeighbors ?? 15, x.rows - 1), minDist: options.minDist ?? 0, nEpochs: options.nEpochs ?? 200, random: () => rng.random() });
      const out = umap.fit(rows);
      const data = new Float32Array(x.rows * nComponents);
      out.forEach((row, r) => data.set(row, r * nComponents));
      return { data, rows: x.rows, cols: nComponents };
    },
  };
}
