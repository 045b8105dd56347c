/**
 * NumPy dtypes and raw element bytes: the part of the `.npy` format that both the `.npy` reader
 * and the pickle reader (arrays inside pickled object arrays) decode.
 */
import { DataError } from '../errors.ts';
import { type NdArray, type NumericData, fmtShape, fortranToC, sizeOf } from './ndarray.ts';

/** A decoded NumPy dtype. */
export interface Dtype {
  /** NumPy's name: `float32`, `int64`, `bool`, `object`… */
  readonly name: string;
  readonly kind: 'f' | 'i' | 'u' | 'b' | 'O';
  /** Bytes per element. */
  readonly size: number;
  readonly littleEndian: boolean;
}

/**
 * Decodes a NumPy dtype string such as `<f4`, `>i8`, `|u1`, `|b1`, `|O`.
 * @throws DataError for strings, structured and complex dtypes
 */
export function decodeDtype(descr: string, source: string): Dtype {
  const m = /^([<>|=]?)([fiubO?])(\d*)$/.exec(descr);
  const kind = (m?.[2] === '?' ? 'b' : m?.[2]) as Dtype['kind'] | undefined;
  const size = m?.[3] ? Number(m[3]) : kind === 'b' || kind === 'O' ? (kind === 'O' ? 8 : 1) : 0;
  const ok = kind && (kind === 'O' || (kind === 'f' ? [2, 4, 8].includes(size) : [1, 2, 4, 8].includes(size)));
  if (!m || !ok)
    throw new DataError(`'${source}': NumPy dtype '${descr}' is not supported (use a numeric array: float32/64, int8–64, uint8–64 or bool)`);
  const name = kind === 'b' ? 'bool' : kind === 'O' ? 'object' : `${kind === 'f' ? 'float' : kind === 'i' ? 'int' : 'uint'}${8 * size}`;
  return { name, kind: kind!, size, littleEndian: m[1] !== '>' };
}

/**
 * Decodes raw element bytes into an {@link NdArray} (row-major; Fortran order reordered).
 * 64-bit integers become float64 (exact up to 2^53), float16 becomes float32.
 * @throws DataError when the byte count does not match the shape
 */
export function decodeRaw(raw: Uint8Array, dt: Dtype, shape: readonly number[], source: string, fortran = false): NdArray {
  const n = sizeOf(shape);
  if (raw.length < n * dt.size)
    throw new DataError(`'${source}' is truncated: ${raw.length} data bytes, shape ${fmtShape(shape)} of ${dt.name} needs ${n * dt.size}`);
  const view = new DataView(raw.buffer, raw.byteOffset, n * dt.size);
  const le = dt.littleEndian;
  let data: NumericData;
  const aligned = raw.byteOffset % dt.size === 0;
  const native = le && aligned;
  const key = `${dt.kind}${dt.size}`;
  switch (key) {
    case 'f4':
      data = native ? new Float32Array(raw.buffer, raw.byteOffset, n).slice() : Float32Array.from({ length: n }, (_, i) => view.getFloat32(4 * i, le));
      break;
    case 'f8':
      data = native ? new Float64Array(raw.buffer, raw.byteOffset, n).slice() : Float64Array.from({ length: n }, (_, i) => view.getFloat64(8 * i, le));
      break;
    case 'f2':
      data = Float32Array.from({ length: n }, (_, i) => half(view.getUint16(2 * i, le)));
      break;
    case 'i1':
      data = new Int8Array(raw.buffer, raw.byteOffset, n).slice();
      break;
    case 'u1':
    case 'b1':
      data = raw.slice(0, n);
      break;
    case 'i2':
      data = Int16Array.from({ length: n }, (_, i) => view.getInt16(2 * i, le));
      break;
    case 'u2':
      data = Uint16Array.from({ length: n }, (_, i) => view.getUint16(2 * i, le));
      break;
    case 'i4':
      data = native ? new Int32Array(raw.buffer, raw.byteOffset, n).slice() : Int32Array.from({ length: n }, (_, i) => view.getInt32(4 * i, le));
      break;
    case 'u4':
      data = Uint32Array.from({ length: n }, (_, i) => view.getUint32(4 * i, le));
      break;
    case 'i8':
      data = Float64Array.from({ length: n }, (_, i) => Number(view.getBigInt64(8 * i, le)));
      break;
    case 'u8':
      data = Float64Array.from({ length: n }, (_, i) => Number(view.getBigUint64(8 * i, le)));
      break;
    default:
      throw new DataError(`'${source}': NumPy dtype ${dt.name} is not supported`);
  }
  return { shape: [...shape], dtype: dt.name, data: fortran ? fortranToC(data, shape) : data };
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}
