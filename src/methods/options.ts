/**
 * The options of the estimator and of its `fit`, and their checks: unknown keys are refused naming
 * the closest known one, and every value is checked when the estimator is constructed.
 */
import { K_CRITERIA, type KCriterion } from '../cluster/estimate-k.ts';
import type { ParameterStore } from '../engine/index.ts';
import type { RuntimeOptions } from '../engine/session.ts';
import { ParamError } from '../errors.ts';
import type { DeepPartial, MethodConfig } from './config.ts';
import { knownKeys } from './option-checks.ts';
import type { ProgressEvent } from './types.ts';

/** Options of {@link DeepClustering}. */
export interface DeepClusteringOptions {
  /** A preset name (`ae-kmeans`, `dec`, `idec`, `dcn`, `conv-dec`, …) or a whole method config. @defaultValue 'idec' */
  readonly method?: string | MethodConfig;
  /**
   * Number of clusters k (>= 2), or `'auto'`: estimate k on the embedding after pretraining (the
   * silhouette of k-means, docs/gmm.md) within `kRange`; the fitted model's `kEstimate` has the curves.
   */
  readonly nClusters: number | 'auto';
  /** With `nClusters: 'auto'`: the smallest and largest k tried, within `[2, n − 1]`. @defaultValue `[2, min(30, n − 1)]` */
  readonly kRange?: readonly [number, number];
  /** With `nClusters: 'auto'`: the criterion that decides (see `estimateK`). @defaultValue 'silhouette' */
  readonly kCriterion?: KCriterion;
  /** With `nClusters: 'auto'`: the criteria whose curves are computed and reported. @defaultValue silhouette, calinski-harabasz, davies-bouldin */
  readonly kCriteria?: readonly KCriterion[];
  /**
   * With `nClusters: 'auto'`: the criterion that decides instead when `kCriterion`'s best k is the
   * top of `kRange` (no optimum inside the range; see `estimateK`'s `topFallback`). @defaultValue none
   */
  readonly kTopFallback?: KCriterion;
  /**
   * With `kTopFallback`: the fallback also decides when its best k is at least this many times
   * `kCriterion`'s (nested clusters; see `estimateK`'s `finerRatio`). @defaultValue none
   */
  readonly kFinerRatio?: number;
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

const OPTION_KEYS: readonly (keyof DeepClusteringOptions)[] = ['method', 'nClusters', 'kRange', 'kCriterion', 'kCriteria', 'kTopFallback', 'kFinerRatio', 'seed', 'overrides', 'runtime', 'stepsPerRun', 'pairwiseMemoryLimit', 'pretrainCache', 'dataset', 'budget'];
const FIT_OPTION_KEYS: readonly (keyof FitOptions)[] = ['imageShape', 'onProgress', 'pretrained', 'labels', 'checkpoint', 'resumeFrom', 'signal'];
const CHECKPOINT_KEYS: readonly (keyof CheckpointOptions)[] = ['dir', 'every', 'extra', 'onSaved'];

/** Where settings often put at the top level belong (the CLI's flags name them this way). */
const MISPLACED: Readonly<Record<string, string>> = {
  k: 'nClusters',
  clusters: 'nClusters',
  pretrainEpochs: 'overrides.pretrain.epochs',
  epochs: 'overrides.pretrain.epochs',
  maxIter: 'overrides.train.maxIter',
  batchSize: 'overrides.train.batchSize (and overrides.pretrain.batchSize)',
  lr: 'overrides.train.optimizer.lr',
  learningRate: 'overrides.train.optimizer.lr',
  updateInterval: 'overrides.clusterUpdate.updateInterval',
  tol: 'overrides.clusterUpdate.tol',
  threads: 'runtime.threads',
  executionProvider: 'runtime.executionProvider',
  imageShape: "fit(x, { imageShape }) (an option of fit)",
  labels: "fit(x, { labels }) (an option of fit)",
};

/** The largest seed: an exact integer, so the hashed streams derived from it (methods/seeds.ts) are well defined. */
export const MAX_SEED = 2 ** 52;

/**
 * Checks the estimator's options (not the method config, which `resolveMethod` checks).
 * @throws ParamError naming the option, and the closest known key for an unknown one
 */
export function checkOptions(o: DeepClusteringOptions): void {
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new ParamError(`DeepClustering: options must be an object such as { method: 'idec', nClusters: 10 }, got ${JSON.stringify(o)}`);
  for (const key of Object.keys(o))
    if (!(OPTION_KEYS as readonly string[]).includes(key) && MISPLACED[key] !== undefined && (o as unknown as Record<string, unknown>)[key] !== undefined)
      throw new ParamError(`DeepClustering options.${key} is not an option; did you mean ${MISPLACED[key]}? The options are ${OPTION_KEYS.join(', ')}`);
  knownKeys('DeepClustering options', o, OPTION_KEYS, 'an option');
  const k = o.nClusters;
  if (k !== 'auto' && (!Number.isInteger(k) || k < 2)) throw new ParamError(`DeepClustering: option 'nClusters' must be an integer >= 2, got ${JSON.stringify(k)}; or 'auto' to estimate k`);
  if (k !== 'auto' && (o.kRange !== undefined || o.kCriterion !== undefined || o.kCriteria !== undefined || o.kTopFallback !== undefined || o.kFinerRatio !== undefined))
    throw new ParamError(`DeepClustering: options 'kRange', 'kCriterion', 'kCriteria', 'kTopFallback' and 'kFinerRatio' apply only with nClusters: 'auto' (got nClusters ${JSON.stringify(k)})`);
  if (o.kCriteria !== undefined && !(Array.isArray(o.kCriteria) && o.kCriteria.length > 0 && o.kCriteria.every((c) => K_CRITERIA.includes(c))))
    throw new ParamError(`DeepClustering: option 'kCriteria' must be a non-empty list of ${K_CRITERIA.join(', ')}, got ${JSON.stringify(o.kCriteria)}`);
  const r = o.kRange;
  if (r !== undefined && !(Array.isArray(r) && r.length === 2 && r.every((v) => Number.isInteger(v)) && r[0]! >= 2 && r[0]! <= r[1]!))
    throw new ParamError(`DeepClustering: option 'kRange' must be [lo, hi], integers with 2 <= lo <= hi, got ${JSON.stringify(r)}`);
  if (o.kTopFallback !== undefined && !K_CRITERIA.includes(o.kTopFallback)) throw new ParamError(`DeepClustering: option 'kTopFallback' must be one of ${K_CRITERIA.join(', ')}, got ${JSON.stringify(o.kTopFallback)}`);
  if (o.kFinerRatio !== undefined && !(typeof o.kFinerRatio === 'number' && Number.isFinite(o.kFinerRatio) && o.kFinerRatio > 1 && o.kTopFallback !== undefined))
    throw new ParamError(`DeepClustering: option 'kFinerRatio' must be a number > 1 (e.g. 2) and needs 'kTopFallback', got ${JSON.stringify(o.kFinerRatio)}${o.kTopFallback === undefined ? ' without kTopFallback' : ''}`);
  if (o.kCriterion !== undefined && !K_CRITERIA.includes(o.kCriterion)) throw new ParamError(`DeepClustering: option 'kCriterion' must be one of ${K_CRITERIA.join(', ')}, got ${JSON.stringify(o.kCriterion)}`);
  const seed = o.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new ParamError(`DeepClustering: option 'seed' must be an integer >= 0, got ${JSON.stringify(seed)}; the largest seed is 2^52 = ${MAX_SEED}`);
  if (o.method !== undefined && typeof o.method !== 'string' && (typeof o.method !== 'object' || o.method === null || Array.isArray(o.method)))
    throw new ParamError(`DeepClustering: option 'method' must be a preset name (e.g. 'idec') or a method config object, got ${JSON.stringify(o.method)}`);
  if (o.overrides !== undefined && (typeof o.overrides !== 'object' || o.overrides === null || Array.isArray(o.overrides)))
    throw new ParamError(`DeepClustering: option 'overrides' must be an object of method settings, e.g. { train: { maxIter: 5000 } }, got ${JSON.stringify(o.overrides)}`);
  if (o.stepsPerRun !== undefined && !(Number.isInteger(o.stepsPerRun) && o.stepsPerRun >= 1)) throw new ParamError(`DeepClustering: option 'stepsPerRun' must be an integer >= 1, got ${JSON.stringify(o.stepsPerRun)}`);
  if (o.pairwiseMemoryLimit !== undefined && !(typeof o.pairwiseMemoryLimit === 'number' && o.pairwiseMemoryLimit > 0))
    throw new ParamError(`DeepClustering: option 'pairwiseMemoryLimit' must be a number of bytes > 0, got ${JSON.stringify(o.pairwiseMemoryLimit)}`);
  for (const key of ['pretrainCache', 'dataset'] as const)
    if (o[key] !== undefined && typeof o[key] !== 'string') throw new ParamError(`DeepClustering: option '${key}' must be a string, got ${JSON.stringify(o[key])}`);
  if (o.budget !== undefined && o.budget !== 'full' && o.budget !== 'short') throw new ParamError(`DeepClustering: option 'budget' must be 'full' or 'short', got ${JSON.stringify(o.budget)}`);
  if (o.runtime !== undefined && (typeof o.runtime !== 'object' || o.runtime === null)) throw new ParamError(`DeepClustering: option 'runtime' must be an object such as { threads: 2 }, got ${JSON.stringify(o.runtime)}`);
}

/**
 * Checks the options of `fit` (their keys and forms; the data-dependent checks come with the data).
 * @throws ParamError naming the option
 */
export function checkFitOptions(o: FitOptions): void {
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new ParamError(`DeepClustering.fit: options must be an object, got ${JSON.stringify(o)}`);
  knownKeys('DeepClustering.fit options', o, FIT_OPTION_KEYS, 'an option');
  if (o.checkpoint !== undefined) knownKeys('DeepClustering.fit options.checkpoint', o.checkpoint, CHECKPOINT_KEYS, 'an option');
  const s = o.imageShape;
  if (s !== undefined && !(Array.isArray(s) && s.length === 3 && s.every((v) => Number.isInteger(v) && v >= 1)))
    throw new ParamError(`DeepClustering.fit: option 'imageShape' must be [channels, height, width] of integers >= 1, got ${JSON.stringify(s)}`);
  if (o.labels !== undefined && !(o.labels instanceof Int32Array)) throw new ParamError(`DeepClustering.fit: option 'labels' must be an Int32Array with one label per row, got ${o.labels === null ? 'null' : typeof o.labels}`);
}
