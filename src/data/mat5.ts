/**
 * A reader of MATLAB Level 5 MAT-files (what `save` writes up to -v7, and `scipy.io.savemat`):
 * the named numeric variables of the file as row-major arrays. It follows MathWorks' published
 * format ("MAT-File Format", Level 5): a 128-byte header, then data elements, each a tag (type and
 * byte count, or both packed in 4 bytes for small elements) and its data padded to 8 bytes; a
 * variable is an miMATRIX element (flags, dimensions, name, then its data), possibly inside an
 * miCOMPRESSED (zlib) element.
 *
 * Read: double, single, int8…uint64 and logical arrays (real), and sparse matrices (densified).
 * Skipped by name: char arrays, cells, structs, objects, function handles and complex arrays.
 */
import { inflateSync } from 'node:zlib';
import { DataError } from '../errors.ts';
import type { NdArray } from './ndarray.ts';

/** The result of parseMat5: numeric variables in file order, and the names of the others. */
export interface Mat5Contents {
  /** Numeric variables: MATLAB's shape (a vector one-dimensional), row-major float64 data. */
  readonly variables: { readonly name: string; readonly value: NdArray }[];
  /** Variables that are not real numeric arrays (strings, cells, structs, complex…), by name. */
  readonly skipped: string[];
}

// data types of elements (miINT8 …), and array classes (mxDOUBLE_CLASS …)
const MI_INT32 = 5;
const MI_UINT32 = 6;
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;
const MX_SPARSE = 5;
const MX_DOUBLE = 6;
const MX_UINT64 = 15;
const FLAG_COMPLEX = 0x0800;

/** Byte size of each numeric element type, by type number. */
const ELEMENT_BYTES: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8 };

/** One data element: its type, and where its data starts and ends. */
interface Element {
  readonly type: number;
  readonly start: number;
  readonly end: number;
  /** Where the next element starts. */
  readonly next: number;
}

/**
 * Parses the bytes of a Level 5 MAT-file (header included).
 * @throws DataError naming `path` for a truncated or corrupt file
 */
export function parseMat5(bytes: Uint8Array, path: string): Mat5Contents {
  const corrupt = (what: string) => new DataError(`'${path}' is a corrupt or truncated MAT file (${what}); copy it again`);
  if (bytes.length < 128) throw corrupt('the data ends early');
  const le = bytes[126] === 0x49; // 'IM' read little-endian; 'MI' for a big-endian file
  if (!le && bytes[126] !== 0x4d) throw corrupt('the header has no endian indicator');
  const variables: { name: string; value: NdArray }[] = [];
  const skipped: string[] = [];

  const elements = function* (b: Uint8Array, from: number, to: number): Generator<Element> {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let pos = from;
    while (pos < to) {
      if (pos + 8 > to) {
        // trailing bytes shorter than a tag: padding at the very end is harmless
        if (b.subarray(pos, to).every((x) => x === 0)) return;
        throw corrupt('the data ends early');
      }
      const tag = v.getUint32(pos, le);
      if (tag >>> 16) {
        const size = tag >>> 16;
        if (size > 4) throw corrupt(`a data element at byte ${pos} has the bad tag 0x${tag.toString(16)}`);
        yield { type: tag & 0xffff, start: pos + 4, end: pos + 4 + size, next: pos + 8 };
        pos += 8;
        continue;
      }
      const size = v.getUint32(pos + 4, le);
      const end = pos + 8 + size;
      if (end > to) throw corrupt('the data ends early');
      yield { type: tag, start: pos + 8, end, next: tag === MI_COMPRESSED ? end : pos + 8 + Math.ceil(size / 8) * 8 };
      pos = tag === MI_COMPRESSED ? end : pos + 8 + Math.ceil(size / 8) * 8;
    }
  };

  const matrix = (b: Uint8Array, e: Element): void => {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const parts = elements(b, e.start, e.end);
    const take = (what: string): Element => {
      const r = parts.next();
      if (r.done) throw corrupt(`an array ends before its ${what}`);
      return r.value;
    };
    if (e.end === e.start) return; // an empty matrix element (unused cell slot)
    const flags = take('flags');
    if (flags.type !== MI_UINT32 || flags.end - flags.start < 4) throw corrupt(`an array's flags at byte ${flags.start} are not uint32`);
    const flagWord = v.getUint32(flags.start, le);
    const cls = flagWord & 0xff;
    const dimsEl = take('dimensions');
    if (dimsEl.type !== MI_INT32 || (dimsEl.end - dimsEl.start) % 4) throw corrupt(`an array's dimensions at byte ${dimsEl.start} are not int32`);
    const dims = Array.from({ length: (dimsEl.end - dimsEl.start) / 4 }, (_, i) => v.getInt32(dimsEl.start + 4 * i, le));
    if (dims.some((d) => d < 0)) throw corrupt(`an array has the negative dimensions ${dims.join('×')}`);
    const nameEl = take('name');
    const name = new TextDecoder('latin1').decode(b.subarray(nameEl.start, nameEl.end));
    const numeric = (cls >= MX_DOUBLE && cls <= MX_UINT64) || cls === MX_SPARSE;
    if (!numeric || flagWord & FLAG_COMPLEX) {
      skipped.push(name);
      return;
    }
    const shape = matlabShape(dims);
    if (cls === MX_SPARSE) {
      if (dims.length !== 2) throw corrupt(`sparse matrix '${name}' has ${dims.length} dimensions`);
      const [rows, cols] = dims as [number, number];
      const ir = numbers(b, take('row indices'), le, corrupt);
      const jc = numbers(b, take('column starts'), le, corrupt);
      const pr = numbers(b, take('values'), le, corrupt);
      if (jc.length < cols + 1) throw corrupt(`sparse matrix '${name}' has ${jc.length} column starts for ${cols} columns`);
      const out = new Float64Array(rows * cols);
      for (let c = 0; c < cols; c++) {
        for (let k = jc[c]!; k < jc[c + 1]!; k++) {
          const r = ir[k];
          if (r === undefined || r < 0 || r >= rows || k >= pr.length) throw corrupt(`sparse matrix '${name}' has an entry outside its ${rows}×${cols} shape`);
          out[r * cols + c] = pr[k]!;
        }
      }
      variables.push({ name, value: { shape, dtype: 'float64', data: out } });
      return;
    }
    const real = numbers(b, take('values'), le, corrupt);
    const n = dims.reduce((a, d) => a * d, 1);
    if (real.length !== n) throw corrupt(`array '${name}' holds ${real.length} values for its ${dims.join('×')} shape`);
    variables.push({ name, value: { shape, dtype: 'float64', data: toRowMajor(real, dims) } });
  };

  for (const e of elements(bytes, 128, bytes.length)) {
    if (e.type === MI_MATRIX) matrix(bytes, e);
    else if (e.type === MI_COMPRESSED) {
      let inner: Uint8Array;
      try {
        inner = inflateSync(bytes.subarray(e.start, e.end));
      } catch {
        throw corrupt('the data ends early');
      }
      for (const ie of elements(inner, 0, inner.length)) if (ie.type === MI_MATRIX) matrix(inner, ie);
    }
    // other top-level elements (none in files MATLAB writes) are ignored
  }
  return { variables, skipped };
}

/** The shape a variable is returned in: a row or column vector (or a scalar) is one-dimensional. */
function matlabShape(dims: readonly number[]): number[] {
  const kept = dims.filter((d) => d !== 1);
  if (kept.length <= 1 && dims.length === 2) return [kept[0] ?? 1];
  return [...dims];
}

/** The values of a numeric element, as float64. */
function numbers(b: Uint8Array, e: Element, le: boolean, corrupt: (what: string) => DataError): Float64Array {
  const width = ELEMENT_BYTES[e.type];
  if (width === undefined) throw corrupt(`a numeric array holds an element of type ${e.type}`);
  const bytes = e.end - e.start;
  if (bytes % width) throw corrupt(`an element of type ${e.type} at byte ${e.start} holds ${bytes} bytes`);
  const v = new DataView(b.buffer, b.byteOffset + e.start, bytes);
  const n = bytes / width;
  const out = new Float64Array(n);
  const read: (o: number) => number = {
    1: (o: number) => v.getInt8(o),
    2: (o: number) => v.getUint8(o),
    3: (o: number) => v.getInt16(o, le),
    4: (o: number) => v.getUint16(o, le),
    5: (o: number) => v.getInt32(o, le),
    6: (o: number) => v.getUint32(o, le),
    7: (o: number) => v.getFloat32(o, le),
    9: (o: number) => v.getFloat64(o, le),
    12: (o: number) => Number(v.getBigInt64(o, le)),
    13: (o: number) => Number(v.getBigUint64(o, le)),
  }[e.type as 1]!;
  if (e.type === 9 && le) {
    for (let i = 0; i < n; i++) out[i] = v.getFloat64(i * 8, true);
  } else {
    for (let i = 0; i < n; i++) out[i] = read(i * width);
  }
  return out;
}

/** MATLAB's column-major values of an array of shape `dims`, in row-major order. */
function toRowMajor(values: Float64Array, dims: readonly number[]): Float64Array {
  if (dims.filter((d) => d !== 1).length <= 1) return values; // a vector reads the same either way
  const n = values.length;
  const out = new Float64Array(n);
  const nd = dims.length;
  // column-major strides of each dimension, walked in row-major order
  const stride = new Array<number>(nd);
  stride[0] = 1;
  for (let k = 1; k < nd; k++) stride[k] = stride[k - 1]! * dims[k - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let src = 0;
  for (let o = 0; o < n; o++) {
    out[o] = values[src]!;
    for (let k = nd - 1; k >= 0; k--) {
      idx[k]!++;
      src += stride[k]!;
      if (idx[k]! < dims[k]!) break;
      src -= stride[k]! * dims[k]!;
      idx[k] = 0;
    }
  }
  return out;
}
