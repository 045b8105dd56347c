/**
 * Loading the named data sets from their files, and fetching missing files into the cache.
 */
import { unzipSync } from 'fflate';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DataError } from '../errors.ts';
import { atomicWriteFile } from './atomic.ts';
import { dictEntries, pickArrays } from './containers.ts';
import { type DownloadProgress, cacheDir, downloadFile } from './download.ts';
import type { ContainerEntry } from './h5.ts';
import { readIdx } from './idx.ts';
import { readBytes, readText } from './io.ts';
import { readMat } from './mat.ts';
import { toIntegerLabels } from './ndarray.ts';
import { readNpy } from './npy.ts';
import { type RawData, rawFromBytes, rawFromMatrix } from './raw.ts';
import { type FileSpec, type FileSplit, type Located, type LookupOptions, type NamedDataset, type Variant, locate, searchDirs, splitsFor } from './registry.ts';

/** A loaded named data set before subsetting and preprocessing. */
export type NamedRaw = RawData & { readonly sources: string[]; readonly variant: Variant };

function checkLabels(labels: Int32Array, ds: NamedDataset, file: string): Int32Array {
  const off = ds.labelOffset ?? 0;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]! - off;
    if (v < 0 || v >= ds.classes)
      throw new DataError(`'${file}' has label ${labels[i]} at entry ${i}, expected ${off}..${ds.classes - 1 + off} for ${ds.name}; is it the right file?`);
    labels[i] = v;
  }
  return labels;
}

function checkCols(cols: number, ds: NamedDataset, file: string): void {
  const want = ds.shapes.all?.[1];
  if (want !== undefined && cols !== want) throw new DataError(`'${file}' has ${cols} features per sample, ${ds.name} has ${want}; is it the right file?`);
}

function splitIndex(counts: number[], names: string[]): Record<string, Int32Array> | undefined {
  if (counts.length < 2) return undefined;
  const out: Record<string, Int32Array> = {};
  let o = 0;
  counts.forEach((c, k) => {
    out[names[k]!] = Int32Array.from({ length: c }, (_, i) => o + i);
    o += c;
  });
  return out;
}

function concatLabels(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Parses the USPS text formats: ESL (`label v1 … v256` per line) or `.jf` (header line, rows, `-1`). */
export function parseUspsText(text: string, source: string, jf: boolean): { x: Float32Array; labels: Int32Array; rows: number } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (jf) {
    if (lines.length && lines[0]!.trim().split(/\s+/).length <= 2) lines.shift();
    if (lines.length && lines[lines.length - 1]!.trim().split(/\s+/).length === 1) lines.pop();
  }
  if (!lines.length) throw new DataError(`'${source}' is empty; expected USPS rows (a label then 256 values)`);
  const x = new Float32Array(lines.length * 256);
  const labels = new Int32Array(lines.length);
  lines.forEach((l, r) => {
    const cells = l.trim().split(/\s+/);
    if (cells.length !== 257) throw new DataError(`'${source}' line ${r + (jf ? 2 : 1)}: ${cells.length} values, expected a label and 256 pixels`);
    const lab = Number(cells[0]);
    if (!Number.isInteger(lab)) throw new DataError(`'${source}' line ${r + (jf ? 2 : 1)}: label ${JSON.stringify(cells[0])} is not an integer`);
    labels[r] = lab;
    for (let j = 0; j < 256; j++) {
      const v = Number(cells[j + 1]);
      if (!Number.isFinite(v)) throw new DataError(`'${source}' line ${r + (jf ? 2 : 1)}: value ${JSON.stringify(cells[j + 1])} is not a finite number`);
      x[r * 256 + j] = v;
    }
  });
  return { x, labels, rows: lines.length };
}

/** Loads a located named data set (all its files for `split`). */
export async function loadNamed(ds: NamedDataset, split: FileSplit, loc: Located): Promise<NamedRaw> {
  const v = loc.variant;
  const parts = splitsFor(v, split);
  const path = (f: FileSpec) => loc.paths[f.name]!;
  const sources = parts.flatMap((s) => (v.files[s] ?? []).map(path));
  const meta = { imageShape: ds.imageShape, classNames: ds.classNames };
  if (v.id === 'idx') {
    const bytes: Uint8Array[] = [];
    const labels: Int32Array[] = [];
    let h = 0;
    let w = 0;
    for (const s of parts) {
      const [imgFile, labFile] = v.files[s]!.map(path) as [string, string];
      const img = readIdx(imgFile);
      const lab = readIdx(labFile);
      if (img.dims.length !== 3 || !(img.data instanceof Uint8Array)) throw new DataError(`'${imgFile}' is not an 8-bit image IDX file (dims ${img.dims.join('×')}); expected the images file`);
      if (lab.dims.length !== 1 || !(lab.data instanceof Uint8Array)) throw new DataError(`'${labFile}' is not an 8-bit label IDX file (dims ${lab.dims.join('×')}); expected the labels file`);
      if (lab.dims[0] !== img.dims[0]) throw new DataError(`'${labFile}' has ${lab.dims[0]} labels for ${img.dims[0]} images in '${imgFile}'; the files do not belong together`);
      [h, w] = [img.dims[1]!, img.dims[2]!];
      checkCols(h * w, ds, imgFile);
      bytes.push(img.data);
      labels.push(checkLabels(Int32Array.from(lab.data), ds, labFile));
    }
    const counts = labels.map((l) => l.length);
    return { ...rawFromBytes(bytes, counts.reduce((a, b) => a + b, 0), h, w, Boolean(ds.transposed), { ...meta, labels: concatLabels(labels), splits: splitIndex(counts, parts) }), sources, variant: v };
  }
  if (v.id === 'esl' || v.id === 'jf') {
    const xs: Float32Array[] = [];
    const labels: Int32Array[] = [];
    for (const s of parts) {
      const file = path(v.files[s]![0]!);
      const t = parseUspsText(readText(file), file, v.id === 'jf');
      xs.push(t.x);
      labels.push(checkLabels(t.labels, ds, file));
    }
    const counts = labels.map((l) => l.length);
    const n = counts.reduce((a, b) => a + b, 0);
    const x = new Float32Array(n * 256);
    let o = 0;
    for (const p of xs) {
      x.set(p, o);
      o += p.length;
    }
    return { ...rawFromMatrix(x, n, 256, { ...meta, labels: concatLabels(labels), splits: splitIndex(counts, parts) }), sources, variant: v };
  }
  // single-file containers: DEC's pickled dict (.npy) or a .mat
  const file = sources[0]!;
  let entries: ContainerEntry[];
  let close = () => {};
  if (v.id === 'npy') entries = dictEntries(readNpy(file), file);
  else {
    const m = await readMat(file);
    entries = m.entries;
    close = m.close;
  }
  try {
    const picked = pickArrays(entries, file, { expected: ds.shapes.all });
    const a = picked.features.read();
    let [rows, cols] = [a.shape[0]!, a.shape.slice(1).reduce((p, q) => p * q, 1)];
    let data = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data as ArrayLike<number>);
    const want = ds.shapes.all!;
    if (rows === want[1] && cols === want[0] && rows !== cols) {
      // stored samples-in-columns: transpose
      const t = new Float32Array(data.length);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = data[i * cols + j]!;
      data = t;
      [rows, cols] = [cols, rows];
    }
    checkCols(cols, ds, file);
    if (!picked.labels) throw new DataError(`'${file}' has no labels array for ${ds.name} (it holds ${entries.map((e) => e.name).join(', ')})`);
    let labels = toIntegerLabels(picked.labels.read(), `${file}:${picked.labels.name}`);
    if (labels.length !== rows) throw new DataError(`'${file}': ${labels.length} labels for ${rows} samples`);
    if (ds.labelOffset === undefined) {
      // MATLAB-style 1..C labels in a file of unknown origin
      let lo = Infinity;
      let hi = -Infinity;
      for (const l of labels) {
        lo = Math.min(lo, l);
        hi = Math.max(hi, l);
      }
      if (lo === 1 && hi === ds.classes) labels = labels.map((l) => l - 1);
    }
    checkLabels(labels, ds, file);
    if (ds.imageShape && ds.name === 'coil-20') {
      // MATLAB rows are column-major images: transpose each 32×32 image to row-major
      const [, ih, iw] = ds.imageShape;
      const t = new Float32Array(data.length);
      for (let r = 0; r < rows; r++) for (let y = 0; y < ih; y++) for (let x = 0; x < iw; x++) t[r * cols + y * iw + x] = data[r * cols + x * ih + y]!;
      data = t;
    }
    return { ...rawFromMatrix(data, rows, cols, { ...meta, labels }), sources, variant: v };
  } finally {
    close();
  }
}

/** Options of {@link fetchNamed}. */
export interface FetchOptions extends LookupOptions {
  /** Base URL replacing each file's official folder (a mirror; tests use a local server). */
  readonly mirror?: string;
  /** Called as each file downloads. */
  readonly onProgress?: (p: DownloadProgress) => void;
}

function withMirror(url: string, mirror?: string): string {
  return mirror ? `${mirror.replace(/\/+$/, '')}/${basename(new URL(url).pathname)}` : url;
}

/** The first variant whose files can all be downloaded, if any. */
export function downloadableVariant(ds: NamedDataset): Variant | undefined {
  return ds.variants.find((v) => Object.values(v.files).every((fs) => fs!.every((f) => f.url || f.archive)));
}

/**
 * Downloads the files of `ds` for `split` into the cache (`<cache>/<folder>/`), verifying
 * SHA-256 where known; zip-archived files (EMNIST) are extracted from the archive.
 * @returns where the files now are
 * @throws DownloadError / DataError when a download fails or nothing is downloadable
 */
export async function fetchNamed(ds: NamedDataset, split: FileSplit, options: FetchOptions = {}): Promise<Located> {
  const v = downloadableVariant(ds);
  if (!v) throw new DataError(`${ds.name} has no official download location`);
  const dest = join(options.cacheDir ?? cacheDir(), ds.folders[0]!);
  const files = splitsFor(v, split).flatMap((s) => v.files[s] ?? []);
  const archives = new Map<string, Uint8Array>();
  for (const f of files) {
    if (f.url) {
      const target = join(dest, basename(new URL(f.url).pathname));
      if (!existsSync(target)) await downloadFile(withMirror(f.url, options.mirror), target, { sha256: f.sha256, onProgress: options.onProgress });
    } else if (f.archive) {
      const zipPath = join(dest, basename(new URL(f.archive.url).pathname));
      if (!existsSync(zipPath)) await downloadFile(withMirror(f.archive.url, options.mirror), zipPath, { sha256: f.archive.sha256, onProgress: options.onProgress });
      if (!archives.has(zipPath)) archives.set(zipPath, readBytes(zipPath, 'archive'));
      let member: Uint8Array | undefined;
      try {
        member = unzipSync(archives.get(zipPath)!, { filter: (e) => e.name === f.archive!.member })[f.archive.member];
      } catch (err) {
        throw new DataError(`'${zipPath}' is not a valid zip archive (${(err as Error).message}); delete it and try again`);
      }
      if (!member) throw new DataError(`'${zipPath}' has no member ${f.archive.member}; delete it and try again`);
      atomicWriteFile(join(dest, f.name), member);
    }
  }
  const loc = locate(ds, split, { dataDir: dest, cacheDir: options.cacheDir });
  if (!loc) throw new DataError(`downloaded ${ds.name} into ${dest}, but its files are still incomplete`);
  return loc;
}

/** The "not found" error: the exact files to place and where. */
export function notFoundError(ds: NamedDataset, split: FileSplit, options: LookupOptions, why?: string): DataError {
  const dirs = searchDirs(ds, options);
  const variants = ds.variants.map((v) => {
    const names = splitsFor(v, split).flatMap((s) => (v.files[s] ?? []).map((f) => f.name));
    return `${names.join(', ')}${ds.variants.length > 1 ? ` (${v.id})` : ''}`;
  });
  const where = downloadableVariant(ds);
  const from = where
    ? ` Official location: ${[...new Set(Object.values(where.files).flatMap((fs) => fs!.map((f) => (f.url ? f.url.replace(/[^/]*$/, '') : f.archive!.url))))].join(', ')}.`
    : ds.howToGet
      ? ` There is no download: ${ds.howToGet}.`
      : '';
  return new DataError(
    `data set '${ds.name}${split === 'all' ? '' : `:${split}`}' not found: place ${variants.length > 1 ? `either ${variants.join(' or ')}` : variants[0]} in one of: ${dirs.join(', ')} (or pass --data-dir <folder>).${from}${why ? ` ${why}` : ''}`,
  );
}
