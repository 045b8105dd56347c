/**
 * Greedy layer-wise pretraining as in DEC (Xie et al. 2016, §3.2): each encoder layer and its
 * mirrored decoder layer are trained as a shallow denoising autoencoder on the previous layer's
 * output (input corrupted by dropout), one pair after the other; end-to-end pretraining follows.
 * Every pair keeps the activations of the full network: the first pair reconstructs the input
 * with the output activation, the last pair's code keeps the code activation.
 */
import { DataError } from '../errors.ts';
import { Graph, type ParameterStore, compileFunction, compileTrainingStep, dropout } from '../engine/index.ts';
import type { RuntimeOptions } from '../engine/session.ts';
import { reconstructionLoss } from '../losses/reconstruction.ts';
import { activate } from '../nn/layers.ts';
import { MlpAutoencoder } from '../nn/mlp-autoencoder.ts';
import type { GreedyPretrainConfig, PretrainConfig } from './config.ts';
import { runLoop } from './loop.ts';
import { makeOptimizer } from './network.ts';
import { SEEDS, epochOrder } from './seeds.ts';
import type { Autoencoder, HistoryRow, ProgressEvent } from './types.ts';

/** What {@link greedyPretrain} needs. */
export interface GreedyInput {
  readonly net: Autoencoder;
  readonly pretrain: PretrainConfig;
  readonly greedy: GreedyPretrainConfig;
  readonly x: Float32Array;
  readonly n: number;
  readonly store: ParameterStore;
  readonly seed: number;
  readonly stepsPerRun: number;
  readonly runtime?: RuntimeOptions;
  readonly history: HistoryRow[];
  readonly onProgress?: (e: ProgressEvent) => void;
}

/**
 * Trains the layer pairs in place in `store`; history rows have phase `greedy`, step = epoch
 * counted over all layers, and the loss `layer<i>`.
 */
export async function greedyPretrain(input: GreedyInput): Promise<void> {
  const { net, pretrain: p, greedy, n, store, seed } = input;
  if (!(net instanceof MlpAutoencoder)) throw new DataError('greedy layer-wise pretraining needs an MLP autoencoder (architecture.kind: mlp)');
  const dims = net.dims;
  const L = dims.length - 1;
  const K = input.stepsPerRun;
  const rate = greedy.corruption ?? 0.2;
  const total = L * greedy.epochs;
  let h = input.x;
  for (let i = 0; i < L; i++) {
    const w = dims[i]!;
    const enc = net.encoder[i]!;
    const dec = net.decoder[L - 1 - i]!;
    const g = new Graph();
    const hin = g.input('x', ['batch', w]);
    const corrupted = rate > 0 ? dropout(hin, g.randomInput('mask', ['batch', w], { kind: 'bernoulli', p: 1 - rate }), rate) : hin;
    const logits = dec.linear(g, enc.apply(g, corrupted));
    // only the first pair reconstructs the data (with the pretraining loss); inner pairs reconstruct activations
    const loss = reconstructionLoss(i === 0 ? p.loss : 'mse', { logits, output: activate(logits, dec.activation) }, hin);
    const optimizer = greedy.optimizer ?? p.optimizer;
    const step = await compileTrainingStep({ graph: g, loss, optimizer: makeOptimizer(optimizer), store, seed: SEEDS.greedyLayer(seed, i), runtime: input.runtime, outputs: { reconstruction: loss } });
    try {
      await runLoop({
        step,
        x: h,
        width: w,
        n,
        batchSize: p.batchSize,
        stepsPerRun: K,
        buffer: new Float32Array(K * p.batchSize * w),
        phase: 'pretraining',
        lrOption: greedy.optimizer ? 'overrides.pretrain.greedy.optimizer.lr' : 'overrides.pretrain.optimizer.lr',
        lr: optimizer.lr,
        epochs: greedy.epochs,
        order: (epoch) => epochOrder(seed, `greedy-${i}`, epoch, n),
        hooks: {
          afterEpoch: (epoch, terms) => {
            const done = i * greedy.epochs + epoch + 1;
            const losses = { [`layer${i}`]: terms.reconstruction! };
            input.history.push({ phase: 'greedy', step: done, losses });
            input.onProgress?.({ phase: 'greedy', done, total, losses });
          },
        },
      });
    } finally {
      await step.dispose();
    }
    if (i === L - 1) break;
    // the next pair learns on this layer's clean output
    const fg = new Graph();
    const fin = fg.input('x', ['batch', w]);
    const fn = await compileFunction(fg, { outputs: { h: enc.apply(fg, fin) }, store, runtime: input.runtime });
    try {
      h = (await fn.runBatched({ x: { data: h, rowSize: w } }, n, 4096)).h!.data as Float32Array;
    } finally {
      await fn.dispose();
    }
  }
}
