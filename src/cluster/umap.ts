/**
 * UMAP as a pipeline step (umap-js under the hood): seeded and deterministic, Euclidean, with
 * `transform` for new rows. N2D uses it between the autoencoder and the Gaussian mixture.
 */
import { UMAP } from 'umap-js';
import { DataError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../random.ts';
import { checkMatrix, intOption, numberOption, seedOption } from './_internal/validate.ts';

/** Options of {@link Umap}. */
export interface UmapOptions {
  /** Output dimensions. @defaultValue 2 */
  readonly nComponents?: number;
  /** Neighbours of the kNN graph, in `[2, rows − 1]`. @defaultValue 15 */
  readonly nNeighbors?: number;
  /** Smallest distance between embedded points (0 packs clusters tightly, as N2D). @defaultValue 0.1 */
  readonly minDist?: number;
  /** Scale of the embedded points (`minDist <= spread`). @defaultValue 1 */
  readonly spread?: number;
  /** Optimisation epochs. @defaultValue umap-js's choice: 500 for ≤ 2,500 rows … 200 above 7,500 */
  readonly nEpochs?: number;
  /** Seed of every random choice; the same seed and data give the same embedding. @defaultValue 0 */
  readonly seed?: number;
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
  /**
   * Embeds new rows into the fitted space (deterministic: the same rows give the same result).
   * @throws DataError when `x` has another number of features or non-finite values
   */
  transform(x: Matrix): Matrix;
}

/**
 * Uniform Manifold Approximation and Projection (McInnes et al. 2018), Euclidean metric.
 *
 * @example
 * ```ts
 * const u = await new Umap({ nComponents: 10, nNeighbors: 20, minDist: 0, seed: 0 }).fit(x);
 * u.embedding; u.transform(newRows);
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
    const nEpochs = o.nEpochs === undefined ? undefined : intOption(where, 'nEpochs', o.nEpochs, undefined, { min: 1 });
    const seed = seedOption(where, o.seed);
    let rng = new Rng(seed).fork('umap');
    const umap = new UMAP({ nComponents, nNeighbors, minDist, spread, ...(nEpochs ? { nEpochs } : {}), random: () => rng.random() });
    const t0 = performance.now();
    const y = await umap.fitAsync(toRows(x), (e) => {
      onEpoch?.(e);
      return true;
    });
    const seconds = (performance.now() - t0) / 1000;
    const d = x.cols;
    return {
      embedding: fromRows(y, nComponents),
      nFeatures: d,
      nComponents,
      seconds,
      transform(z: Matrix): Matrix {
        checkMatrix('UMAP.transform', z, { cols: d, colsLabel: `the UMAP was fitted on ${d}` });
        rng = new Rng(seed).fork('umap-transform'); // same rows, same result, whatever came before
        const out = umap.transform(toRows(z));
        const m = fromRows(out, nComponents);
        for (const v of m.data) if (!Number.isFinite(v)) throw new DataError('UMAP.transform: the embedding of the new rows is not finite; check them for extreme values');
        return m;
      },
    };
  }
}

function toRows(x: Matrix): number[][] {
  const out: number[][] = new Array(x.rows);
  for (let i = 0; i < x.rows; i++) out[i] = Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols));
  return out;
}

function fromRows(y: number[][], c: number): Matrix {
  const data = new Float64Array(y.length * c);
  for (let i = 0; i < y.length; i++) for (let t = 0; t < c; t++) data[i * c + t] = y[i]![t]!;
  return { data, rows: y.length, cols: c };
}
