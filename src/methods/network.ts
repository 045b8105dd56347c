/** The network of a method: building it, its optimizers, and its clustering features. */
import { DataError } from '../errors.ts';
import { type CompiledFunction, Graph, type Optimizer, type ParameterStore, type Tensor, adam, compileFunction, concat, sgd } from '../engine/index.ts';
import type { RuntimeOptions } from '../engine/session.ts';
import { ConvAutoencoder } from '../nn/conv-autoencoder.ts';
import { MlpAutoencoder, type Encoded } from '../nn/mlp-autoencoder.ts';
import type { MethodConfig, OptimizerConfig } from './config.ts';
import type { Autoencoder } from './types.ts';

/** Refuses image-only settings (`why`) for rows without an image shape, or with one that does not fit the width `d`. */
export function requireImageShape(why: string, imageShape: readonly [number, number, number] | undefined, d: number): asserts imageShape is readonly [number, number, number] {
  if (!imageShape) throw new DataError(`${why}, but the data has no image shape; use an image data set or pass the image shape (fit option imageShape: [1, 28, 28])`);
  if (imageShape[0] * imageShape[1] * imageShape[2] !== d)
    throw new DataError(`imageShape [${imageShape.join(',')}] does not match the data width ${d}; give [channels, height, width] with channels × height × width = ${d}`);
}

/** Builds the method's network for data of width `d` (and image shape, for conv nets). */
export function buildNetwork(m: MethodConfig, d: number, imageShape?: readonly [number, number, number]): Autoencoder {
  const a = m.architecture;
  if (a.kind === 'mlp') {
    return new MlpAutoencoder({ inputDim: d, hidden: a.hidden, embeddingDim: a.embeddingDim, activation: a.activation, codeActivation: a.codeActivation, outputActivation: a.outputActivation, init: a.init });
  }
  requireImageShape(`method '${m.name}' uses a convolutional network`, imageShape, d);
  return new ConvAutoencoder({
    imageShape,
    channels: a.channels,
    kernels: a.kernels,
    strides: a.strides,
    ...(a.pools ? { pools: a.pools } : {}),
    ...(a.padding ? { padding: a.padding } : {}),
    ...(a.denseCode !== undefined ? { denseCode: a.denseCode } : {}),
    ...(a.unpool ? { unpool: a.unpool } : {}),
    embeddingDim: a.embeddingDim,
    activation: a.activation,
    batchNorm: a.batchNorm,
    outputActivation: a.outputActivation,
    init: a.init,
  });
}

/** Creates the engine optimizer of a config. */
export function makeOptimizer(o: OptimizerConfig): Optimizer {
  return o.name === 'adam' ? adam({ lr: o.lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weightDecay }) : sgd({ lr: o.lr, momentum: o.momentum, nesterov: o.nesterov, weightDecay: o.weightDecay });
}

/** Clustering features of a batch (the code, or several encoder layers concatenated). */
export function features(m: MethodConfig, enc: Encoded): Tensor {
  if (m.features.kind === 'code') return enc.code;
  return m.features.layers.length === 1 ? enc.layers[m.features.layers[0]!]! : concat(m.features.layers.map((l) => enc.layers[l]!), 1);
}

/**
 * The smallest batch a training step may take: 2 with batch norm (one row has no batch statistics
 * at a 1×1 feature map: its output would be β whatever the input), else 1.
 */
export function minTrainingBatch(m: MethodConfig): number {
  return m.architecture.kind === 'conv' && m.architecture.batchNorm ? 2 : 1;
}

/** Compiles the feature extractor (inference mode) of a network. */
export async function compileFeatures(m: MethodConfig, net: Autoencoder, store: ParameterStore, d: number, runtime?: RuntimeOptions): Promise<{ fn: CompiledFunction; dim: number }> {
  const g = new Graph();
  const xin = g.input('x', ['batch', d]);
  const f = features(m, net.encode(g, xin, false));
  const dim = f.shape[1] as number;
  return { fn: await compileFunction(g, { outputs: { z: f }, store, runtime }), dim };
}

/** Runs a compiled feature function over all rows. */
export async function embed(f: { fn: CompiledFunction; dim: number }, x: Float32Array, n: number, d: number, batch: number): Promise<Float32Array> {
  const out = await f.fn.runBatched({ x: { data: x, rowSize: d } }, n, batch);
  return out.z!.data as Float32Array;
}
