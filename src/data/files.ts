/**
 * Users' own data files: `.csv`/`.tsv`/`.txt` (gzip allowed), `.npy`, `.npz`, `.mat` (v5 and
 * v7.3), `.h5`/`.hdf5`, `.idx`/`*-ubyte` (gzip allowed). In container files the features can be
 * chosen with `file#name` and the labels array with `--label-column <name>`.
 */
import { resolve } from 'node:path';
import { DataError } from '../errors.ts';
import { type Picked, dictEntries, pickArrays } from './containers.ts';
import { parseDelimited, readDelimited } from './csv.ts';
import { type ContainerEntry, openH5 } from './h5.ts';
import { readIdx } from './idx.ts';
import { checkRegularFile, decodeText, gunzip, isFile, isGzip } from './io.ts';
import { existsSync, readFileSync } from 'node:fs';
import { IDX_FILE, type EncodedLabels, encodeLabels } from './labels.ts';
import { readMat } from './mat.ts';
import { isNumericArray, toFeatureMatrix, toIntegerLabels } from './ndarray.ts';
import { readNpy, readNpz } from './npy.ts';
import { type RawData, rawFromBytes, rawFromMatrix } from './raw.ts';

/** File formats by extension. */
export const FILE_FORMATS: Readonly<Record<string, string>> = {
  '.csv, .tsv, .txt (.gz)': 'delimited numbers, optional header; labels with --label-column <name|index> or --labels',
  '.npy': "a 2-D (or image-stack) NumPy array, or a pickled dict such as DEC's {'data', 'label'}",
  '.npz': 'NumPy archive: features x/data/features… (or file.npz#name), labels y/labels… (or --label-column name)',
  '.mat': 'MATLAB v5 or v7.3 (HDF5); e.g. fea/gnd, X/Y, or file.mat#name',
  '.h5, .hdf5': 'HDF5 datasets (h5wasm); e.g. features/labels, or file.h5#/group/name',
  '.idx, *-ubyte (.gz)': 'IDX arrays (MNIST format); labels with --labels <labels idx file>',
};

/** The format of a path, or undefined when its extension is not supported. */
export function fileFormat(path: string): 'delimited' | 'npy' | 'npz' | 'mat' | 'h5' | 'idx' | undefined {
  const p = path.toLowerCase();
  if (/\.(csv|tsv|txt|dat)(\.gz)?$/.test(p)) return 'delimited';
  if (/\.npy(\.gz)?$/.test(p)) return 'npy';
  if (p.endsWith('.npz')) return 'npz';
  if (p.endsWith('.mat')) return 'mat';
  if (/\.(h5|hdf5|he5|hdf)$/.test(p)) return 'h5';
  if (IDX_FILE.test(p)) return 'idx';
  return undefined;
}

/** The `--data` spec that reads CSV/TSV text from standard input. */
export const STDIN = '-';
/** How data read from standard input is named in messages and results. */
export const STDIN_NAME = '<stdin>';

/** Reads all of standard input as text (for `--data -`). @throws DataError for binary or too large input */
export function readStdinText(): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(0);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN') bytes = readFileSync('/dev/stdin');
    else throw new DataError(`cannot read the data from standard input (--data -): ${code ?? (err as Error).message}`);
  }
  if (bytes.length === 0) throw new DataError("standard input is empty (--data -); pipe CSV or TSV rows into deepclust, e.g. 'cat x.csv | deepclust kmeans --data - --k 3'");
  return decodeText(isGzip(bytes) ? gunzip(bytes, STDIN_NAME) : bytes, STDIN_NAME, 'standard input');
}

/** Splits `path#name` into the file and the array name. */
export function splitKey(spec: string): { path: string; key?: string } {
  const i = spec.lastIndexOf('#');
  if (i > 0 && fileFormat(spec.slice(0, i))) return { path: spec.slice(0, i), key: spec.slice(i + 1) || undefined };
  return { path: spec };
}

/** A user file loaded, before subsetting and preprocessing. */
export type FileRaw = RawData & { readonly sources: string[] };

function withLabels(raw: RawData, enc: EncodedLabels | undefined): RawData {
  if (!enc) return raw;
  const identity = enc.classes.every((c, i) => c === i);
  return { ...raw, labels: enc.labels, classNames: identity ? raw.classNames : enc.classes.map(String) };
}

function fromContainer(entries: ContainerEntry[], source: string, key: string | undefined, labelKey: string | undefined): RawData {
  const picked: Picked = pickArrays(entries, source, { dataKey: key, labelKey });
  const a = picked.features.read();
  const m = toFeatureMatrix(a, `${source}#${picked.features.name}`);
  let enc: EncodedLabels | undefined;
  if (picked.labels) {
    const l = toIntegerLabels(picked.labels.read(), `${source}#${picked.labels.name}`);
    if (l.length !== m.rows) {
      if (labelKey) throw new DataError(`'${source}': labels '${picked.labels.name}' have ${l.length} entries but the data has ${m.rows} rows`);
    } else enc = encodeLabels(l);
  }
  return withLabels(rawFromMatrix(m.data, m.rows, m.cols, { imageShape: m.imageShape }), enc);
}

/**
 * Loads a user's data file (`path` or `path#array`).
 * @param labelColumn - label column of a CSV (name or 0-based index) or labels array of a container
 * @throws DataError for a missing/unsupported/corrupt file and every bad value
 */
export async function loadFile(spec: string, labelColumn?: string): Promise<FileRaw> {
  if (spec === STDIN) {
    const t = parseDelimited(readStdinText(), STDIN_NAME, { labelColumn });
    return { ...withLabels(rawFromMatrix(t.x, t.rows, t.cols), t.labels), sources: [STDIN_NAME] };
  }
  const { path, key } = splitKey(spec);
  const abs = resolve(path);
  const format = fileFormat(path);
  if (!isFile(abs)) {
    if (existsSync(abs)) checkRegularFile(path); // "is a directory" / "is not a regular file"
    if (!format && !/[/\\]/.test(path)) throw new DataError(`data file '${path}' does not exist`);
    throw new DataError(`data file '${path}' does not exist${abs !== path ? ` (looked at ${abs})` : ''}; check the path`);
  }
  if (!format) throw new DataError(`unsupported data file '${path}': use one of ${Object.keys(FILE_FORMATS).join('; ')}`);
  if (key && (format === 'delimited' || format === 'idx')) throw new DataError(`'${spec}': '#${key}' selects an array inside .npz/.mat/.h5 files only`);
  let raw: RawData;
  switch (format) {
    case 'delimited': {
      const t = readDelimited(abs, { labelColumn });
      raw = withLabels(rawFromMatrix(t.x, t.rows, t.cols), t.labels);
      break;
    }
    case 'idx': {
      if (labelColumn !== undefined) throw new DataError(`--label-column does not apply to IDX files; pass the labels file with --labels`);
      const a = readIdx(abs);
      const n = a.dims[0]!;
      const d = a.dims.slice(1).reduce((p, c) => p * c, 1);
      const imageShape = a.dims.length === 3 ? ([1, a.dims[1]!, a.dims[2]!] as [number, number, number]) : undefined;
      if (a.data instanceof Uint8Array && imageShape) raw = rawFromBytes([a.data], n, imageShape[1], imageShape[2], false, { imageShape });
      else raw = rawFromMatrix(Float32Array.from(a.data as ArrayLike<number>), n, d, { imageShape });
      break;
    }
    case 'npy': {
      const a = readNpy(abs);
      if (!isNumericArray(a)) raw = fromContainer(dictEntries(a, path), path, key, labelColumn);
      else {
        if (labelColumn !== undefined) throw new DataError(`'${path}' holds a single array; pass the labels with --labels <file>`);
        const m = toFeatureMatrix(a, path);
        raw = rawFromMatrix(m.data, m.rows, m.cols, { imageShape: m.imageShape });
      }
      break;
    }
    case 'npz': {
      const arrays = readNpz(abs);
      raw = fromContainer(
        [...arrays].map(([name, a]) => ({ name, shape: a.shape, dtype: a.dtype, read: () => a })),
        path,
        key,
        labelColumn,
      );
      break;
    }
    case 'mat': {
      const m = await readMat(abs);
      try {
        raw = fromContainer(m.entries, path, key, labelColumn);
      } finally {
        m.close();
      }
      break;
    }
    case 'h5': {
      const c = await openH5(abs);
      try {
        raw = fromContainer(c.entries, path, key, labelColumn);
      } finally {
        c.close();
      }
      break;
    }
  }
  return { ...raw, sources: [abs] };
}
