/**
 * The `auto` plan: from a {@link DataProfile}, every choice of the pipeline (preprocessing,
 * representation, network, batch, budget, augmentation, clustering step, k) with the reason for
 * it. The rules encode what the user-suite benchmark measured (docs/own-data.md, bench/user-suite.ts);
 * nothing depends on a data set's name.
 */
import { ParamError } from '../errors.ts';
import type { DataProfile } from './inspect.ts';

/** One choice and why it was made. */
export interface Choice<T> {
  /** What was chosen. */
  readonly value: T;
  /** Why, in one sentence (goes into result.json, the report and the summary). */
  readonly reason: string;
}

/** How rows are represented before clustering. */
export type Representation =
  | {
      /** The preprocessed features themselves. */
      readonly kind: 'features';
    }
  | {
      /** A UMAP embedding (N2D's manifold step), optionally after PCA. */
      readonly kind: 'umap';
      /** PCA components kept before UMAP (undefined: none). */
      readonly pca?: number;
      /** UMAP output dimensions. */
      readonly nComponents: number;
      /** Neighbours of UMAP's k-NN graph. */
      readonly nNeighbors: number;
      /** UMAP's minimum distance (0: tight clusters). */
      readonly minDist: number;
    };

/** The autoencoder a deep pipeline would train (sized to the data; see {@link scaledNetwork}). */
export interface NetworkPlan {
  /** Encoder hidden widths (decoder mirrored). */
  readonly hidden: readonly number[];
  /** Embedding width. */
  readonly embeddingDim: number;
  /** Mini-batch size. */
  readonly batchSize: number;
  /** Optimisation steps of pretraining (not epochs: the same budget on 200 rows or 1M). */
  readonly pretrainSteps: number;
  /** Stop early when the reconstruction loss has not improved by 1 % over this many steps. */
  readonly plateauSteps: number;
  /** Random rotations/shifts of image rows during training. */
  readonly augment: boolean;
}

/** How k is estimated when it is not given. */
export interface KEstimate {
  /** Smallest and largest k considered. */
  readonly estimate: readonly [number, number];
  /** estimateK's deciding criterion: `silhouette` of k-means partitions, or `bic` of a Gaussian mixture. */
  readonly criterion: 'silhouette' | 'bic';
}

/** What runs instead when the plan's BIC has no clear minimum (the clusters do not look Gaussian). */
export interface Fallback {
  /** The clustering step then. */
  readonly clustering: 'kmeans';
  /** The k criterion then. */
  readonly criterion: 'silhouette';
}

/** The full plan. */
export interface AutoPlan {
  /** The profile the plan was made from. */
  readonly profile: DataProfile;
  /** Preprocessing steps (names of PREPROCESSING), fitted on the data and stored with the model. */
  readonly preprocessing: Choice<string[]>;
  /** Representation the clustering step sees. */
  readonly representation: Choice<Representation>;
  /** The autoencoder, when the plan trains one (null: no deep network). */
  readonly network: Choice<NetworkPlan | null>;
  /** The clustering step. */
  readonly clustering: Choice<'kmeans' | 'gmm'>;
  /** k: given, or estimated within a range by a criterion. */
  readonly k: Choice<number | KEstimate>;
  /** When k is estimated by BIC: what runs if its curve has no clear minimum (decided at run time). */
  readonly fallback?: Choice<Fallback>;
}

/** Options of {@link planAuto}. */
export interface PlanOptions {
  /** The number of clusters, when the user knows it (`--k`); otherwise estimated. */
  readonly k?: number;
  /** Largest k to consider when estimating. @defaultValue min(30, ⌊n / 10⌋) */
  readonly maxK?: number;
  /** Train an autoencoder before UMAP (N2D) instead of UMAP on the features. @defaultValue false */
  readonly deep?: boolean;
  /** The clustering steps available. @defaultValue ['kmeans', 'gmm'] */
  readonly available?: ReadonlyArray<'kmeans' | 'gmm'>;
}

/** Rows below which a k-NN graph (UMAP) is not trusted: too few neighbours per cluster. */
export const MIN_ROWS_FOR_UMAP = 500;
/** Features below which UMAP is not used: k-means on the standardized features already sees the structure. */
export const MIN_FEATURES_FOR_UMAP = 32;
/** Features above which PCA runs before UMAP (k-NN on 50 components, as N2D's speed-up). */
export const PCA_BEFORE_UMAP_ABOVE = 100;
/** Widest representation a full-covariance Gaussian mixture is tried on (estimateK's BIC uses full covariances up to 16). */
export const MAX_FEATURES_FOR_GMM = 16;
/** Rows needed per parameter of one full-covariance component (d means + d(d+1)/2 covariances) before a mixture is tried. */
export const ROWS_PER_GMM_PARAMETER = 20;

/** Parameters of one full-covariance Gaussian component in d dimensions. */
export function gmmComponentParameters(d: number): number {
  return d + (d * (d + 1)) / 2;
}

/**
 * An autoencoder sized to the data: widths between 2·d and 500 (never wider than the rows can
 * fit), an embedding of about the number of clusters, a batch of a power of two ≤ n/4 (≤ 256),
 * and a budget in steps.
 */
export function scaledNetwork(d: number, n: number, k: number, image: boolean): NetworkPlan {
  const w1 = Math.max(16, Math.min(500, 2 * d, Math.floor(n / 2)));
  const w2 = Math.max(16, Math.min(500, w1));
  const w3 = Math.max(32, Math.min(2000, 4 * w1, n));
  let batchSize = 1;
  while (batchSize * 2 <= Math.min(256, Math.max(1, Math.floor(n / 4)))) batchSize *= 2;
  return {
    hidden: d <= 16 ? [w1, w2] : [w1, w2, w3],
    embeddingDim: Math.max(2, Math.min(10, k)),
    batchSize,
    pretrainSteps: Math.min(20000, Math.max(2000, Math.ceil((50 * n) / batchSize))),
    plateauSteps: 1000,
    augment: image,
  };
}

/**
 * Chooses the pipeline for a data set from its profile.
 * @throws ParamError for a k that does not fit the rows
 */
export function planAuto(p: DataProfile, options: PlanOptions = {}): AutoPlan {
  const n = p.rows;
  const d = p.features;
  if (options.k !== undefined && options.k > n && Number.isInteger(options.k)) throw new ParamError(`auto: the data has ${n} samples but k = ${options.k} clusters were asked for; use k <= ${n}`);
  if (options.k !== undefined && (!Number.isInteger(options.k) || options.k < 2 || options.k > n))
    throw new ParamError(`auto: k must be an integer in [2, ${n}] (the rows), got ${options.k}`);
  const image = Boolean(p.imageShape);

  // --- preprocessing
  let preprocessing: Choice<string[]>;
  if (p.bytes && (image || (p.max >= 128 && d >= 64)))
    preprocessing = { value: ['scale255'], reason: `values are 8-bit integers (0..${p.max})${image ? ' of images' : ''}: divided by 255, every pixel keeps its weight` };
  else if (image && p.min >= 0 && p.max <= 1)
    preprocessing = { value: [], reason: 'image pixels already in [0, 1]: kept as they are (one unit for every pixel; standardizing would inflate the near-constant background)' };
  else if (p.min >= 0 && p.integer && d >= MIN_FEATURES_FOR_UMAP && p.max <= 255)
    preprocessing = { value: ['minmax'], reason: `${d} non-negative integer features on one scale (0..${p.max}, pixel- or count-like): per-feature min-max keeps their relative weights (standardizing would inflate near-constant ones)` };
  else if (p.skewedFraction > 0.5)
    preprocessing = { value: ['log1p', 'standardize'], reason: `${Math.round(p.skewedFraction * 100)} % of the features are non-negative and strongly right-skewed (counts, amounts): log1p, then each feature to zero mean and unit variance` };
  else
    preprocessing = { value: ['standardize'], reason: p.scaleRatio > 10 ? `feature scales differ ${p.scaleRatio.toFixed(0)}-fold: each feature to zero mean and unit variance, so none dominates the distances` : 'a general numeric table: each feature to zero mean and unit variance' };

  // --- representation
  let representation: Choice<Representation>;
  if (n >= MIN_ROWS_FOR_UMAP && d >= MIN_FEATURES_FOR_UMAP) {
    const pca = d > PCA_BEFORE_UMAP_ABOVE ? Math.min(50, n - 1) : undefined;
    representation = {
      value: { kind: 'umap', pca, nComponents: 10, nNeighbors: 15, minDist: 0 },
      reason: `${n} rows × ${d} features: enough rows for a k-NN graph and enough features for curved clusters, so UMAP (N2D's manifold step${pca ? `, after PCA to ${pca} components` : ''}) to 10 dimensions before clustering`,
    };
  } else
    representation = {
      value: { kind: 'features' },
      reason: n < MIN_ROWS_FOR_UMAP ? `only ${n} rows (< ${MIN_ROWS_FOR_UMAP}): a k-NN graph or a network would overfit; cluster the preprocessed features` : `only ${d} features (< ${MIN_FEATURES_FOR_UMAP}): cluster the preprocessed features directly`,
    };

  // --- network (opt-in: not yet measured on the user suite on this machine's 2 shared cores)
  const kGuess = options.k ?? 10;
  const network: Choice<NetworkPlan | null> =
    options.deep && representation.value.kind === 'umap'
      ? { value: scaledNetwork(d, n, kGuess, image), reason: `asked for a deep pipeline: an autoencoder sized to d = ${d} and n = ${n}, trained for a number of steps (not epochs), then UMAP on its embedding (N2D)` }
      : { value: null, reason: options.deep ? 'too few rows or features for an autoencoder to help (see representation)' : 'no deep network: the pipelines without one are the ones measured on the user suite (bench user-suite); the autoencoder path is opt-in (deep) until it is measured there' };

  // --- clustering step and k
  const available = options.available ?? ['kmeans', 'gmm'];
  const hi = Math.max(2, Math.min(options.maxK ?? 30, Math.floor(n / 10)));
  const where = representation.value.kind === 'umap' ? 'UMAP embedding' : 'features';
  const dz = representation.value.kind === 'umap' ? representation.value.nComponents : d;
  const need = ROWS_PER_GMM_PARAMETER * gmmComponentParameters(dz);
  // a full-covariance mixture with k by BIC, when the rows can estimate its covariances and the
  // clusters may be elongated (tables); UMAP packs clusters into tight non-Gaussian blobs on which
  // BIC keeps falling (measured: docs/own-data.md), so embeddings go to k-means + silhouette
  const tryGmm = available.includes('gmm') && representation.value.kind === 'features' && dz <= MAX_FEATURES_FOR_GMM && n >= need && options.k === undefined;
  let clustering: Choice<'kmeans' | 'gmm'>;
  let k: AutoPlan['k'];
  let fallback: AutoPlan['fallback'];
  if (options.k !== undefined) {
    k = { value: options.k, reason: 'given (--k)' };
    clustering = { value: 'kmeans', reason: 'k-means (k-means++, 10 restarts) with the given k: without estimating k there is no BIC evidence that the clusters are Gaussian' };
  } else if (tryGmm) {
    k = { value: { estimate: [2, hi], criterion: 'bic' }, reason: `not given: the k in 2..${hi} with the lowest BIC of a full-covariance Gaussian mixture of the ${where} (estimateK)` };
    clustering = { value: 'gmm', reason: `a full-covariance Gaussian mixture: ${n} rows are enough for its ${gmmComponentParameters(dz)} parameters per cluster in ${dz} dimensions (≥ ${ROWS_PER_GMM_PARAMETER} rows each), and it fits clusters of unequal size, spread and orientation` };
    fallback = { value: { clustering: 'kmeans', criterion: 'silhouette' }, reason: `if the BIC curve has no clear minimum (one that rises for the next 3 k's), the clusters do not look Gaussian: k-means with k by silhouette instead` };
  } else {
    k = { value: { estimate: [2, hi], criterion: 'silhouette' }, reason: `not given: the k in 2..${hi} whose k-means partition of the ${where} has the highest silhouette (estimateK)` };
    const why =
      representation.value.kind === 'umap'
        ? 'on a UMAP embedding, whose clusters are tight and not Gaussian'
        : !available.includes('gmm')
          ? 'the clustering step available'
          : dz > MAX_FEATURES_FOR_GMM
            ? `${dz} features (> ${MAX_FEATURES_FOR_GMM}): too many for full covariances`
            : `${n} rows are too few for a full-covariance mixture in ${dz} dimensions (it needs ${need}: ${ROWS_PER_GMM_PARAMETER} per parameter)`;
    clustering = { value: 'kmeans', reason: `k-means (k-means++, 10 restarts): ${why}` };
  }

  return { profile: p, preprocessing, representation, network, clustering, k, ...(fallback ? { fallback } : {}) };
}

/** The plan in one line: `standardize → umap(10d) → kmeans, k estimated in 2..15`. */
export function planSummary(plan: AutoPlan): string {
  const r = plan.representation.value;
  const parts = [plan.preprocessing.value.join('+') || 'no preprocessing'];
  if (plan.network.value) parts.push(`autoencoder ${plan.network.value.hidden.join('-')}-${plan.network.value.embeddingDim}`);
  if (r.kind === 'umap') parts.push(`${r.pca ? `pca(${r.pca}) → ` : ''}umap(${r.nComponents}d)`);
  parts.push(plan.clustering.value);
  const k = plan.k.value;
  return `${parts.join(' → ')}, ${typeof k === 'number' ? `k = ${k}` : `k by ${k.criterion} in ${k.estimate[0]}..${k.estimate[1]}`}${plan.fallback ? ' (else kmeans, k by silhouette)' : ''}`;
}

/** Every choice and its reason, for result.json and the report. */
export function planReasons(plan: AutoPlan): Record<string, { value: unknown; reason: string }> {
  const { preprocessing, representation, network, clustering, k, fallback } = plan;
  return { preprocessing, representation, network, clustering, k, ...(fallback ? { fallback } : {}) };
}
