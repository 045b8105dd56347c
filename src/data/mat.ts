/**
 * MATLAB `.mat` files: Level 5 (v5/v6/v7, what `save` writes by default and `scipy.io.savemat`
 * writes) with the reader in mat5.ts, and v7.3 (HDF5 inside) through h5wasm. Numeric matrices,
 * logical arrays and sparse matrices are returned in MATLAB's shape (`fea` 1440×1024 stays
 * 1440×1024; a row or column vector becomes one-dimensional), row-major.
 */
import { inflateSync } from 'node:zlib';
import { DataError } from '../errors.ts';
import { type ContainerEntry, hasHdf5Signature, openH5 } from './h5.ts';
import { readBytes } from './io.ts';
import { parseMat5 } from './mat5.ts';

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
  const { variables, skipped } = parseMat5(bytes, path);
  const entries: ContainerEntry[] = variables.map(({ name, value }) => ({ name, shape: value.shape, dtype: value.dtype, read: () => value }));
  return { version: 5, entries, skipped, close: () => {} };
}

/**
 * Refuses arrays whose dimensions promise more elements than their bytes can hold (each element
 * takes at least a byte; a sparse matrix at least one per column), and sparse column starts that
 * run past the row indices, before anything is allocated: one corrupt number must not cost minutes
 * and gigabytes before the error.
 * @throws DataError naming the file; anything it cannot follow is left to the reader (mat5.ts)
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
          // a corrupt stream: the reader reports it
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
