/**
 * UMAP as a pipeline step: seeded and deterministic, Euclidean, with `transform` for new rows.
 * N2D uses it between the autoencoder and the Gaussian mixture.
 *
 * Our own implementation of umap-learn's algorithm on typed arrays (src/cluster/umap/): exact kNN
 * by GEMM tiles, the fuzzy simplicial set, a spectral initialisation and the SGD layout. It
 * replaced umap-js, whose NN-descent and layout took minutes on 70,000 rows.
 */
import { DataError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../random.ts';
import { checkMatrix, choiceOption, intOption, numberOption, seedOption, threadsOption } from './_internal/validate.ts';
import { findAbParams } from './umap/ab-params.ts';
import { fuzzyUnion, memberships, smoothKnnDist } from './umap/fuzzy-graph.ts';
import { nearestNeighbors } from './umap/knn.ts';
import { optimizeLayout } from './umap/layout.ts';
import { spectralInit } from './umap/spectral-init.ts';

/** How the layout starts. */
export type UmapInit = 'spectral' | 'random';

/** Options of {@link Umap}. */
export interface UmapOptions {
  /** Output dimensions. @defaultValue 2 */
  readonly nComponents?: number;
  /** Neighbours of the kNN graph (the point itself included, as umap-learn counts), in `[2, rows − 1]`. @defaultValue 15 */
  readonly nNeighbors?: number;
  /** Smallest distance between embedded points (0 packs clusters tightly, as N2D). @defaultValue 0.1 */
  readonly minDist?: number;
  /** Scale of the embedded points (`minDist <= spread`). @defaultValue 1 */
  readonly spread?: number;
  /** Optimisation epochs. @defaultValue umap-learn's choice: 500 up to 10,000 rows, 200 above */
  readonly nEpochs?: number;
  /**
   * Initial layout: uniform in [−10, 10] (umap-js's and umap-learn's `random`) or the graph's
   * spectral embedding (umap-learn's default). Random is the default: on MNIST codes it clustered
   * as well or better and the spectral step costs a third of the layout's time at 70,000 rows
   * (docs/gmm.md, "UMAP").
   * @defaultValue 'random'
   */
  readonly init?: UmapInit;
  /** Seed of every random choice; the same seed and data give the same embedding. @defaultValue 0 */
  readonly seed?: number;
  /** onnxruntime threads of the kNN GEMMs. @defaultValue the engine's default (all cores) */
  readonly threads?: number;
}

/** Seconds per stage of a fit. */
export interface UmapTimings {
  /** The kNN graph. */
  readonly knn: number;
  /** Fuzzy simplicial set and initialisation. */
  readonly graph: number;
  /** The SGD layout. */
  readonly layout: number;
}

/** A fitted UMAP. */
export interface FittedUmap {
  /** The embedding of the training rows, `[n, nComponents]` (float64). */
  readonly embedding: Matrix;
  /** Width of the training rows. */
  readonly nFeatures: number;
  /** Output dimensions. */
  readonly nComponents: number;
  /** Seconds the fit took (kNN graph and layout). */
  readonly seconds: number;
  /** Seconds per stage. */
  readonly timings: UmapTimings;
  /**
   * Embeds new rows into the fitted space as umap-learn's `transform` does: each starts at the
   * membership-weighted mean of its neighbours' coordinates, then only the new points move for a
   * third of the fit's epochs. Deterministic: the same rows give the same result.
   * @throws DataError when `x` has another number of features or non-finite values
   */
  transform(x: Matrix): Promise<Matrix>;
}

/**
 * Uniform Manifold Approximation and Projection (McInnes et al. 2018), Euclidean metric.
 *
 * @example
 * ```ts
 * const u = await new Umap({ nComponents: 10, nNeighbors: 20, minDist: 0, seed: 0 }).fit(x);
 * u.embedding; await u.transform(newRows);
 * ```
 */
export class Umap {
  /** Default option values (umap-learn's). */
  static readonly defaults = {
    /** Output dimensions. */
    nComponents: 2,
    /** Neighbours of the kNN graph. */
    nNeighbors: 15,
    /** Smallest distance between embedded points. */
    minDist: 0.1,
    /** Scale of the embedded points. */
    spread: 1,
    /** Initial layout. */
    init: 'random',
    /** Seed. */
    seed: 0,
  } as const;

  /** Stores the options; {@link Umap.fit} checks them. */
  constructor(
    /** The options, as given. */
    readonly options: Readonly<UmapOptions> = {},
  ) {}

  /**
   * Embeds the rows of `x`.
   * @throws ParamError for invalid options, e.g. nNeighbors >= the number of rows
   * @throws DataError for empty or non-finite data
   */
  async fit(x: Matrix, onEpoch?: (epoch: number) => void): Promise<FittedUmap> {
    const where = 'UMAP';
    const o = this.options ?? {};
    checkMatrix(where, x, { minRows: 3 });
    const nComponents = intOption(where, 'nComponents', o.nComponents, Umap.defaults.nComponents, { min: 1 });
    const nNeighbors = intOption(where, 'nNeighbors', o.nNeighbors, Umap.defaults.nNeighbors, { min: 2, max: x.rows - 1, maxLabel: `rows − 1 = ${x.rows - 1}; lower nNeighbors or give more rows` });
    const spread = numberOption(where, 'spread', o.spread, Umap.defaults.spread, 0, { exclusive: true });
    const minDist = numberOption(where, 'minDist', o.minDist, Umap.defaults.minDist, 0, { max: spread });
    const nEpochs = intOption(where, 'nEpochs', o.nEpochs, x.rows <= 10000 ? 500 : 200, { min: 1 });
    const init = choiceOption<UmapInit>(where, 'init', o.init, Umap.defaults.init, ['spectral', 'random']);
    const seed = seedOption(where, o.seed);
    const threads = threadsOption(where, o.threads);
    const runtime = threads === undefined ? {} : { threads };
    const n = x.rows;
    const t0 = performance.now();
    const nn = await nearestNeighbors(x, x, nNeighbors, runtime);
    const t1 = performance.now();
    const graph = fuzzyUnion(nn, memberships(nn, smoothKnnDist(nn, 1), true));
    const rng = new Rng(seed);
    const start = init === 'spectral' ? spectralInit(graph, nComponents, rng.fork('spectral').nextUint32()) : uniformInit(n, nComponents, rng.fork('random-init'));
    const emb = rescaled(start, n, nComponents);
    const t2 = performance.now();
    const head = new Int32Array(graph.cols.length);
    for (let i = 0; i < n; i++) head.fill(i, graph.rowStart[i]!, graph.rowStart[i + 1]!);
    const curve = findAbParams(spread, minDist);
    optimizeLayout(emb, emb, n, nComponents, { head, tail: graph.cols, weights: graph.weights }, { curve, nEpochs, alpha: 1, moveOther: true, rng: rng.fork('layout'), onEpoch });
    const t3 = performance.now();
    for (const v of emb) if (!Number.isFinite(v)) throw new DataError('UMAP: the layout diverged to non-finite values; check the rows for extreme values or scale them');
    const embedding: Matrix = { data: emb, rows: n, cols: nComponents };
    const d = x.cols;
    return {
      embedding,
      nFeatures: d,
      nComponents,
      seconds: (t3 - t0) / 1000,
      timings: { knn: (t1 - t0) / 1000, graph: (t2 - t1) / 1000, layout: (t3 - t2) / 1000 },
      async transform(z: Matrix): Promise<Matrix> {
        checkMatrix('UMAP.transform', z, { cols: d, colsLabel: `the UMAP was fitted on ${d}` });
        return transformRows(x, embedding, z, { nNeighbors, nEpochs: Math.max(1, Math.floor(nEpochs / 3)), curve, seed, runtime });
      },
    };
  }
}

/** umap-learn's random initialisation: uniform in [−10, 10]. */
function uniformInit(n: number, dim: number, rng: Rng): Float64Array {
  const out = new Float64Array(n * dim);
  for (let i = 0; i < out.length; i++) out[i] = 20 * rng.random() - 10;
  return out;
}

/** Each column linearly onto [0, 10], as umap-learn does before the layout. */
function rescaled(y: Float64Array, n: number, dim: number): Float64Array {
  for (let t = 0; t < dim; t++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, y[i * dim + t]!);
      hi = Math.max(hi, y[i * dim + t]!);
    }
    const s = hi > lo ? 10 / (hi - lo) : 0;
    for (let i = 0; i < n; i++) y[i * dim + t] = (y[i * dim + t]! - lo) * s;
  }
  return y;
}

/** umap-learn's transform: weighted-mean start, then the new points alone move. */
async function transformRows(
  x: Matrix,
  embedding: Matrix,
  z: Matrix,
  o: { nNeighbors: number; nEpochs: number; curve: { a: number; b: number }; seed: number; runtime: { threads?: number } },
): Promise<Matrix> {
  const c = embedding.cols;
  const nn = await nearestNeighbors(z, x, o.nNeighbors, o.runtime);
  const w = memberships(nn, smoothKnnDist(nn, 0), false);
  const k = nn.k;
  const out = new Float64Array(z.rows * c);
  // the graph's edges with positive weight, at most k per new row
  const heads = new Int32Array(z.rows * k);
  const tails = new Int32Array(z.rows * k);
  const weights = new Float64Array(z.rows * k);
  let m = 0;
  for (let i = 0; i < z.rows; i++) {
    let sw = 0;
    for (let j = 0; j < k; j++) sw += w[i * k + j]!;
    for (let j = 0; j < k; j++) {
      const p = nn.indices[i * k + j]!;
      const f = sw > 0 ? w[i * k + j]! / sw : 1 / k;
      for (let t = 0; t < c; t++) out[i * c + t] += f * embedding.data[p * c + t]!;
      if (w[i * k + j]! > 0) {
        heads[m] = i;
        tails[m] = p;
        weights[m++] = w[i * k + j]!;
      }
    }
  }
  const rng = new Rng(o.seed).fork('umap-transform'); // same rows, same result, whatever came before
  optimizeLayout(out, Float64Array.from(embedding.data), embedding.rows, c, { head: heads.subarray(0, m), tail: tails.subarray(0, m), weights: weights.subarray(0, m) }, { curve: o.curve, nEpochs: o.nEpochs, alpha: 0.25, moveOther: false, rng });
  for (const v of out) if (!Number.isFinite(v)) throw new DataError('UMAP.transform: the embedding of the new rows is not finite; check them for extreme values');
  return { data: out, rows: z.rows, cols: c };
}
