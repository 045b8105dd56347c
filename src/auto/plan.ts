/**
 * The `auto` plan: from a {@link DataProfile}, every choice of the pipeline (preprocessing,
 * representation, network, batch, budget, augmentation, clustering step, k) with the reason for
 * it. The rules encode what the user-suite benchmark measured (docs/own-data.md, bench/user-suite.ts);
 * nothing depends on a data set's name.
 */
import { MIN_ROWS_FOR_AUTO_K } from '../cluster/estimate-k.ts';
import { ParamError } from '../errors.ts';
import type { DataProfile } from './inspect.ts';

/**
 * EM restarts of auto's mixtures, on the deep path's UMAP and on tables (the best log-likelihood is kept). N2D's authors ran one
 * (scikit-learn's default); one start lands in a merged-pair optimum on some UMAP seeds (mnist-10k,
 * true k: ACC 0.809 with one start, 0.915 with ten, same embedding; docs/own-data.md), and ten cost
 * under a second on 10,000 rows of 10 columns. On tables, one start at the right k gave ACC 0.785
 * on a held-out draw (large-lowdim, `bench heldout -o table-seed=2`), k-means 0.9998.
 */
export const AUTO_GMM_RESTARTS = 10;

/**
 * Work (rows × columns × k × restarts) within which auto's k-means adds restarts beyond 10, up to
 * 50. On a held-out draw (embedding-50d, `bench heldout -o table-seed=3`) the best of 10 k-means++
 * starts merged two of 8 clusters (ACC 0.864, inertia 63,065); 30 starts found the true partition
 * (inertia 61,243) with seeds 0, 1 and 2. On small tables the extra starts cost milliseconds.
 */
export const AUTO_KMEANS_WORK = 1e8;

/** Restarts of auto's k-means on `rows` × `cols` data with `k` clusters: 10 to 50, more on smaller data ({@link AUTO_KMEANS_WORK}). */
export function autoKMeansRestarts(rows: number, cols: number, k: number): number {
  return Math.max(10, Math.min(50, Math.floor(AUTO_KMEANS_WORK / Math.max(1, rows * cols * k))));
}

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
  /**
   * Pretraining stops early once its loss has not improved by {@link plateauMinDelta} (relative)
   * for this many steps (the method config's `pretrain.plateau`); {@link pretrainSteps} stays the cap.
   */
  readonly plateauSteps: number;
  /** The relative improvement that counts for the plateau stop. @defaultValue 0.01 */
  readonly plateauMinDelta?: number;
  /** Random rotations/shifts of image rows during training. */
  readonly augment: boolean;
  /** Adam's learning rate. @defaultValue 1e-3 (N2D's) */
  readonly lr?: number;
  /** Neighbours of the UMAP on the code. @defaultValue 20 (N2D's) */
  readonly umapNeighbors?: number;
  /** Dimensions of the UMAP on the code. @defaultValue k (N2D's) */
  readonly umapComponents?: number;
}

/** How k is estimated when it is not given. */
export interface KEstimate {
  /** Smallest and largest k considered. */
  readonly estimate: readonly [number, number];
  /**
   * estimateK's deciding criterion: `silhouette` of k-means partitions (on a UMAP embedding),
   * `gap` (Tibshirani's gap statistic of k-means, on features) or `bic` of a Gaussian mixture.
   */
  readonly criterion: 'silhouette' | 'gap' | 'bic';
}

/** What runs instead when the plan's BIC has no clear minimum (the clusters do not look Gaussian). */
export interface Fallback {
  /** The clustering step then. */
  readonly clustering: 'kmeans';
  /** The k criterion then (the fallback runs on features). */
  readonly criterion: 'gap';
}

/** The other preprocessing a plan's units check tries (see {@link AutoPlan.units}). */
export interface UnitsAlternative {
  /** The plan's preprocessing with its last `standardize` replaced by `center`. */
  readonly alternative: readonly string[];
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
  /**
   * When the features are standardized for k-means: the preprocessing that keeps the raw units
   * instead (`center` in place of `standardize`), whose k-means partition the run compares by its
   * Gaussian fit once k is known (src/auto/units.ts).
   */
  readonly units?: Choice<UnitsAlternative>;
}

/** Options of {@link planAuto}. */
export interface PlanOptions {
  /** The number of clusters, when the user knows it (`--k`); otherwise estimated. */
  readonly k?: number;
  /** Largest k to consider when estimating. @defaultValue min(30, ⌊n / 10⌋) */
  readonly maxK?: number;
  /**
   * Train an autoencoder before UMAP (N2D) instead of UMAP on the features: true or false forces
   * the choice. @defaultValue the rule: >= {@link MIN_ROWS_FOR_NETWORK} rows of >= {@link MIN_FEATURES_FOR_NETWORK} features
   */
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
/**
 * Rows needed per parameter of one full-covariance component (d means + d(d+1)/2 covariances)
 * before a mixture is tried. BIC's penalty is asymptotic: at 20 rows per parameter it undercounted
 * (bench heldout, negative: 400 rows in 5-D, k = 2 of 3, ACC 0.71 against k-means' 0.91 with the
 * true k), while k-means + gap found 3.
 */
export const ROWS_PER_GMM_PARAMETER = 40;

/** Rows below which no autoencoder is trained: too few to fit its weights (and UMAP of the features does as well). */
export const MIN_ROWS_FOR_NETWORK = 1000;
/** Features below which no autoencoder is trained: low-dimensional rows gain nothing from a learned code. */
export const MIN_FEATURES_FOR_NETWORK = 256;
/**
 * Most multiply-adds of one weight per sample seen, summed over pretraining (steps × batch ×
 * weights of the encoder and decoder): N2D's d-500-500-2000-10 network on 784 features for
 * 2,000 steps of 256, which took about 60 s on 2 quiet cores (docs/own-data.md). Bigger
 * networks get fewer steps, so the pretraining time does not grow with d.
 */
export const MAX_PRETRAIN_WORK = 2000 * 256 * 2 * (784 * 500 + 500 * 500 + 500 * 2000 + 2000 * 10);

/**
 * Rows from which a data set counts as large for the network plan: it pretrains for up to
 * {@link LARGE_DATA_EPOCHS} epochs (within {@link LARGE_DATA_WORK}) and without augmentation.
 * Measured on MNIST-70k (a PyTorch study of the same autoencoder with umap-learn, seeds 0 and 1;
 * docs/engine-speed.md): UMAP + mixture ACC 0.968–0.970 after 10 epochs, 0.9725–0.973 after
 * 20, while the 2,000 steps of {@link MAX_PRETRAIN_WORK} are 7.3 epochs there; DEC-DA's
 * augmentation lowered it at 5, 10 and 20 epochs (0.945 / 0.955 / 0.967 against 0.959 / 0.968 / 0.9725).
 */
export const LARGE_DATA_ROWS = 20000;
/** Pretraining epochs a large data set gets when the work allows ({@link LARGE_DATA_ROWS}). */
export const LARGE_DATA_EPOCHS = 20;
/** Work cap of a large data set: 3 × {@link MAX_PRETRAIN_WORK} (6,000 steps of 256 on 784 features, about 9 minutes on 2 quiet cores). */
export const LARGE_DATA_WORK = 3 * MAX_PRETRAIN_WORK;

/** Weights of an MLP autoencoder d → hidden → embedding → mirrored decoder. */
export function autoencoderWeights(d: number, hidden: readonly number[], embeddingDim: number): number {
  const widths = [d, ...hidden, embeddingDim];
  let w = 0;
  for (let i = 1; i < widths.length; i++) w += widths[i - 1]! * widths[i]!;
  return 2 * w;
}

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
  const hidden = d <= 16 ? [w1, w2] : [w1, w2, w3];
  const embeddingDim = Math.max(2, Math.min(10, k));
  // 2,000 steps, or 50 epochs when that is more, within the work cap (a wide d gets fewer steps);
  // a large data set gets up to 20 epochs within three times that cap
  const large = n >= LARGE_DATA_ROWS;
  const perStep = batchSize * autoencoderWeights(d, hidden, embeddingDim);
  const wanted = large ? Math.ceil((LARGE_DATA_EPOCHS * n) / batchSize) : Math.min(20000, Math.max(2000, Math.ceil((50 * n) / batchSize)));
  const cap = Math.floor((large ? LARGE_DATA_WORK : MAX_PRETRAIN_WORK) / perStep);
  return {
    hidden,
    embeddingDim,
    batchSize,
    pretrainSteps: Math.max(200, Math.min(wanted, cap)),
    plateauSteps: 1000,
    augment: image && !large,
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
  // rows that repeat another add no cluster: k is at most the distinct rows
  const distinct = n - p.duplicateRows;
  if (options.k !== undefined && options.k > distinct) throw new ParamError(`auto: k = ${options.k} clusters were asked for, but the data have only ${distinct} distinct rows (${p.duplicateRows} repeat another); use k <= ${distinct}`);
  if (options.k === undefined && n < MIN_ROWS_FOR_AUTO_K) throw new ParamError(`auto: estimating k needs at least ${MIN_ROWS_FOR_AUTO_K} rows, the data have ${n}; give k (--k; nClusters in the library)`);
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
  // UMAP's gain was measured on pixel- and count-like rows (integers on one scale: digits, MNIST);
  // on a table of real-valued features, some of them noise, its k-NN graph follows the noise
  // (bench heldout: few-informative, 3 classes in 4 of 50 features: UMAP + silhouette found k = 2,
  // ACC 0.66; the standardized features 0.98). Wide tables with enough rows for a network keep
  // UMAP: the network rule below is measured on them.
  const pixelLike = image || (p.integer && p.min >= 0 && p.max <= 255);
  const networkSized = options.deep === true || (n >= MIN_ROWS_FOR_NETWORK && d >= MIN_FEATURES_FOR_NETWORK);
  if (n >= MIN_ROWS_FOR_UMAP && d >= MIN_FEATURES_FOR_UMAP && (pixelLike || networkSized)) {
    const pca = d > PCA_BEFORE_UMAP_ABOVE ? Math.min(50, n - 1) : undefined;
    representation = {
      value: { kind: 'umap', pca, nComponents: 10, nNeighbors: 15, minDist: 0 },
      reason: `${n} rows × ${d} features: enough rows for a k-NN graph and enough features for curved clusters, so UMAP (N2D's manifold step${pca ? `, after PCA to ${pca} components` : ''}) to 10 dimensions before clustering`,
    };
  } else
    representation = {
      value: { kind: 'features' },
      reason:
        n < MIN_ROWS_FOR_UMAP
          ? `only ${n} rows (< ${MIN_ROWS_FOR_UMAP}): a k-NN graph or a network would overfit; cluster the preprocessed features`
          : d < MIN_FEATURES_FOR_UMAP
            ? `only ${d} features (< ${MIN_FEATURES_FOR_UMAP}): cluster the preprocessed features directly`
            : `${d} real-valued features (not pixel- or count-like integers): cluster the standardized features; a UMAP k-NN graph follows uninformative features (measured: bench heldout)`,
    };

  if (weightsDuplicateColumns(p, preprocessing.value, representation.value))
    preprocessing = {
      value: preprocessing.value,
      reason: `${preprocessing.reason}; the ${p.duplicateColumns} column${p.duplicateColumns === 1 ? '' : 's'} that repeat an earlier column exactly get weight 0 (a copy would count its feature twice and put the rows on a subspace the gap statistic's reference does not have)`,
    };

  // --- network: where the user suite measured that it pays (docs/own-data.md): many rows of many features
  const kGuess = options.k ?? 10;
  const wantsNetwork = options.deep ?? (n >= MIN_ROWS_FOR_NETWORK && d >= MIN_FEATURES_FOR_NETWORK);
  let network: Choice<NetworkPlan | null>;
  if (wantsNetwork && representation.value.kind === 'umap') {
    const net = scaledNetwork(d, n, kGuess, image);
    network = {
      value: net,
      reason: `${options.deep ? 'asked for (deep)' : `${n} rows (>= ${MIN_ROWS_FOR_NETWORK}) × ${d} features (>= ${MIN_FEATURES_FOR_NETWORK})`}: an autoencoder ${[d, ...net.hidden, net.embeddingDim].join('-')} (widths scaled to d and n, code of ${net.embeddingDim}), batch ${net.batchSize}, pretrained for at most ${net.pretrainSteps} steps (${n >= LARGE_DATA_ROWS ? `${n} rows (>= ${LARGE_DATA_ROWS}): up to ${LARGE_DATA_EPOCHS} epochs within three times the usual work cap, since on MNIST-70k UMAP + mixture ACC still rose from 10 to 20 epochs` : 'not epochs: the same budget in updates on any n, capped so wide rows cost no more time'}), stopping sooner once the loss has not improved by 1 % for ${net.plateauSteps} steps${net.augment ? ', on randomly rotated (≤ 10°) and shifted (≤ 10 %) images (DEC-DA)' : image ? `, without augmentation (on ${LARGE_DATA_ROWS}+ images it lowered UMAP + mixture ACC on MNIST-70k)` : ''}; then UMAP of its code and a Gaussian mixture (N2D)`,
    };
    representation = {
      value: { kind: 'umap', nComponents: options.k ?? 10, nNeighbors: 20, minDist: 0 },
      reason: `UMAP of the autoencoder's code (N2D: 20 neighbours, min_dist 0, ${options.k ? `k = ${options.k}` : 'k (estimated)'} dimensions)`,
    };
  } else
    network = {
      value: null,
      reason: options.deep === false ? 'no network (deep: false)' : representation.value.kind !== 'umap' ? 'too few rows or features for an autoencoder to help (see representation)' : `${n} rows × ${d} features: an autoencoder needs >= ${MIN_ROWS_FOR_NETWORK} rows of >= ${MIN_FEATURES_FOR_NETWORK} features to pay for its training (measured: docs/own-data.md); UMAP of the features instead`,
    };

  // --- clustering step and k
  const available = options.available ?? ['kmeans', 'gmm'];
  const hi = Math.max(2, Math.min(options.maxK ?? 30, Math.floor(n / 10), distinct));
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
    clustering = { value: 'kmeans', reason: 'k-means (k-means++, 10 to 50 restarts, more on smaller data) with the given k: without estimating k there is no BIC evidence that the clusters are Gaussian' };
  } else if (tryGmm) {
    k = { value: { estimate: [2, hi], criterion: 'bic' }, reason: `not given: the k in 2..${hi} with the lowest BIC of a full-covariance Gaussian mixture of the ${where} (estimateK)` };
    clustering = { value: 'gmm', reason: `a full-covariance Gaussian mixture (best of ${AUTO_GMM_RESTARTS} EM starts): ${n} rows are enough for its ${gmmComponentParameters(dz)} parameters per cluster in ${dz} dimensions (≥ ${ROWS_PER_GMM_PARAMETER} rows each), and it fits clusters of unequal size, spread and orientation` };
    fallback = { value: { clustering: 'kmeans', criterion: 'gap' }, reason: `if the BIC curve has no clear minimum (one that rises for the next 3 k's), the clusters do not look Gaussian: k-means with k by the gap statistic instead` };
  } else {
    // on features, silhouette favours k = 2 whenever clusters sit in two groups (bench heldout:
    // iris, small-120, few-informative, negative, mixed-scales) and splits clusters that lie beside
    // a noise column (noise-column: 3-5 of 2); the gap statistic (each k's k-means fit against
    // uniform reference data) found the true k there. On UMAP embeddings the gap overshot in a
    // scratch measurement (digits: 15 of 10), so silhouette stays there
    k =
      representation.value.kind === 'features'
        ? { value: { estimate: [2, hi], criterion: 'gap' }, reason: `not given: the smallest k in 2..${hi} whose k-means gap statistic is within one standard error of the next k's (Tibshirani et al.; estimateK): silhouette prefers 2 whenever the clusters sit in two groups, and splits clusters that lie beside a noise column` }
        : { value: { estimate: [2, hi], criterion: 'silhouette' }, reason: `not given: the k in 2..${hi} whose k-means partition of the ${where} has the highest silhouette (estimateK)` };
    const why =
      representation.value.kind === 'umap'
        ? 'on a UMAP embedding, whose clusters are tight and not Gaussian'
        : !available.includes('gmm')
          ? 'the clustering step available'
          : dz > MAX_FEATURES_FOR_GMM
            ? `${dz} features (> ${MAX_FEATURES_FOR_GMM}): too many for full covariances`
            : `${n} rows are too few for a full-covariance mixture in ${dz} dimensions (it needs ${need}: ${ROWS_PER_GMM_PARAMETER} per parameter)`;
    clustering = { value: 'kmeans', reason: `k-means (k-means++, 10 to 50 restarts, more on smaller data): ${why}` };
  }

  // --- units: standardized features, or the raw ones (centred), decided at run time by which
  // k-means partition fits Gaussian clusters better (src/auto/units.ts); only where k-means runs on
  // the features (a full-covariance mixture does not depend on the features' scales)
  const pre = preprocessing.value;
  const units: AutoPlan['units'] =
    !network.value && representation.value.kind === 'features' && pre[pre.length - 1] === 'standardize' && (clustering.value === 'kmeans' || fallback)
      ? {
          value: { alternative: [...pre.slice(0, -1), 'center'] },
          reason: `${clustering.value === 'kmeans' ? 'once k is known' : 'if k-means runs (the fallback)'}, k-means also runs on the centred raw values (${[...pre.slice(0, -1), 'center'].join(' → ')}), and their partition is kept when its clusters are the better Gaussian fit by both the pooled and the per-cluster covariance log-determinants (scale-free, so the two are comparable): standardizing gives every feature the same weight, which features that share one unit do not want (iris: k-means ACC 0.893 raw, 0.833 standardized)`,
        }
      : undefined;

  if (network.value) {
    // the deep path runs N2D's final step; k, when estimated, is chosen on the pretrained code
    clustering = { value: 'gmm', reason: "a full-covariance Gaussian mixture on the UMAP of the code (N2D's step: UMAP packs each cluster into one dense blob, which a mixture fits)" };
    if (typeof k.value !== 'number') k = { value: k.value, reason: `not given: the k in ${k.value.estimate[0]}..${k.value.estimate[1]} with the best ${k.value.criterion} of k-means on the pretrained code (estimateK), before UMAP` };
    fallback = undefined;
  }
  return { profile: p, preprocessing, representation, network, clustering, k, ...(fallback ? { fallback } : {}), ...(units ? { units } : {}) };
}

/**
 * Whether the run gives exact duplicate columns weight 0 in the fitted standardize step (as a
 * constant column has): on a features representation after `standardize`, when the profile found
 * some (bench heldout, mixed-scales: gap k = 5 of 4 with two copied columns, 4 without them).
 */
export function weightsDuplicateColumns(p: DataProfile, preprocessing: readonly string[], representation: Representation): boolean {
  const last = preprocessing[preprocessing.length - 1];
  return (p.duplicateColumns ?? 0) > 0 && representation.kind === 'features' && (last === 'standardize' || last === 'center');
}

/**
 * Whether the run compares the plan's standardized k-means with the raw units' ({@link AutoPlan.units}):
 * the plan asks for it and k-means runs on the features without a network (a plan changed after
 * planning, e.g. to a UMAP embedding, keeps its `units` entry but does not compare).
 */
export function comparesUnits(plan: AutoPlan): plan is AutoPlan & { units: NonNullable<AutoPlan['units']> } {
  return Boolean(plan.units) && !plan.network.value && plan.representation.value.kind === 'features';
}

/** The plan in one line: `standardize → umap(10d) → kmeans, k estimated in 2..15`. */
export function planSummary(plan: AutoPlan): string {
  const r = plan.representation.value;
  const parts = [`${plan.preprocessing.value.join('+') || 'no preprocessing'}${comparesUnits(plan) ? ` (or ${plan.units.value.alternative.join('+')})` : ''}`];
  if (plan.network.value) parts.push(`autoencoder ${plan.network.value.hidden.join('-')}-${plan.network.value.embeddingDim}`);
  if (r.kind === 'umap') parts.push(`${r.pca ? `pca(${r.pca}) → ` : ''}umap(${r.nComponents}d)`);
  parts.push(plan.clustering.value);
  const k = plan.k.value;
  return `${parts.join(' → ')}, ${typeof k === 'number' ? `k = ${k}` : `k by ${k.criterion} in ${k.estimate[0]}..${k.estimate[1]}`}${plan.fallback ? ` (else ${plan.fallback.value.clustering}, k by ${plan.fallback.value.criterion})` : ''}`;
}

/** Every choice and its reason, for result.json and the report. */
export function planReasons(plan: AutoPlan): Record<string, { value: unknown; reason: string }> {
  const { preprocessing, representation, network, clustering, k, fallback, units } = plan;
  return { preprocessing, representation, network, clustering, k, ...(fallback ? { fallback } : {}), ...(units && comparesUnits(plan) ? { units } : {}) };
}
