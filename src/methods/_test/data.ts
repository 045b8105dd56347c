// Small data sets the method tests make themselves: Gaussian blobs around random centres.
import type { Matrix } from '../../matrix.ts';
import { Rng } from '../../random.ts';

/** How {@link blobs} draws its data. */
export interface BlobOptions {
  /** Rows; row i belongs to class i mod k. */
  readonly n: number;
  /** Features. */
  readonly d: number;
  /** Classes. @defaultValue 3 */
  readonly k?: number;
  /** Seed of the noise (and of the centres, without `centerSeed`). */
  readonly seed: number;
  /** Standard deviation of the noise around each centre. */
  readonly noise: number;
  /** Draw the centres from their own generator (so they do not change with `seed`). */
  readonly centerSeed?: number;
  /** Centre coordinates are uniform in [0, centerScale). @defaultValue 1 */
  readonly centerScale?: number;
  /** Clamp values to [0, 1] (for binary cross-entropy reconstruction). @defaultValue false */
  readonly clamp?: boolean;
}

/** k Gaussian blobs: the data (float32, row-major) and the class of each row. */
export function blobs(o: BlobOptions): { x: Matrix & { data: Float32Array }; y: Int32Array } {
  const { n, d, k = 3, noise, centerScale = 1 } = o;
  const rng = new Rng(o.seed);
  const c = o.centerSeed === undefined ? rng : new Rng(o.centerSeed);
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => centerScale * c.random()));
  const data = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % k;
    for (let j = 0; j < d; j++) {
      const v = centers[y[i]!]![j]! + noise * rng.normal();
      data[i * d + j] = o.clamp ? Math.min(1, Math.max(0, v)) : v;
    }
  }
  return { x: { data, rows: n, cols: d }, y };
}

/** The fraction of row pairs on which two labellings agree (same cluster in both, or different in both). */
export function agreement(a: Int32Array, b: Int32Array): number {
  let same = 0;
  let total = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = i + 1; j < a.length; j++) {
      total++;
      if ((a[i] === a[j]) === (b[i] === b[j])) same++;
    }
  return same / total;
}
