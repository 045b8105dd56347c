/**
 * Phase 1, pretraining: greedy layer pairs (when asked), then the end-to-end autoencoder epochs
 * with the method's corruption, SNNL or correlation terms and augmentation.
 */
import { DataError } from '../errors.ts';
import { Graph, type Tensor, add, addNoise, compileTrainingStep, dropout, mul } from '../engine/index.ts';
import { correlationLoss } from '../losses/correlation.ts';
import { reconstructionLoss } from '../losses/reconstruction.ts';
import { annealedTemperature, combineLayerLosses, softNearestNeighborLoss } from '../losses/snnl.ts';
import { greedyPretrain } from './greedy.ts';
import { type Chunk, type Feeds, imageAugmenter, runLoop } from './loop.ts';
import { SEEDS, epochOrder } from './seeds.ts';
import { makeOptimizer, minTrainingBatch } from './network.ts';
import { PlateauTracker } from './pretrain-plateau.ts';
import type { PretrainState } from './_run-state.ts';
import type { PhaseInput } from './phase.ts';

/** The option a pretraining divergence tells the user to lower. */
export const PRETRAIN_LR_OPTION = 'overrides.pretrain.optimizer.lr';

/** What {@link pretrainPhase} needs. */
export interface PretrainInput extends PhaseInput {
  readonly imageShape?: readonly [number, number, number];
  readonly labels?: Int32Array;
  readonly stepsPerRun: number;
  /** The pretraining state of a resumed run (then greedy pretraining is done). */
  readonly resume?: PretrainState;
  /** The safe point before each engine call. */
  safePoint?(steps: number, state: () => PretrainState): void;
}

/**
 * Trains the autoencoder in place in `store`; returns the steps it ran. With `pretrain.plateau`
 * the epochs may end early; the last pretraining history row then records how they ended
 * (`pretrainEnd`: the steps, and whether the epochs or the plateau stopped them).
 */
export async function pretrainPhase(input: PretrainInput): Promise<number> {
  const { m, net, store, x, n, d, seed } = input;
  const p = m.pretrain!;
  const K = input.stepsPerRun;
  if (!input.resume && p.greedy && p.greedy.epochs > 0)
    await greedyPretrain({ net, pretrain: p, greedy: p.greedy, x, n, store, seed: input.seed, stepsPerRun: K, runtime: input.runtime, history: input.history, onProgress: input.onProgress });
  const g = new Graph();
  const xin = g.input('x', ['batch', d]);
  let corrupted = xin;
  if (p.corruption && p.corruption.rate > 0) {
    corrupted =
      p.corruption.kind === 'dropout'
        ? dropout(xin, g.randomInput('mask', ['batch', d], { kind: 'bernoulli', p: 1 - p.corruption.rate }), p.corruption.rate)
        : addNoise(xin, g.randomInput('noise', ['batch', d], { kind: 'normal', std: p.corruption.rate }));
  }
  const encoded = net.encode(g, corrupted, true);
  const decoded = net.decode(g, encoded.code, true);
  const rec = reconstructionLoss(p.loss, decoded, xin);
  let loss = rec;
  const outputs: Record<string, Tensor> = { reconstruction: rec };
  if (p.correlation) {
    const lcr = add(correlationLoss(encoded.code, xin), correlationLoss(encoded.code, decoded.output));
    outputs.correlation = lcr;
    loss = add(loss, mul(lcr, p.correlation.lambda));
    outputs.loss = loss;
  }
  const sn = p.snnl;
  if (sn) {
    if (sn.supervised && !input.labels) throw new DataError(`method '${m.name}' uses the labels (supervised SNNL), but the data has none; use a labelled data set or an unsupervised preset`);
    const groups = sn.supervised ? g.input('groups', ['batch', 1]) : undefined;
    const temperature = g.input('temperature', []);
    const hidden = [...encoded.layers, ...decoded.layers];
    const snnl = combineLayerLosses(hidden.map((h) => softNearestNeighborLoss(h, groups, temperature, { distance: sn.distance })), sn.layers);
    outputs.snnl = snnl;
    loss = add(rec, mul(snnl, sn.alpha));
    outputs.loss = loss;
  }
  const step = await compileTrainingStep({ graph: g, loss, optimizer: makeOptimizer(p.optimizer), store, seed: SEEDS.pretrainSteps(seed), runtime: input.runtime, outputs });
  const resume = input.resume;
  if (resume) step.loadOptimizerState(resume.optimizer, { standard: false });
  const gbuf = new Float32Array(K * p.batchSize);
  const augment = imageAugmenter(p.augment, input.imageShape, SEEDS.augment(seed), 'pretrain');
  const plateau = p.plateau && p.epochs > 0 ? new PlateauTracker(p.plateau, resume?.plateau) : undefined;
  // SNNL's temperature (and supervised groups) are fed with each batch
  const snnlFeeds = ({ epoch, from, batch, perm }: Chunk) => {
    if (!sn) return undefined;
    const temperature = sn.temperature === 'annealed' ? annealedTemperature(epoch) : sn.temperature;
    return (_buf: Float32Array, rows: number, feeds: Feeds) => {
      const steps = rows / batch;
      feeds.temperature = { data: new Float32Array(steps).fill(temperature), dims: [steps] };
      if (sn.supervised) {
        for (let r = 0; r < rows; r++) gbuf[r] = input.labels![perm[from + r]!]!;
        feeds.groups = { data: gbuf.subarray(0, rows), dims: [steps, batch, 1] };
      }
    };
  };
  try {
    const end = await runLoop({
      step,
      x,
      width: d,
      n,
      batchSize: p.batchSize,
      stepsPerRun: K,
      minRemainder: minTrainingBatch(m),
      buffer: new Float32Array(K * p.batchSize * d),
      phase: 'pretraining',
      lrOption: PRETRAIN_LR_OPTION,
      lr: p.optimizer.lr,
      epochs: p.epochs,
      // the optimizer counts the end-to-end steps done (greedy pairs train with their own)
      start: resume ? { ...resume, ite: resume.optimizer.step } : undefined,
      checkEvery: plateau?.settings.window,
      order: (epoch) => epochOrder(seed, 'pretrain', epoch, n),
      hooks: {
        beforeChunk: ({ epoch, cursor, perm, sums, count }) =>
          input.safePoint?.(step.step, () => ({ epoch, cursor, perm, sums: { ...sums }, count, optimizer: step.optimizerState({ standard: false }), ...(plateau ? { plateau: plateau.state() } : {}) })),
        transform: augment && ((c) => augment(c.epoch, c.from, c.batch)),
        extraFeeds: snnlFeeds,
        afterEpoch: (epoch, losses) => {
          input.history.push({ phase: 'pretrain', step: epoch + 1, losses });
          input.onProgress?.({ phase: 'pretrain', done: epoch + 1, total: p.epochs, losses });
        },
        ...(plateau ? { afterCall: (_c: Chunk, losses: Record<string, Float32Array>) => plateau.add(losses), onCheck: (ite: number) => plateau.check(ite) } : {}),
      },
    });
    if (plateau) {
      const h = input.history;
      let last = h.length - 1;
      while (last >= 0 && h[last]!.phase !== 'pretrain') last--;
      const cap = p.epochs * (Math.floor(n / p.batchSize) + (n % p.batchSize >= minTrainingBatch(m) ? 1 : 0));
      if (last >= 0) h[last] = { ...h[last]!, pretrainEnd: plateau.end(end.ite, cap, end.stopped) };
    }
    return step.step;
  } finally {
    await step.dispose();
  }
}
