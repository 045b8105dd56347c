/**
 * Option and input checks shared by `cluster` and `metrics`. Each throws a ParamError (bad option)
 * or DataError (bad data) whose message names the function, the problem and the fix.
 */
import { DataError, ParamError, describeValue } from '../../errors.ts';
import type { Matrix } from '../../matrix.ts';

/** An integer option in `[min, max]` (or `>= min`); `undefined` gives `fallback`. */
export function intOption(where: string, name: string, value: unknown, fallback: number | undefined, range: { min: number; max?: number; maxLabel?: string }): number {
  if (value === undefined) {
    if (fallback === undefined) throw new ParamError(`${where}: option '${name}' is required (an integer >= ${range.min})`);
    return fallback;
  }
  const ok = typeof value === 'number' && Number.isInteger(value) && value >= range.min && (range.max === undefined || value <= range.max);
  if (!ok) {
    const expected = range.max === undefined ? `an integer >= ${range.min}` : `an integer in [${range.min}, ${range.maxLabel ?? range.max}]`;
    throw new ParamError(`${where}: option '${name}' must be ${expected}, got ${describeValue(value)}`);
  }
  return value as number;
}

/**
 * The k-means `init` option: `'k-means++'` (default), `'random'`, or a `[k, d]` Matrix of finite
 * initial centres. Explicit centres make restarts pointless, so `nInit` drops to 1 with a warning.
 */
export function initOption<M extends Matrix>(where: string, value: 'k-means++' | 'random' | M | undefined, k: number, d: number, nInit: number, warnings: string[]): { init: 'k-means++' | 'random' | M; nInit: number } {
  const init = value ?? 'k-means++';
  if (typeof init === 'string') {
    if (init !== 'k-means++' && init !== 'random') throw new ParamError(`${where}: option 'init' must be 'k-means++', 'random' or a [nClusters, nFeatures] Matrix, got ${describeValue(init)}`);
    return { init, nInit };
  }
  if (!init || typeof init !== 'object' || !(init.data instanceof Float32Array || init.data instanceof Float64Array))
    throw new ParamError(`${where}: option 'init' must be 'k-means++', 'random' or a [nClusters, nFeatures] Matrix, got ${describeValue(init)}`);
  if (init.rows !== k || init.cols !== d || init.data.length !== k * d)
    throw new ParamError(`${where}: option 'init' must have shape [nClusters=${k}, nFeatures=${d}], got [${init.rows}, ${init.cols}]`);
  for (let i = 0; i < init.data.length; i++)
    if (!Number.isFinite(init.data[i]!)) throw new ParamError(`${where}: option 'init' has a non-finite value at row ${Math.floor(i / d)}, column ${i % d}`);
  if (nInit !== 1) warnings.push(`explicit initial centres were given, so nInit=${nInit} was reduced to 1`);
  return { init, nInit: 1 };
}

/** A finite number option `>= min` (or `> min` when `exclusive`). */
export function numberOption(where: string, name: string, value: unknown, fallback: number, min: number, options: { exclusive?: boolean; max?: number } = {}): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && (options.exclusive ? value > min : value >= min) && (options.max === undefined || value <= options.max);
  if (!ok) {
    const lo = `${options.exclusive ? '>' : '>='} ${min}`;
    throw new ParamError(`${where}: option '${name}' must be a finite number ${lo}${options.max === undefined ? '' : ` and <= ${options.max}`}, got ${describeValue(value)}`);
  }
  return value as number;
}

/** One of a fixed set of strings. */
export function choiceOption<T extends string>(where: string, name: string, value: unknown, fallback: T, choices: readonly T[]): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !choices.includes(value as T))
    throw new ParamError(`${where}: option '${name}' must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describeValue(value)}`);
  return value as T;
}

/** A seed: any safe integer. @defaultValue 0 */
export function seedOption(where: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new ParamError(`${where}: option 'seed' must be an integer, got ${describeValue(value)}`);
  return value;
}

/** Optional thread count for the kernels. */
export function threadsOption(where: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return intOption(where, 'threads', value, undefined, { min: 1 });
}

/**
 * Checks a data matrix: a Matrix with a float32/float64 array of `rows * cols` finite values,
 * at least `minRows` rows and, when given, exactly `cols` columns.
 */
export function checkMatrix(where: string, x: Matrix, options: { name?: string; minRows?: number; cols?: number; colsLabel?: string } = {}): void {
  const name = options.name ?? 'x';
  if (!x || typeof x !== 'object' || !(x.data instanceof Float32Array || x.data instanceof Float64Array))
    throw new DataError(`${where}: ${name} must be a Matrix { data: Float32Array | Float64Array, rows, cols }, got ${describeValue(x)}`);
  const { data, rows, cols } = x;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || data.length !== rows * cols)
    throw new DataError(`${where}: ${name} is malformed: ${data.length} values for ${rows}×${cols}; use matrix(data, rows, cols) to build it`);
  const minRows = options.minRows ?? 1;
  if (rows < minRows) throw new DataError(`${where}: ${name} has ${rows} rows; at least ${minRows} are needed`);
  if (cols < 1) throw new DataError(`${where}: ${name} has no columns (features)`);
  if (options.cols !== undefined && cols !== options.cols)
    throw new DataError(`${where}: ${name} has ${cols} features but ${options.colsLabel ?? `${options.cols} are expected`}`);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0)
      throw new DataError(`${where}: ${name} has a non-finite value (${v}) at row ${Math.floor(i / cols)}, column ${i % cols}; remove or impute such rows first`);
  }
}

/**
 * Checks one labelling (integers, the expected length) and encodes it as codes `0..k-1` in order
 * of first appearance; `values[c]` is the label of code `c`.
 */
export function encodeLabels(where: string, labels: ArrayLike<number>, options: { name?: string; length?: number; lengthLabel?: string } = {}): { codes: Int32Array; values: number[] } {
  const name = options.name ?? 'labels';
  if (labels === null || typeof labels !== 'object' || typeof (labels as ArrayLike<number>).length !== 'number')
    throw new DataError(`${where}: ${name} must be an array of integers, got ${describeValue(labels)}`);
  if (options.length !== undefined && labels.length !== options.length)
    throw new DataError(`${where}: ${name} has ${labels.length} entries but ${options.lengthLabel ?? `${options.length} are expected`}; give one label per sample`);
  const map = new Map<number, number>();
  const values: number[] = [];
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw new DataError(`${where}: ${name} must be integers, but entry ${i} is ${describeValue(v)}; map class names or fractional values to integer ids first`);
    let c = map.get(v);
    if (c === undefined) {
      c = values.length;
      map.set(v, c);
      values.push(v);
    }
    codes[i] = c;
  }
  return { codes, values };
}

/** Squared norms of the rows in float64. */
export function rowNorms(x: Float32Array | Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const o = i * cols;
    for (let t = 0; t < cols; t++) {
      const v = x[o + t]!;
      s += v * v;
    }
    out[i] = s;
  }
  return out;
}

/** Column means in float64. */
export function columnMeans(x: Float32Array | Float64Array, rows: number, cols: number): Float64Array {
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let t = 0; t < cols; t++) mean[t]! += x[o + t]!;
  }
  for (let t = 0; t < cols; t++) mean[t]! /= rows;
  return mean;
}

/** Mean per-feature variance about `mean` (scikit-learn's `_tolerance` without the factor). */
export function meanFeatureVariance(x: Float32Array | Float64Array, rows: number, cols: number, mean: Float64Array): number {
  let s = 0;
  for (let i = 0; i < rows; i++)
    for (let t = 0; t < cols; t++) {
      const v = x[i * cols + t]! - mean[t]!;
      s += v * v;
    }
  return s / rows / cols;
}

/** A copy of `x` minus `mean` per column, in the same dtype. */
export function centered(x: Float32Array | Float64Array, rows: number, cols: number, mean: Float64Array): Float32Array | Float64Array {
  const out = x instanceof Float64Array ? new Float64Array(x.length) : new Float32Array(x.length);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let t = 0; t < cols; t++) out[o + t] = x[o + t]! - mean[t]!;
  }
  return out;
}
