/** Phase 2, the initial clustering: k-means on the (pretrained) features. */
import { clusterUpdateBlock, hasClusteringPhase } from './blocks/registry.ts';
import { type HardClusters, centroidsOf, compact, wardMerge } from './hard-clusters.ts';
import { runKMeans } from './kmeans-runs.ts';
import { assertFiniteAfter } from './loop.ts';
import { compileFeatures, embed } from './network.ts';
import { PRETRAIN_LR_OPTION } from './pretrain.ts';
import { SEEDS } from './seeds.ts';
import type { InitState } from './_run-state.ts';
import type { PhaseInput } from './phase.ts';

/** What {@link initialClustering} needs. */
export interface InitInput extends PhaseInput {
  readonly k: number;
  readonly inferenceBatch: number;
  /** Pretraining steps run (a non-finite embedding after them is a pretraining divergence). */
  readonly pretrainSteps: number;
  readonly timings: Record<string, number>;
}

/** Features of the network and k-means on them; pushes its history row and timing. */
export async function initialClustering(input: InitInput): Promise<InitState> {
  const { m, x, n, d, k, seed } = input;
  const t0 = performance.now();
  const featureFn = await compileFeatures(m, input.net, input.store, d, input.runtime);
  const z = await embed(featureFn, x, n, d, input.inferenceBatch);
  // the last pretraining update may leave non-finite weights although its own loss was finite
  if (input.pretrainSteps > 0) assertFiniteAfter(z, 'pretraining', input.pretrainSteps, 'embedding', PRETRAIN_LR_OPTION, m.pretrain!.optimizer.lr);
  await featureFn.fn.dispose();
  input.onProgress?.({ phase: 'init', done: 0, total: 1 });
  const initK = clusterUpdateBlock(m.clusterUpdate).initialClusters(m.clusterUpdate, n, k);
  const km = await runKMeans(z, n, featureFn.dim, initK, m.initNInit, SEEDS.initialKmeans(seed), input.runtime?.threads);
  let labels = km.labels;
  let centers = km.centers;
  if (initK > k && !hasClusteringPhase(m)) {
    // agglomerative update without a clustering phase: merge the small clusters right away
    const merged = wardMerge(hardFrom(z, n, featureFn.dim, labels, initK), featureFn.dim, k);
    labels = merged.labels;
    centers = Float32Array.from(merged.centroids);
  }
  input.timings.init = (performance.now() - t0) / 1000;
  input.onProgress?.({ phase: 'init', done: 1, total: 1, labels });
  input.history.push({ phase: 'init', step: 0, losses: { inertia: km.inertia } });
  return { labels, centers, dim: featureFn.dim, inertia: km.inertia };
}

/** Hard clusters of `labels` (`count` of them) on the features `z`. */
export function hardFrom(z: Float32Array, n: number, dim: number, labels: Int32Array, count: number): HardClusters {
  const { centroids, sizes } = centroidsOf(z, n, dim, labels, count);
  return compact({ labels, centroids, sizes, count }, dim);
}
