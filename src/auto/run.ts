/**
 * Runs an {@link AutoPlan} that needs no deep network: fitted preprocessing → (PCA → UMAP) →
 * k estimate (BIC, with the plan's fallback when its minimum is not clear) → clustering step, and
 * returns the fitted pipeline as an {@link AutoModel} (its labels of the training rows are the
 * fit's labels). The deep path (an autoencoder before UMAP) is run by DeepClustering once the
 * lead wires `NetworkPlan` into it.
 */
import { FittedPreprocessing } from '../data/preprocess.ts';
import { ParamError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { AutoModel, umapTransform } from './model.ts';
import { DEFAULT_MAX_STORED, gmmModelStep, hasModel, kmeansModelStep, storeUmap } from './model-steps.ts';
import { duplicateColumnIndices } from './inspect.ts';
import { type AutoPlan, comparesUnits, weightsDuplicateColumns } from './plan.ts';
import type { AutoPretraining } from './pretraining.ts';
import { type ClusteringStep, type EmbeddingStep, type KEstimator, type KEstimatorResult, estimateKStep, umapStep } from './steps.ts';
import { type UnitsDecision, chooseUnits } from './units.ts';

/** Options of {@link runAuto}. */
export interface RunAutoOptions {
  /** Seed of every random choice. @defaultValue 0 */
  readonly seed?: number;
  /** Clustering steps by name (defaults: `kmeans`, `gmm`). */
  readonly clustering?: Readonly<Record<string, ClusteringStep>>;
  /** The k estimator. @defaultValue {@link estimateKStep} (src/cluster's estimateK) */
  readonly estimator?: KEstimator;
  /** The embedding step for a `umap` representation. @defaultValue {@link umapStep} with the plan's settings */
  readonly embedding?: EmbeddingStep;
  /** onnxruntime threads of k-means. */
  readonly threads?: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /**
   * Most training rows a UMAP pipeline's model keeps for the transform of new rows (a seeded
   * sample; the rows not kept get their labels through the same transform). @defaultValue 10000
   */
  readonly maxStored?: number;
}

/** How k was chosen at run time, and whether the plan's fallback ran and why (for result.json). */
export interface AutoDecision {
  /** The criterion that decided k (null when k was given). */
  readonly criterion: string | null;
  /** For a minimised criterion (BIC): whether its minimum was clear. */
  readonly clear?: boolean;
  /** Whether the plan's fallback (k-means + silhouette) ran. */
  readonly fallback: boolean;
  /** Why, in one sentence. */
  readonly reason: string;
  /** The deep path: how its pretraining ended (steps, and the cap or a plateau). */
  readonly pretraining?: AutoPretraining;
  /** Standardized or raw units for the k-means, when the plan compares them (plan.units). */
  readonly units?: UnitsDecision;
}

/** What {@link runAuto} returns. */
export interface AutoResult {
  /** Cluster of each row. */
  readonly labels: Int32Array;
  /** The k used. */
  readonly k: number;
  /** The deciding criterion's value at every candidate k, when k was estimated. */
  readonly kScores?: Record<number, number>;
  /** The clustering step that ran (the plan's, or its fallback's). */
  readonly clustering: string;
  /** How k was chosen, and whether the plan's fallback ran and why (for result.json). */
  readonly decision: AutoDecision;
  /** The fitted preprocessing (store it with the result to apply it to new rows). */
  readonly preprocessing: FittedPreprocessing;
  /** The rows the clustering step saw (the UMAP embedding, or the preprocessed features), as the model represents them. */
  readonly representation: Matrix;
  /**
   * The fitted pipeline (undefined only when a custom clustering step keeps no state): its
   * `predict` on any subset of the training rows returns their {@link labels}.
   */
  readonly model?: AutoModel;
  /** Seconds per phase. */
  readonly timings: Record<string, number>;
}

/**
 * Runs a plan without a deep network on raw rows.
 * @throws ParamError when the plan asks for a network (run it with DeepClustering) or a
 *   clustering step that is not available
 */
export async function runAuto(x: Matrix, plan: AutoPlan, options: RunAutoOptions = {}): Promise<AutoResult> {
  if (plan.network.value) throw new ParamError('auto: this plan trains an autoencoder; runAuto runs the plans without one (the deep path runs through DeepClustering)');
  const seed = options.seed ?? 0;
  const maxStored = options.maxStored ?? DEFAULT_MAX_STORED;
  if (!Number.isInteger(maxStored) || maxStored < 3) throw new ParamError(`auto: maxStored must be an integer >= 3, got ${maxStored}`);
  const log = options.log ?? (() => {});
  const steps: Record<string, ClusteringStep> = { kmeans: kmeansModelStep({ threads: options.threads }), gmm: gmmModelStep({ threads: options.threads }), ...options.clustering };
  const stepOf = (name: string): ClusteringStep => {
    const step = steps[name];
    if (!step) throw new ParamError(`auto: the clustering step '${name}' is not available; choose from ${Object.keys(steps).join(', ')}`);
    return step;
  };
  let cluster = stepOf(plan.clustering.value);
  if (plan.fallback) stepOf(plan.fallback.value.clustering);
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = (now - t) / 1000;
    t = now;
  };
  const rep = plan.representation.value;
  let pre = await FittedPreprocessing.fitAsync(x, [...plan.preprocessing.value, ...(rep.kind === 'umap' && rep.pca ? [`pca:${rep.pca}`] : [])], { seed, threads: options.threads });
  if (weightsDuplicateColumns(plan.profile, plan.preprocessing.value, rep)) pre = withoutDuplicateColumns(x, pre.fitted);
  lap('preprocess');
  let z = pre.x;
  if (rep.kind === 'umap') {
    const emb = options.embedding ?? umapStep({ nComponents: rep.nComponents, nNeighbors: rep.nNeighbors, minDist: rep.minDist, threads: options.threads });
    log(`auto: ${emb.name} of ${z.rows} × ${z.cols}`);
    z = await emb.embed(z, seed);
    lap('embed');
  }
  let k: number;
  let kScores: Record<number, number> | undefined;
  let decision: AutoResult['decision'] = { criterion: null, fallback: false, reason: 'k given' };
  const kv = plan.k.value;
  if (typeof kv === 'number') k = kv;
  else {
    const estimator = options.estimator ?? estimateKStep({ threads: options.threads });
    const show = (e: { k: number; scores: Record<number, number> }, c: string) => log(`auto: k = ${e.k} by ${c} (${Object.entries(e.scores).map(([kk, s]) => `${kk}:${s.toFixed(3)}`).join(' ')})`);
    const by = async (criterion: string): Promise<KEstimatorResult> => {
      const e = await estimator.estimate(z, kv.estimate, seed, criterion);
      show(e, criterion);
      return e;
    };
    let est = await by(kv.criterion);
    decision = { criterion: kv.criterion, ...(est.clear !== undefined ? { clear: est.clear } : {}), fallback: false, reason: est.clear === undefined ? `k = ${est.k} by ${kv.criterion}` : `k = ${est.k}: the ${kv.criterion} curve has a clear minimum there` };
    if (plan.fallback && est.clear === false) {
      const fb = plan.fallback.value;
      const was = est.k;
      est = await by(fb.criterion);
      cluster = stepOf(fb.clustering);
      decision = { criterion: fb.criterion, clear: false, fallback: true, reason: `the ${kv.criterion} curve has no clear minimum (its best, k = ${was}, is not followed by a steady rise over the next 3 k's): the clusters do not look Gaussian, so ${fb.clustering} with k = ${est.k} by ${fb.criterion}` };
    }
    k = est.k;
    kScores = est.scores;
    lap('estimateK');
  }
  if (!hasModel(cluster)) {
    const labels = await cluster.fit(z, k, seed);
    lap('cluster');
    return { labels, k, kScores, clustering: cluster.name, decision, preprocessing: pre.fitted, representation: z, timings };
  }
  let clusterer = await cluster.fitModel(z, k, seed);
  if (comparesUnits(plan) && cluster.name === 'kmeans') {
    // the same k-means on the centred raw values; the better Gaussian fit is kept (src/auto/units.ts)
    let alt = await FittedPreprocessing.fitAsync(x, [...plan.units.value.alternative], { seed, threads: options.threads });
    if (weightsDuplicateColumns(plan.profile, plan.units.value.alternative, rep)) alt = withoutDuplicateColumns(x, alt.fitted);
    const altClusterer = await cluster.fitModel(alt.x, k, seed);
    const onStd = new AutoModel({ preprocessing: pre.fitted, clusterer }).assign(pre.x);
    const onAlt = new AutoModel({ preprocessing: alt.fitted, clusterer: altClusterer }).assign(alt.x);
    const units = chooseUnits(pre.x, onStd, onAlt, k, seed);
    log(`auto: units: ${units.reason}`);
    decision = { ...decision, units };
    if (units.chosen === 'center') {
      pre = alt;
      clusterer = altClusterer;
    }
  }
  lap('cluster');
  // the fit's labels come from the stored model, by the path predict takes (see model.ts)
  const umap = rep.kind === 'umap' ? storeUmap(pre.x, z, rep.nNeighbors, maxStored, seed) : undefined;
  const model = new AutoModel({ preprocessing: pre.fitted, umap, clusterer });
  const representation = umap ? umapTransform(umap, pre.x) : pre.x;
  const labels = model.assign(representation);
  lap('assign');
  return { labels, k, kScores, clustering: cluster.name, decision, preprocessing: pre.fitted, representation, model, timings };
}

/**
 * The fitted chain with the last step's (standardize's or center's) scale set to 0 on every column that
 * repeats an earlier one: they become constant 0, as constant columns do, so the stored model
 * (predict, embed, export) applies the same weights to new rows.
 */
function withoutDuplicateColumns(x: Matrix, fitted: FittedPreprocessing): { fitted: FittedPreprocessing; x: Matrix } {
  const json = fitted.toJSON();
  const last = json.steps[json.steps.length - 1];
  if (!last || (last.step !== 'standardize' && last.step !== 'center')) return { fitted, x: fitted.transform(x) };
  const scale = [...last.scale];
  for (const c of duplicateColumnIndices(x)) scale[c] = 0;
  const again = FittedPreprocessing.fromJSON({ ...json, steps: [...json.steps.slice(0, -1), { ...last, scale }] });
  return { fitted: again, x: again.transform(x) };
}
