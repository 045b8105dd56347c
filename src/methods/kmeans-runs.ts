/**
 * The k-means the methods use for initial centres and re-clustering on learned features:
 * scikit-learn-equal k-means++ / Lloyd from `src/cluster`, best of `nInit` seeded runs.
 */
import { KMeans } from '../cluster/index.ts';

/** Result of {@link runKMeans}. */
export interface KMeansRun {
  readonly labels: Int32Array;
  /** Row-major `[k, d]` centres. */
  readonly centers: Float32Array;
  readonly inertia: number;
}

/** Best of `nInit` seeded k-means++ + Lloyd runs on row-major `z` (`[n, d]`). */
export async function runKMeans(z: Float32Array, n: number, d: number, k: number, nInit: number, seed: number, threads?: number): Promise<KMeansRun> {
  const fitted = await new KMeans({ nClusters: k, nInit, seed, threads }).fit({ data: z, rows: n, cols: d });
  return { labels: fitted.labels, centers: Float32Array.from(fitted.clusterCenters.data), inertia: fitted.inertia };
}
