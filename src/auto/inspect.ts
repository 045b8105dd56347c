/**
 * The data inspector of `auto`: one pass over the rows that measures what the plan needs to
 * choose preprocessing, network and clustering step (size, image shape, value range, sparsity,
 * feature scales, skew, duplicates, constant columns).
 */
import { DataError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';

/** What {@link inspectData} measures. */
export interface DataProfile {
  /** Number of rows. */
  readonly rows: number;
  /** Number of features. */
  readonly features: number;
  /** `[channels, height, width]` when the rows are images (given by the data set or `--image-shape`). */
  readonly imageShape?: readonly [number, number, number];
  /** Smallest value. */
  readonly min: number;
  /** Largest value. */
  readonly max: number;
  /** Every value is an integer. */
  readonly integer: boolean;
  /** Every value is an integer in 0..255 and some exceed 1 (8-bit pixels). */
  readonly bytes: boolean;
  /** Fraction of exact zeros. */
  readonly sparsity: number;
  /** Columns with one value only. */
  readonly constantColumns: number;
  /** Rows that repeat an earlier row exactly. */
  readonly duplicateRows: number;
  /** Non-constant columns that repeat an earlier column exactly (see `duplicateColumnIndices` in src/auto/inspect.ts; absent in plans saved before it was measured). */
  readonly duplicateColumns?: number;
  /**
   * Ratio of the largest to the smallest standard deviation over the non-constant columns
   * (1 = every feature on the same scale; 1000 = a feature a thousand times wider).
   */
  readonly scaleRatio: number;
  /** Fraction of non-constant columns that are non-negative and strongly right-skewed (skewness > 2): counts, amounts. */
  readonly skewedFraction: number;
}

/**
 * Measures a data set for the `auto` plan (one pass, O(rows × features)).
 * @param x - the rows, as loaded (before any preprocessing `auto` may choose)
 * @param meta.imageShape - the image shape when the rows are images
 * @throws DataError for an empty matrix, non-finite values or a table whose columns are all constant
 */
export function inspectData(x: Matrix, meta: { imageShape?: readonly [number, number, number] } = {}): DataProfile {
  const { rows, cols, data } = x;
  if (rows === 0 || cols === 0) throw new DataError(`auto: the data is empty (${rows} rows × ${cols} columns)`);
  const mean = new Float64Array(cols);
  const first = new Float64Array(cols);
  const varying = new Uint8Array(cols);
  let min = Infinity;
  let max = -Infinity;
  let zeros = 0;
  let integer = true;
  for (let c = 0; c < cols; c++) first[c] = data[c]!;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const v = data[o + c]!;
      if (!Number.isFinite(v)) throw new DataError(`auto: the data has a non-finite value at row ${r + 1}, column ${c + 1}; remove or impute it first`);
      if (v < min) min = v;
      if (v > max) max = v;
      if (v === 0) zeros++;
      if (integer && v !== Math.round(v)) integer = false;
      if (v !== first[c]) varying[c] = 1;
      mean[c]! += v;
    }
  }
  for (let c = 0; c < cols; c++) mean[c]! /= rows;
  const m2 = new Float64Array(cols);
  const m3 = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const dv = data[o + c]! - mean[c]!;
      m2[c]! += dv * dv;
      m3[c]! += dv * dv * dv;
    }
  }
  let constantColumns = 0;
  let lo = Infinity;
  let hi = 0;
  let skewed = 0;
  let colMinNonNeg = true;
  for (let c = 0; c < cols; c++) {
    if (!varying[c]) {
      constantColumns++;
      continue;
    }
    const sd = Math.sqrt(m2[c]! / rows);
    if (sd > 0) {
      lo = Math.min(lo, sd);
      hi = Math.max(hi, sd);
      const skew = m3[c]! / rows / sd ** 3;
      if (skew > 2) skewed++;
    }
  }
  if (min < 0) colMinNonNeg = false;
  if (constantColumns === cols) throw new DataError(`auto: every column of the data is constant (all ${rows} rows are the same), so there is nothing to cluster; check that the right file and columns were read`);
  const nonConstant = cols - constantColumns;
  return {
    rows,
    features: cols,
    imageShape: meta.imageShape,
    min,
    max,
    integer,
    bytes: integer && min >= 0 && max <= 255 && max > 1,
    sparsity: zeros / (rows * cols),
    constantColumns,
    duplicateRows: countDuplicates(x),
    duplicateColumns: duplicateColumnIndices(x).length,
    scaleRatio: nonConstant > 0 && lo > 0 ? hi / lo : 1,
    skewedFraction: nonConstant > 0 && colMinNonNeg ? skewed / nonConstant : 0,
  };
}

/** Rows equal to an earlier row (hash of the bytes, then an exact comparison). */
function countDuplicates(x: Matrix): number {
  const { rows, cols, data } = x;
  const seen = new Map<number, number[]>();
  let dup = 0;
  for (let r = 0; r < rows; r++) {
    let h = 2166136261;
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      h ^= Math.round(data[o + c]! * 1e6) | 0;
      h = Math.imul(h, 16777619);
    }
    const same = seen.get(h);
    if (same?.some((s) => rowsEqual(data, s * cols, o, cols))) {
      dup++;
      continue;
    }
    if (same) same.push(r);
    else seen.set(h, [r]);
  }
  return dup;
}

function rowsEqual(d: ArrayLike<number>, a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (d[a + i] !== d[b + i]) return false;
  return true;
}

/**
 * The non-constant columns equal, row for row, to an earlier column (0-based, ascending). Constant
 * columns are left out: they are duplicates of each other but carry no distance anyway.
 */
export function duplicateColumnIndices(x: Matrix): number[] {
  const { rows, cols, data } = x;
  const seen = new Map<number, number[]>();
  const out: number[] = [];
  for (let c = 0; c < cols; c++) {
    let h = 2166136261;
    let constant = true;
    for (let r = 0; r < rows; r++) {
      const v = data[r * cols + c]!;
      if (v !== data[c]) constant = false;
      h ^= Math.round(v * 1e6) | 0;
      h = Math.imul(h, 16777619);
    }
    if (constant) continue;
    const same = seen.get(h);
    if (same?.some((e) => columnsEqual(data, rows, cols, e, c))) {
      out.push(c);
      continue;
    }
    if (same) same.push(c);
    else seen.set(h, [c]);
  }
  return out;
}

function columnsEqual(d: ArrayLike<number>, rows: number, cols: number, a: number, b: number): boolean {
  for (let r = 0; r < rows; r++) if (d[r * cols + a] !== d[r * cols + b]) return false;
  return true;
}
