/**
 * The deep clustering estimator, in the scikit-learn spirit:
 * `const fitted = await new DeepClustering({ method: 'idec', nClusters: 10 }).fit(x)`, then
 * `fitted.labels`, `fitted.clusterCenters`, `await fitted.transform(x)`, `await fitted.predict(x)`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { ensureDir } from '../data/atomic.ts';
import { checkModelShapes, sealModel, verifyModelSeal } from '../data/model-integrity.ts';
import { dirname, join } from 'node:path';
import { DataError, ParamError } from '../errors.ts';
import { Graph, type ParameterStore, type Tensor, argMax, atomicWrite, compileFunction, exportOnnx, loadCheckpoint, saveCheckpoint } from '../engine/index.ts';
import type { RuntimeOptions } from '../engine/session.ts';
import { studentTAssignment } from '../losses/clustering.ts';
import type { Matrix } from '../matrix.ts';
import { type Autoencoder, type HistoryRow, type ProgressEvent, buildNetwork, checkData, checkReconstructionRange, features, runMethod } from './_compose.ts';
import { type DeepPartial, type MethodConfig, applyDatasetDefaults, mergeConfig, shortBudgetOverrides, validateMethod } from './config.ts';
import { preset } from './presets.ts';
import { checkPretrainCacheDir, loadPretrain, pretrainCacheKey, savePretrain } from './pretrain-cache.ts';
import { type Checkpoint, Checkpointer, DEFAULT_CHECKPOINT_EVERY, checkFingerprint, checkpointPath, fingerprint, readRunCheckpoint, removeCheckpoint } from './checkpoint.ts';

/** Options of {@link DeepClustering}. */
export interface DeepClusteringOptions {
  /** A preset name (`ae-kmeans`, `dec`, `idec`, `dcn`, `conv-dec`, …) or a whole method config. @defaultValue 'idec' */
  readonly method?: string | MethodConfig;
  /** Number of clusters k (>= 2). */
  readonly nClusters: number;
  /** Seed of every random choice (weights, batches, k-means). @defaultValue 0 */
  readonly seed?: number;
  /** Changes to the method's settings, e.g. `{ pretrain: { epochs: 20 }, train: { maxIter: 5000 } }`. */
  readonly overrides?: DeepPartial<MethodConfig>;
  /** Where the engine runs (CPU threads, execution provider). */
  readonly runtime?: RuntimeOptions;
  /** Training steps per onnxruntime call. @defaultValue 16 */
  readonly stepsPerRun?: number;
  /**
   * Most bytes the batch × batch matrices of pairwise losses (SNNL, CDC correlation, locality)
   * may take in one training step; a larger batch is refused before training. @defaultValue 2 GiB
   */
  readonly pairwiseMemoryLimit?: number;
  /**
   * A directory caching pretrained autoencoders: a fit whose pretraining (architecture,
   * pretraining settings, seed, data) was done before starts from the stored network instead of
   * pretraining again, and a new pretraining is stored. The runs of one seed with `ae-kmeans`,
   * `dec` and `idec` then share one autoencoder, as the papers do. @defaultValue no cache
   */
  readonly pretrainCache?: string;
  /**
   * Name of the named data set being clustered (`usps`, `reuters-10k`, …), so the method's
   * per-data-set paper settings apply (e.g. IDEC's T = 30 and SGD 0.1/0.99 on USPS). @defaultValue none
   */
  readonly dataset?: string;
  /**
   * `'full'`: the method's paper schedule; `'short'`: its reduced schedule for quick runs
   * (`shortBudget` of the method, by default 40 pretraining epochs and 2,000 iterations),
   * applied before `overrides`. @defaultValue 'full'
   */
  readonly budget?: 'full' | 'short';
}

/** How a fit got its pretrained network. */
export interface PretrainSource {
  /** `trained`: pretrained in this fit; `cache`: read from the cache; `given`: passed as `pretrained`. */
  readonly kind: 'trained' | 'cache' | 'given';
  /** The cache file read or written, when a cache was used. */
  readonly cacheFile?: string;
}

/** Options of {@link DeepClustering.fit}. */
export interface FitOptions {
  /** `[channels, height, width]` of image rows (needed by convolutional methods). */
  readonly imageShape?: readonly [number, number, number];
  /** Called after each epoch / target refresh. */
  readonly onProgress?: (e: ProgressEvent) => void;
  /** Start from these pretrained network parameters (skips pretraining). */
  readonly pretrained?: ParameterStore;
  /** Ground-truth labels `[nSamples]`, used only by supervised blocks (supervised SNNL presets). */
  readonly labels?: Int32Array;
  /**
   * Write checkpoints while training, so that an interrupted fit can continue with
   * {@link FitOptions.resumeFrom} and give the same result, bit for bit, as a fit never stopped.
   * A fresh fit replaces a checkpoint left in the directory. @defaultValue no checkpoints
   */
  readonly checkpoint?: CheckpointOptions;
  /**
   * Continue the fit whose checkpoint is in this directory (call `fit` with the same data and
   * options). Checkpoints go on being written there unless `checkpoint` names another directory.
   * @throws DataError when the directory holds no checkpoint, a damaged one, or one made for
   * other data, settings or seed
   */
  readonly resumeFrom?: string;
  /**
   * Stops training at the next safe point (a few steps at most): with `checkpoint` (or
   * `resumeFrom`) a checkpoint is written first; then `fit` rejects with an InterruptedError.
   */
  readonly signal?: AbortSignal;
}

/** Checkpointing of {@link DeepClustering.fit}. */
export interface CheckpointOptions {
  /** Directory of the checkpoint (`checkpoint.safetensors`, replaced atomically at each save). */
  readonly dir: string;
  /**
   * Training steps (pretraining and clustering iterations together) between two checkpoints;
   * 0 writes one only when stopped, when the clustering phase starts and when training ends.
   * @defaultValue 1000
   */
  readonly every?: number;
  /** Your own JSON, stored with each checkpoint; read it back with `readCheckpointInfo(dir).extra.caller`. */
  readonly extra?: () => Record<string, unknown>;
  /** Called after each checkpoint written. */
  readonly onSaved?: (e: { path: string; phase: string; steps: number; reason: string }) => void;
}

/** What the estimator keeps in a checkpoint besides the run's state. */
interface FitCheckpointExtra {
  /** Seconds the fit had run when saved. */
  readonly elapsed: number;
  /** The cached pretraining the fit started from, if any. */
  readonly cache: { readonly file: string; readonly key: string } | null;
}

/**
 * Resolves a method option (name or config) into a validated config: its per-data-set settings
 * for `dataset` (a named set), then the short budget when asked for, then the overrides.
 */
export function resolveMethod(method: string | MethodConfig | undefined, overrides?: DeepPartial<MethodConfig>, dataset?: string, budget: 'full' | 'short' = 'full'): MethodConfig {
  if (budget !== 'full' && budget !== 'short') throw new ParamError(`budget must be 'full' or 'short', got ${JSON.stringify(budget)}`);
  const base = applyDatasetDefaults(typeof method === 'string' || method === undefined ? preset(method ?? 'idec') : method, dataset);
  const budgeted = budget === 'short' ? mergeConfig(base, shortBudgetOverrides(base)) : base;
  return validateMethod(mergeConfig(budgeted, overrides));
}

/**
 * The preprocessing to load `dataset` with for `method`: `given` when set (e.g. from `--preprocess`),
 * else the steps the method's paper used on that data set (DEC and IDEC on MNIST: `dec-mnist`, ×0.02),
 * else `undefined`, the data set's own default. `reproduce` and the benchmarks use it; `deepclust fit`
 * applies the same rule to the method it has already resolved (`--preprocess`, else `method.preprocess`).
 */
export function methodPreprocessing(method: string | MethodConfig | undefined, dataset: string, given?: readonly string[]): readonly string[] | undefined {
  return given ?? resolveMethod(method, undefined, dataset).preprocess;
}

/** The estimator: stores options; `fit` does the work. */
export class DeepClustering {
  /** The options, frozen. */
  readonly options: Readonly<DeepClusteringOptions>;

  constructor(options: DeepClusteringOptions) {
    this.options = Object.freeze({ ...options });
  }

  /**
   * Trains the method on `x` (`[nSamples, nFeatures]`, finite values).
   * @throws ParamError for invalid options, DataError for unusable data (NaN/Inf, k > n, …),
   * DivergenceError when training produces a non-finite loss.
   */
  async fit(x: Matrix, options: FitOptions = {}): Promise<FittedDeepClustering> {
    const k = this.options.nClusters;
    if (!Number.isInteger(k) || k < 2) throw new ParamError(`DeepClustering: option 'nClusters' must be an integer >= 2, got ${JSON.stringify(k)}`);
    const seed = this.options.seed ?? 0;
    if (!Number.isInteger(seed) || seed < 0) throw new ParamError(`DeepClustering: option 'seed' must be an integer >= 0, got ${JSON.stringify(seed)}`);
    const method = resolveMethod(this.options.method, this.options.overrides, this.options.dataset, this.options.budget);
    const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
    checkData(data, x.rows, x.cols);
    if (options.labels && options.labels.length !== x.rows) throw new DataError(`DeepClustering: ${options.labels.length} labels for ${x.rows} samples; pass one label per row of x`);
    if (k > x.rows) throw new DataError(`DeepClustering: nClusters = ${k} is larger than the ${x.rows} samples; use at most ${x.rows} clusters`);
    checkReconstructionRange(method, data);
    const saved = this.openResume(options, method, data, x, seed);
    const fitExtra = saved?.extra.fit as FitCheckpointExtra | undefined;
    const t0 = performance.now() - 1000 * (fitExtra?.elapsed ?? 0);
    // Pretrained-network cache: a hit stands in for the pretraining phase, history included.
    const cacheDir = this.options.pretrainCache;
    if (cacheDir !== undefined) checkPretrainCacheDir(cacheDir);
    const cacheKey = cacheDir && !options.pretrained ? pretrainCacheKey(method, { x: data, rows: x.rows, cols: x.cols, seed, imageShape: options.imageShape, labels: options.labels }) : null;
    // a resumed fit uses the cache entry it started from (and no other)
    const hit = saved ? resumedCacheHit(fitExtra) : cacheDir && cacheKey ? loadPretrain(cacheDir, cacheKey) : null;
    if (hit && !saved) options.onProgress?.({ phase: 'pretrain', done: method.pretrain!.epochs, total: method.pretrain!.epochs, losses: hit.history.at(-1)?.losses ?? {} });
    // the cache gets the pretrained network as soon as pretraining ends, not when the whole fit does
    let cacheFile: string | undefined;
    const cachePretraining = cacheDir && cacheKey && !hit ? (store: ParameterStore, history: readonly HistoryRow[], seconds: number) => void (cacheFile = savePretrain(cacheDir, cacheKey, store, history, seconds)) : undefined;
    const checkpoint = this.checkpointer(options, method, data, x, seed, saved, () => ({ fit: { elapsed: (performance.now() - t0) / 1000, cache: hit && cacheKey ? { file: hit.path, key: cacheKey } : hit ? (fitExtra?.cache ?? null) : null } satisfies FitCheckpointExtra }));
    const out = await runMethod(method, {
      x: data,
      n: x.rows,
      d: x.cols,
      imageShape: options.imageShape,
      k,
      seed,
      runtime: this.options.runtime,
      stepsPerRun: this.options.stepsPerRun,
      pairwiseMemoryLimit: this.options.pairwiseMemoryLimit,
      onProgress: options.onProgress,
      pretrained: options.pretrained ?? hit?.store,
      labels: options.labels,
      checkpoint,
      onPretrained: cachePretraining,
    });
    let pretrainSource: PretrainSource | undefined;
    if (hit) pretrainSource = { kind: 'cache', cacheFile: hit.path };
    else if (options.pretrained) pretrainSource = { kind: 'given' };
    else if (out.pretrainedStore) pretrainSource = { kind: 'trained', cacheFile: cacheDir && cacheKey ? (cacheFile ?? savePretrain(cacheDir, cacheKey, out.pretrainedStore, out.history, out.timings.pretrain ?? 0)) : undefined };
    const timings = { ...out.timings, total: (performance.now() - t0) / 1000 };
    return new FittedDeepClustering({
      method,
      nClusters: k,
      seed,
      nFeatures: x.cols,
      imageShape: options.imageShape,
      net: out.net,
      store: out.store,
      labels: out.labels,
      centers: out.centers,
      embeddingDim: out.embeddingDim,
      history: hit ? [...hit.history, ...out.history] : out.history,
      timings,
      iterations: out.iterations,
      stoppedBy: out.stoppedBy,
      pretrainedStore: out.pretrainedStore ?? hit?.store,
      pretrainSource,
      runtime: this.options.runtime,
    });
  }

  /** The checkpoint to resume from, checked against this fit's data and settings. */
  private openResume(options: FitOptions, method: MethodConfig, data: Float32Array, x: Matrix, seed: number): Checkpoint | undefined {
    if (options.resumeFrom === undefined) return undefined;
    const saved = readRunCheckpoint(options.resumeFrom);
    checkFingerprint(checkpointPath(options.resumeFrom), saved.fingerprint, this.fingerprintOf(options, method, data, x, seed));
    return saved;
  }

  private fingerprintOf(options: FitOptions, method: MethodConfig, data: Float32Array, x: Matrix, seed: number) {
    // everything that changes the numbers: the config, the steps per engine call, a given network
    const config = { method, stepsPerRun: this.options.stepsPerRun ?? 16, executionProvider: this.options.runtime?.executionProvider ?? 'cpu' };
    return fingerprint({ x: data, rows: x.rows, cols: x.cols, imageShape: options.imageShape, labels: options.labels, config, pretrained: options.pretrained, seed, k: this.options.nClusters });
  }

  /** The checkpoint policy of a fit, or undefined when it neither checkpoints, resumes nor can be stopped. */
  private checkpointer(options: FitOptions, method: MethodConfig, data: Float32Array, x: Matrix, seed: number, saved: Checkpoint | undefined, fitExtra: () => Record<string, unknown>): Checkpointer | undefined {
    const dir = options.checkpoint?.dir ?? options.resumeFrom;
    if (dir === undefined && !options.signal) return undefined;
    const every = options.checkpoint?.every ?? DEFAULT_CHECKPOINT_EVERY;
    if (!Number.isInteger(every) || every < 0) throw new ParamError(`DeepClustering.fit: option 'checkpoint.every' must be an integer >= 0, got ${JSON.stringify(every)}`);
    // a fresh fit must never leave an older run's checkpoint to be resumed by mistake
    if (dir !== undefined && !saved) removeCheckpoint(dir);
    const caller = options.checkpoint?.extra;
    return new Checkpointer({
      dir,
      every,
      signal: options.signal,
      fingerprint: dir !== undefined ? (saved?.fingerprint ?? this.fingerprintOf(options, method, data, x, seed)) : undefined,
      resume: saved?.state,
      extra: () => ({ ...fitExtra(), ...(caller ? { caller: caller() } : {}) }),
      onSaved: options.checkpoint?.onSaved,
    });
  }
}

/** The cache entry a resumed fit had started from. */
function resumedCacheHit(extra: FitCheckpointExtra | undefined): ReturnType<typeof loadPretrain> {
  if (!extra?.cache) return null;
  const hit = loadPretrain(dirname(extra.cache.file), extra.cache.key);
  if (!hit) throw new DataError(`the run started from the cached pretrained network '${extra.cache.file}', which is gone; it cannot resume, start it again`);
  return hit;
}

interface FittedState {
  method: MethodConfig;
  nClusters: number;
  seed: number;
  nFeatures: number;
  imageShape?: readonly [number, number, number];
  net: Autoencoder;
  store: ParameterStore;
  labels: Int32Array;
  centers: Float32Array;
  embeddingDim: number;
  history: HistoryRow[];
  timings: Record<string, number>;
  iterations: number;
  stoppedBy: string;
  pretrainedStore?: ParameterStore;
  pretrainSource?: PretrainSource;
  runtime?: RuntimeOptions;
}

/** A trained model: labels of the training data, centres, and functions for new data. */
export class FittedDeepClustering {
  /** Cluster of each training sample (int32, 0..k-1). */
  readonly labels: Int32Array;
  /** Cluster centres in the feature space, row-major `[k, embeddingDim]`. */
  readonly clusterCenters: Float32Array;
  /** Number of clusters. */
  readonly nClusters: number;
  /** Width of the feature space the clusters live in. */
  readonly embeddingDim: number;
  /** The resolved method config (every setting used). */
  readonly method: MethodConfig;
  /** The seed. */
  readonly seed: number;
  /** Loss terms and label changes over training. */
  readonly history: readonly HistoryRow[];
  /** Seconds per phase. */
  readonly timings: Readonly<Record<string, number>>;
  /** Clustering-phase iterations run, and why training stopped. */
  readonly iterations: number;
  /** Why training stopped: `tolerance` (few labels changed), `maxIter`, or `none` (no clustering phase). */
  readonly stoppedBy: string;
  /** Where the pretrained network came from (undefined for methods without pretraining, or a loaded model). */
  readonly pretrainSource?: PretrainSource;
  /** Width of the input rows. */
  readonly nFeatures: number;
  /** Image shape of the input rows, when they are images. */
  readonly imageShape?: readonly [number, number, number];
  private readonly state: FittedState;

  /** @internal created by {@link DeepClustering.fit} or {@link FittedDeepClustering.load}. */
  constructor(state: FittedState) {
    this.state = state;
    this.labels = state.labels;
    this.clusterCenters = state.centers;
    this.nClusters = state.nClusters;
    this.embeddingDim = state.embeddingDim;
    this.method = state.method;
    this.seed = state.seed;
    this.history = state.history;
    this.timings = state.timings;
    this.iterations = state.iterations;
    this.stoppedBy = state.stoppedBy;
    this.nFeatures = state.nFeatures;
    this.imageShape = state.imageShape;
    this.pretrainSource = state.pretrainSource;
  }

  /** The network's parameters (and, after clustering, `clusters.centers`). */
  get parameters(): ParameterStore {
    return this.state.store;
  }

  /** Parameters right after pretraining (also when read from the cache; undefined when skipped, given or loaded). */
  get pretrainedParameters(): ParameterStore | undefined {
    return this.state.pretrainedStore;
  }

  private checkInput(x: Matrix): Float32Array {
    if (x.cols !== this.nFeatures) throw new DataError(`the model was trained on rows of ${this.nFeatures} features, got ${x.cols}; pass data preprocessed like the training data`);
    const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
    checkData(data, x.rows, x.cols);
    return data;
  }

  private graphWithFeatures(): { g: Graph; z: Tensor; centers: Tensor } {
    const g = new Graph();
    const xin = g.input('x', ['batch', this.nFeatures]);
    const z = features(this.method, this.state.net.encode(g, xin, false));
    const centers = g.constant(this.clusterCenters, [this.nClusters, this.embeddingDim], 'float32');
    return { g, z, centers };
  }

  /** Embeds rows into the clustering feature space: `[rows, embeddingDim]`. */
  async transform(x: Matrix, batchSize = 4096): Promise<Matrix> {
    return this.embedWith(this.state.store, x, batchSize);
  }

  /**
   * Embeds rows with the network as it was right after pretraining, before the clustering phase
   * (for reports); undefined when this fit did not pretrain (or the model was loaded).
   */
  async transformPretrained(x: Matrix, batchSize = 4096): Promise<Matrix | undefined> {
    return this.state.pretrainedStore ? this.embedWith(this.state.pretrainedStore, x, batchSize) : undefined;
  }

  private async embedWith(store: ParameterStore, x: Matrix, batchSize: number): Promise<Matrix> {
    const data = this.checkInput(x);
    const { g, z } = this.graphWithFeatures();
    const fn = await compileFunction(g, { outputs: { z }, store, runtime: this.state.runtime });
    try {
      const out = await fn.runBatched({ x: { data, rowSize: this.nFeatures } }, x.rows, batchSize);
      return { data: out.z!.data as Float32Array, rows: x.rows, cols: this.embeddingDim };
    } finally {
      await fn.dispose();
    }
  }

  /**
   * Soft assignments `[rows, k]` (Student's t with the method's α; α = 1 for methods without a
   * DEC loss).
   */
  async softAssign(x: Matrix, batchSize = 4096): Promise<Matrix> {
    const data = this.checkInput(x);
    const { g, z, centers } = this.graphWithFeatures();
    const alpha = this.method.clusteringLoss.kind === 'dec' ? this.method.clusteringLoss.alpha : 1; // CDC and the rest: ν = 1
    const q = studentTAssignment(z, centers, alpha);
    const fn = await compileFunction(g, { outputs: { q }, store: this.state.store, runtime: this.state.runtime });
    try {
      const out = await fn.runBatched({ x: { data, rowSize: this.nFeatures } }, x.rows, batchSize);
      return { data: out.q!.data as Float32Array, rows: x.rows, cols: this.nClusters };
    } finally {
      await fn.dispose();
    }
  }

  /** Cluster of each row: its nearest centre in the feature space. */
  async predict(x: Matrix, batchSize = 4096): Promise<Int32Array> {
    const q = await this.softAssign(x, batchSize);
    const out = new Int32Array(x.rows);
    const k = this.nClusters;
    for (let i = 0; i < x.rows; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (q.data[i * k + j]! > q.data[i * k + best]!) best = j;
      out[i] = best;
    }
    return out;
  }

  /**
   * Exports the encoder (input `x` → output `embedding`) and, with `softAssignment`, the
   * cluster head (`q`, `label`) as a standalone ONNX model.
   */
  exportOnnx(path: string, options: { softAssignment?: boolean } = {}): void {
    const { g, z, centers } = this.graphWithFeatures();
    const outputs: Record<string, Tensor> = { embedding: z };
    if (options.softAssignment ?? true) {
      const alpha = this.method.clusteringLoss.kind === 'dec' ? this.method.clusteringLoss.alpha : 1; // CDC and the rest: ν = 1
      const q = studentTAssignment(z, centers, alpha);
      outputs.q = q;
      outputs.label = argMax(q, 1);
    }
    exportOnnx(path, g, outputs, this.state.store);
  }

  /** Saves the model into a directory: `model.safetensors` (parameters) and `model.json` (config). */
  save(dir: string, extra: Record<string, unknown> = {}): void {
    ensureDir(dir);
    const meta = {
      format: 'deepclust-model-1',
      method: this.method,
      nClusters: this.nClusters,
      seed: this.seed,
      nFeatures: this.nFeatures,
      imageShape: this.imageShape ?? null,
      embeddingDim: this.embeddingDim,
      iterations: this.iterations,
      stoppedBy: this.stoppedBy,
      timings: this.timings,
      ...extra,
    };
    const store = this.state.store.clone();
    if (!store.has('clusters.centers')) store.add('clusters.centers', [this.nClusters, this.embeddingDim], this.clusterCenters.slice(), false);
    else store.set('clusters.centers', this.clusterCenters.slice());
    saveCheckpoint(join(dir, 'model.safetensors'), store);
    atomicWrite(join(dir, 'model.json'), `${JSON.stringify(sealModel(dir, meta), null, 2)}\n`); // with the checksums load checks
  }

  /**
   * Loads a model saved by {@link save}.
   * @throws DataError when the directory or its files are missing or corrupt.
   */
  static load(dir: string, runtime?: RuntimeOptions): FittedDeepClustering {
    const jsonPath = join(dir, 'model.json');
    if (!existsSync(jsonPath)) throw new DataError(`'${dir}' is not a deepclust model directory (no model.json); pass the --out directory of a 'deepclust fit' run`);
    let meta: { format: string; method: MethodConfig; nClusters: number; seed: number; nFeatures: number; imageShape: [number, number, number] | null; embeddingDim: number; iterations: number; stoppedBy: string; timings: Record<string, number> };
    try {
      meta = JSON.parse(readFileSync(jsonPath, 'utf8'));
    } catch {
      throw new DataError(`'${jsonPath}' is not valid JSON (corrupt model)`);
    }
    if (meta.format !== 'deepclust-model-1') throw new DataError(`'${jsonPath}' has unknown format ${JSON.stringify(meta.format)}`);
    verifyModelSeal(dir, meta);
    const method = validateMethod(meta.method);
    const { store } = loadCheckpoint(join(dir, 'model.safetensors'));
    const net = buildNetwork(method, meta.nFeatures, meta.imageShape ?? undefined);
    checkModelShapes(dir, meta, net.initParameters(0), store); // model.json against the tensors
    const centers = Float32Array.from(store.get('clusters.centers').data);
    return new FittedDeepClustering({
      method,
      nClusters: meta.nClusters,
      seed: meta.seed,
      nFeatures: meta.nFeatures,
      imageShape: meta.imageShape ?? undefined,
      net,
      store,
      labels: new Int32Array(0),
      centers,
      embeddingDim: meta.embeddingDim,
      history: [],
      timings: meta.timings,
      iterations: meta.iterations,
      stoppedBy: meta.stoppedBy,
      runtime,
    });
  }
}
