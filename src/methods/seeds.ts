/**
 * Every seed and random stream a run derives from its seed, in one place.
 *
 * Two kinds exist, and both are kept as they were so that results stay bit-identical:
 * - seeds of their own for the engine and k-means (`SEEDS`);
 * - the run's generator `new Rng(seed)`, whose named forks give the epoch orders
 *   (`pretrain-<epoch>`, `cluster-<epoch>`) and the classification head. A fork takes one number
 *   from the generator, so a phase that is skipped (pretraining, when a pretrained network is given)
 *   must still take its numbers: {@link skipPretraining}. Forks that do not advance the generator
 *   would remove that, but change every result; that change is left to a deliberate new fixture.
 */
import type { Rng } from '../random.ts';

/** The seeds derived from the run's seed. */
export const SEEDS = {
  /** Initial weights of the network. */
  network: (seed: number): number => seed,
  /** Random inputs (dropout masks, noise) of the pretraining and clustering steps. */
  steps: (seed: number): number => seed,
  /** The steps of greedy layer pair `i`. */
  greedyLayer: (seed: number, i: number): number => seed + 7919 * (i + 1),
  /** The initial k-means. */
  initialKmeans: (seed: number): number => seed,
  /** The final clustering's k-means. */
  finalKmeans: (seed: number): number => seed + 1,
} as const;

/** The order of an epoch of a phase: a named fork of the run's generator. */
export function epochOrder(rng: Rng, phase: 'pretrain' | 'cluster', epoch: number, n: number): Int32Array {
  return rng.fork(`${phase}-${epoch}`).permutation(n);
}

/** Takes from the run's generator what `epochs` pretraining epochs take, for a run that skips them. */
export function skipPretraining(rng: Rng, epochs: number): void {
  for (let epoch = 0; epoch < epochs; epoch++) rng.fork(`pretrain-${epoch}`);
}
