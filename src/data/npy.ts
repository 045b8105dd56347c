/**
 * NumPy `.npy` and `.npz` files: reading every numeric dtype (either byte order, C or Fortran
 * order, format versions 1–3), pickled object arrays through the minimal {@link unpickle}, and
 * writing float32 matrices atomically (`deepclust embed --out z.npy`).
 *
 * Hand-written because the npm NPY readers (npyjs, numpy-parser) target browsers, skip
 * Fortran order, big-endian data and pickles, and add nothing for writing; the format is 10 lines
 * of spec. `.npz` archives are opened with fflate.
 */
import { unzipSync } from 'fflate';
import { DataError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { atomicWriteFile } from './atomic.ts';
import { readBytes, readMaybeGzip } from './io.ts';
import { decodeDtype, decodeRaw } from './npy-dtype.ts';
import { type NdArray, type NumericData, fmtShape, sizeOf } from './ndarray.ts';
import { unpickle } from './pickle.ts';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Parses the bytes of a `.npy` file.
 * @returns the array; for a pickled object array (e.g. a saved dict), `dtype` is `object` and
 *   `data` holds the Python values (see {@link unpickle})
 * @throws DataError for a wrong magic string, a bad header, an unsupported dtype or truncated data
 */
export function parseNpy(bytes: Uint8Array, source: string): NdArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new DataError(`'${source}' is not a NumPy .npy file (wrong magic string); save it with numpy.save`);
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLen;
  if (![1, 2, 3].includes(major)) throw new DataError(`'${source}': .npy format version ${major} is not supported`);
  if (bytes.length < start) throw new DataError(`'${source}' is truncated inside its .npy header`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(major === 1 ? 10 : 12, start));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new DataError(`'${source}': unreadable .npy header ${JSON.stringify(header.trim().slice(0, 120))} (structured dtypes are not supported)`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new DataError(`'${source}': bad shape (${shapeText}) in the .npy header`);
  const dt = decodeDtype(descr, source);
  const body = bytes.subarray(start);
  if (dt.kind === 'O') {
    const value = unpickle(body, source);
    if (typeof value === 'object' && value !== null && 'dtype' in value) return value as NdArray;
    return { shape, dtype: 'object', data: [value] };
  }
  return decodeRaw(body, dt, shape, source, fortran === 'True');
}

/** Reads a `.npy` file (gzip-compressed allowed). @throws DataError as {@link parseNpy}, or for a missing file. */
export function readNpy(path: string): NdArray {
  return parseNpy(readMaybeGzip(path), path);
}

/**
 * Reads a `.npz` archive (`numpy.savez` / `savez_compressed`).
 * @returns arrays by name (without the `.npy` suffix), in archive order
 * @throws DataError for a file that is not a zip archive or holds a bad member
 */
export function readNpz(path: string): Map<string, NdArray> {
  const bytes = readBytes(path);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (err) {
    throw new DataError(`'${path}' is not a valid .npz (zip) archive (${(err as Error).message}); save it with numpy.savez`);
  }
  const out = new Map<string, NdArray>();
  for (const [name, data] of Object.entries(files)) {
    if (!name.endsWith('.npy')) continue;
    out.set(name.slice(0, -4), parseNpy(data, `${path}:${name}`));
  }
  if (!out.size) throw new DataError(`'${path}' holds no .npy arrays`);
  return out;
}

/**
 * Encodes a numeric array as `.npy` bytes (format 1.0, little-endian, C order).
 * @param data - values in row-major order; the typed array's class picks the dtype
 * @param shape - dimensions; their product must equal `data.length`
 */
export function encodeNpy(data: NumericData, shape: readonly number[]): Uint8Array {
  if (sizeOf(shape) !== data.length) throw new RangeError(`encodeNpy: shape ${fmtShape(shape)} holds ${sizeOf(shape)} values, got ${data.length}`);
  const descr =
    data instanceof Float32Array ? '<f4' : data instanceof Float64Array ? '<f8' : data instanceof Int32Array ? '<i4' : data instanceof Uint32Array ? '<u4' : data instanceof Int16Array ? '<i2' : data instanceof Uint16Array ? '<u2' : data instanceof Int8Array ? '|i1' : '|u1';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${fmtShape(shape)}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header = `${header}${' '.repeat(pad % 64)}\n`;
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC);
  out[6] = 1;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

/**
 * Writes a matrix as a float32 2-D `.npy` file, atomically (temporary file + rename), e.g. the
 * embedding of `deepclust embed --out z.npy`; `numpy.load` reads it back.
 * @param path - destination; its folder is created when missing
 * @param m - the matrix (float64 values are rounded to float32)
 * @throws DataError when the file cannot be written
 */
export function writeNpy(path: string, m: Matrix): void {
  const data = m.data instanceof Float32Array ? m.data : Float32Array.from(m.data);
  atomicWriteFile(path, encodeNpy(data, [m.rows, m.cols]));
}
