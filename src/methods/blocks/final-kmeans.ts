/** Re-clustering after training with k-means on the final embedding (best of `method.initNInit` runs). */
import { runKMeans } from '../kmeans-runs.ts';
import { SEEDS } from '../seeds.ts';
import type { FinalClusteringBlock } from './types.ts';

/** k-means on the final embedding. */
export interface KmeansFinalConfig {
  /** k-means (k-means++ and Lloyd, best of `method.initNInit` runs). */
  readonly kind: 'kmeans';
}

declare module './kinds.ts' {
  interface BuiltinFinalClusterings {
    /** k-means on the final embedding. */
    kmeans: KmeansFinalConfig;
  }
}

/** The k-means final-clustering block. */
export const kmeansFinal: FinalClusteringBlock<KmeansFinalConfig> = {
  kind: 'kmeans',
  summary: 'k-means on the final embedding',
  keys: [],
  check() {},
  run: async (_c, { z, n, dim, k, method, seed, threads }) => runKMeans(z, n, dim, k, method.initNInit, SEEDS.finalKmeans(seed), threads),
};
