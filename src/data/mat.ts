/**
 * MATLAB `.mat` files: Level 5 (v5/v6/v7, what `save` writes by default and `scipy.io.savemat`
 * writes) through mat-for-js, and v7.3 (HDF5 inside) through h5wasm. Numeric matrices, logical
 * arrays and sparse matrices are returned in MATLAB's shape (`fea` 1440×1024 stays 1440×1024),
 * row-major.
 */
import { read as readMat5 } from 'mat-for-js';
import { inflateSync } from 'node:zlib';
import { DataError } from '../errors.ts';
import { type ContainerEntry, hasHdf5Signature, openH5 } from './h5.ts';
import { readBytes } from './io.ts';
import type { NdArray } from './ndarray.ts';

/** The numeric variables of a MAT file. */
export interface MatContents {
  /** `5` for Level 5 files, `7.3` for HDF5-based files. */
  readonly version: 5 | 7.3;
  /** The numeric variables. */
  readonly entries: ContainerEntry[];
  /** Variables that are not numeric arrays (strings, cells, structs, complex), by name. */
  readonly skipped: string[];
  /** Releases the file (v7.3 files stay open until then, as values are read on demand). */
  close(): void;
}

/**
 * Reads the numeric variables of a `.mat` file.
 * @throws DataError for a missing, empty, truncated or corrupt file, or MAT v4
 */
export async function readMat(path: string): Promise<MatContents> {
  const bytes = readBytes(path);
  if (bytes.length === 0) throw new DataError(`data file '${path}' is empty (0 bytes); write it again or pass another file`);
  if (hasHdf5Signature(bytes.subarray(0, 4096))) {
    const c = await openH5(path, true);
    return { version: 7.3, entries: c.entries, skipped: [], close: c.close };
  }
  const text = bytes.subarray(0, 10).toString('latin1');
  if (bytes.length < 128 || !text.startsWith('MATLAB')) {
    throw new DataError(
      `'${path}' is not a MATLAB Level 5 or v7.3 file${bytes.length >= 4 && bytes.readUInt32LE(0) < 5000 ? ' (it looks like MAT v4; save it again with save(..., \'-v7\'))' : ''}`,
    );
  }
  checkMat5Dimensions(bytes, path);
  let parsed: { data: Record<string, unknown> };
  try {
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    parsed = readMat5(ab);
  } catch (err) {
    const msg = (err as Error).message;
    throw new DataError(
      `'${path}' is a corrupt or truncated MAT file (${/outside the bounds|out of range|incorrect header|unexpected end/i.test(msg) ? 'the data ends early' : msg}); copy it again`,
    );
  }
  const entries: ContainerEntry[] = [];
  const skipped: string[] = [];
  for (const [name, value] of Object.entries(parsed.data)) {
    let nd: NdArray | undefined;
    try {
      nd = nestedToNd(value);
    } catch (err) {
      // a corrupt sparse header can declare dimensions no memory holds once densified
      if (!(err instanceof RangeError)) throw err;
      throw new DataError(`'${path}': variable '${name}' is too large to load densely (${err.message}); the file may be corrupt, or save it as a smaller or dense matrix`);
    }
    if (!nd) {
      skipped.push(name);
      continue;
    }
    entries.push({ name, shape: nd.shape, dtype: nd.dtype, read: () => nd });
  }
  return { version: 5, entries, skipped, close: () => {} };
}

/**
 * Refuses arrays whose dimensions promise more elements than their bytes can hold (each element
 * takes at least a byte; a sparse matrix at least one per column), and sparse column starts that
 * run past the row indices: mat-for-js builds the nested arrays (and loops over the columns)
 * first, so one corrupt number would cost minutes and gigabytes before any error.
 * @throws DataError naming the file; anything it cannot follow is left to mat-for-js
 */
function checkMat5Dimensions(bytes: Uint8Array, path: string): void {
  const le = bytes[126] === 0x49; // 'IM' written little-endian, 'MI' big-endian
  const corrupt = (what: string) => new DataError(`'${path}' is a corrupt or truncated MAT file: ${what}; copy it again`);
  /** The data element at `pos`: its type, where its data lies, where the next one starts. */
  const element = (v: DataView, pos: number, end: number) => {
    if (pos + 8 > end) return undefined;
    const tag = v.getUint32(pos, le);
    if (tag >>> 16) {
      // a small element packs its size into the tag and holds at most 4 bytes
      if (tag >>> 16 > 4) throw corrupt(`a data element at byte ${pos} has the bad tag 0x${tag.toString(16)}`);
      return { type: tag & 0xffff, data: pos + 4, size: tag >>> 16, next: pos + 8 };
    }
    const size = v.getUint32(pos + 4, le);
    // sizes are exact: data running past its array (or the file) is a cut or corrupt file
    if (pos + 8 + size > end) throw corrupt(`a data element of ${size} bytes at byte ${pos} runs past the end of ${end === bytes.length ? 'the file' : 'its array'}`);
    return { type: tag, data: pos + 8, size, next: pos + 8 + (tag === 15 ? size : Math.ceil(size / 8) * 8) };
  };
  const int32s = (v: DataView, e: { type: number; data: number; size: number }, end: number) => {
    if (e.type !== 5 || e.data + e.size > end) return undefined;
    if (e.size % 4) throw corrupt(`an int32 element at byte ${e.data - 8} holds ${e.size} bytes`);
    return Array.from({ length: e.size / 4 }, (_, i) => v.getInt32(e.data + 4 * i, le));
  };
  const walk = (b: Uint8Array, from: number, to: number, depth: number): void => {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let e = element(v, from, to); e; e = element(v, e.next, to)) {
      const end = e.data + e.size;
      if (e.type === 14 && depth < 32) checkMatrix(b, v, e.data, end, depth);
      else if (e.type === 15 && depth === 0) {
        let inner: Uint8Array | undefined;
        try {
          inner = inflateSync(b.subarray(e.data, end));
        } catch {
          // a corrupt stream: mat-for-js reports it
        }
        if (inner) walk(inner, 0, inner.length, 1);
      }
    }
  };
  const checkMatrix = (b: Uint8Array, v: DataView, body: number, end: number, depth: number): void => {
    // array flags (class in the low byte), dimensions, name, then the data (or cells / fields)
    const flags = element(v, body, end);
    if (!flags || flags.type !== 6 || flags.data + 4 > end) return;
    const cls = v.getUint32(flags.data, le) & 0xff;
    const dimsEl = element(v, flags.next, end);
    const dims = dimsEl && int32s(v, dimsEl, end);
    if (!dimsEl || !dims) return;
    const held = end - body;
    if (dims.some((d) => d < 0)) throw corrupt(`an array has the negative dimensions ${dims.join('×')}`);
    // nested arrays are built dimension by dimension, so every prefix counts (an empty 5×0 is fine)
    let nested = 1;
    for (const d of dims.slice(0, -1)) {
      if (d === 0) break;
      nested *= d;
    }
    const elements = cls === 5 ? (dims[1] ?? 0) : dims.reduce((a, d) => a * d, 1);
    if (elements > held || nested > Math.max(held, 2 ** 20)) throw corrupt(`an array declares ${dims.join('×')} elements in ${held} bytes`);
    const name = element(v, dimsEl.next, end);
    if (!name) return;
    if (cls === 5) {
      // sparse: row indices ir, then column starts jc, non-decreasing within ir
      const irEl = element(v, name.next, end);
      const jcEl = irEl && element(v, irEl.next, end);
      const jc = jcEl && int32s(v, jcEl, end);
      const nIr = irEl?.type === 5 ? Math.floor(irEl.size / 4) : Number.POSITIVE_INFINITY; // int32 as MATLAB writes them
      if (jc?.some((c, i) => c < 0 || c > nIr || (i > 0 && c < jc[i - 1]!))) throw corrupt(`a sparse matrix has column starts outside its ${nIr} row indices`);
      return;
    }
    walk(b, name.next, end, depth + 1); // cells and struct fields are arrays too
  };
  walk(bytes, 128, bytes.length, 0);
}

/** Converts mat-for-js output (nested row-major arrays, sparse objects) to an NdArray, or undefined. */
function nestedToNd(v: unknown): NdArray | undefined {
  if (typeof v === 'number') return { shape: [1], dtype: 'float64', data: Float64Array.of(v) };
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'nz' in v && 'x' in v && 'y' in v) {
    const s = v as { x: number; y: number; nz: Array<{ x: number; y: number; v: unknown }> };
    const out = new Float64Array(s.x * s.y);
    for (const e of s.nz) {
      if (typeof e.v !== 'number' && typeof e.v !== 'boolean') return undefined;
      out[e.y * s.x + e.x] = Number(e.v);
    }
    return { shape: [s.y, s.x], dtype: 'float64', data: out };
  }
  if (!Array.isArray(v)) return undefined;
  const shape: number[] = [];
  let probe: unknown = v;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  if (shape.includes(0)) return { shape, dtype: 'float64', data: new Float64Array(0) };
  if (typeof probe !== 'number' && typeof probe !== 'bigint' && typeof probe !== 'boolean') return undefined;
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n);
  let o = 0;
  let ok = true;
  const fill = (a: unknown[], depth: number) => {
    if (a.length !== shape[depth]) ok = false;
    if (!ok) return;
    if (depth === shape.length - 1) {
      for (let i = 0; i < a.length; i++) {
        const x = a[i];
        if (typeof x === 'number') out[o++] = x;
        else if (typeof x === 'bigint' || typeof x === 'boolean') out[o++] = Number(x);
        else ok = false;
      }
    } else for (const b of a) if (Array.isArray(b)) fill(b, depth + 1); else ok = false;
  };
  fill(v, 0);
  return ok ? { shape, dtype: 'float64', data: out } : undefined;
}
