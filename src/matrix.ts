/**
 * The plain dense matrix type every non-graph module (data, cluster, metrics) works on:
 * row-major values in one typed array, no hidden strides.
 */

/** A dense row-major matrix of `rows × cols` values. */
export interface Matrix {
  /** Row-major values, length `rows * cols`. */
  readonly data: Float32Array | Float64Array;
  /** Number of rows (samples). */
  readonly rows: number;
  /** Number of columns (features). */
  readonly cols: number;
}

/** Wraps a typed array as a matrix, checking that its length is `rows * cols`. */
export function matrix(data: Float32Array | Float64Array, rows: number, cols: number): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0)
    throw new RangeError(`matrix: rows and cols must be non-negative integers, got ${rows}×${cols}`);
  if (data.length !== rows * cols)
    throw new RangeError(`matrix: data has ${data.length} values, expected rows*cols = ${rows}*${cols} = ${rows * cols}`);
  return { data, rows, cols };
}

/** Returns row `i` as a subarray view (no copy). */
export function row(m: Matrix, i: number): Float32Array | Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}
