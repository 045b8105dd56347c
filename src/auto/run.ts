/**
 * Runs an {@link AutoPlan} that needs no deep network: fitted preprocessing → (PCA → UMAP) →
 * k estimate → clustering step. The deep path (an autoencoder before UMAP) is run by
 * DeepClustering once the lead wires `NetworkPlan` into it.
 */
import { FittedPreprocessing } from '../data/preprocess.ts';
import { ParamError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import type { AutoPlan } from './plan.ts';
import { type ClusteringStep, type EmbeddingStep, type KEstimator, kmeansStep, silhouetteK, umapStep } from './steps.ts';

/** Options of {@link runAuto}. */
export interface RunAutoOptions {
  /** Seed of every random choice. @defaultValue 0 */
  readonly seed?: number;
  /** Clustering steps by name (defaults: `kmeans`). */
  readonly clustering?: Readonly<Record<string, ClusteringStep>>;
  /** The k estimator (e.g. src/cluster's estimateK once merged). @defaultValue {@link silhouetteK} */
  readonly estimator?: KEstimator;
  /** The embedding step for a `umap` representation. @defaultValue {@link umapStep} with the plan's settings */
  readonly embedding?: EmbeddingStep;
  /** onnxruntime threads of k-means. */
  readonly threads?: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** What {@link runAuto} returns. */
export interface AutoResult {
  /** Cluster of each row. */
  readonly labels: Int32Array;
  /** The k used. */
  readonly k: number;
  /** Silhouette (or the estimator's score) of every candidate k, when k was estimated. */
  readonly kScores?: Record<number, number>;
  /** The fitted preprocessing (store it with the result to apply it to new rows). */
  readonly preprocessing: FittedPreprocessing;
  /** The rows the clustering step saw (the UMAP embedding, or the preprocessed features). */
  readonly representation: Matrix;
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
  const log = options.log ?? (() => {});
  const steps: Record<string, ClusteringStep> = { kmeans: kmeansStep({ threads: options.threads }), ...options.clustering };
  const cluster = steps[plan.clustering.value];
  if (!cluster) throw new ParamError(`auto: the clustering step '${plan.clustering.value}' is not available; choose from ${Object.keys(steps).join(', ')}`);
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = (now - t) / 1000;
    t = now;
  };
  const rep = plan.representation.value;
  const pre = await FittedPreprocessing.fitAsync(x, [...plan.preprocessing.value, ...(rep.kind === 'umap' && rep.pca ? [`pca:${rep.pca}`] : [])], { seed, threads: options.threads });
  lap('preprocess');
  let z = pre.x;
  if (rep.kind === 'umap') {
    const emb = options.embedding ?? umapStep({ nComponents: rep.nComponents, nNeighbors: rep.nNeighbors, minDist: rep.minDist });
    log(`auto: ${emb.name} of ${z.rows} × ${z.cols}`);
    z = await emb.embed(z, seed);
    lap('embed');
  }
  let k: number;
  let kScores: Record<number, number> | undefined;
  const kv = plan.k.value;
  if (typeof kv === 'number') k = kv;
  else {
    const est = await (options.estimator ?? silhouetteK({ threads: options.threads })).estimate(z, kv.estimate, seed);
    k = est.k;
    kScores = est.scores;
    log(`auto: k = ${k} (scores ${Object.entries(est.scores).map(([kk, s]) => `${kk}:${s.toFixed(3)}`).join(' ')})`);
    lap('estimateK');
  }
  const labels = await cluster.fit(z, k, seed);
  lap('cluster');
  return { labels, k, kScores, preprocessing: pre.fitted, representation: z, timings };
}
