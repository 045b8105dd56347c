/**
 * Seeded row selection: `--limit` subsets (optionally stratified), the official train/test splits
 * of a data set, and random train/test splits (e.g. SNNL's labelled subset kept apart from the
 * evaluation set).
 */
import { DataError, ParamError } from '../errors.ts';
import { Rng } from '../random.ts';
import type { Dataset } from './types.ts';

/**
 * Picks `size` row indices out of `n` with a seed, sorted ascending.
 * @param n - number of rows
 * @param size - how many to pick (all when `size >= n`)
 * @param options.labels - with `stratified`, class proportions are kept (largest remainders, so
 *   exactly `size` rows)
 */
export function sampleIndices(n: number, size: number, options: { seed?: number; stratified?: boolean; labels?: Int32Array } = {}): Int32Array {
  if (!Number.isInteger(size) || size < 0) throw new ParamError(`sample size must be an integer >= 0, got ${size}`);
  const rng = new Rng(options.seed ?? 0);
  if (size >= n) return Int32Array.from({ length: n }, (_, i) => i);
  let idx: number[];
  if (options.stratified && options.labels) {
    const perm = rng.permutation(n);
    const byClass = new Map<number, number[]>();
    for (const i of perm) {
      const c = options.labels[i]!;
      let l = byClass.get(c);
      if (!l) byClass.set(c, (l = []));
      l.push(i);
    }
    const classes = [...byClass.keys()].sort((a, b) => a - b);
    const quota = classes.map((c) => (byClass.get(c)!.length * size) / n);
    const take = quota.map(Math.floor);
    let left = size - take.reduce((a, b) => a + b, 0);
    const order = classes.map((_, k) => k).sort((a, b) => quota[b]! - take[b]! - (quota[a]! - take[a]!) || a - b);
    for (const k of order) {
      if (left <= 0) break;
      if (take[k]! < byClass.get(classes[k]!)!.length) {
        take[k]!++;
        left--;
      }
    }
    idx = classes.flatMap((c, k) => byClass.get(c)!.slice(0, take[k]));
  } else idx = Array.from(rng.permutation(n).subarray(0, size));
  return Int32Array.from(idx).sort();
}

/**
 * The data set restricted to rows `indices` (in that order); labels and official splits follow.
 * @param note - appended to `preprocessing` when given (e.g. `limit(1000,seed=0)`)
 */
export function takeRows(ds: Dataset, indices: Int32Array, note?: string): Dataset {
  const d = ds.x.cols;
  const src = ds.x.data;
  const x = new Float32Array(indices.length * d);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    if (r < 0 || r >= ds.x.rows) throw new RangeError(`takeRows: row ${r} out of range 0..${ds.x.rows - 1}`);
    x.set(src.subarray(r * d, (r + 1) * d), i * d);
  }
  let splits: Record<string, Int32Array> | undefined;
  if (ds.splits) {
    const where = new Int32Array(ds.x.rows).fill(-1);
    indices.forEach((r, i) => (where[r] = i));
    splits = {};
    for (const [k, rows] of Object.entries(ds.splits)) splits[k] = Int32Array.from(Array.from(rows, (r) => where[r]!).filter((i) => i >= 0)).sort();
  }
  return {
    ...ds,
    x: { data: x, rows: indices.length, cols: d },
    labels: ds.labels ? Int32Array.from(indices, (r) => ds.labels![r]!) : undefined,
    splits,
    preprocessing: note ? [...ds.preprocessing, note] : ds.preprocessing,
  };
}

/**
 * Keeps `limit` rows chosen with `seed` (all rows when `limit >= n`), in their original order; the
 * step is recorded as `limit(<n>[,stratified],seed=<seed>)`.
 * @param stratified - keep class proportions (needs labels)
 * @throws ParamError for a limit that is not an integer >= 1, or stratified without labels
 */
export function subset(ds: Dataset, limit: number, stratified = false, seed = 0): Dataset {
  if (!Number.isInteger(limit) || limit < 1) throw new ParamError(`option '--limit' must be an integer >= 1, got ${limit}`);
  if (stratified && !ds.labels) throw new ParamError(`option '--stratified' needs labels, and '${ds.name}' has none`);
  if (limit >= ds.x.rows) return ds;
  const idx = sampleIndices(ds.x.rows, limit, { seed, stratified, labels: ds.labels });
  return takeRows(ds, idx, `limit(${limit}${stratified ? ',stratified' : ''},seed=${seed})`);
}

/**
 * The rows of one official split (`train` or `test`) of a data set loaded whole (`mnist:all`),
 * renamed `<name>:<split>`.
 * @throws DataError when the data set has no such split
 */
export function selectSplit(ds: Dataset, split: string): Dataset {
  const rows = ds.splits?.[split];
  if (!rows) throw new DataError(`'${ds.name}' has no '${split}' split${ds.splits ? ` (it has ${Object.keys(ds.splits).join(', ')})` : ''}`);
  const out = takeRows(ds, rows);
  return { ...out, name: ds.name.replace(/:(all|train|test)$/, '') + `:${split}`, splits: undefined };
}

/**
 * Splits rows at random into two disjoint sets (seeded; stratified by default when labels exist).
 * @param options.testSize - a fraction in (0, 1) or a row count
 * @returns `train` and `test` data sets; each records `split(train|test,<testSize>,seed=<seed>)`
 */
export function trainTestSplit(
  ds: Dataset,
  options: { testSize: number; seed?: number; stratified?: boolean },
): {
  /** The training rows. */
  train: Dataset;
  /** The test rows. */
  test: Dataset;
} {
  const n = ds.x.rows;
  const t = options.testSize;
  const size = t > 0 && t < 1 ? Math.round(t * n) : t;
  if (!Number.isInteger(size) || size < 1 || size >= n) throw new ParamError(`trainTestSplit: testSize must be a fraction in (0, 1) or a count in 1..${n - 1}, got ${t}`);
  const seed = options.seed ?? 0;
  const test = sampleIndices(n, size, { seed, stratified: options.stratified ?? Boolean(ds.labels), labels: ds.labels });
  const inTest = new Uint8Array(n);
  for (const i of test) inTest[i] = 1;
  const train = Int32Array.from({ length: n }, (_, i) => i).filter((i) => !inTest[i]);
  return {
    train: takeRows(ds, train, `split(train,${t},seed=${seed})`),
    test: takeRows(ds, test, `split(test,${t},seed=${seed})`),
  };
}
