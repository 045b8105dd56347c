/**
 * Every seed and random stream a run derives from its seed, in one place, all one way: a named
 * stream is a hash of (seed, name) ({@link deriveSeed}), so no stream depends on another having
 * been drawn. A run with a pretrained (or cached) network therefore makes the later phases' random
 * choices of the run that pretrained, and a resumed run those of the run it continues, with no
 * replay. Changing a name here changes that stream's numbers (and the regression fixture).
 */
import { type Rng, deriveSeed, stream } from '../random.ts';

/** The seeds derived from the run's seed. */
export const SEEDS = {
  /** Initial weights of the network. */
  network: (seed: number): number => deriveSeed(seed, 'network'),
  /** Random inputs (dropout masks, noise) of the pretraining steps. */
  pretrainSteps: (seed: number): number => deriveSeed(seed, 'pretrain-steps'),
  /** Random inputs of the clustering phase's steps. */
  clusterSteps: (seed: number): number => deriveSeed(seed, 'cluster-steps'),
  /** The steps of greedy layer pair `i`. */
  greedyLayer: (seed: number, i: number): number => deriveSeed(seed, 'greedy-steps', i),
  /** The initial k-means. */
  initialKmeans: (seed: number): number => deriveSeed(seed, 'initial-kmeans'),
  /** Estimating k on the pretrained embedding. */
  estimateK: (seed: number): number => deriveSeed(seed, 'estimate-k'),
  /** The final clustering's k-means. */
  finalKmeans: (seed: number): number => deriveSeed(seed, 'final-kmeans'),
  /** The final clustering's Gaussian mixture, the UMAP before it and the rows it keeps. */
  finalGmm: (seed: number): number => deriveSeed(seed, 'final-gmm'),
  finalUmap: (seed: number): number => deriveSeed(seed, 'final-umap'),
  finalSample: (seed: number): number => deriveSeed(seed, 'final-sample'),
  /** Image augmentation (each batch's stream is named further by phase, epoch and position). */
  augment: (seed: number): number => deriveSeed(seed, 'augment'),
} as const;

/** The order of an epoch of a phase (`greedy` pairs are named by layer too). */
export function epochOrder(seed: number, phase: 'pretrain' | 'cluster' | `greedy-${number}`, epoch: number, n: number): Int32Array {
  return stream(seed, `${phase}-order`, epoch).permutation(n);
}

/** The generator of the clustering blocks' own draws (the classification head's initial weights). */
export function blockRng(seed: number): Rng {
  return stream(seed, 'cluster-blocks');
}
