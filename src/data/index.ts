/**
 * The data layer: named benchmark data sets, the embedded `mnist-10k`, users' own files, and
 * explicit preprocessing recorded in every result.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError, ParamError } from '../errors.ts';
import { Rng } from '../random.ts';
import { editDistance } from '../methods/presets.ts';
import { readDelimited, readLabels } from './csv.ts';
import { loadMnist10k } from './embedded.ts';
import { readIdx } from './idx.ts';
import { IDX_DATASETS, findFiles, searchDirs } from './registry.ts';
import type { Dataset } from './types.ts';

export type { Dataset } from './types.ts';
export { readLabels, parseDelimited, readDelimited } from './csv.ts';
export { readIdx, decodeIdx } from './idx.ts';
export { IDX_DATASETS, searchDirs } from './registry.ts';

/** Options of {@link loadDataset}. */
export interface LoadOptions {
  /** Folder with the data set's files (searched before $DEEPCLUST_DATA_DIR and the cache). */
  readonly dataDir?: string;
  /** Labels file for users' own data (one integer per line or a CSV column). */
  readonly labels?: string;
  /** Label column (name or 0-based index) inside a CSV/TSV data file. */
  readonly labelColumn?: string;
  /** Keep at most this many rows, chosen with `seed` (stratified by label when asked). */
  readonly limit?: number;
  readonly stratified?: boolean;
  readonly seed?: number;
  /** Preprocessing steps applied in order (see {@link PREPROCESSING}). */
  readonly preprocess?: readonly string[];
}

/** Every name `--data` accepts besides file paths. */
export function datasetNames(): string[] {
  return ['mnist-10k', ...Object.keys(IDX_DATASETS).flatMap((n) => [n, `${n}:train`, `${n}:test`, `${n}:all`])];
}

function loadIdxDataset(spec: string, dataDir?: string): Dataset {
  const [name, split = 'all'] = spec.split(':') as [string, string?];
  const ds = IDX_DATASETS[name]!;
  if (!['train', 'test', 'all'].includes(split)) throw new ParamError(`data set '${spec}': split must be train, test or all, got '${split}'`);
  const splits: Array<'train' | 'test'> = split === 'all' ? ['train', 'test'] : [split as 'train' | 'test'];
  const needed = splits.flatMap((s) => [ds.files[s].images, ds.files[s].labels]);
  const dir = findFiles(name, needed, dataDir);
  if (!dir)
    throw new DataError(
      `data set '${name}' not found: place ${needed.join(', ')} (from ${ds.url}) in one of: ${searchDirs(name, dataDir).join(', ')} — or pass --data-dir <folder>`,
    );
  const parts = splits.map((s) => {
    const pick = (f: string) => (existsSync(join(dir, f)) ? join(dir, f) : join(dir, f.replace(/\.gz$/, '')));
    const img = readIdx(pick(ds.files[s].images));
    const lab = readIdx(pick(ds.files[s].labels));
    if (img.dims.length !== 3) throw new DataError(`'${pick(ds.files[s].images)}' is not an image IDX file (dims ${img.dims.join('×')})`);
    if (lab.dims[0] !== img.dims[0]) throw new DataError(`'${pick(ds.files[s].labels)}' has ${lab.dims[0]} labels for ${img.dims[0]} images`);
    return { img, lab, sources: [pick(ds.files[s].images), pick(ds.files[s].labels)] };
  });
  const n = parts.reduce((a, p) => a + p.img.dims[0]!, 0);
  const [h, w] = [parts[0]!.img.dims[1]!, parts[0]!.img.dims[2]!];
  const x = new Float32Array(n * h * w);
  const labels = new Int32Array(n);
  let o = 0;
  let r = 0;
  for (const p of parts) {
    const src = p.img.data;
    for (let i = 0; i < src.length; i++) x[o + i] = src[i]! / 255;
    o += src.length;
    labels.set(p.lab.data, r);
    r += p.lab.dims[0]!;
  }
  return { name: `${name}:${split}`, x: { data: x, rows: n, cols: h * w }, labels, imageShape: [1, h, w], classNames: ds.classNames, preprocessing: ['scale255'], sources: parts.flatMap((p) => p.sources) };
}

function loadFile(path: string, options: LoadOptions): Dataset {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new DataError(`data file '${path}' does not exist`);
  const lower = path.toLowerCase();
  let ds: Dataset;
  if (lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.txt')) {
    const t = readDelimited(abs, { labelColumn: options.labelColumn });
    ds = { name: path, x: { data: t.x, rows: t.rows, cols: t.cols }, labels: t.labels, preprocessing: [], sources: [abs] };
  } else if (/\.idx\d?(-ubyte)?(\.gz)?$|ubyte(\.gz)?$/.test(lower)) {
    const a = readIdx(abs);
    const n = a.dims[0]!;
    const d = a.dims.slice(1).reduce((p, c) => p * c, 1);
    ds = { name: path, x: { data: Float32Array.from(a.data, (v) => v / 255), rows: n, cols: d }, imageShape: a.dims.length === 3 ? [1, a.dims[1]!, a.dims[2]!] : undefined, preprocessing: ['scale255'], sources: [abs] };
  } else {
    throw new DataError(`unsupported data file '${path}': use .csv, .tsv, .idx or .idx.gz (NPY/NPZ/MAT/HDF5 readers are not available yet)`);
  }
  if (options.labels) {
    const labels = readLabels(options.labels);
    if (labels.length !== ds.x.rows) throw new DataError(`labels file '${options.labels}' has ${labels.length} labels but the data has ${ds.x.rows} rows`);
    ds = { ...ds, labels, sources: [...ds.sources, resolve(options.labels)] };
  }
  return ds;
}

/**
 * Loads a data set by name (`mnist-10k`, `mnist`, `mnist:test`, `fashion-mnist:train`…) or from a
 * file path, then subsets and preprocesses it as asked.
 * @throws DataError for missing/corrupt files or unusable values; ParamError for unknown names.
 */
export async function loadDataset(spec: string, options: LoadOptions = {}): Promise<Dataset> {
  if (!spec) throw new ParamError("--data is required: a data set name (e.g. 'mnist-10k', 'mnist:test') or a file path");
  const base = spec.split(':')[0]!;
  let ds: Dataset;
  if (spec === 'mnist-10k') ds = loadMnist10k();
  else if (IDX_DATASETS[base]) ds = loadIdxDataset(spec, options.dataDir);
  else if (/[./\\]/.test(spec) || existsSync(spec)) ds = loadFile(spec, options);
  else {
    const names = datasetNames();
    const closest = [...names].sort((a, b) => editDistance(a, spec) - editDistance(b, spec))[0];
    throw new ParamError(`unknown data set '${spec}' (did you mean '${closest}'?); known: ${names.filter((n) => !n.includes(':')).join(', ')}, or a .csv/.tsv/.idx(.gz) file path`);
  }
  if (options.labels && !ds.sources.includes(resolve(options.labels)) && (spec === 'mnist-10k' || IDX_DATASETS[base]))
    throw new ParamError('--labels is for your own data files; named data sets bring their labels');
  checkFinite(ds);
  if (options.limit !== undefined) ds = subset(ds, options.limit, options.stratified ?? false, options.seed ?? 0);
  for (const step of options.preprocess ?? []) ds = preprocess(ds, step);
  return ds;
}

function checkFinite(ds: Dataset): void {
  const { data, rows, cols } = ds.x;
  if (rows === 0 || cols === 0) throw new DataError(`data set '${ds.name}' is empty (${rows}×${cols})`);
  for (let i = 0; i < data.length; i++)
    if (!Number.isFinite(data[i]!)) throw new DataError(`data set '${ds.name}' has a non-finite value (${data[i]}) at row ${Math.floor(i / cols)}, column ${i % cols}`);
}

/** Keeps `limit` rows chosen with a seed; stratified keeps the label proportions. */
export function subset(ds: Dataset, limit: number, stratified: boolean, seed: number): Dataset {
  if (!Number.isInteger(limit) || limit < 1) throw new ParamError(`--limit must be an integer >= 1, got ${limit}`);
  const n = ds.x.rows;
  if (limit >= n) return ds;
  const rng = new Rng(seed);
  let idx: number[];
  if (stratified && ds.labels) {
    const byClass = new Map<number, number[]>();
    Array.from(rng.permutation(n)).forEach((i) => {
      const c = ds.labels![i]!;
      if (!byClass.has(c)) byClass.set(c, []);
      byClass.get(c)!.push(i);
    });
    idx = [];
    for (const list of byClass.values()) idx.push(...list.slice(0, Math.round((list.length * limit) / n)));
    idx = idx.slice(0, limit);
  } else idx = Array.from(rng.permutation(n).subarray(0, limit));
  idx.sort((a, b) => a - b);
  const d = ds.x.cols;
  const x = new Float32Array(idx.length * d);
  idx.forEach((r, i) => x.set(ds.x.data.subarray(r * d, (r + 1) * d), i * d));
  return { ...ds, x: { data: x, rows: idx.length, cols: d }, labels: ds.labels ? Int32Array.from(idx, (r) => ds.labels![r]!) : undefined, preprocessing: [...ds.preprocessing, `limit(${idx.length}${stratified ? ',stratified' : ''},seed=${seed})`] };
}

/** Preprocessing steps by name: what each does to the rows. */
export const PREPROCESSING: Readonly<Record<string, string>> = {
  standardize: 'each feature to zero mean, unit variance',
  minmax: 'each feature to [0, 1]',
  l2: 'each row to unit L2 norm',
  'dec-mnist': 'multiply by 0.02 after [0,1] scaling ×255 (the original DEC code: pixels × 0.02)',
  'unit-energy': 'scale so that the mean ‖x‖²/d is 1 (the IDEC paper)',
};

/** Applies one preprocessing step (returns a new data set; the step is recorded). */
export function preprocess(ds: Dataset, step: string): Dataset {
  const { rows, cols } = ds.x;
  const x = Float32Array.from(ds.x.data);
  switch (step) {
    case 'standardize':
    case 'minmax':
      for (let c = 0; c < cols; c++) {
        let a = 0;
        let b = 0;
        let lo = Infinity;
        let hi = -Infinity;
        for (let r = 0; r < rows; r++) {
          const v = x[r * cols + c]!;
          a += v;
          b += v * v;
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        const mean = a / rows;
        const std = Math.sqrt(Math.max(b / rows - mean * mean, 0)) || 1;
        for (let r = 0; r < rows; r++) x[r * cols + c] = step === 'standardize' ? (x[r * cols + c]! - mean) / std : hi > lo ? (x[r * cols + c]! - lo) / (hi - lo) : 0;
      }
      break;
    case 'l2':
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let c = 0; c < cols; c++) s += x[r * cols + c]! ** 2;
        const f = s > 0 ? 1 / Math.sqrt(s) : 0;
        for (let c = 0; c < cols; c++) x[r * cols + c]! *= f;
      }
      break;
    case 'dec-mnist':
      for (let i = 0; i < x.length; i++) x[i]! *= 255 * 0.02;
      break;
    case 'unit-energy': {
      let s = 0;
      for (const v of x) s += v * v;
      const f = Math.sqrt((rows * cols) / Math.max(s, 1e-30));
      for (let i = 0; i < x.length; i++) x[i]! *= f;
      break;
    }
    default:
      throw new ParamError(`unknown preprocessing step '${step}'; choose from ${Object.keys(PREPROCESSING).join(', ')}`);
  }
  return { ...ds, x: { data: x, rows, cols }, preprocessing: [...ds.preprocessing, step] };
}
