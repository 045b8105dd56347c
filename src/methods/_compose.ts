/**
 * The one training loop of every method: builds the network from the method's architecture, runs
 * the phases (pretraining → initial clustering → clustering phase → optional re-clustering) and
 * reports progress. Presets never contain loops; they only choose blocks.
 */
import { DataError, DivergenceError } from '../errors.ts';
import {
  type CompiledFunction,
  Graph,
  type Optimizer,
  type ParamGroup,
  type ParameterStore,
  type Tensor,
  type TrainingStep,
  add,
  adam,
  addNoise,
  cast,
  compileFunction,
  compileTrainingStep,
  concat,
  dropout,
  equal,
  gemm,
  mul,
  pairwiseSquaredDistances,
  reduceMin,
  reduceSum,
  reshape,
  sgd,
  stopGradient,
  div,
  glorotUniform,
  initialize,
  linear,
  reduceMean,
  softmax,
  square,
  sub,
} from '../engine/index.ts';
import type { RuntimeOptions } from '../engine/session.ts';
import { reconstructionLoss } from '../losses/reconstruction.ts';
import { argmaxRows, klDivergence, kmeansLoss, studentTAssignment, targetDistribution } from '../losses/clustering.ts';
import { annealedTemperature, combineLayerLosses, softNearestNeighborLoss } from '../losses/snnl.ts';
import { affinityLoss, correlationLoss } from '../losses/correlation.ts';
import { ConvAutoencoder } from '../nn/conv-autoencoder.ts';
import { MlpAutoencoder, type Decoded, type Encoded } from '../nn/mlp-autoencoder.ts';
import { Rng } from '../random.ts';
import type { AugmentConfig, MethodConfig, OptimizerConfig, RegularizerConfig } from './config.ts';
import { augmentImages, augmentRng } from '../data/augment.ts';
import { balancedAssignmentLoss, clusterClassificationLoss, groupSparsityLoss, knnSimilarity, localityPreservingLoss } from '../losses/taxonomy.ts';
import { runKMeans } from './_kmeans.ts';
import { greedyPretrain } from './_greedy.ts';
import { type HardClusters, centroidsOf, compact, lloydRefine, nextClusterCount, wardMerge } from './_hard-clusters.ts';
import { ParamError } from '../errors.ts';
import type { ClusterState, InitState, RunState, SafePoints } from './_run-state.ts';

/** The autoencoder contract the runner needs (MLP and conv autoencoders implement it). */
export interface Autoencoder {
  readonly inputDim: number;
  encode(g: Graph, x: Tensor, training?: boolean): Encoded;
  decode(g: Graph, z: Tensor, training?: boolean): Decoded;
  encoderParamNames(): string[];
  decoderParamNames(): string[];
  initParameters(seed: number): ParameterStore;
}

/** Refuses image-only settings (`why`) for rows without an image shape, or with one that does not fit the width `d`. */
function requireImageShape(why: string, imageShape: readonly [number, number, number] | undefined, d: number): asserts imageShape is readonly [number, number, number] {
  if (!imageShape) throw new DataError(`${why}, but the data has no image shape; use an image data set or pass the image shape (fit option imageShape: [1, 28, 28]; CLI: --image-shape 1,28,28)`);
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

/** One progress event. */
export interface ProgressEvent {
  /** Greedy layer-wise pretraining, pretraining, initial k-means, clustering, final re-clustering. */
  readonly phase: 'greedy' | 'pretrain' | 'init' | 'cluster' | 'recluster';
  /** Epoch (greedy: over all layer pairs; pretraining) or iteration (clustering) done so far, and the total. */
  readonly done: number;
  /** Epochs or iterations of the whole phase. */
  readonly total: number;
  /** Loss terms of the last epoch / interval. */
  readonly losses?: Readonly<Record<string, number>>;
  /** Fraction of labels that changed at the last target refresh. */
  readonly labelChange?: number;
  /** Current labels (for metrics against ground truth). */
  readonly labels?: Int32Array;
}

/** One row of the training history. */
export interface HistoryRow {
  /** The phase (`greedy`, `pretrain`, `init`, `cluster`). */
  readonly phase: string;
  /** Epoch (pretraining) or iteration (clustering) at the row's end; 0 for the initial k-means. */
  readonly step: number;
  /** Loss terms (and the initial k-means inertia). */
  readonly losses: Record<string, number>;
  /** Fraction of labels changed since the last refresh (clustering). */
  readonly labelChange?: number;
  /** Clustering accuracy against ground truth, filled in by callers that have labels. */
  acc?: number;
  /** Normalised mutual information against ground truth, filled in by callers that have labels. */
  nmi?: number;
}

/** Everything the runner needs besides the method. */
export interface RunInput {
  readonly x: Float32Array;
  readonly n: number;
  readonly d: number;
  readonly imageShape?: readonly [number, number, number];
  readonly k: number;
  readonly seed: number;
  readonly runtime?: RuntimeOptions;
  /** Steps per session.run in training phases. @defaultValue 16 */
  readonly stepsPerRun?: number;
  /** Rows per inference call when embedding data. @defaultValue 4096 */
  readonly inferenceBatch?: number;
  readonly onProgress?: (e: ProgressEvent) => void;
  /** Parameters of a pretrained network to start from (skips pretraining). */
  readonly pretrained?: ParameterStore;
  /** Ground-truth labels, used only by supervised blocks (supervised SNNL). */
  readonly labels?: Int32Array;
  /** Bytes the b×b matrices of pairwise losses may take per step. @defaultValue 2 GiB */
  readonly pairwiseMemoryLimit?: number;
  /** Checkpointing: a state to resume from, and the safe points where the run may be saved or stopped. */
  readonly checkpoint?: SafePoints;
  /**
   * Called once when the pretraining phase ends (the network, the history so far, its seconds), before
   * the clustering phase: a pretraining cache stores it here, so a run that fails or stops later
   * still leaves it for the next.
   */
  readonly onPretrained?: (store: ParameterStore, history: readonly HistoryRow[], seconds: number) => void;
}

/** Float32 b×b temporaries a pairwise loss keeps alive per layer (forward and backward), a measured upper bound. */
const PAIRWISE_TEMPORARIES = 12;

/**
 * Refuses batch sizes whose pairwise (b×b) losses would need more memory than the limit: SNNL on
 * every hidden layer, CDC's correlation/affinity matrices, the locality loss's similarity.
 */
export function checkPairwiseMemory(m: MethodConfig, limit = 2 ** 31): void {
  const layers = m.architecture.kind === 'mlp' ? 2 * m.architecture.hidden.length + 1 : 2 * m.architecture.channels.length + 1;
  const uses: Array<[string, number | undefined, number]> = [
    ['the SNNL loss', m.pretrain?.snnl ? m.pretrain.batchSize : undefined, layers],
    ['the correlation loss', m.pretrain?.correlation ? m.pretrain.batchSize : undefined, 2],
    ['the CDC losses', m.clusteringLoss.kind === 'cdc' ? m.train?.batchSize : undefined, 4],
    ['the locality loss', (m.regularizers ?? []).some((r) => r.kind === 'locality') ? m.train?.batchSize : undefined, 1],
  ];
  for (const [what, b, count] of uses) {
    if (b === undefined) continue;
    const bytes = count * PAIRWISE_TEMPORARIES * 4 * b * b;
    if (bytes > limit) {
      const maxB = Math.floor(Math.sqrt(limit / (count * PAIRWISE_TEMPORARIES * 4)));
      throw new ParamError(
        `batch size ${b} makes the batch × batch matrices of ${what} need about ${(bytes / 2 ** 30).toFixed(1)} GiB per step (limit ${(limit / 2 ** 30).toFixed(1)} GiB); lower the batch size to at most ${maxB} or raise pairwiseMemoryLimit`,
      );
    }
  }
}

/** What a run produces. */
export interface RunOutput {
  readonly net: Autoencoder;
  readonly store: ParameterStore;
  readonly labels: Int32Array;
  readonly centers: Float32Array;
  readonly embeddingDim: number;
  readonly history: HistoryRow[];
  readonly timings: Record<string, number>;
  readonly iterations: number;
  readonly stoppedBy: 'tolerance' | 'maxIter' | 'none';
  /** Parameters right after pretraining (for caching). */
  readonly pretrainedStore?: ParameterStore;
}

/** Clustering features of a batch (the code, or several encoder layers concatenated). */
export function features(m: MethodConfig, enc: Encoded): Tensor {
  if (m.features.kind === 'code') return enc.code;
  return m.features.layers.length === 1 ? enc.layers[m.features.layers[0]!]! : concat(m.features.layers.map((l) => enc.layers[l]!), 1);
}

/** Copies rows `idx[from..to)` of x (width d) into out at row offset o. */
export function gatherRows(x: Float32Array, d: number, idx: ArrayLike<number>, from: number, to: number, out: Float32Array, o: number): void {
  for (let r = from; r < to; r++) out.set(x.subarray(idx[r]! * d, (idx[r]! + 1) * d), (o + r - from) * d);
}

/**
 * Batches of one epoch: full batches in runs of K steps, then the remainder batch alone when it has
 * at least `minRemainder` rows (a smaller one is skipped: its rows come again in the next epoch).
 */
export function* epochRuns(perm: Int32Array, batch: number, K: number, minRemainder = 1): Generator<{ from: number; steps: number; batch: number }> {
  const n = perm.length;
  const full = Math.floor(n / batch);
  for (let s = 0; s < full; s += K) yield { from: s * batch, steps: Math.min(K, full - s), batch };
  if (n % batch >= Math.max(1, minRemainder)) yield { from: full * batch, steps: 1, batch: n % batch };
}

/**
 * The smallest batch a training step may take: 2 with batch norm (one row has no batch statistics
 * at a 1×1 feature map: its output would be β whatever the input), else 1.
 */
export function minTrainingBatch(m: MethodConfig): number {
  return m.architecture.kind === 'conv' && m.architecture.batchNorm ? 2 : 1;
}

/** Runs a whole method; see the module comment. */
export async function runMethod(m: MethodConfig, input: RunInput): Promise<RunOutput> {
  const { x, n, d, k, seed } = input;
  const K = input.stepsPerRun ?? 16;
  const net = buildNetwork(m, d, input.imageShape);
  const cp = input.checkpoint;
  const resume = cp?.resume;
  // a resumed run continues from the saved state: timings so far, history, generator, parameters
  const timings: Record<string, number> = resume ? { ...resume.timings } : {};
  const history: HistoryRow[] = resume ? resume.history : [];
  const rng = resume ? Rng.fromState(resume.rng) : new Rng(seed);
  let store = resume ? resume.store : input.pretrained ? input.pretrained.clone() : net.initParameters(seed);
  checkPairwiseMemory(m, input.pairwiseMemoryLimit);
  if (m.pretrain?.augment || m.train?.augment) requireImageShape(`method '${m.name}' augments images (rotations and shifts)`, input.imageShape, d);
  if (n < k) throw new DataError(`the data has ${n} samples but k = ${k} clusters were asked for; use k <= ${n}`);
  for (const [phase, b] of [['pretraining', m.pretrain?.batchSize], ['clustering', m.clusteringLoss.kind === 'none' ? undefined : m.train?.batchSize]] as const)
    if (b !== undefined && b > n) throw new DataError(`the ${phase} batch size ${b} is larger than the ${n} samples; lower it (e.g. --batch-size ${Math.max(1, Math.floor(n / 4))})`);

  let pretrainedStore: ParameterStore | undefined = resume?.pretrainedStore;
  let pretrainSteps = resume?.pretrainSteps ?? 0;
  // The parts of the state every phase shares; `current` names the phase whose seconds so far count.
  const common = (phase: RunState['phase'], steps: number, current?: string, t0?: number) => ({
    phase,
    steps,
    rng: rng.getState(),
    history,
    timings: current ? { ...timings, [current]: (performance.now() - t0!) / 1000 } : { ...timings },
    store,
    pretrainedStore,
    pretrainSteps,
  });
  // the clock of a phase, counting the seconds it ran before the run was resumed
  const clock = (phase: string) => performance.now() - 1000 * (resume?.timings[phase] ?? 0);
  if (resume?.phase === 'done') {
    const r = resume.done!;
    return { net, store, labels: r.labels, centers: r.centers, embeddingDim: r.embeddingDim, history, timings, iterations: r.iterations, stoppedBy: r.stoppedBy, pretrainedStore };
  }

  // ---- phase 1: pretraining
  const resumePretrain = resume?.phase === 'pretrain' ? resume.pretrain : undefined;
  if (resumePretrain || (!resume && m.pretrain && !input.pretrained && (m.pretrain.epochs > 0 || (m.pretrain.greedy?.epochs ?? 0) > 0))) {
    const t0 = clock('pretrain');
    const p = m.pretrain!;
    if (!resumePretrain && p.greedy && p.greedy.epochs > 0)
      await greedyPretrain({ net, pretrain: p, greedy: p.greedy, x, n, store, seed, stepsPerRun: K, runtime: input.runtime, history, onProgress: input.onProgress });
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
    const step = await compileTrainingStep({ graph: g, loss, optimizer: makeOptimizer(p.optimizer), store, seed, runtime: input.runtime, outputs });
    if (resumePretrain) step.loadOptimizerState(resumePretrain.optimizer, { standard: false });
    const buf = new Float32Array(K * p.batchSize * d);
    const gbuf = new Float32Array(K * p.batchSize);
    const augment = imageAugmenter(p.augment, input, 'pretrain');
    for (let epoch = resumePretrain?.epoch ?? 0; epoch < p.epochs; epoch++) {
      // the epoch a resumed run stopped in continues with its order, position and sums
      const again = resumePretrain?.epoch === epoch ? resumePretrain : undefined;
      const perm = again ? again.perm : rng.fork(`pretrain-${epoch}`).permutation(n);
      const sums: Record<string, number> = again ? { ...again.sums } : {};
      let count = again ? again.count : 0;
      const temperature = sn ? (sn.temperature === 'annealed' ? annealedTemperature(epoch) : sn.temperature) : 0;
      for (const run of epochRuns(perm, p.batchSize, K, minTrainingBatch(m))) {
        if (again && run.from < again.cursor) continue;
        cp?.at(step.step, () => ({ ...common('pretrain', step.step, 'pretrain', t0), pretrain: { epoch, cursor: run.from, perm, sums: { ...sums }, count, optimizer: step.optimizerState({ standard: false }) } }));
        const rows = run.steps * run.batch;
        gatherRows(x, d, perm, run.from, run.from + rows, buf, 0);
        augment?.(buf, rows, run.batch, epoch, run.from);
        const feeds: Record<string, { data: Float32Array; dims: number[] }> = { x: { data: buf.subarray(0, rows * d), dims: [run.steps, run.batch, d] } };
        if (sn) {
          feeds.temperature = { data: new Float32Array(run.steps).fill(temperature), dims: [run.steps] };
          if (sn.supervised) {
            for (let r = 0; r < rows; r++) gbuf[r] = input.labels![perm[run.from + r]!]!;
            feeds.groups = { data: gbuf.subarray(0, rows), dims: [run.steps, run.batch, 1] };
          }
        }
        const out = await runInPhase(step, feeds, run.steps, 'pretraining', p.optimizer.lr);
        for (const [key, v] of Object.entries(out)) for (const e of v.data as Float32Array) sums[key] = (sums[key] ?? 0) + e;
        count += run.steps;
      }
      const losses: Record<string, number> = {};
      for (const [key, v] of Object.entries(sums)) losses[key] = v / count;
      history.push({ phase: 'pretrain', step: epoch + 1, losses });
      input.onProgress?.({ phase: 'pretrain', done: epoch + 1, total: p.epochs, losses });
    }
    pretrainSteps = step.step;
    await step.dispose();
    pretrainedStore = store.clone();
    timings.pretrain = (performance.now() - t0) / 1000;
    input.onPretrained?.(pretrainedStore, history, timings.pretrain);
  } else if (!resume && m.pretrain && input.pretrained) {
    // A given (or cached) network stands for the pretraining: draw what pretraining draws, so the
    // later phases make the random choices of a fit that pretrains, and give its result.
    for (let epoch = 0; epoch < m.pretrain.epochs; epoch++) rng.fork(`pretrain-${epoch}`);
  }

  // ---- phase 2: initial clustering on the features (a resumed clustering phase has it)
  const init = resume?.init ?? (await initialClustering(m, input, net, store, pretrainSteps, timings, history));
  let { labels, centers } = init;
  const dim = init.dim;

  // ---- phase 3: clustering
  let iterations = 0;
  let stoppedBy: RunOutput['stoppedBy'] = 'none';
  if (m.clusteringLoss.kind !== 'none' && m.train && m.train.maxIter > 0) {
    const t0 = clock('cluster');
    const safe: ClusterSafePoints = {
      resume: resume?.cluster,
      at: (steps, state, reason) => cp?.at(pretrainSteps + steps, () => ({ ...common('cluster', pretrainSteps + steps, 'cluster', t0), init, cluster: state() }), reason),
    };
    const r = await clusterPhase(m, input, net, store, centers, labels, dim, rng, history, safe);
    store = r.store;
    centers = r.centers;
    labels = r.labels;
    iterations = r.iterations;
    stoppedBy = r.stoppedBy;
    timings.cluster = (performance.now() - t0) / 1000;
  }

  // ---- phase 4: re-cluster on the final embedding
  if (m.reclusterAfterTraining) {
    const t0 = performance.now();
    const f = await compileFeatures(m, net, store, d, input.runtime);
    const z = await embed(f, x, n, d, input.inferenceBatch ?? 4096);
    await f.fn.dispose();
    const km2 = await runKMeans(z, n, f.dim, k, m.initNInit, seed + 1, input.runtime?.threads);
    labels = km2.labels;
    centers = km2.centers;
    timings.recluster = (performance.now() - t0) / 1000;
    input.onProgress?.({ phase: 'recluster', done: 1, total: 1, labels });
  }
  const steps = pretrainSteps + iterations; // every clustering iteration is one step
  cp?.at(steps, () => ({ ...common('done', steps), done: { labels, centers, iterations, stoppedBy, embeddingDim: dim } }), 'end');
  return { net, store, labels, centers, embeddingDim: dim, history, timings, iterations, stoppedBy, pretrainedStore };
}

/**
 * The augmentation of one phase, or undefined when it has none. It augments `rows` gathered rows
 * (whole batches of `batch` rows starting at position `from` of the epoch); each batch draws from
 * a generator fixed by (seed, phase, epoch, its position), so neither the steps per engine call
 * nor a resume changes what a batch sees.
 */
function imageAugmenter(cfg: AugmentConfig | undefined, input: RunInput, phase: string): ((buf: Float32Array, rows: number, batch: number, epoch: number, from: number) => void) | undefined {
  if (!cfg || (cfg.rotate === 0 && cfg.shift === 0)) return undefined;
  const shape = input.imageShape!;
  const size = shape[0] * shape[1] * shape[2];
  const scratch = new Float32Array(size);
  return (buf, rows, batch, epoch, from) => {
    for (let r = 0; r < rows; r += batch)
      augmentImages(buf.subarray(r * size), Math.min(batch, rows - r), shape, cfg, augmentRng(input.seed, phase, epoch, from + r), scratch);
  };
}

/** Phase 2: features of the (pretrained) network and k-means on them; pushes its history row and timing. */
async function initialClustering(m: MethodConfig, input: RunInput, net: Autoencoder, store: ParameterStore, pretrainSteps: number, timings: Record<string, number>, history: HistoryRow[]): Promise<InitState> {
  const { x, n, d, k, seed } = input;
  const t0 = performance.now();
  const featureFn = await compileFeatures(m, net, store, d, input.runtime);
  const z = await embed(featureFn, x, n, d, input.inferenceBatch ?? 4096);
  // the last pretraining update may leave non-finite weights although its own loss was finite
  if (pretrainSteps > 0) assertFiniteAfter(z, 'pretraining', pretrainSteps, 'embedding', m.pretrain!.optimizer.lr);
  await featureFn.fn.dispose();
  input.onProgress?.({ phase: 'init', done: 0, total: 1 });
  const initK = initialClusterCount(m, n, k);
  const km = await runKMeans(z, n, featureFn.dim, initK, m.initNInit, seed, input.runtime?.threads);
  let labels = km.labels;
  let centers = km.centers;
  if (initK > k && !(m.clusteringLoss.kind !== 'none' && m.train && m.train.maxIter > 0)) {
    // agglomerative update without a clustering phase: merge the small clusters right away
    const merged = wardMerge(hardFrom(z, n, featureFn.dim, labels, initK), featureFn.dim, k);
    labels = merged.labels;
    centers = Float32Array.from(merged.centroids);
  }
  timings.init = (performance.now() - t0) / 1000;
  input.onProgress?.({ phase: 'init', done: 1, total: 1, labels });
  history.push({ phase: 'init', step: 0, losses: { inertia: km.inertia } });
  return { labels, centers, dim: featureFn.dim, inertia: km.inertia };
}

/** Clusters the first k-means makes: k, or the agglomerative update's starting number. */
function initialClusterCount(m: MethodConfig, n: number, k: number): number {
  if (m.clusterUpdate.kind !== 'agglomerative') return k;
  const k0 = m.clusterUpdate.initialClusters ?? Math.min(n, 5 * k);
  if (k0 < k) throw new ParamError(`method.clusterUpdate.initialClusters (${k0}) must be at least k = ${k}`);
  if (k0 > n) throw new DataError(`method.clusterUpdate.initialClusters (${k0}) is larger than the ${n} samples; lower it`);
  return k0;
}

function hardFrom(z: Float32Array, n: number, dim: number, labels: Int32Array, count: number): HardClusters {
  const { centroids, sizes } = centroidsOf(z, n, dim, labels, count);
  return compact({ labels, centroids, sizes, count }, dim);
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

async function clusterPhase(
  m: MethodConfig,
  input: RunInput,
  net: Autoencoder,
  store: ParameterStore,
  centers0: Float32Array,
  labels0: Int32Array,
  dim: number,
  rng: Rng,
  history: HistoryRow[],
  safe: ClusterSafePoints,
): Promise<{ store: ParameterStore; centers: Float32Array; labels: Int32Array; iterations: number; stoppedBy: RunOutput['stoppedBy'] }> {
  const { x, n, d, k } = input;
  const K = input.stepsPerRun ?? 16;
  const t = m.train!;
  const cu = m.clusterUpdate;
  const B = t.batchSize;
  const kind = m.clusteringLoss.kind;
  const joint = cu.kind === 'joint';
  // Hard-target losses: the clusters live outside the graph and reach it as per-point feeds.
  const hardTargets = kind === 'classification' || (kind === 'kmeans' && cu.kind === 'agglomerative');
  const count0 = centers0.length / dim;
  const rc = safe.resume;
  // Centres live in the store: trainable (joint) or a buffer with per-cluster counts (DCN); a resumed run has them.
  if (!hardTargets && !rc) {
    store.add('clusters.centers', [k, dim], centers0.slice(), joint);
    if (!joint) store.add('clusters.counts', [k], new Float32Array(k).fill(cu.initialCount ?? 1), false);
  }

  const g = new Graph();
  const xin = g.input('x', ['batch', d]);
  const enc = net.encode(g, xin, true);
  const z = features(m, enc);
  const terms: Record<string, Tensor> = {};
  let clustering: Tensor;
  const usePerBatchTarget = cu.targetScope === 'batch';
  let cdcGroups: ParamGroup[] | undefined;
  let softQ: Tensor | undefined;
  if (kind === 'classification') {
    // A softmax head over the (starting) clusters, trained on pseudo-labels.
    const w = 'clusters.head.weight';
    if (!store.has(w)) {
      const headRng = rng.fork('classification-head');
      store.add(w, [dim, count0], initialize(glorotUniform(), [dim, count0], 'dense', headRng) as Float32Array);
      store.add('clusters.head.bias', [count0], new Float32Array(count0));
    }
    const logits = linear(z, g.param(w, [dim, count0]), g.param('clusters.head.bias', [count0]));
    softQ = softmax(logits, 1);
    clustering = clusterClassificationLoss(logits, g.input('pseudo', ['batch', count0]));
  } else if (hardTargets) {
    // k-means loss towards the centroid of each point's current cluster.
    clustering = reduceMean(mul(reduceSum(square(sub(z, g.input('target', ['batch', dim]))), [1]), 0.5));
  } else if (kind === 'dec') {
    const q = studentTAssignment(z, g.param('clusters.centers', [k, dim]), m.clusteringLoss.alpha);
    softQ = q;
    const p = usePerBatchTarget ? batchTarget(q) : g.input('p', ['batch', k]);
    clustering = klDivergence(p, q);
  } else if (m.clusteringLoss.kind === 'cdc') {
    // Algorithm 1: three parameter groups, each descending its own objective.
    const { eta, beta, lambda } = m.clusteringLoss;
    const q = studentTAssignment(z, g.param('clusters.centers', [k, dim]), 1);
    const p = usePerBatchTarget ? batchTarget(q) : g.input('p', ['batch', k]);
    clustering = klDivergence(p, q);
    const decoded = net.decode(g, enc.code, true);
    const rec = reconstructionLoss('mse', decoded, xin);
    const lcr = add(correlationLoss(z, xin), correlationLoss(z, decoded.output));
    const affinity = affinityLoss(q, z);
    const lCentres = add(clustering, mul(affinity, eta));
    // the decoder's reconstruction term is weighted like any non-clustering loss (0 or 'none': the authors' code, one objective)
    const recWeight = m.nonClusteringLoss.kind === 'reconstruction' ? m.combination.nonClusteringWeight : 0;
    const lAE = add(mul(lcr, lambda), mul(rec, recWeight));
    const lDC = add(lCentres, mul(lcr, beta));
    Object.assign(terms, { reconstruction: rec, correlation: lcr, affinity, decoderLoss: lAE });
    const byName = (names: string[]) => g.params.filter((t) => names.includes(t.name));
    const opt = () => makeOptimizer(t.optimizer);
    cdcGroups = [
      { name: 'centers', params: byName(['clusters.centers']), optimizer: opt(), loss: lCentres },
      { name: 'decoder', params: byName(net.decoderParamNames()), optimizer: opt(), loss: lAE },
      { name: 'encoder', params: byName(net.encoderParamNames()), optimizer: opt(), loss: lDC },
    ];
    terms.clustering = clustering;
    terms.loss = lDC;
  } else {
    // DCN: hard assignment to the nearest centre, k-means loss, running-mean centre update.
    const centers = g.buffer('clusters.centers', [k, dim]);
    const d2 = pairwiseSquaredDistances(stopGradient(z), centers);
    const oneHot = cast(equal(d2, reduceMin(d2, [1], true)), 'float32');
    clustering = kmeansLoss(z, centers, oneHot);
    const counts = g.buffer('clusters.counts', [k]);
    const nb = reduceSum(oneHot, [0]);
    const newCounts = add(counts, nb);
    const sums = gemm(oneHot, stopGradient(z), { transA: true });
    g.assign(centers, div(add(mul(centers, reshape(counts, [k, 1])), sums), reshape(newCounts, [k, 1])));
    g.assign(counts, newCounts);
  }
  terms.clustering = clustering;
  // The schedule: the clustering weight ramps from 0 when rampIterations is set (fed per step).
  const ramp = m.combination.rampIterations ?? 0;
  const weight = ramp > 0 ? g.input('clusteringWeight', []) : m.combination.clusteringWeight;
  let loss = cdcGroups ? terms.loss! : mul(clustering, weight);
  if (!cdcGroups && m.nonClusteringLoss.kind === 'reconstruction') {
    const rec = reconstructionLoss(m.nonClusteringLoss.loss, net.decode(g, enc.code, true), xin, m.nonClusteringLoss.reduction);
    terms.reconstruction = rec;
    loss = add(loss, mul(rec, m.combination.nonClusteringWeight));
  }
  for (const r of m.regularizers ?? []) {
    const term =
      r.kind === 'balanced' ? balancedAssignmentLoss(softQ!) : r.kind === 'groupSparsity' ? groupSparsityLoss(z, r.groups) : localityPreservingLoss(z, g.input('similarity', ['batch', 'batch']));
    terms[r.kind] = term;
    loss = add(loss, mul(term, r.weight));
  }
  terms.loss = loss;
  const locality = (m.regularizers ?? []).find((r) => r.kind === 'locality');
  const netParams = g.params.filter((p) => p.name !== 'clusters.centers');
  const groups: ParamGroup[] = cdcGroups ?? [{ name: 'network', params: netParams, optimizer: makeOptimizer(t.optimizer) }];
  if (joint && !cdcGroups) {
    const centerOpt = cu.centerLr ? { ...t.optimizer, lr: cu.centerLr } : t.optimizer;
    groups.push({ name: 'centers', params: [g.params.find((p) => p.name === 'clusters.centers')!], optimizer: makeOptimizer(centerOpt) });
  }
  // The decoder's parameters may be absent from this graph (keepDecoder false): the store keeps them.
  const step: TrainingStep = await compileTrainingStep({ graph: g, loss, groups, store, seed: input.seed, runtime: input.runtime, outputs: terms });
  if (rc) step.loadOptimizerState(rc.optimizer, { standard: false });

  // Assignments of all data at each refresh: soft (DEC, CDC), distances (DCN) or the features (hard targets).
  const ga = new Graph();
  const xa = ga.input('x', ['batch', d]);
  // batch statistics (as the training steps see the data) when the method asks for them
  const batchStatistics = cu.targetBatchNorm === 'batch';
  const za = features(m, net.encode(ga, xa, batchStatistics));
  const soft = kind === 'dec' || kind === 'cdc';
  let assign: Tensor = za;
  if (!hardTargets) {
    const ca = ga.param('clusters.centers', [k, dim]);
    const alpha = m.clusteringLoss.kind === 'dec' ? m.clusteringLoss.alpha : 1;
    assign = soft ? studentTAssignment(za, ca, alpha) : mul(pairwiseSquaredDistances(za, ca), -1);
  }
  const assignFn = await compileFunction(ga, { outputs: { q: assign }, store, runtime: input.runtime });
  const runAssign = async (from: number, to: number, chunk: number) =>
    (await assignFn.runBatched({ x: { data: x.subarray(from * d, to * d), rowSize: d } }, to - from, chunk)).q!.data as Float32Array;
  const assignAll = async () => {
    let q: Float32Array;
    const rest = n % B;
    if (!batchStatistics) q = await runAssign(0, n, input.inferenceBatch ?? 4096);
    else if (rest === 0 || n < B) q = await runAssign(0, n, B);
    else {
      // every row in a batch of B: the last `rest` rows are normalised with the B − rest rows before
      // them, not alone (a batch of one row would lose all its information to its own statistics)
      const head = await runAssign(0, n - rest, B);
      const tail = await runAssign(n - B, n, B);
      const width = head.length / (n - rest);
      q = new Float32Array(n * width);
      q.set(head);
      q.set(tail.subarray((B - rest) * width), (n - rest) * width);
    }
    // weights a step left non-finite show here first (that step's loss was still finite)
    if (step.step > 0) assertFiniteAfter(q, 'clustering', step.step, 'assignments', t.optimizer.lr);
    return q;
  };

  let labels = rc ? rc.labels : labels0;
  let hard: HardClusters | undefined = rc?.hard;
  // Per-point rows fed with each batch (P, pseudo-labels or centroid targets), gathered by the permutation.
  const rowFeeds: RowFeed[] = [];
  if (soft && !usePerBatchTarget) rowFeeds.push({ name: 'p', width: k, data: new Float32Array(0), scratch: new Float32Array(K * B * k) });
  if (hardTargets) {
    const width = kind === 'classification' ? count0 : dim;
    rowFeeds.push({ name: kind === 'classification' ? 'pseudo' : 'target', width, data: new Float32Array(n * width), scratch: new Float32Array(K * B * width) });
  }
  if (rc?.feed && rowFeeds[0]) rowFeeds[0].data = rc.feed;
  const xb = new Float32Array(K * B * d);
  // a resumed run continues the epoch order at its position (the generator is already past its forks)
  let perm = rc ? rc.perm : rng.fork('cluster-0').permutation(n);
  let cursor = rc?.cursor ?? 0;
  let epoch = rc?.epoch ?? 0;
  let ite = rc?.ite ?? 0;
  let stoppedBy: RunOutput['stoppedBy'] = 'maxIter';
  const sums: Record<string, number> = rc ? { ...rc.sums } : {};
  let count = rc?.count ?? 0;
  const scalars = (steps: number): Record<string, Float32Array> => {
    if (ramp <= 0) return {};
    const w = new Float32Array(steps);
    for (let s = 0; s < steps; s++) w[s] = m.combination.clusteringWeight * Math.min(1, (ite + s) / ramp);
    return { clusteringWeight: w };
  };
  let first = !rc;
  const augment = imageAugmenter(t.augment, input, 'cluster');
  const augmentAt = (ep: number, from: number, batch: number) => (augment ? (buf: Float32Array, rows: number) => augment(buf, rows, batch, ep, from) : undefined);
  while (ite < t.maxIter) {
    // the safe point: everything the loop carries is in the state (a save when the phase starts)
    safe.at(step.step, () => ({ ite, cursor, epoch, perm, sums: { ...sums }, count, labels, feed: rowFeeds[0]?.data, hard, optimizer: step.optimizerState({ standard: false }) }), first ? 'phase' : undefined);
    first = false;
    if (ite % cu.updateInterval === 0) {
      const q = await assignAll();
      let labelChange: number;
      let merging = false;
      if (hardTargets) {
        // k-means steps on the new embedding from the current clusters (then, agglomerative, a merge stage)
        const start = hard ?? hardFrom(q, n, dim, labels, count0);
        const refined = lloydRefine(q, n, dim, start, cu.kind === 'alternating' ? 10 : 1);
        labelChange = changedFraction(refined.labels, hard ? hard.labels : labels);
        hard = compact(refined, dim);
        if (cu.kind === 'agglomerative' && hard.count > k) {
          hard = wardMerge(hard, dim, nextClusterCount(hard.count, k, cu.mergeRate ?? 0.5));
          merging = true;
        }
        labels = hard.labels;
        fillHardFeed(rowFeeds[0]!, hard, dim);
      } else {
        const newLabels = argmaxRows(q, n, k);
        labelChange = changedFraction(newLabels, labels);
        labels = newLabels;
        if (soft && !usePerBatchTarget) rowFeeds[0]!.data = targetDistribution(q, n, k);
      }
      const losses: Record<string, number> = {};
      for (const [key, v] of Object.entries(sums)) losses[key] = v / Math.max(count, 1);
      if (hard) losses.clusters = hard.count;
      history.push({ phase: 'cluster', step: ite, losses, labelChange });
      input.onProgress?.({ phase: 'cluster', done: ite, total: t.maxIter, losses, labelChange, labels });
      for (const key of Object.keys(sums)) sums[key] = 0;
      count = 0;
      if (ite > 0 && !merging && (!hard || hard.count === k) && labelChange < cu.tol) {
        stoppedBy = 'tolerance';
        break;
      }
    }
    // Steps until the next refresh (or the end), in full batches from the epoch permutation.
    const untilRefresh = cu.updateInterval - (ite % cu.updateInterval);
    let steps = Math.min(K, untilRefresh, t.maxIter - ite);
    if (cursor + B > n) {
      // the epoch's remainder batch (if any, and not too small for batch norm) alone, then a new permutation
      const rem = n - cursor >= minTrainingBatch(m) ? n - cursor : 0;
      if (rem > 0) await runSteps(step, x, d, perm, cursor, 1, rem, rowFeeds, xb, sums, scalars(1), t.optimizer.lr, locality, augmentAt(epoch, cursor, rem));
      cursor = 0;
      perm = rng.fork(`cluster-${++epoch}`).permutation(n);
      if (rem > 0) {
        count++;
        ite += 1;
        continue;
      }
      // no remainder: the new epoch's first run follows at once (going round the loop would
      // refresh the targets a second time at this iteration, see no label change and stop)
    }
    steps = Math.min(steps, Math.floor((n - cursor) / B));
    await runSteps(step, x, d, perm, cursor, steps, B, rowFeeds, xb, sums, scalars(steps), t.optimizer.lr, locality, augmentAt(epoch, cursor, B));
    cursor += steps * B;
    count += steps;
    ite += steps;
  }
  let centers: Float32Array;
  if (hardTargets) {
    // Final clusters on the final embedding, merged down to k if the schedule had not got there.
    let h = lloydRefine(await assignAll(), n, dim, hard!, stoppedBy === 'maxIter' ? 10 : 0, true);
    if (h.count > k) h = wardMerge(h, dim, k);
    labels = h.labels;
    centers = Float32Array.from(h.centroids);
  } else {
    // Steps ran after the last refresh: label the data with the final network and centres.
    if (stoppedBy === 'maxIter') labels = argmaxRows(await assignAll(), n, k);
    centers = Float32Array.from(store.get('clusters.centers').data);
  }
  await step.dispose();
  await assignFn.dispose();
  return { store, centers, labels, iterations: ite, stoppedBy };
}

/** The clustering phase's view of the safe points: it builds only its own part of the state. */
interface ClusterSafePoints {
  readonly resume?: ClusterState;
  at(steps: number, state: () => ClusterState, reason?: 'phase'): void;
}

function changedFraction(a: Int32Array, b: Int32Array): number {
  let changed = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) changed++;
  return changed / a.length;
}

/** A per-point feed: `data` holds `width` values per data row; batches gather rows into `scratch`. */
interface RowFeed {
  readonly name: string;
  readonly width: number;
  data: Float32Array;
  readonly scratch: Float32Array;
}

// One-hot pseudo-labels (classification) or each point's centroid (k-means loss).
function fillHardFeed(f: RowFeed, h: HardClusters, dim: number): void {
  const n = h.labels.length;
  if (f.name === 'pseudo') {
    f.data.fill(0);
    for (let i = 0; i < n; i++) f.data[i * f.width + h.labels[i]!] = 1;
  } else for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) f.data[i * dim + j] = h.centroids[h.labels[i]! * dim + j]!;
}

async function runSteps(
  step: TrainingStep,
  x: Float32Array,
  d: number,
  perm: Int32Array,
  from: number,
  steps: number,
  batch: number,
  rowFeeds: readonly RowFeed[],
  xb: Float32Array,
  sums: Record<string, number>,
  scalars: Record<string, Float32Array>,
  lr: number,
  locality?: Extract<RegularizerConfig, { kind: 'locality' }>,
  augment?: (buf: Float32Array, rows: number) => void,
): Promise<void> {
  const rows = steps * batch;
  gatherRows(x, d, perm, from, from + rows, xb, 0);
  augment?.(xb, rows);
  const feeds: Record<string, { data: Float32Array; dims: number[] }> = { x: { data: xb.subarray(0, rows * d), dims: [steps, batch, d] } };
  if (locality) {
    // k-nearest-neighbour heat-kernel weights of each batch, in input space
    const sim = new Float32Array(steps * batch * batch);
    for (let s = 0; s < steps; s++) sim.set(knnSimilarity(xb.subarray(s * batch * d, (s + 1) * batch * d), batch, d, locality.neighbors, locality.bandwidth), s * batch * batch);
    feeds.similarity = { data: sim, dims: [steps, batch, batch] };
  }
  for (const f of rowFeeds) {
    gatherRows(f.data, f.width, perm, from, from + rows, f.scratch, 0);
    feeds[f.name] = { data: f.scratch.subarray(0, rows * f.width), dims: [steps, batch, f.width] };
  }
  for (const [name, v] of Object.entries(scalars)) feeds[name] = { data: v, dims: [steps] };
  const out = await runInPhase(step, feeds, steps, 'clustering', lr);
  for (const [key, v] of Object.entries(out)) {
    let s = 0;
    for (const e of v.data as Float32Array) s += e;
    sums[key] = (sums[key] ?? 0) + s;
  }
}

/**
 * Runs training steps; a divergence is re-thrown naming the phase and the learning rate to lower
 * (the engine knows only the step and the loss term).
 */
async function runInPhase(
  step: TrainingStep,
  feeds: Parameters<TrainingStep['run']>[0],
  steps: number,
  phase: 'pretraining' | 'clustering',
  lr: number,
): ReturnType<TrainingStep['run']> {
  try {
    return await step.run(feeds, { steps });
  } catch (err) {
    if (!(err instanceof DivergenceError)) throw err;
    throw divergence(phase, err.step, err.term, `loss term '${err.term}' is`, err.value, lr);
  }
}

/** Throws a {@link divergence} when `values` (computed after `step` updates) hold a non-finite value. */
function assertFiniteAfter(values: Float32Array, phase: 'pretraining' | 'clustering', step: number, term: string, lr: number): void {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) throw divergence(phase, step, term, `the ${term} after it holds`, values[i], lr);
}

/** The one-line DivergenceError of a phase: where it happened, and which learning rate to lower. */
function divergence(phase: 'pretraining' | 'clustering', step: number, term: string, what: string, value: number | undefined, lr: number): DivergenceError {
  const option = phase === 'clustering' ? '--lr, i.e. train.optimizer.lr' : 'pretrain.optimizer.lr of the method config';
  return new DivergenceError(
    `training diverged in the ${phase} phase at step ${step}: ${what} ${value ?? 'a non-finite value'}; lower the learning rate (${option}, now ${lr}), check the data for extreme values, or try another seed`,
    step,
    term,
    value,
    phase,
  );
}

// ClustPy's variant: the target distribution computed from the batch's own assignments.
function batchTarget(q: Tensor): Tensor {
  const qc = stopGradient(q);
  const w = div(mul(qc, qc), reduceSum(qc, [0], true));
  return div(w, reduceSum(w, [1], true));
}

/**
 * Binary cross-entropy reconstruction reads each input as a probability: values outside [0, 1]
 * would train towards an impossible target without any error. Refuse them before training.
 */
export function checkReconstructionRange(m: MethodConfig, x: Float32Array): void {
  const clusteringBce = m.train !== null && m.nonClusteringLoss.kind === 'reconstruction' && m.nonClusteringLoss.loss === 'bce';
  if (m.pretrain?.loss !== 'bce' && !clusteringBce) return;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // float32 rounding of v / 255 may land a hair above 1
  if (lo < 0 || hi > 1 + 1e-6)
    throw new DataError(
      `method '${m.name}' reconstructs with binary cross-entropy, which needs data in [0, 1], but the values range over [${lo}, ${hi}]; rescale them (pixels: --preprocess scale255; features: minmax) or reconstruct with mse`,
    );
}

/** Throws unless the data is finite and non-empty. */
export function checkData(x: Float32Array, n: number, d: number): void {
  if (n < 1 || d < 1) throw new DataError(`the data is empty (${n} rows × ${d} columns); pass at least one row of at least one feature`);
  if (x.length !== n * d) throw new DataError(`the data has ${x.length} values, expected ${n} × ${d} = ${n * d}; make rows × cols match the length of the values`);
  for (let i = 0; i < x.length; i++)
    if (!Number.isFinite(x[i]!)) throw new DataError(`the data has a non-finite value (${x[i]}) at row ${Math.floor(i / d)}, column ${i % d}; remove or impute it first`);
}

