/**
 * A fitted model: labels and centres of the training data, embedding, soft assignments and labels
 * of new data, ONNX export, save and load. The clustering-loss block gives the Student-t α of the
 * soft assignments.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir } from '../data/atomic.ts';
import { checkModelShapes, sealModel, verifyModelSeal } from '../data/model-integrity.ts';
import { DataError, ParamError } from '../errors.ts';
import { Graph, type ParameterStore, type Tensor, argMax, atomicWrite, compileFunction, exportOnnx, loadCheckpoint, saveCheckpoint } from '../engine/index.ts';
import type { RuntimeOptions } from '../engine/session.ts';
import { studentTAssignment } from '../losses/clustering.ts';
import type { Matrix } from '../matrix.ts';
import { clusteringLossBlock, finalClusteringOf } from './blocks/registry.ts';
import { checkData } from './checks.ts';
import type { MethodConfig } from './config.ts';
import { type DataInput, toMatrix } from './input.ts';
import { buildNetwork, features } from './network.ts';
import type { Autoencoder, FitKEstimate, FitRecord, HistoryRow, OnnxInputTransform, StoppedBy } from './types.ts';
import { validateMethod } from './validate.ts';

/** How a fit got its pretrained network. */
export interface PretrainSource {
  /** `trained`: pretrained in this fit; `cache`: read from the cache; `given`: passed as `pretrained`. */
  readonly kind: 'trained' | 'cache' | 'given';
  /** The cache file read or written, when a cache was used. */
  readonly cacheFile?: string;
}

/** What a fitted model holds: the fit's record, the network and its parameters, and how it was made. */
export interface FittedState extends FitRecord {
  method: MethodConfig;
  nClusters: number;
  seed: number;
  nFeatures: number;
  imageShape?: readonly [number, number, number];
  net: Autoencoder;
  store: ParameterStore;
  history: HistoryRow[];
  timings: Record<string, number>;
  pretrainedStore?: ParameterStore;
  pretrainSource?: PretrainSource;
  runtime?: RuntimeOptions;
  kEstimate?: FitKEstimate;
}

/** A trained model: labels of the training data, centres, and functions for new data. */
export class FittedDeepClustering {
  /** Cluster of each training sample (int32, 0..k-1). */
  readonly labels: Int32Array;
  /** Cluster centres in the feature space, row-major `[k, embeddingDim]`. */
  readonly clusterCenters: Float32Array;
  /** Number of clusters. */
  readonly nClusters: number;
  /** How k was estimated, when the fit was asked for `nClusters: 'auto'` (kept by `save`/`load`). */
  readonly kEstimate?: FitKEstimate;
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
  readonly stoppedBy: StoppedBy;
  /** Where the pretrained network came from (undefined for methods without pretraining, or a loaded model). */
  readonly pretrainSource?: PretrainSource;
  /** Width of the input rows. */
  readonly nFeatures: number;
  /** Image shape of the input rows, when they are images. */
  readonly imageShape?: readonly [number, number, number];
  /**
   * What the fit noticed without failing, as scikit-learn's ConvergenceWarning: e.g. fewer distinct
   * clusters in {@link labels} than `nClusters` (the data has fewer distinct points than k, or
   * duplicates). Empty for a loaded model. The CLI prints each as one `warning:` line.
   */
  readonly warnings: readonly string[];
  private readonly state: FittedState;

  /** @internal created by {@link DeepClustering.fit} or {@link FittedDeepClustering.load}. */
  constructor(state: FittedState) {
    this.state = state;
    this.labels = state.labels;
    this.clusterCenters = state.centers;
    this.nClusters = state.nClusters;
    this.kEstimate = state.kEstimate;
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
    this.warnings = fitWarnings(state.labels, state.nClusters);
  }

  /** The network's parameters (and, after clustering, `clusters.centers`). */
  get parameters(): ParameterStore {
    return this.state.store;
  }

  /** Parameters right after pretraining (also when read from the cache; undefined when skipped, given or loaded). */
  get pretrainedParameters(): ParameterStore | undefined {
    return this.state.pretrainedStore;
  }

  private checkInput(input: DataInput): Float32Array {
    const x = toMatrix(input, 'FittedDeepClustering');
    if (x.cols !== this.nFeatures) throw new DataError(`the model was trained on rows of ${this.nFeatures} features, got ${x.cols}; pass data preprocessed like the training data`);
    checkData(x.data, x.rows, x.cols);
    return x.data;
  }

  private graphWithFeatures(input?: OnnxInputTransform): { g: Graph; z: Tensor; centers: Tensor } {
    const g = new Graph();
    const xin = g.input('x', ['batch', input?.nInputs ?? this.nFeatures]);
    const z = features(this.method, this.state.net.encode(g, input ? input.apply(xin) : xin, false));
    const centers = g.constant(this.clusterCenters, [this.nClusters, this.embeddingDim], 'float32');
    return { g, z, centers };
  }

  /** Embeds rows into the clustering feature space: `[rows, embeddingDim]`. */
  async transform(x: DataInput, batchSize = 4096): Promise<Matrix> {
    return this.embedWith(this.state.store, x, batchSize);
  }

  /**
   * Embeds rows with the network as it was right after pretraining, before the clustering phase
   * (for reports); undefined when this fit did not pretrain (or the model was loaded).
   */
  async transformPretrained(x: DataInput, batchSize = 4096): Promise<Matrix | undefined> {
    return this.state.pretrainedStore ? this.embedWith(this.state.pretrainedStore, x, batchSize) : undefined;
  }

  private async embedWith(store: ParameterStore, x: DataInput, batchSize: number): Promise<Matrix> {
    const data = this.checkInput(x);
    const rows = data.length / this.nFeatures;
    const { g, z } = this.graphWithFeatures();
    const fn = await compileFunction(g, { outputs: { z }, store, runtime: this.state.runtime });
    try {
      const out = await fn.runBatched({ x: { data, rowSize: this.nFeatures } }, rows, batchSize);
      return { data: out.z!.data as Float32Array, rows, cols: this.embeddingDim };
    } finally {
      await fn.dispose();
    }
  }

  /**
   * Soft assignments `[rows, k]`: the final-clustering block's own (a mixture's posteriors), else
   * Student's t with the method's α (α = 1 for methods without a DEC loss).
   */
  async softAssign(x: DataInput, batchSize = 4096): Promise<Matrix> {
    const final = finalClusteringOf(this.method);
    if (final?.block.assign) {
      // the block's own path (e.g. a UMAP transform, then a mixture), from its stored parameters
      const z = await this.transform(x, batchSize);
      const store = this.state.store;
      return final.block.assign(final.config, z, (name) => {
        const p = store.get(`final.${name}`);
        return { shape: p.shape, data: Float32Array.from(p.data) };
      });
    }
    const data = this.checkInput(x);
    const rows = data.length / this.nFeatures;
    const { g, z, centers } = this.graphWithFeatures();
    const q = this.assignments(g, z, centers);
    const fn = await compileFunction(g, { outputs: { q }, store: this.state.store, runtime: this.state.runtime });
    try {
      const out = await fn.runBatched({ x: { data, rowSize: this.nFeatures } }, rows, batchSize);
      return { data: out.q!.data as Float32Array, rows, cols: this.nClusters };
    } finally {
      await fn.dispose();
    }
  }

  /**
   * Soft assignments of the features: the final-clustering block's when it has its own, else
   * Student-t with the clustering-loss block's α (ν = 1 for most).
   */
  private assignments(g: Graph, z: Tensor, centers: Tensor): Tensor {
    const final = finalClusteringOf(this.method);
    if (final?.block.softAssign) return final.block.softAssign({ g, z, centers, param: (name, shape) => g.param(`final.${name}`, [...shape]) }, final.config);
    return studentTAssignment(z, centers, clusteringLossBlock(this.method.clusteringLoss).alpha(this.method.clusteringLoss as never));
  }

  /** Cluster of each row: the arg-max of {@link softAssign} (the nearest centre, or the mixture's most probable component). */
  async predict(x: DataInput, batchSize = 4096): Promise<Int32Array> {
    const q = await this.softAssign(x, batchSize);
    const out = new Int32Array(q.rows);
    const k = this.nClusters;
    for (let i = 0; i < q.rows; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (q.data[i * k + j]! > q.data[i * k + best]!) best = j;
      out[i] = best;
    }
    return out;
  }

  /**
   * Exports the encoder (input `x` → output `embedding`) and, with `softAssignment`, the
   * cluster head (`q`, `label`) as a standalone ONNX model; `input` puts preprocessing nodes in
   * front of the encoder.
   * @throws ParamError when the soft assignments cannot be exported (the `umap-gmm` final clustering)
   */
  exportOnnx(path: string, options: { softAssignment?: boolean; input?: OnnxInputTransform } = {}): void {
    const { g, z, centers } = this.graphWithFeatures(options.input);
    const outputs: Record<string, Tensor> = { embedding: z };
    if (options.softAssignment ?? true) {
      const refusal = finalClusteringOf(this.method)?.block.exportRefusal;
      if (refusal) throw new ParamError(refusal);
      const q = this.assignments(g, z, centers);
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
      ...(this.kEstimate ? { kEstimate: this.kEstimate } : {}),
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
    let meta: { format: string; method: MethodConfig; nClusters: number; seed: number; nFeatures: number; imageShape: [number, number, number] | null; embeddingDim: number; iterations: number; stoppedBy: string; timings: Record<string, number>; kEstimate?: FitKEstimate };
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
      stoppedBy: meta.stoppedBy as StoppedBy,
      kEstimate: meta.kEstimate,
      runtime,
    });
  }
}

/** The warnings of a fit's labels (none for a loaded model, which keeps no labels). */
function fitWarnings(labels: Int32Array, k: number): string[] {
  if (!labels.length) return [];
  const distinct = new Set(labels).size;
  return distinct < k ? [`number of distinct clusters (${distinct}) found smaller than nClusters (${k}); the data may have fewer distinct points than k, or duplicate points: lower nClusters`] : [];
}
