/**
 * The n-dimensional array every container reader (NPY, NPZ, pickle, MAT, HDF5) returns, and its
 * conversion to the data layer's float32 feature matrix and int32 labels.
 */
import { DataError } from '../errors.ts';

/** Numeric values of an {@link NdArray} (64-bit integers are widened to float64). */
export type NumericData = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** An n-dimensional array read from a file, values in row-major (C) order. */
export interface NdArray {
  /** Dimensions, e.g. `[10000, 2000]`; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** Element type as NumPy names it (`float32`, `int64`, `uint8`, `bool`…) or `object`. */
  readonly dtype: string;
  /** Values, row-major; `unknown[]` only for `object` arrays (pickled Python objects). */
  readonly data: NumericData | unknown[];
}

/** True when `v` is an {@link NdArray} with numeric values. */
export function isNumericArray(v: unknown): v is NdArray & { data: NumericData } {
  return typeof v === 'object' && v !== null && 'shape' in v && 'data' in v && ArrayBuffer.isView((v as NdArray).data);
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Reorders column-major (Fortran / MATLAB) values of `shape` into row-major order. */
export function fortranToC<T extends NumericData | unknown[]>(data: T, shape: readonly number[]): T {
  const n = sizeOf(shape);
  if (shape.length < 2 || n === 0) return data;
  const out = (Array.isArray(data) ? new Array(n) : new (data.constructor as new (n: number) => NumericData)(n)) as T;
  if (shape.length === 2) {
    const [r, c] = shape as [number, number];
    for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) (out as number[])[i * c + j] = (data as number[])[j * r + i]!;
    return out;
  }
  const rank = shape.length;
  const cStride = new Array<number>(rank).fill(1);
  for (let k = rank - 2; k >= 0; k--) cStride[k] = cStride[k + 1]! * shape[k + 1]!;
  const idx = new Array<number>(rank).fill(0);
  for (let f = 0; f < n; f++) {
    let o = 0;
    for (let k = 0; k < rank; k++) o += idx[k]! * cStride[k]!;
    (out as number[])[o] = (data as number[])[f]!;
    for (let k = 0; k < rank; k++) {
      if (++idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** Result of {@link toFeatureMatrix}. */
export interface FeatureMatrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
  /** `[channels, height, width]` when the array was a stack of images (3-D or 4-D). */
  readonly imageShape?: [number, number, number];
}

/**
 * Turns an array into a float32 `[nSamples, nFeatures]` matrix: 2-D as is, 1-D as one column,
 * `[n, h, w]` as images `[1, h, w]`, `[n, c, h, w]` (c ≤ 4) as is, `[n, h, w, c]` (c ≤ 4, channels
 * last as Keras writes them) reordered to channels-first.
 * @throws DataError naming `source` for object arrays, scalars, empty arrays or rank > 4
 */
export function toFeatureMatrix(a: NdArray, source: string): FeatureMatrix {
  if (!isNumericArray(a)) throw new DataError(`'${source}' holds Python objects (${a.dtype}), not a numeric array`);
  const s = a.shape;
  if (s.length === 0) throw new DataError(`'${source}' is a scalar, expected a [samples, features] array`);
  if (sizeOf(s) === 0) throw new DataError(`'${source}' is empty (shape ${fmtShape(s)})`);
  const n = s[0]!;
  const f32 = (d: NumericData) => (d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>));
  if (s.length === 1) return { data: f32(a.data), rows: n, cols: 1 };
  if (s.length === 2) return { data: f32(a.data), rows: n, cols: s[1]! };
  if (s.length === 3) return { data: f32(a.data), rows: n, cols: s[1]! * s[2]!, imageShape: [1, s[1]!, s[2]!] };
  if (s.length === 4) {
    const [, a1, a2, a3] = s as [number, number, number, number];
    if (a1 <= 4 || a3 > 4) return { data: f32(a.data), rows: n, cols: a1 * a2 * a3, imageShape: [a1, a2, a3] };
    // channels last → channels first
    const hw = a1 * a2;
    const d = a.data;
    const out = new Float32Array(n * hw * a3);
    for (let i = 0; i < n; i++)
      for (let p = 0; p < hw; p++) for (let c = 0; c < a3; c++) out[i * hw * a3 + c * hw + p] = d[i * hw * a3 + p * a3 + c]!;
    return { data: out, rows: n, cols: hw * a3, imageShape: [a3, a1, a2] };
  }
  throw new DataError(`'${source}' has ${s.length} dimensions (${fmtShape(s)}); expected [samples, features] or a stack of images`);
}

/**
 * Reads labels from an array: 1-D, or 2-D with one row or one column (MATLAB's n×1).
 * Values must be integers (floats holding integers, as MATLAB and DEC store them, are accepted).
 * @throws DataError naming `source` otherwise
 */
export function toIntegerLabels(a: NdArray, source: string): Int32Array {
  if (!isNumericArray(a)) throw new DataError(`labels '${source}' hold Python objects (${a.dtype}), not integers`);
  const s = a.shape;
  if (!(s.length === 1 || (s.length === 2 && (s[0] === 1 || s[1] === 1))))
    throw new DataError(`labels '${source}' have shape ${fmtShape(s)}; expected one label per sample (a vector)`);
  const out = new Int32Array(a.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = a.data[i]!;
    if (!Number.isInteger(v)) throw new DataError(`labels '${source}': entry ${i} is ${v}, not an integer`);
    out[i] = v;
  }
  return out;
}

/** Formats a shape as `(a, b, c)`. */
export function fmtShape(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}
