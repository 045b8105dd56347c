/**
 * Re-clustering after training with a Gaussian mixture (`gmm`), optionally on a UMAP of the final
 * embedding (`umap-gmm`, N2D's manifold step). Both keep their fitted state as `final.*`
 * parameters, so a saved model predicts new rows: encoder → (UMAP transform) → mixture.
 *
 * The training labels come from the same path `predict` takes (the stored float32 parameters,
 * and for `umap-gmm` the stored-state UMAP transform, which returns a stored training row's own
 * coordinates), so `predict` on any subset of the training rows gives exactly their labels.
 */
import { GaussianMixture, type CovarianceType, COVARIANCE_TYPES, Umap } from '../../cluster/index.ts';
import { rowArgMax, storeGaussianMixture, storedMixtureProba, umapTransform, type StoredGaussianMixture } from '../../cluster/stored-models.ts';
import { add, mul, reduceSum, reshape, softmax, square, sub, matmul } from '../../engine/index.ts';
import { ParamError } from '../../errors.ts';
import type { Matrix } from '../../matrix.ts';
import { Rng } from '../../random.ts';
import type { FinalClusteringBlock, FinalContext, FinalParam, FinalResult } from './types.ts';
import { SEEDS } from '../seeds.ts';

/** The mixture's options (scikit-learn's defaults, as N2D uses them). */
interface GmmOptions {
  /** Covariance structure. @defaultValue 'full' */
  readonly covariance?: CovarianceType;
  /** EM initialisations (best lower bound kept). @defaultValue 1 */
  readonly nInit?: number;
  /** Added to the covariance diagonals. @defaultValue 1e-6 */
  readonly regCovar?: number;
  /** EM tolerance on the lower bound. @defaultValue 1e-3 */
  readonly tol?: number;
  /** Most EM iterations. @defaultValue 100 */
  readonly maxIter?: number;
}

/** A Gaussian mixture on the final embedding. */
export interface GmmFinalConfig extends GmmOptions {
  /** A Gaussian mixture on the final embedding. */
  readonly kind: 'gmm';
}

/** A Gaussian mixture on a UMAP of the final embedding (N2D). */
export interface UmapGmmFinalConfig extends GmmOptions {
  /** UMAP of the final embedding, then a Gaussian mixture (N2D). */
  readonly kind: 'umap-gmm';
  /** UMAP neighbours. @defaultValue 20 */
  readonly nNeighbors?: number;
  /** UMAP minimum distance. @defaultValue 0 */
  readonly minDist?: number;
  /** UMAP output dimensions. @defaultValue k, the number of clusters */
  readonly nComponents?: number;
  /** UMAP optimisation epochs. @defaultValue umap-learn's choice: 500 up to 10,000 rows, 200 above */
  readonly nEpochs?: number;
  /**
   * Most training rows kept (a seeded sample) for the out-of-sample transform of new rows; the
   * rows not kept get their labels through the same transform, the kept ones from their own
   * fitted coordinates. Each new row is compared with every kept one (O(kept · d)).
   * @defaultValue 100000
   */
  readonly maxStored?: number;
}

declare module './kinds.ts' {
  interface BuiltinFinalClusterings {
    /** A Gaussian mixture on the final embedding. */
    gmm: GmmFinalConfig;
    /** A Gaussian mixture on a UMAP of the final embedding (N2D). */
    'umap-gmm': UmapGmmFinalConfig;
  }
}

const GMM_KEYS = ['covariance', 'nInit', 'regCovar', 'tol', 'maxIter'] as const;

/**
 * Training rows `umap-gmm` keeps by default: all of MNIST's 70,000, so every training row is
 * labelled from its own UMAP coordinates, as N2D does (10,000 stored rows labelled six in seven
 * MNIST rows through the out-of-sample transform instead). 100,000 rows of a 10-d code are 8 MB.
 */
export const UMAP_MAX_STORED = 100_000;

function checkGmm(c: GmmOptions, where: string): void {
  if (c.covariance !== undefined && !COVARIANCE_TYPES.includes(c.covariance)) throw new ParamError(`${where}.covariance must be one of ${COVARIANCE_TYPES.join(', ')}, got ${JSON.stringify(c.covariance)}`);
  for (const key of ['nInit', 'maxIter'] as const) if (c[key] !== undefined && !(Number.isInteger(c[key]) && c[key]! >= 1)) throw new ParamError(`${where}.${key} must be an integer >= 1, got ${JSON.stringify(c[key])}`);
  for (const key of ['regCovar', 'tol'] as const) if (c[key] !== undefined && !(typeof c[key] === 'number' && c[key]! >= 0 && Number.isFinite(c[key]))) throw new ParamError(`${where}.${key} must be a number >= 0, got ${JSON.stringify(c[key])}`);
}

async function fitMixture(c: GmmOptions, x: Matrix, k: number, seed: number, threads?: number): Promise<StoredGaussianMixture> {
  const gm = await new GaussianMixture({ nComponents: k, covarianceType: c.covariance ?? 'full', nInit: c.nInit, regCovar: c.regCovar, tol: c.tol, maxIter: c.maxIter, seed, threads }).fit(x);
  return storeGaussianMixture(gm);
}

function mixtureParams(s: StoredGaussianMixture): Record<string, FinalParam> {
  return { precFlat: { shape: [s.d, s.k * s.d], data: s.precFlat }, meanProj: { shape: [s.k * s.d], data: s.meanProj }, logNorm: { shape: [s.k], data: s.logNorm } };
}

function mixtureOf(param: (name: string) => FinalParam): StoredGaussianMixture {
  const logNorm = param('logNorm');
  const precFlat = param('precFlat');
  return { k: logNorm.shape[0]!, d: precFlat.shape[0]!, precFlat: precFlat.data, meanProj: param('meanProj').data, logNorm: logNorm.data };
}

/** Mean of the features of each cluster `[k, dim]` (zeros for an empty one). */
function centroids(z: Float32Array, labels: Int32Array, k: number, dim: number): Float32Array {
  const sum = new Float64Array(k * dim);
  const count = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    count[labels[i]!]!++;
    for (let t = 0; t < dim; t++) sum[labels[i]! * dim + t] += z[i * dim + t]!;
  }
  return Float32Array.from(sum, (v, idx) => (count[Math.floor(idx / dim)]! > 0 ? v / count[Math.floor(idx / dim)]! : 0));
}


/** A full-covariance (by default) Gaussian mixture on the final embedding. */
export const gmmFinal: FinalClusteringBlock<GmmFinalConfig> = {
  kind: 'gmm',
  summary: 'Gaussian mixture (EM, full covariance by default) on the final embedding; soft assignments are its posteriors',
  keys: GMM_KEYS,
  check: checkGmm,
  async run(c, { z, n, dim, k, seed, threads }: FinalContext): Promise<FinalResult> {
    const s = await fitMixture(c, { data: z, rows: n, cols: dim }, k, SEEDS.finalGmm(seed), threads);
    const labels = rowArgMax(storedMixtureProba(s, { data: z, rows: n, cols: dim }));
    return { labels, centers: centroids(z, labels, k, dim), params: mixtureParams(s) };
  },
  assign: (_c, z, param) => storedMixtureProba(mixtureOf(param), z),
  // log N(z | j) + log w_j = logNorm_j − ½ ‖z P_j − μ_j P_j‖², then a softmax over j
  softAssign({ z, centers, param }) {
    const [k, dim] = centers.shape as [number, number];
    const logNorm = param('logNorm', [k]);
    const y = sub(matmul(z, param('precFlat', [dim, k * dim])), param('meanProj', [k * dim]));
    const dist = reduceSum(reshape(square(y), [0, k, dim]), [2]);
    return softmax(add(mul(dist, -0.5), logNorm), 1);
  },
};

/** N2D's step: UMAP of the final embedding, then a Gaussian mixture on it. */
export const umapGmmFinal: FinalClusteringBlock<UmapGmmFinalConfig> = {
  kind: 'umap-gmm',
  summary: 'UMAP of the final embedding, then a Gaussian mixture on it (N2D); new rows go through a stored-state UMAP transform',
  keys: [...GMM_KEYS, 'nNeighbors', 'minDist', 'nComponents', 'nEpochs', 'maxStored'],
  check(c, where) {
    checkGmm(c, where);
    for (const key of ['nNeighbors', 'nComponents', 'nEpochs'] as const) if (c[key] !== undefined && !(Number.isInteger(c[key]) && c[key]! >= (key === 'nNeighbors' ? 2 : 1))) throw new ParamError(`${where}.${key} must be an integer >= ${key === 'nNeighbors' ? 2 : 1}, got ${JSON.stringify(c[key])}`);
    if (c.maxStored !== undefined && !(Number.isInteger(c.maxStored) && c.maxStored >= 3)) throw new ParamError(`${where}.maxStored must be an integer >= 3, got ${JSON.stringify(c.maxStored)}`);
    if (c.minDist !== undefined && !(typeof c.minDist === 'number' && c.minDist >= 0 && c.minDist <= 1)) throw new ParamError(`${where}.minDist must be a number in [0, 1], got ${JSON.stringify(c.minDist)}`);
  },
  async run(c, { z, n, dim, k, seed, threads }: FinalContext): Promise<FinalResult> {
    const nComponents = c.nComponents ?? k;
    const nNeighbors = c.nNeighbors ?? 20;
    const t0 = performance.now();
    const u = await new Umap({ nComponents, nNeighbors, minDist: c.minDist ?? 0, nEpochs: c.nEpochs, seed: SEEDS.finalUmap(seed), threads }).fit({ data: z, rows: n, cols: dim });
    const t1 = performance.now();
    const gm = await fitMixture(c, u.embedding, k, SEEDS.finalGmm(seed), threads);
    const t2 = performance.now();
    // the rows kept for the transform: all, or a seeded sample in row order
    const keep = sampleRows(n, c.maxStored ?? UMAP_MAX_STORED, SEEDS.finalSample(seed));
    const inputs = new Float32Array(keep.length * dim);
    const coords = new Float32Array(keep.length * nComponents);
    keep.forEach((r, i) => {
      inputs.set(z.subarray(r * dim, (r + 1) * dim), i * dim);
      for (let t = 0; t < nComponents; t++) coords[i * nComponents + t] = u.embedding.data[r * nComponents + t]!;
    });
    const params: Record<string, FinalParam> = {
      ...mixtureParams(gm),
      'umap.inputs': { shape: [keep.length, dim], data: inputs },
      'umap.coords': { shape: [keep.length, nComponents], data: coords },
      'umap.nNeighbors': { shape: [1], data: Float32Array.of(Math.min(nNeighbors, keep.length)) },
    };
    const labels = rowArgMax(this.assign!(c, { data: z, rows: n, cols: dim }, (name) => params[name]!));
    // the split N2D's time is reported by (the transform labels the rows not stored)
    const timings = { umap: (t1 - t0) / 1000, gmm: (t2 - t1) / 1000, assign: (performance.now() - t2) / 1000 };
    return { labels, centers: centroids(z, labels, k, dim), params, timings };
  },
  assign(_c, z, param) {
    const inputs = param('umap.inputs');
    const coords = param('umap.coords');
    const y = umapTransform(
      { inputs: { data: inputs.data, rows: inputs.shape[0]!, cols: inputs.shape[1]! }, coords: { data: coords.data, rows: coords.shape[0]!, cols: coords.shape[1]! }, nNeighbors: param('umap.nNeighbors').data[0]! },
      z,
    );
    return storedMixtureProba(mixtureOf(param), y);
  },
  exportRefusal:
    "the 'umap-gmm' final clustering cannot be exported to ONNX (its UMAP transform is a nearest-neighbour search over the stored training embedding, not graph ops); export the encoder alone (exportOnnx with softAssignment: false; CLI: deepclust export --encoder-only) and run UMAP + the mixture outside",
};

/** `m` of `0..n−1` (all when n <= m), a seeded sample in increasing order. */
function sampleRows(n: number, m: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= m) return all;
  const rng = new Rng(seed);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng.random() * (n - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, m).sort((a, b) => a - b);
}
