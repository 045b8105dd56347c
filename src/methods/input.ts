/**
 * The data forms the estimator takes: a {@link Matrix} (`{ data, rows, cols }`, any numeric array
 * as `data`), rows as `number[][]`, or a typed array with its shape (`{ data, shape: [rows, cols] }`).
 */
import { DataError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';

/** Rows of numbers, a matrix, or values with their shape. */
export type DataInput = Matrix | readonly (readonly number[])[] | RowsAndCols | ValuesWithShape;

/** Row-major values of `rows × cols` (any typed array or number[]). */
export interface RowsAndCols {
  /** Row-major values, `rows * cols` of them. */
  readonly data: ArrayLike<number>;
  /** Number of rows (samples). */
  readonly rows: number;
  /** Number of columns (features). */
  readonly cols: number;
}

/** Row-major values with their shape `[rows, cols]`. */
export interface ValuesWithShape {
  /** Row-major values, `rows * cols` of them. */
  readonly data: ArrayLike<number>;
  /** `[rows, cols]`. */
  readonly shape: readonly [number, number];
}

/** A checked float32 copy (or the array itself, when already float32) of the data as rows × cols. */
export interface Float32Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Converts any {@link DataInput} to float32 rows.
 * @throws DataError naming `where` for anything else (ragged rows, a shape that does not fit the values)
 */
export function toMatrix(x: DataInput, where: string): Float32Matrix {
  if (Array.isArray(x)) return fromRows(x as readonly (readonly number[])[], where);
  const m = x as { data?: unknown; rows?: unknown; cols?: unknown; shape?: unknown };
  if (!m || typeof m !== 'object' || m.data === undefined)
    throw new DataError(`${where}: the data must be rows (number[][]), { data, rows, cols } or { data, shape: [rows, cols] }, got ${describe(x)}`);
  let rows = m.rows;
  let cols = m.cols;
  if (m.shape !== undefined) {
    if (!Array.isArray(m.shape) || m.shape.length !== 2) throw new DataError(`${where}: shape must be [rows, cols], got ${JSON.stringify(m.shape)}`);
    [rows, cols] = m.shape;
  }
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || (rows as number) < 0 || (cols as number) < 0)
    throw new DataError(`${where}: rows and cols must be integers >= 0, got ${JSON.stringify(rows)} × ${JSON.stringify(cols)}`);
  const data = m.data;
  if (!(ArrayBuffer.isView(data) || Array.isArray(data))) throw new DataError(`${where}: data must be a typed array or an array of numbers, got ${describe(data)}`);
  const values = data as ArrayLike<number>;
  if (values.length !== (rows as number) * (cols as number))
    throw new DataError(`${where}: the data has ${values.length} values, expected ${rows as number} × ${cols as number} = ${(rows as number) * (cols as number)}; make rows × cols match the length of the values`);
  return { data: values instanceof Float32Array ? values : Float32Array.from(values), rows: rows as number, cols: cols as number };
}

function fromRows(x: readonly (readonly number[])[], where: string): Float32Matrix {
  const rows = x.length;
  const cols = rows > 0 && Array.isArray(x[0]) ? x[0].length : 0;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = x[i];
    if (!Array.isArray(r) && !ArrayBuffer.isView(r)) throw new DataError(`${where}: row ${i} is not an array of numbers (got ${describe(r)}); pass number[][]`);
    if (r.length !== cols) throw new DataError(`${where}: row ${i} has ${r.length} values but row 0 has ${cols}; every row needs the same number of features`);
    for (let j = 0; j < cols; j++) {
      const v = r[j];
      if (typeof v !== 'number') throw new DataError(`${where}: row ${i}, column ${j} is ${describe(v)}, not a number`);
      data[i * cols + j] = v;
    }
  }
  return { data, rows, cols };
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? (v.constructor?.name ?? 'an object') : `${typeof v} ${JSON.stringify(v)}`;
}
