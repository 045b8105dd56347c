/**
 * MATLAB `.mat` files: Level 5 (v5/v6/v7, what `save` writes by default and `scipy.io.savemat`
 * writes) through mat-for-js, and v7.3 (HDF5 inside) through h5wasm. Numeric matrices, logical
 * arrays and sparse matrices are returned in MATLAB's shape (`fea` 1440×1024 stays 1440×1024),
 * row-major.
 */
import { read as readMat5 } from 'mat-for-js';
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
    const nd = nestedToNd(value);
    if (!nd) {
      skipped.push(name);
      continue;
    }
    entries.push({ name, shape: nd.shape, dtype: nd.dtype, read: () => nd });
  }
  return { version: 5, entries, skipped, close: () => {} };
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
    } else for (const b of a) Array.isArray(b) ? fill(b, depth + 1) : (ok = false);
  };
  fill(v, 0);
  return ok ? { shape, dtype: 'float64', data: out } : undefined;
}
