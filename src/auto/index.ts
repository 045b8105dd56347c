/**
 * The `auto` method as a library estimator, scikit-learn style: {@link AutoClustering} inspects
 * the data, plans the pipeline (src/auto/plan.ts: every choice with its reason), runs it, and
 * returns a {@link FittedAutoClustering}: labels, k, the plan, `predict` / `transform` of new rows,
 * `save` / `load`, and ONNX export. `deepclust fit` without `--method` runs through this class.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPreprocessing, FittedPreprocessing } from '../data/preprocess.ts';
import { DataError, ParamError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { FittedDeepClustering } from '../methods/fitted.ts';
import { type DataInput, toMatrix } from '../methods/input.ts';
import { deepAutoMeta, runAutoDeep } from './deep.ts';
import { inspectData } from './inspect.ts';
import { AutoModel, checkRows } from './model.ts';
import { type AutoOnnxOptions, exportAutoOnnx } from './model-onnx.ts';
import { type AutoPlan, planAuto, planReasons, planSummary } from './plan.ts';
import { type AutoDecision, runAuto } from './run.ts';
import { pretrainingSummary } from './pretraining.ts';

export { AUTO_MODEL_FORMAT, AUTO_MODEL_KIND, AUTO_MODEL_VERSION, isAutoModel } from './model.ts';
export { UMAP_EXPORT_REFUSAL, type AutoOnnxOptions } from './model-onnx.ts';
export type { AutoPlan, Choice, Representation, NetworkPlan, KEstimate, Fallback, UnitsAlternative } from './plan.ts';
export { inspectData, type DataProfile } from './inspect.ts';
export { planAuto, planSummary, scaledNetwork, MIN_ROWS_FOR_NETWORK, MIN_FEATURES_FOR_NETWORK, type PlanOptions } from './plan.ts';
export type { AutoDecision } from './run.ts';
export type { AutoPretraining } from './pretraining.ts';
export type { GaussianFit, UnitsDecision } from './units.ts';

/** Options of {@link AutoClustering}. */
export interface AutoClusteringOptions {
  /**
   * The number of clusters: a number, `'auto'` (estimated in 2..min(30, n/10) by the plan's
   * criterion), or a range `[lo, hi]` to estimate it in. @defaultValue 'auto'
   */
  readonly nClusters?: number | 'auto' | readonly [number, number];
  /** Seed of every random choice (k-means++, UMAP, the k estimate's sample). @defaultValue 0 */
  readonly seed?: number;
  /** onnxruntime threads of k-means, the mixture and PCA. @defaultValue onnxruntime's choice */
  readonly threads?: number;
  /**
   * Preprocessing steps (names of src/data's PREPROCESSING, e.g. `['log1p', 'standardize']` or
   * `'standardize'`) instead of the plan's choice; `'none'` keeps the values. @defaultValue the plan's
   */
  readonly preprocess?: string | readonly string[];
  /**
   * Most training rows a UMAP pipeline stores for the transform of new rows (a seeded sample;
   * each new row is compared with all of them). @defaultValue 10000
   */
  readonly maxStored?: number;
  /** Changes the plan before it runs (e.g. a Gaussian mixture on the UMAP embedding). */
  readonly adjustPlan?: (plan: AutoPlan) => AutoPlan;
  /** Progress lines (the plan, k's curve). */
  readonly log?: (line: string) => void;
}

/** Options of {@link AutoClustering.fit}. */
export interface AutoFitOptions {
  /** `[channels, height, width]` when the rows are images (the plan treats them as such). */
  readonly imageShape?: readonly [number, number, number];
  /** A plan made by {@link AutoClustering.plan} for the same rows (skips planning again). */
  readonly plan?: AutoPlan;
}

/** What {@link FittedAutoClustering} is made from. */
/** The deep path's fitted parts: the network model (encoder → UMAP → mixture) and the preprocessing before it. */
interface DeepPart {
  readonly fitted: FittedDeepClustering;
  readonly preprocessing: FittedPreprocessing;
}

interface FittedState {
  /** The pipeline without a network (undefined when {@link deep} is set). */
  readonly model?: AutoModel;
  /** The deep path's model (when the plan trained a network). */
  readonly deep?: DeepPart;
  /** Width of the raw rows. */
  readonly nFeatures?: number;
  readonly plan: AutoPlan;
  readonly labels: Int32Array;
  readonly seed: number;
  readonly kScores?: Record<number, number>;
  readonly clustering: string;
  readonly decision: AutoDecision;
  readonly timings: Record<string, number>;
  readonly representation?: Matrix;
}

function checkOptions(o: AutoClusteringOptions): void {
  const int = (name: string, v: unknown, min: number) => {
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= min)) throw new ParamError(`AutoClustering: ${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  };
  const k = o.nClusters;
  if (Array.isArray(k)) {
    if (k.length !== 2 || !k.every((v) => Number.isInteger(v) && v >= 2) || k[0]! > k[1]!) throw new ParamError(`AutoClustering: nClusters as a range must be [lo, hi] with integers 2 <= lo <= hi, got ${JSON.stringify(k)}`);
  } else if (k !== undefined && k !== 'auto' && !(Number.isInteger(k) && (k as number) >= 2))
    throw new ParamError(`AutoClustering: nClusters must be an integer >= 2, 'auto' or a range [lo, hi], got ${JSON.stringify(k)}`);
  int('seed', o.seed, 0);
  int('threads', o.threads, 1);
  int('maxStored', o.maxStored, 3);
  if (o.preprocess !== undefined) {
    if (typeof o.preprocess !== 'string' && !(Array.isArray(o.preprocess) && o.preprocess.every((s) => typeof s === 'string')))
      throw new ParamError(`AutoClustering: preprocess must be a step name or an array of them (e.g. ['standardize']), got ${JSON.stringify(o.preprocess)}`);
    checkPreprocessing(typeof o.preprocess === 'string' ? o.preprocess.split(',').map((s) => s.trim()).filter(Boolean) : o.preprocess);
  }
  if (o.adjustPlan !== undefined && typeof o.adjustPlan !== 'function') throw new ParamError('AutoClustering: adjustPlan must be a function (plan) => plan');
}

/**
 * Clustering that adapts to the data: inspects it, chooses preprocessing, representation (the
 * features, or PCA → UMAP), clustering step (k-means or a Gaussian mixture) and k, and runs that
 * pipeline. The fitted result assigns new rows exactly as it labelled the training rows.
 *
 * @example
 * ```ts
 * const fitted = await new AutoClustering({ seed: 0 }).fit(rows);     // number[][], { data, rows, cols }, Matrix
 * fitted.labels; fitted.k; fitted.plan.clustering.reason;
 * await fitted.predict(newRows);                                      // same labels for training rows
 * fitted.save('model-dir'); const again = AutoClustering.load('model-dir');
 * ```
 */
export class AutoClustering {
  /** The options, as given (checked by the constructor). */
  readonly options: Readonly<AutoClusteringOptions>;

  /** @throws ParamError for invalid options (one line, naming the option) */
  constructor(options: AutoClusteringOptions = {}) {
    checkOptions(options);
    this.options = options;
  }

  /**
   * The plan for `x` without running it: every choice with its reason.
   * @throws DataError for empty or non-finite data; ParamError for a k that does not fit the rows
   */
  plan(input: DataInput, options: AutoFitOptions = {}): AutoPlan {
    return this.planFor(toMatrix(input, 'AutoClustering'), options);
  }

  private planFor(x: Matrix, options: AutoFitOptions): AutoPlan {
    const profile = inspectData(x, { imageShape: options.imageShape });
    const k = this.options.nClusters;
    let plan = planAuto(profile, { k: typeof k === 'number' ? k : undefined, maxK: Array.isArray(k) ? k[1] : undefined });
    if (Array.isArray(k)) {
      if (k[1]! > x.rows - 1) throw new ParamError(`auto: the range of k ${k[0]}..${k[1]} needs more rows than the ${x.rows} given; lower its upper end to at most ${x.rows - 1}`);
      const kv = plan.k.value;
      const criterion = typeof kv === 'number' ? 'silhouette' : kv.criterion;
      plan = { ...plan, k: { value: { estimate: [k[0]!, k[1]!], criterion }, reason: `estimated in the given range ${k[0]}..${k[1]} by ${criterion} (estimateK)` } };
    }
    const pre = this.options.preprocess;
    if (pre !== undefined) {
      const steps = checkPreprocessing(typeof pre === 'string' ? pre.split(',').map((s) => s.trim()).filter(Boolean) : pre);
      // the user's steps are kept as given: no comparison with other units
      const { units: _units, ...rest } = plan;
      plan = { ...rest, preprocessing: { value: steps, reason: 'given (preprocess)' } };
    }
    return this.options.adjustPlan ? this.options.adjustPlan(plan) : plan;
  }

  /**
   * Inspects, plans and runs the pipeline on `x` (`[nSamples, nFeatures]`, finite values).
   * @throws DataError for empty or non-finite data; ParamError for options that do not fit the
   *   data (e.g. k > the rows)
   */
  async fit(input: DataInput, options: AutoFitOptions = {}): Promise<FittedAutoClustering> {
    const x = toMatrix(input, 'AutoClustering.fit');
    if (options.plan) checkRows(x, x.cols, 'AutoClustering.fit'); // planning checks them otherwise
    const plan = options.plan ?? this.planFor(x, options);
    const seed = this.options.seed ?? 0;
    this.options.log?.(`auto: ${planSummary(plan)}`);
    // the deep path: an autoencoder, then UMAP of its code and a mixture (src/auto/deep.ts, N2D)
    if (plan.network.value) {
      const d = await runAutoDeep(x, plan, { seed, threads: this.options.threads, imageShape: options.imageShape });
      return new FittedAutoClustering({ deep: { fitted: d.fitted, preprocessing: d.preprocessing }, nFeatures: x.cols, plan, labels: d.labels, seed, kScores: d.kScores, clustering: d.clustering, decision: d.decision, timings: d.timings });
    }
    const res = await runAuto(x, plan, { seed, threads: this.options.threads, log: this.options.log, maxStored: this.options.maxStored });
    if (!res.model) throw new ParamError('AutoClustering: the clustering step keeps no model');
    return new FittedAutoClustering({ model: res.model, plan, labels: res.labels, seed, kScores: res.kScores, clustering: res.clustering, decision: res.decision, timings: res.timings, representation: res.representation });
  }

  /** Loads a model saved by {@link FittedAutoClustering.save} (same as FittedAutoClustering.load). */
  static load(dir: string): FittedAutoClustering {
    return FittedAutoClustering.load(dir);
  }
}

/** A fitted auto pipeline: the training labels, k, the plan, and functions on new rows. */
export class FittedAutoClustering {
  /** Cluster of each training row (empty for a loaded model: the labels are in the run's labels.csv). */
  readonly labels: Int32Array;
  /** The number of clusters. */
  readonly k: number;
  /** The plan that ran: every choice and its reason (and the data profile it was made from). */
  readonly plan: AutoPlan;
  /** The deciding criterion's value at every candidate k, when k was estimated. */
  readonly kScores?: Readonly<Record<number, number>>;
  /** The clustering step that ran (`kmeans` or `gmm`: the plan's, or its fallback's). */
  readonly clustering: string;
  /** How k was chosen at run time, and whether the plan's fallback ran and why. */
  readonly decision: AutoDecision;
  /** Seconds per phase (preprocess, embed, estimateK, cluster, assign). */
  readonly timings: Readonly<Record<string, number>>;
  /** The seed of the fit. */
  readonly seed: number;
  /** Width of the raw rows. */
  readonly nFeatures: number;
  /** The training rows as the clustering step sees them (undefined for a loaded model). */
  readonly representation?: Matrix;
  private readonly model?: AutoModel;
  private readonly deep?: DeepPart;

  /** @internal made by {@link AutoClustering.fit} or {@link FittedAutoClustering.load} */
  constructor(state: FittedState) {
    if (!state.model === !state.deep) throw new ParamError('FittedAutoClustering: give either a pipeline model or a deep model');
    this.model = state.model;
    this.deep = state.deep;
    this.plan = state.plan;
    this.labels = state.labels;
    this.k = state.model ? state.model.nClusters : state.deep!.fitted.nClusters;
    this.kScores = state.kScores;
    this.clustering = state.clustering;
    this.decision = state.decision;
    this.timings = state.timings;
    this.seed = state.seed;
    this.nFeatures = state.model ? state.model.nFeatures : (state.nFeatures ?? state.deep!.fitted.nFeatures);
    this.representation = state.representation;
  }

  /** The plan in one line (`standardize (or center) → gmm, k by bic in 2..30 …`; the deep path adds how its pretraining ended). */
  get summary(): string {
    const p = this.decision.pretraining;
    return `${planSummary(this.plan)}${p ? `; ${pretrainingSummary(p)}` : ''}`;
  }

  /** The fitted preprocessing (statistics included), applied to raw rows first. */
  get preprocessing(): FittedPreprocessing {
    return this.model ? this.model.preprocessing : this.deep!.preprocessing;
  }

  /** The deep path's network model (encoder → UMAP → mixture), when the plan trained a network. */
  get deepModel(): FittedDeepClustering | undefined {
    return this.deep?.fitted;
  }

  /** Whether the clustering step sees a UMAP embedding (then ONNX export takes only the preprocessing). */
  get usesUmap(): boolean {
    return this.model ? this.model.umap !== undefined : true;
  }

  /** Raw rows → preprocessed rows of the deep path (checks the width first). */
  private deepInput(x: Matrix, what: string): Matrix {
    if (x.cols !== this.nFeatures) throw new DataError(`FittedAutoClustering.${what}: the model was fitted on ${this.nFeatures} features, got ${x.cols}; pass rows with the training data's columns`);
    return this.deep!.preprocessing.transform(x);
  }

  private raw(input: DataInput, what: string): Matrix {
    return toMatrix(input, `FittedAutoClustering.${what}`);
  }

  /**
   * Cluster of each row of raw `x` (the training rows get exactly their {@link labels}).
   * @throws DataError for another number of features or non-finite values
   */
  async predict(x: DataInput): Promise<Int32Array> {
    if (this.deep) return this.deep.fitted.predict(this.deepInput(this.raw(x, 'predict'), 'predict'));
    return this.model!.predict(this.raw(x, 'predict'));
  }

  /**
   * The representation the clustering step sees for raw rows `[rows, d]`: the UMAP transform
   * (stored state) or the preprocessed features.
   * @throws DataError for another number of features or non-finite values
   */
  async transform(x: DataInput): Promise<Matrix> {
    if (this.deep) return this.deep.fitted.transform(this.deepInput(this.raw(x, 'transform'), 'transform'));
    return this.model!.representPreprocessed(this.model!.preprocess(this.raw(x, 'transform'), 'transform'));
  }

  /** Same as {@link transform}. */
  async embed(x: DataInput): Promise<Matrix> {
    return this.transform(x);
  }

  /** Labels of rows already transformed by {@link preprocessing} (e.g. by the CLI's data loader). */
  async predictPreprocessed(x: Matrix): Promise<Int32Array> {
    if (this.deep) return this.deep.fitted.predict(x);
    return this.model!.assign(this.model!.representPreprocessed(x, 'predict'));
  }

  /** The representation of rows already transformed by {@link preprocessing}. */
  async transformPreprocessed(x: Matrix): Promise<Matrix> {
    if (this.deep) return this.deep.fitted.transform(x);
    return this.model!.representPreprocessed(x, 'transform');
  }

  /**
   * Writes the model as a standalone ONNX file taking raw features (see {@link AutoOnnxOptions}):
   * outputs `features`, `distances` (k-means) or `q` (mixture), and `label`.
   * @throws ParamError for a UMAP pipeline unless `preprocessingOnly`
   */
  exportOnnx(path: string, options: AutoOnnxOptions = {}): void {
    if (this.deep) throw new ParamError('FittedAutoClustering.exportOnnx: this model trained a network and ends in UMAP, which ONNX cannot express; export its encoder with fitted.deepModel.exportOnnx(path), or the CLI\'s `deepclust export --model dir`');
    exportAutoOnnx(this.model!, path, options);
  }

  /**
   * Saves the model into `dir`: `model.json` (kind `auto`, version, the plan, the fitted
   * preprocessing, k, …; sealed with checksums) and `model.safetensors` (UMAP state, centres or
   * mixture parameters). `extra` goes into model.json too (e.g. the data set's name).
   */
  save(dir: string, extra: Record<string, unknown> = {}): void {
    if (this.deep) {
      // the folder `fit --method` writes: the network model, with the fitted preprocessing and the plan
      this.deep.fitted.save(dir, { ...extra, preprocessing: this.deep.preprocessing.toJSON(), auto: deepAutoMeta(this.plan, this) });
      return;
    }
    this.model!.save(dir, {
      ...extra,
      seed: this.seed,
      summary: planSummary(this.plan),
      plan: { profile: this.plan.profile, ...planReasons(this.plan) },
      k: this.k,
      ...(this.kScores ? { kScores: this.kScores } : {}),
      clustering: this.clustering,
      decision: this.decision,
      timings: this.timings,
    });
  }

  /**
   * Loads a model saved by {@link save} (or a `deepclust fit --out` run's `model/` folder).
   * @throws DataError when the folder is not an auto model, or its files were edited or damaged
   */
  static load(dir: string): FittedAutoClustering {
    // a `fit --out` run directory holds the model in model/
    const folder = !existsSync(join(dir, 'model.json')) && existsSync(join(dir, 'model', 'model.json')) ? join(dir, 'model') : dir;
    const head = readModelJson(folder);
    if (head.format === 'deepclust-model-1') {
      // a deep auto model (or any network model saved with its fitted preprocessing)
      const fitted = FittedDeepClustering.load(folder);
      const auto = (head.auto ?? {}) as { rawPlan?: AutoPlan; kScores?: Record<number, number>; clustering?: string; decision?: AutoDecision };
      if (!auto.rawPlan) throw new DataError(`'${folder}/model.json' is a network model without an auto plan; load it with FittedDeepClustering.load`);
      const preprocessing = head.preprocessing ? FittedPreprocessing.fromJSON(head.preprocessing, `'${folder}/model.json'`) : FittedPreprocessing.identity(fitted.nFeatures);
      return new FittedAutoClustering({ deep: { fitted, preprocessing }, nFeatures: preprocessing.nInputs, plan: auto.rawPlan, labels: new Int32Array(0), seed: fitted.seed, kScores: auto.kScores, clustering: auto.clustering ?? 'umap+gmm', decision: auto.decision ?? { criterion: null, fallback: false, reason: '' }, timings: fitted.timings as Record<string, number> });
    }
    const { model, meta } = AutoModel.load(folder);
    const plan = meta.plan as AutoPlan | undefined;
    if (!plan || typeof plan !== 'object' || !plan.preprocessing || !plan.clustering) throw new DataError(`'${dir}/model.json' has no plan; refit with this deepclust`);
    return new FittedAutoClustering({
      model,
      plan,
      labels: new Int32Array(0),
      seed: typeof meta.seed === 'number' ? meta.seed : 0,
      kScores: meta.kScores as Record<number, number> | undefined,
      clustering: String(meta.clustering ?? model.clusterer.kind),
      decision: (meta.decision ?? { criterion: null, fallback: false, reason: '' }) as AutoDecision,
      timings: (meta.timings ?? {}) as Record<string, number>,
    });
  }
}

/** The parsed model.json of a model folder, or {} when it is missing or unreadable (AutoModel.load then names the problem). */
function readModelJson(folder: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
