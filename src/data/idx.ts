/**
 * IDX files (the format of MNIST, Fashion-MNIST and EMNIST), plain or gzip-compressed: magic
 * number, element type, big-endian dimensions, then the values.
 */
import { DataError } from '../errors.ts';
import { readMaybeGzip } from './io.ts';

/** Values of a decoded IDX array, by IDX element type. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX array: its dimensions and its values in row-major order. */
export interface IdxArray {
  /** Dimensions, e.g. `[60000, 28, 28]` for MNIST training images. */
  readonly dims: number[];
  /** Values, row-major (a view into the decoded bytes for unsigned bytes). */
  readonly data: IdxData;
}

const TYPES: Record<number, { name: string; size: number }> = {
  0x08: { name: 'uint8', size: 1 },
  0x09: { name: 'int8', size: 1 },
  0x0b: { name: 'int16', size: 2 },
  0x0c: { name: 'int32', size: 4 },
  0x0d: { name: 'float32', size: 4 },
  0x0e: { name: 'float64', size: 8 },
};

/**
 * Decodes IDX bytes (already gunzipped).
 * @param bytes - the file's bytes
 * @param source - the file name, used in error messages
 * @throws DataError for a wrong magic number, an unknown element type, or a truncated header/body
 */
export function decodeIdx(bytes: Uint8Array, source: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || !TYPES[bytes[2]!] || bytes[3]! < 1)
    throw new DataError(
      `'${source}' is not an IDX file (wrong magic number ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ') || '(none)'}); expected an MNIST-style file such as train-images-idx3-ubyte(.gz)`,
    );
  const type = TYPES[bytes[2]!]!;
  const rank = bytes[3]!;
  const start = 4 + 4 * rank;
  if (bytes.length < start) throw new DataError(`'${source}' is truncated: the IDX header promises ${rank} dimensions but the file ends after ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const need = count * type.size;
  if (bytes.length - start < need)
    throw new DataError(`'${source}' is truncated: ${bytes.length - start} data bytes, the header promises ${need} (${dims.join('×')} ${type.name}); download it again`);
  let data: IdxData;
  switch (bytes[2]) {
    case 0x08:
      data = bytes.subarray(start, start + count);
      break;
    case 0x09:
      data = new Int8Array(bytes.buffer, bytes.byteOffset + start, count);
      break;
    case 0x0b:
      data = Int16Array.from({ length: count }, (_, i) => view.getInt16(start + 2 * i, false));
      break;
    case 0x0c:
      data = Int32Array.from({ length: count }, (_, i) => view.getInt32(start + 4 * i, false));
      break;
    case 0x0d:
      data = Float32Array.from({ length: count }, (_, i) => view.getFloat32(start + 4 * i, false));
      break;
    default:
      data = Float64Array.from({ length: count }, (_, i) => view.getFloat64(start + 8 * i, false));
  }
  return { dims, data };
}

/** Reads an IDX file, gzip-compressed or not. @throws DataError as {@link decodeIdx}, or for a missing/corrupt file. */
export function readIdx(path: string): IdxArray {
  return decodeIdx(readMaybeGzip(path, 'IDX file'), path);
}

/**
 * Encodes an array as IDX bytes (big-endian, as the format requires); used to write fixtures and
 * to export data for tools that read MNIST-style files.
 * @param dims - dimensions; their product must equal `data.length`
 * @param data - values; the typed array's class picks the IDX element type (plain arrays → uint8)
 */
export function encodeIdx(dims: readonly number[], data: IdxData | readonly number[]): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`encodeIdx: dims ${dims.join('×')} hold ${count} values, got ${data.length}`);
  const code = data instanceof Int8Array ? 0x09 : data instanceof Int16Array ? 0x0b : data instanceof Int32Array ? 0x0c : data instanceof Float32Array ? 0x0d : data instanceof Float64Array ? 0x0e : 0x08;
  const size = TYPES[code]!.size;
  const out = new Uint8Array(4 + 4 * dims.length + count * size);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const start = 4 + 4 * dims.length;
  for (let i = 0; i < count; i++) {
    const v = Number(data[i]);
    if (code === 0x08) out[start + i] = v;
    else if (code === 0x09) view.setInt8(start + i, v);
    else if (code === 0x0b) view.setInt16(start + 2 * i, v, false);
    else if (code === 0x0c) view.setInt32(start + 4 * i, v, false);
    else if (code === 0x0d) view.setFloat32(start + 4 * i, v, false);
    else view.setFloat64(start + 8 * i, v, false);
  }
  return out;
}
