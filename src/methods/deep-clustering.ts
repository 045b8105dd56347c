/**
 * The deep clustering estimator, in the scikit-learn spirit:
 * `const fitted = await new DeepClustering({ method: 'idec', nClusters: 10 }).fit(x)`, then
 * `fitted.labels`, `fitted.clusterCenters`, `await fitted.transform(x)`, `await fitted.predict(x)`;
 * or `await new DeepClustering({ nClusters: 10 }).fitPredict(x)` for the labels alone.
 */
import { dirname } from 'node:path';
import { DEFAULT_K_CRITERION, checkKRange } from '../cluster/estimate-k.ts';
import { DataError, ParamError } from '../errors.ts';
import type { ParameterStore } from '../engine/index.ts';
import { checkData, checkReconstructionRange } from './checks.ts';
import { type DeepPartial, type MethodConfig, applyDatasetDefaults, mergeConfig, shortBudgetOverrides } from './config.ts';
import { FittedDeepClustering, type PretrainSource } from './fitted.ts';
import { type DataInput, type Float32Matrix, toMatrix } from './input.ts';
import { type DeepClusteringOptions, type FitOptions, checkFitOptions, checkOptions } from './options.ts';
import { preset } from './presets.ts';
import { checkPretrainCacheDir, loadPretrain, pretrainCacheKey, savePretrain } from './pretrain-cache.ts';
import { runMethod } from './run.ts';
import type { FitKEstimate, HistoryRow } from './types.ts';
import { validateMethod } from './validate.ts';
import { type Checkpoint, Checkpointer, DEFAULT_CHECKPOINT_EVERY, checkFingerprint, checkpointPath, fingerprint, readRunCheckpoint, removeCheckpoint } from './checkpoint.ts';

export { FittedDeepClustering, type PretrainSource } from './fitted.ts';
export type { CheckpointOptions, DeepClusteringOptions, FitOptions } from './options.ts';
export type { OnnxInputTransform } from './types.ts';
export type { DataInput, RowsAndCols, ValuesWithShape } from './input.ts';

/** What the estimator keeps in a checkpoint besides the run's state. */
interface FitCheckpointExtra {
  /** Seconds the fit had run when saved. */
  readonly elapsed: number;
  /** The cached pretraining the fit started from, if any. */
  readonly cache: { readonly file: string; readonly key: string } | null;
  /** The estimate of k, once made (`nClusters: 'auto'`). */
  readonly kEstimate?: FitKEstimate;
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
  /** The resolved, validated method config. */
  readonly method: MethodConfig;

  /**
   * Checks every option now, before any work.
   * @throws ParamError for an unknown option key (naming the closest known one), a bad value, an
   * unknown method or invalid overrides
   */
  constructor(options: DeepClusteringOptions) {
    checkOptions(options);
    this.options = Object.freeze({ ...options });
    const method = resolveMethod(options.method, options.overrides, options.dataset, options.budget);
    this.method = codeWidthOf(method, options);
  }

  /** Fits and returns the cluster of each row of `x` (the fitted model's `labels`). */
  async fitPredict(x: DataInput, options: FitOptions = {}): Promise<Int32Array> {
    return (await this.fit(x, options)).labels;
  }

  /**
   * Trains the method on `x` (`[nSamples, nFeatures]`, finite values).
   * @throws ParamError for invalid options, DataError for unusable data (NaN/Inf, k > n, …),
   * DivergenceError when training produces a non-finite loss.
   */
  async fit(input: DataInput, options: FitOptions = {}): Promise<FittedDeepClustering> {
    checkFitOptions(options);
    const auto = this.options.nClusters === 'auto';
    const seed = this.options.seed ?? 0;
    const method = this.method;
    const x = toMatrix(input, 'DeepClustering.fit');
    const data = x.data;
    checkData(data, x.rows, x.cols);
    if (options.labels && options.labels.length !== x.rows) throw new DataError(`DeepClustering: ${options.labels.length} labels for ${x.rows} samples; pass one label per row of x`);
    const nClusters = this.options.nClusters;
    if (nClusters !== 'auto' && nClusters > x.rows) throw new DataError(`DeepClustering: nClusters = ${nClusters} is larger than the ${x.rows} samples; use at most ${x.rows} clusters`);
    const kRange = auto ? checkKRange("DeepClustering: nClusters 'auto'", this.options.kRange, x.rows) : undefined;
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
    let kEstimate = fitExtra?.kEstimate;
    const checkpoint = this.checkpointer(options, method, data, x, seed, saved, () => ({
      fit: { elapsed: (performance.now() - t0) / 1000, cache: hit && cacheKey ? { file: hit.path, key: cacheKey } : hit ? (fitExtra?.cache ?? null) : null, ...(kEstimate ? { kEstimate } : {}) } satisfies FitCheckpointExtra,
    }));
    const out = await runMethod(method, {
      x: data,
      n: x.rows,
      d: x.cols,
      imageShape: options.imageShape,
      // with 'auto', k comes from the estimate (the lower end of the range is only a placeholder)
      k: nClusters === 'auto' ? kRange![0] : nClusters,
      kAuto: kRange ? { range: kRange, criterion: this.options.kCriterion ?? DEFAULT_K_CRITERION, criteria: this.options.kCriteria, topFallback: this.options.kTopFallback, finerRatio: this.options.kFinerRatio, known: kEstimate, onEstimate: (e) => void (kEstimate = e) } : undefined,
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
      nClusters: out.k,
      kEstimate: out.kEstimate,
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
  private openResume(options: FitOptions, method: MethodConfig, data: Float32Array, x: Float32Matrix, seed: number): Checkpoint | undefined {
    if (options.resumeFrom === undefined) return undefined;
    const saved = readRunCheckpoint(options.resumeFrom);
    checkFingerprint(checkpointPath(options.resumeFrom), saved.fingerprint, this.fingerprintOf(options, method, data, x, seed));
    return saved;
  }

  private fingerprintOf(options: FitOptions, method: MethodConfig, data: Float32Array, x: Float32Matrix, seed: number) {
    // everything that changes the numbers: the config, the steps per engine call, a given network
    const auto = this.options.nClusters === 'auto';
    // k estimated: the estimate's settings are part of the settings (and k is recorded as 0)
    const kAuto = auto ? { kAuto: { range: this.options.kRange ?? null, criterion: this.options.kCriterion ?? DEFAULT_K_CRITERION, criteria: this.options.kCriteria ?? null, ...(this.options.kTopFallback ? { topFallback: this.options.kTopFallback } : {}), ...(this.options.kFinerRatio ? { finerRatio: this.options.kFinerRatio } : {}) } } : {};
    const config = { method, stepsPerRun: this.options.stepsPerRun ?? 16, executionProvider: this.options.runtime?.executionProvider ?? 'cpu', ...kAuto };
    return fingerprint({ x: data, rows: x.rows, cols: x.cols, imageShape: options.imageShape, labels: options.labels, config, pretrained: options.pretrained, seed, k: auto ? 0 : (this.options.nClusters as number) });
  }

  /** The checkpoint policy of a fit, or undefined when it neither checkpoints, resumes nor can be stopped. */
  private checkpointer(options: FitOptions, method: MethodConfig, data: Float32Array, x: Float32Matrix, seed: number, saved: Checkpoint | undefined, fitExtra: () => Record<string, unknown>): Checkpointer | undefined {
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

/** The method with its code width set to k when it asks for that (N2D) and the overrides do not set it. */
function codeWidthOf(m: MethodConfig, o: DeepClusteringOptions): MethodConfig {
  const own = (o.overrides as { architecture?: { embeddingDim?: unknown } } | undefined)?.architecture?.embeddingDim;
  if (!m.embeddingDimFromK || own !== undefined || typeof o.nClusters !== 'number') return m;
  return { ...m, architecture: { ...m.architecture, embeddingDim: o.nClusters } };
}
