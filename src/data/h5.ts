/**
 * HDF5 files (`.h5`, `.hdf5`, and MATLAB v7.3 `.mat`, which are HDF5 inside) through h5wasm,
 * the HDF5 C library compiled to WebAssembly. Datasets are listed without being read; a dataset's
 * values are read on demand.
 */
import { DataError } from '../errors.ts';
import { type NdArray, type NumericData, fortranToC } from './ndarray.ts';
import { isFile } from './io.ts';

type H5 = typeof import('h5wasm/node').default;
type H5File = InstanceType<H5['File']>;
type H5Dataset = InstanceType<H5['Dataset']>;
type H5Group = InstanceType<H5['Group']>;

let h5: Promise<H5> | undefined;

/** Loads h5wasm once (lazily: its WebAssembly module costs time only when an HDF5 file is read). */
async function loadH5(): Promise<H5> {
  h5 ??= (async () => {
    const mod = (await import('h5wasm/node')).default;
    const m = await mod.ready;
    // throw HDF5 errors as exceptions instead of printing the HDF5 error stack to stderr
    (m as unknown as { activate_throwing_error_handler(): number }).activate_throwing_error_handler();
    return mod;
  })();
  return h5;
}

/** The innermost HDF5 error description from h5wasm's error-stack text. */
function h5Reason(err: unknown): string {
  const text = String((err as Error)?.message ?? err);
  const lines = text.split('\n').filter((l) => /#\d+:/.test(l));
  const last = lines.at(-1);
  const m = last ? /\(\):\s*(.*)$/.exec(last) : null;
  return (m?.[1] ?? text.split('\n')[0] ?? 'unknown error').trim();
}

/** A numeric array inside a container file, readable on demand. */
export interface ContainerEntry {
  /** Path or name inside the file (`x`, `/group/features`). */
  readonly name: string;
  /** Shape. */
  readonly shape: readonly number[];
  /** Element type as the file names it. */
  readonly dtype: string;
  /** Reads the values (row-major). */
  read(): NdArray;
}

/** HDF5 signature, found at offset 0 or 512, 1024, 2048… (after a user block, as in MAT v7.3). */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when `head` (the first bytes of a file) holds the HDF5 signature at 0 or 512·2^k. */
export function hasHdf5Signature(head: Uint8Array): boolean {
  for (let off = 0; off + 8 <= head.length; off = off === 0 ? 512 : off * 2) if (SIGNATURE.every((b, i) => head[off + i] === b)) return true;
  return false;
}

/** An opened HDF5 file: its numeric datasets; call `close()` when done. */
export interface H5Container {
  /** The numeric datasets of the file. */
  readonly entries: ContainerEntry[];
  /** Releases the file. */
  close(): void;
}

/**
 * Opens an HDF5 file and lists its numeric datasets (recursively).
 * @param matlab - true for MAT v7.3 files: arrays are stored column-major with reversed
 *   dimensions, so they are transposed back to MATLAB's shape; sparse matrices are densified
 * @throws DataError for a missing, truncated or non-HDF5 file
 */
export async function openH5(path: string, matlab = false): Promise<H5Container> {
  if (!isFile(path)) throw new DataError(`data file '${path}' does not exist; check the path`);
  const lib = await loadH5();
  let file: H5File;
  try {
    file = new lib.File(path, 'r');
  } catch (err) {
    throw new DataError(`'${path}' is not a readable HDF5 file (${h5Reason(err)})`);
  }
  const entries: ContainerEntry[] = [];
  const walk = (group: H5Group, prefix: string) => {
    for (const key of group.keys()) {
      if (key === '#refs#' || key === '#subsystem#') continue;
      const name = `${prefix}${key}`;
      let item: unknown;
      try {
        item = group.get(key);
      } catch {
        continue;
      }
      if (item instanceof lib.Dataset) {
        const e = datasetEntry(item, name, path, matlab);
        if (e) entries.push(e);
      } else if (item instanceof lib.Group) {
        const sparse = matlab ? attr(item, 'MATLAB_sparse') : undefined;
        if (sparse !== undefined) entries.push(sparseEntry(item, name, Number(sparse), path));
        else walk(item, `${name}/`);
      }
    }
  };
  try {
    walk(file, '');
  } catch (err) {
    file.close();
    if (err instanceof DataError) throw err;
    throw new DataError(`'${path}': cannot list the HDF5 contents (${h5Reason(err)})`);
  }
  return { entries, close: () => void file.close() };
}

function attr(obj: { attrs: Record<string, { value: unknown }> }, name: string): unknown {
  try {
    return name in obj.attrs ? obj.attrs[name]!.value : undefined;
  } catch {
    return undefined;
  }
}

function toNumeric(v: unknown, name: string, path: string): NumericData {
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Float64Array.from(v, Number);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return v as NumericData;
  if (typeof v === 'number') return Float64Array.of(v);
  throw new DataError(`'${path}': dataset '${name}' is not numeric`);
}

function datasetEntry(ds: H5Dataset, name: string, path: string, matlab: boolean): ContainerEntry | undefined {
  let meta: { type: number; size: number; signed: boolean };
  let shape: number[];
  try {
    meta = ds.metadata as unknown as { type: number; size: number; signed: boolean };
    shape = ds.shape ?? [];
  } catch {
    return undefined;
  }
  // HDF5 type classes: 0 integer, 1 float
  if (meta.type !== 0 && meta.type !== 1) return undefined;
  const mclass = matlab ? attr(ds, 'MATLAB_class') : undefined;
  if (mclass === 'char' || mclass === 'cell' || mclass === 'struct') return undefined;
  const dtype = meta.type === 1 ? `float${8 * meta.size}` : `${meta.signed ? 'int' : 'uint'}${8 * meta.size}`;
  const outShape = matlab ? [...shape].reverse() : shape;
  return {
    name,
    shape: outShape,
    dtype,
    read: () => {
      let v: unknown;
      try {
        v = ds.value;
      } catch (err) {
        throw new DataError(`'${path}': cannot read dataset '${name}' (${h5Reason(err)}); the file may be truncated`);
      }
      const data = toNumeric(v, name, path);
      // MATLAB writes column-major: HDF5 shape [d2, d1] holds A(d1×d2) in column-major order
      return { shape: outShape, dtype, data: matlab ? fortranToC(data, outShape) : data };
    },
  };
}

function sparseEntry(g: H5Group, name: string, nRows: number, path: string): ContainerEntry {
  const get = (k: string) => {
    const d = g.get(k);
    return d ? toNumeric((d as H5Dataset).value, `${name}/${k}`, path) : undefined;
  };
  const jcShape = (g.get('jc') as H5Dataset | null)?.shape ?? [1];
  const nCols = (jcShape[0] ?? 1) - 1;
  return {
    name,
    shape: [nRows, nCols],
    dtype: 'float64',
    read: () => {
      const jc = get('jc')!;
      const ir = get('ir') ?? new Float64Array(0);
      const data = get('data') ?? new Float64Array(ir.length).fill(1);
      const out = new Float64Array(nRows * nCols);
      for (let j = 0; j < nCols; j++) for (let k = jc[j]!; k < jc[j + 1]!; k++) out[ir[k]! * nCols + j] = data[k]!;
      return { shape: [nRows, nCols], dtype: 'float64', data: out };
    },
  };
}
