/**
 * The deep path of `auto` (an {@link AutoPlan} whose `network` is set): fitted preprocessing →
 * an autoencoder sized by the plan, pretrained for a budget in optimisation steps → UMAP of its
 * code → a Gaussian mixture (the n2d preset's blocks, so the fitted model saves, predicts and
 * embeds like any `fit --method` model). k comes from the plan, or from the library's estimate on
 * the pretrained embedding (`nClusters: 'auto'`).
 */
import type { KCriterion } from '../cluster/estimate-k.ts';
import { FittedPreprocessing } from '../data/preprocess.ts';
import { ParamError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import type { DeepPartial, MethodConfig } from '../methods/config.ts';
import { DeepClustering, type FittedDeepClustering } from '../methods/deep-clustering.ts';
import { IDEC_DA } from '../methods/presets.ts';
import type { ProgressEvent } from '../methods/types.ts';
import { type AutoPretraining, autoPretraining } from './pretraining.ts';
import { AUTO_GMM_RESTARTS, type AutoPlan, type NetworkPlan, planReasons, planSummary } from './plan.ts';

/** Options of {@link runAutoDeep}. */
export interface RunAutoDeepOptions {
  /** Seed of every random choice. @defaultValue 0 */
  readonly seed?: number;
  /** onnxruntime threads. */
  readonly threads?: number;
  /** `[channels, height, width]` of image rows (needed when the plan augments). */
  readonly imageShape?: readonly [number, number, number];
  /** Training progress (pretraining epochs, k estimate, final clustering). */
  readonly onProgress?: (e: ProgressEvent) => void;
}

/** What {@link runAutoDeep} returns. */
export interface AutoDeepResult {
  /** The fitted model (save it with `fitted.save(dir, { preprocessing })`; predict applies the encoder, UMAP transform and mixture). */
  readonly fitted: FittedDeepClustering;
  /** Cluster of each row. */
  readonly labels: Int32Array;
  /** The k used. */
  readonly k: number;
  /** The criterion's value at every candidate k, when k was estimated. */
  readonly kScores?: Record<number, number>;
  /** The clustering step that ran (`umap+gmm`). */
  readonly clustering: string;
  /** How k was chosen, and how pretraining ended (for result.json). */
  readonly decision: { readonly criterion: string | null; readonly fallback: false; readonly reason: string; readonly pretraining?: AutoPretraining };
  /** The fitted preprocessing (stored with the model: predict applies it to raw rows). */
  readonly preprocessing: FittedPreprocessing;
  /** The method config that ran (n2d's blocks with the plan's network). */
  readonly method: MethodConfig;
  /** Pretraining epochs the step budget came to on these rows. */
  readonly pretrainEpochs: number;
  /** Seconds per phase. */
  readonly timings: Record<string, number>;
}

/** Epochs that give at least `steps` optimisation steps of batch `batchSize` on `n` rows (at least 1). */
export function epochsForSteps(steps: number, batchSize: number, n: number): number {
  const perEpoch = Math.max(1, Math.ceil(n / batchSize));
  return Math.max(1, Math.ceil(steps / perEpoch));
}

/** The plateau stop's window on `n` rows: about a tenth of plateauSteps, in whole epochs. */
export function plateauWindow(net: NetworkPlan, n: number): number {
  const perEpoch = Math.max(1, Math.ceil(n / net.batchSize));
  return perEpoch * Math.max(1, Math.round(net.plateauSteps / 10 / perEpoch));
}

export { AUTO_GMM_RESTARTS } from './plan.ts';

/**
 * The criterion that decides k on the code when the plan's (silhouette) has its best k at the top
 * of the range: a curve still rising there has no maximum inside the range, so its top is no
 * estimate. On COIL-20's code silhouette rose to 27–30 (true 20) and the gap statistic gave 20
 * (docs/results.md, "k on auto's deep-path code"); one set, so treat it as a guard, not a finding.
 */
export const AUTO_K_TOP_FALLBACK: KCriterion = 'gap';

/**
 * The gap statistic also decides on the code when its k is at least this many times silhouette's:
 * silhouette then found only coarse groups of nested clusters. On auto's codes (docs/results.md,
 * "k on auto's deep-path code"; 3000-row samples) silhouette / gap gave mnist-10k 9 / 11, COIL-20
 * 27 / 20 (the top-of-range case) and Fashion-MNIST test 3 / 15: Fashion's silhouette finds its
 * super-groups (tops, shoes, bags, trousers), and UMAP + mixture ACC is 0.30 at k = 3 and 0.53 at
 * 15 (0.55–0.62 for 6..14). Three sets: treat the ratio as a guard, not a finding.
 */
export const AUTO_K_FINER_RATIO = 2;

/**
 * The method config of a network plan: the n2d preset (MSE autoencoder, Adam, UMAP with
 * 20 neighbours and min_dist 0, full-covariance mixture with {@link AUTO_GMM_RESTARTS} restarts) with the plan's widths, batch, step
 * budget and augmentation.
 */
export function deepMethodConfig(net: NetworkPlan, n: number): DeepPartial<MethodConfig> {
  return {
    architecture: { hidden: [...net.hidden], embeddingDim: net.embeddingDim },
    embeddingDimFromK: false,
    pretrain: {
      epochs: epochsForSteps(net.pretrainSteps, net.batchSize, n),
      batchSize: net.batchSize,
      optimizer: { name: 'adam', lr: net.lr ?? 1e-3 },
      // DEC-DA's augmentation (rotations <= 10°, shifts <= 10 %), as idec-da pretrains
      ...(net.augment ? { augment: IDEC_DA.pretrain!.augment! } : {}),
      // the step budget is the cap; a plateau of the loss ends pretraining sooner (its windows
      // end on epoch ends, where engine calls end anyway: the checks add no calls)
      plateau: { steps: net.plateauSteps, minDelta: net.plateauMinDelta ?? 0.01, window: plateauWindow(net, n) },
    },
    finalClustering: { kind: 'umap-gmm', nNeighbors: net.umapNeighbors ?? 20, minDist: 0, ...(net.umapComponents ? { nComponents: net.umapComponents } : {}), covariance: 'full', nInit: AUTO_GMM_RESTARTS, regCovar: 1e-6, tol: 1e-3, maxIter: 100 },
  };
}

/** Why the fallback criterion decided k instead of the plan's: the plan's best k at the top of the range, or far below the fallback's. */
function handOverReason(criterion: string, best: number | undefined, top: number | undefined, chosen: number): string {
  if (best !== undefined && best === top) return `: ${criterion}'s best k was the top of the range (${best}), no maximum inside it`;
  return `: ${criterion}'s best k (${best ?? '?'}) is under 1/${AUTO_K_FINER_RATIO} of ${AUTO_K_TOP_FALLBACK}'s (${chosen}), so it found only coarse groups of nested clusters`;
}

/**
 * Runs a plan that trains a network on raw rows `x` (before preprocessing).
 * @throws ParamError when the plan trains no network (run it with runAuto), or asks to augment
 *   rows that are not images
 */
export async function runAutoDeep(x: Matrix, plan: AutoPlan, options: RunAutoDeepOptions = {}): Promise<AutoDeepResult> {
  const net = plan.network.value;
  if (!net) throw new ParamError('auto: this plan trains no network; run it with runAuto');
  if (net.augment && !options.imageShape) throw new ParamError('auto: the plan augments images, but the rows have no image shape; pass --image-shape (e.g. 1,28,28) or turn augmentation off');
  const seed = options.seed ?? 0;
  const t0 = performance.now();
  const pre = await FittedPreprocessing.fitAsync(x, plan.preprocessing.value, { seed, threads: options.threads });
  const tPre = (performance.now() - t0) / 1000;
  const kv = plan.k.value;
  const overrides = deepMethodConfig(net, x.rows);
  const est = new DeepClustering({
    method: 'n2d',
    nClusters: typeof kv === 'number' ? kv : 'auto',
    ...(typeof kv === 'number' ? {} : { kRange: kv.estimate, kCriterion: kv.criterion as KCriterion, ...(kv.criterion !== AUTO_K_TOP_FALLBACK ? { kTopFallback: AUTO_K_TOP_FALLBACK, kFinerRatio: AUTO_K_FINER_RATIO } : {}) }),
    seed,
    overrides,
    runtime: { threads: options.threads },
  });
  const fitted = await est.fit(pre.x, { imageShape: options.imageShape as [number, number, number] | undefined, onProgress: options.onProgress });
  const ke = fitted.kEstimate;
  const curve = ke ? ke.curves[ke.criterion] : undefined;
  const pretraining = autoPretraining(fitted.history);
  const kScores = ke && curve ? Object.fromEntries(ke.ks.flatMap((k, i) => (curve.values[i] === null || curve.values[i] === undefined ? [] : [[k, curve.values[i]!]]))) : undefined;
  return {
    fitted,
    labels: fitted.labels,
    k: fitted.nClusters,
    ...(kScores ? { kScores } : {}),
    clustering: 'umap+gmm',
    decision: { criterion: ke?.criterion ?? null, fallback: false, reason: ke ? `k = ${ke.chosen} by ${ke.criterion} on the pretrained embedding (k in ${ke.ks[0]}..${ke.ks.at(-1)})${typeof kv !== 'number' && ke.criterion !== kv.criterion ? handOverReason(kv.criterion, ke.curves[kv.criterion as KCriterion]?.best, ke.ks.at(-1), ke.chosen) : ''}` : 'k given', ...(pretraining ? { pretraining } : {}) },
    preprocessing: pre.fitted,
    method: est.method,
    pretrainEpochs: est.method.pretrain?.epochs ?? 0,
    timings: { preprocess: tPre, ...fitted.timings },
  };
}

/** What a deep auto model keeps in model.json's `auto` (read back by FittedAutoClustering.load). */
export interface DeepAutoMeta {
  /** The plan in one line. */
  readonly summary: string;
  /** The profile and every choice with its reason. */
  readonly plan: Record<string, unknown>;
  /** The plan itself. */
  readonly rawPlan: AutoPlan;
  /** The k criterion's curve, when k was estimated. */
  readonly kScores?: Record<number, number>;
  /** The clustering step that ran. */
  readonly clustering: string;
  /** How k was chosen. */
  readonly decision: AutoDeepResult['decision'] | { readonly criterion: string | null; readonly fallback: boolean; readonly reason: string };
}

/** The `auto` entry of a deep auto model's model.json: one shape for the library's save and the CLI's run directory. */
export function deepAutoMeta(plan: AutoPlan, r: { readonly kScores?: Record<number, number>; readonly clustering: string; readonly decision: DeepAutoMeta['decision'] }): DeepAutoMeta {
  return { summary: planSummary(plan), plan: { profile: plan.profile, ...planReasons(plan) }, rawPlan: plan, ...(r.kScores ? { kScores: r.kScores } : {}), clustering: r.clustering, decision: r.decision };
}
