/**
 * What a report needs besides `result.json` and `labels.csv`, captured once by `deepclust fit`
 * and saved as `report-data.json` in the run directory so `deepclust report --run <dir>` can
 * regenerate the page without the data set: a seeded sample of at most 2,000 rows with their
 * embedding after pretraining (before the clustering phase) and after training, the ground-truth
 * labels, the k-means labels that started the clustering phase, and thumbnails per cluster for
 * image data. Also the per-update ACC/NMI tracker the training curves use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import type { HistoryRow, ProgressEvent } from '../methods/types.ts';
import type { FittedDeepClustering } from '../methods/deep-clustering.ts';
import { externalScores } from '../metrics/index.ts';
import { Rng } from '../random.ts';

/** Format tag of `report-data.json`. */
export const REPORT_DATA_FORMAT = 'deepclust-report-data-1';
/** Rows of the embedding sample the 2-D maps are drawn from. */
export const MAP_SAMPLE = 2000;
/** Thumbnails per cluster for image data. */
export const IMAGES_PER_CLUSTER = 10;

/** A dense matrix as it is stored: shape and little-endian float32 values in base64. */
export interface StoredMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly float32: string;
}

/** Thumbnails of the members of one cluster. */
export interface ClusterImages {
  readonly cluster: number;
  /** Row indices (in the training data) of the images shown. */
  readonly indices: number[];
}

/** The contents of `report-data.json`. */
export interface ReportData {
  readonly format: typeof REPORT_DATA_FORMAT;
  /** Rows of the training data. */
  readonly n: number;
  /** Seed of the sample (the run's seed). */
  readonly seed: number;
  /** Sorted row indices of the map sample. */
  readonly sample: number[];
  /** Embedding of the sample after pretraining, before the clustering phase (null without pretraining). */
  readonly embeddingBefore: StoredMatrix | null;
  /** Embedding of the sample with the final network. */
  readonly embeddingAfter: StoredMatrix;
  /** k-means labels of all rows that started the clustering phase (null when unknown). */
  readonly initLabels: number[] | null;
  /** Ground-truth labels of all rows (null without labels). */
  readonly truth: number[] | null;
  /** Names of the classes (index = label), when known. */
  readonly classNames: string[] | null;
  /** `[channels, height, width]` of image rows, else null. */
  readonly imageShape: [number, number, number] | null;
  /** Thumbnails: per cluster the rows shown and their pixels, 8-bit, `[count, height, width, 1 or 3]`, base64. */
  readonly images: { readonly channels: 1 | 3; readonly height: number; readonly width: number; readonly clusters: ClusterImages[]; readonly pixels: string } | null;
}

/** Float32 values to base64 (little-endian, as on every platform Node runs on). */
export function encodeFloat32(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/** Inverse of {@link encodeFloat32}. */
export function decodeFloat32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  if (buf.length % 4 !== 0) throw new RangeError('float32 data of a length not divisible by 4');
  const out = new Float32Array(buf.length / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** The map sample: every row when n ≤ max, else `max` rows drawn with the seed, sorted. */
export function sampleRows(n: number, seed: number, max = MAP_SAMPLE): Int32Array {
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  return new Rng(seed).fork('report-sample').permutation(n).slice(0, max).sort();
}

function gather(m: Matrix, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * m.cols);
  for (let r = 0; r < idx.length; r++) for (let c = 0; c < m.cols; c++) out[r * m.cols + c] = m.data[idx[r]! * m.cols + c]!;
  return out;
}

/** Picks up to `perCluster` members of each cluster (seeded) and renders them as 8-bit thumbnails. */
export function collectThumbnails(x: Matrix, imageShape: readonly [number, number, number], labels: Int32Array, k: number, seed: number, perCluster = IMAGES_PER_CLUSTER): NonNullable<ReportData['images']> {
  const [c, h, w] = imageShape;
  const channels: 1 | 3 = c === 3 ? 3 : 1;
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < labels.length; i++) members[labels[i]!]?.push(i);
  const clusters: ClusterImages[] = [];
  const rng = new Rng(seed).fork('report-images');
  for (let j = 0; j < k; j++) {
    const m = members[j]!;
    const perm = rng.fork(j).permutation(m.length);
    const chosen = Array.from(perm.subarray(0, Math.min(perCluster, m.length)), (p) => m[p]!).sort((a, b) => a - b);
    clusters.push({ cluster: j, indices: chosen });
  }
  const total = clusters.reduce((s, cl) => s + cl.indices.length, 0);
  const pixels = new Uint8Array(total * h * w * channels);
  let o = 0;
  for (const cl of clusters) {
    for (const row of cl.indices) {
      // each thumbnail stretched to its own value range, so any preprocessing shows
      const base = row * x.cols;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < channels * h * w; i++) {
        const v = x.data[base + i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const scale = hi > lo ? 255 / (hi - lo) : 0;
      for (let y = 0; y < h; y++)
        for (let xx = 0; xx < w; xx++)
          for (let ch = 0; ch < channels; ch++) pixels[o++] = Math.round((x.data[base + ch * h * w + y * w + xx]! - lo) * scale);
    }
  }
  return { channels, height: h, width: w, clusters, pixels: Buffer.from(pixels).toString('base64') };
}

/** The rows, their classes and the seed: what every report's data starts from. */
export interface ReportRowsInput {
  /** The rows as loaded (thumbnails are drawn from them). */
  readonly x: Matrix;
  readonly truth?: Int32Array;
  readonly classNames?: readonly string[];
  readonly imageShape?: readonly [number, number, number];
  readonly seed: number;
}

/** What {@link collectReportData} needs from a finished fit. */
export interface ReportDataInput extends ReportRowsInput {
  readonly fitted: FittedDeepClustering;
  /** Final embedding of every row (the fit computes it for the metrics anyway). */
  readonly embedding: Matrix;
  readonly initLabels?: Int32Array;
}

/** Collects the report's data after a fit; embeds the sample with the pretrained network when there was pretraining. */
export async function collectReportData(input: ReportDataInput): Promise<ReportData> {
  const { x, fitted, embedding, seed } = input;
  const sample = sampleRows(x.rows, seed);
  const sampleX: Matrix = { data: gather(x, sample), rows: sample.length, cols: x.cols };
  const before = await fitted.transformPretrained(sampleX);
  return assembleReportData(input, sample, before, embedding, fitted.labels, fitted.nClusters);
}

/** The fields every report's data shares: the sample, both maps, labels and thumbnails (one field order for both kinds of run). */
function assembleReportData(
  input: ReportRowsInput & { readonly initLabels?: Int32Array },
  sample: Int32Array,
  before: Matrix | undefined,
  after: Matrix,
  labels: Int32Array,
  k: number,
): ReportData {
  const { x, seed } = input;
  return {
    format: REPORT_DATA_FORMAT,
    n: x.rows,
    seed,
    sample: Array.from(sample),
    embeddingBefore: before ? { rows: before.rows, cols: before.cols, float32: encodeFloat32(Float32Array.from(before.data)) } : null,
    embeddingAfter: { rows: sample.length, cols: after.cols, float32: encodeFloat32(gather(after, sample)) },
    initLabels: input.initLabels ? Array.from(input.initLabels) : null,
    truth: input.truth ? Array.from(input.truth) : null,
    classNames: input.classNames ? [...input.classNames] : null,
    imageShape: input.imageShape ? [input.imageShape[0], input.imageShape[1], input.imageShape[2]] : null,
    images: input.imageShape ? collectThumbnails(x, input.imageShape, labels, k, seed) : null,
  };
}

/** What {@link collectAutoReportData} needs from an auto run without a network. */
export interface AutoReportDataInput extends ReportRowsInput {
  /** The rows as the clustering step saw them (the UMAP embedding or the preprocessed features). */
  readonly representation: Matrix;
  readonly labels: Int32Array;
  readonly k: number;
}

/** The report's data of an auto run that trained no network: one embedding (what the clustering step saw), no "before" map. */
export function collectAutoReportData(input: AutoReportDataInput): ReportData {
  return assembleReportData(input, sampleRows(input.x.rows, input.seed), undefined, input.representation, input.labels, input.k);
}

/** What a {@link historyMetricsTracker} has recorded, as JSON (kept in checkpoints so a resumed fit annotates its whole history). */
export interface TrackerState {
  readonly metrics: ReadonlyArray<[string, { acc: number; nmi: number }]>;
  readonly init: number[] | null;
}

/**
 * Records ACC and NMI against the ground truth at every progress event that carries labels (the
 * initial k-means and each target refresh), and writes them into the matching history rows.
 * `from` continues what an earlier tracker recorded ({@link TrackerState}).
 */
export function historyMetricsTracker(
  truth: Int32Array | undefined,
  from?: TrackerState,
): { onProgress(e: ProgressEvent): void; annotate(history: readonly HistoryRow[]): void; initLabels(): Int32Array | undefined; snapshot(): TrackerState } {
  const byKey = new Map<string, { acc: number; nmi: number }>(from?.metrics ?? []);
  let init: Int32Array | undefined = from?.init ? Int32Array.from(from.init) : undefined;
  return {
    snapshot: () => ({ metrics: [...byKey], init: init ? Array.from(init) : null }),
    onProgress(e) {
      if (!e.labels) return;
      if (e.phase === 'init') init = e.labels;
      if (!truth || e.labels.length !== truth.length) return;
      if (e.phase !== 'init' && e.phase !== 'cluster') return;
      const { acc, nmi } = externalScores(truth, e.labels);
      byKey.set(`${e.phase}:${e.phase === 'init' ? 0 : e.done}`, { acc, nmi });
    },
    annotate(history) {
      for (const row of history) {
        const m = byKey.get(`${row.phase}:${row.step}`);
        if (m) {
          row.acc = m.acc;
          row.nmi = m.nmi;
        }
      }
    },
    initLabels: () => init,
  };
}

/** A saved run as the report reads it. */
export interface SavedRun {
  readonly dir: string;
  readonly result: RunResult;
  readonly labels: Int32Array;
  /** null when the run has no `report-data.json` (fit with `--no-report`, or an older run). */
  readonly data: ReportData | null;
}

/** The fields of `result.json` the report uses. */
export interface RunResult {
  method: string;
  dataset: { name: string; n: number; d: number; classes: number | null; preprocessing?: string[]; sources?: string[] };
  k: number;
  seed: number;
  usedLabels?: boolean;
  metrics: Record<string, number | null>;
  timings?: Record<string, number>;
  iterations?: number;
  stoppedBy?: string;
  config: Record<string, unknown> & { name?: string };
  history: HistoryRow[];
  /** Auto runs: the plan in one line, every choice with its reason, the clustering step that ran, how k was decided, how pretraining ended. */
  summary?: string;
  plan?: Record<string, { value: unknown; reason: string }>;
  clustering?: string;
  kEstimated?: boolean;
  decision?: { criterion?: string | null; fallback?: boolean; reason?: string; units?: { chosen: string; reason: string }; pretraining?: { steps: number; cap: number; stoppedBy: string; reason: string } };
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new DataError(`cannot read ${what} '${path}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new DataError(`${what} '${path}' is not valid JSON (corrupt or cut short); rerun 'deepclust fit' with --out to recreate the run`);
  }
}

function isIntArray(v: unknown, n?: number): v is number[] {
  return Array.isArray(v) && (n === undefined || v.length === n) && v.every((e) => Number.isInteger(e));
}

function checkMatrix(m: unknown, rows: number, path: string, name: string): void {
  const s = m as StoredMatrix;
  if (!s || typeof s !== 'object' || s.rows !== rows || !Number.isInteger(s.cols) || s.cols < 1 || typeof s.float32 !== 'string' || Buffer.from(s.float32, 'base64').length !== rows * s.cols * 4)
    throw new DataError(`'${path}' is corrupt: '${name}' is not a ${rows}-row float32 matrix; rerun 'deepclust fit' with --out to recreate the run`);
}

/**
 * Reads a run directory written by `deepclust fit --out`.
 * @throws DataError (one line) when the directory, `result.json` or `labels.csv` is missing or corrupt
 */
export function readRun(dir: string): SavedRun {
  if (!existsSync(dir)) throw new DataError(`the run directory '${dir}' does not exist; pass the --out directory of a 'deepclust fit' run`);
  const resultPath = join(dir, 'result.json');
  if (!existsSync(resultPath)) throw new DataError(`'${dir}' is not a deepclust run directory (no result.json); pass the --out directory of a 'deepclust fit' run`);
  const result = readJson(resultPath, 'the run result') as RunResult;
  const n = result?.dataset?.n;
  // an auto run (`deepclust fit` without --method) trains nothing: no history and no method config
  if (result && typeof result === 'object' && result.method === 'auto') {
    result.history ??= [];
    result.config ??= { name: 'auto' };
  }
  if (!result || typeof result !== 'object' || !Number.isInteger(n) || !Number.isInteger(result.k) || !Array.isArray(result.history) || typeof result.metrics !== 'object' || result.metrics === null)
    throw new DataError(`'${resultPath}' is not a deepclust result (missing dataset.n, k, metrics or history); rerun 'deepclust fit' with --out to recreate the run`);
  const labelsPath = join(dir, 'labels.csv');
  if (!existsSync(labelsPath)) throw new DataError(`'${dir}' has no labels.csv (incomplete run); rerun 'deepclust fit' with --out to recreate it`);
  const lines = readFileSync(labelsPath, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0] !== undefined && !/^-?\d+$/.test(lines[0].trim())) lines.shift(); // header
  const labels = new Int32Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const v = Number(lines[i]!.trim());
    if (!Number.isInteger(v) || v < 0 || v >= result.k) throw new DataError(`'${labelsPath}' line ${i + 2}: ${JSON.stringify(lines[i])} is not a cluster label 0..${result.k - 1} (corrupt run)`);
    labels[i] = v;
  }
  if (labels.length !== n) throw new DataError(`'${labelsPath}' has ${labels.length} labels but result.json says ${n} rows (corrupt or mixed run)`);

  const dataPath = join(dir, 'report-data.json');
  let data: ReportData | null = null;
  if (existsSync(dataPath)) {
    const d = readJson(dataPath, 'the report data') as ReportData;
    const bad = (what: string) => new DataError(`'${dataPath}' is corrupt (${what}); rerun 'deepclust fit' with --out to recreate the run`);
    if (!d || d.format !== REPORT_DATA_FORMAT) throw bad(`unknown format ${JSON.stringify((d as { format?: unknown })?.format)}`);
    if (d.n !== n) throw bad(`${d.n} rows, result.json says ${n}`);
    if (!isIntArray(d.sample) || d.sample.some((i) => i < 0 || i >= n)) throw bad('sample indices');
    checkMatrix(d.embeddingAfter, d.sample.length, dataPath, 'embeddingAfter');
    if (d.embeddingBefore !== null) checkMatrix(d.embeddingBefore, d.sample.length, dataPath, 'embeddingBefore');
    if (d.truth !== null && !isIntArray(d.truth, n)) throw bad('truth labels');
    if (d.initLabels !== null && !isIntArray(d.initLabels, n)) throw bad('initial labels');
    if (d.images !== null) {
      const im = d.images;
      const count = im?.clusters?.reduce?.((s, c) => s + (c.indices?.length ?? 0), 0);
      if (!im || typeof im.pixels !== 'string' || count === undefined || Buffer.from(im.pixels, 'base64').length !== count * im.height * im.width * im.channels) throw bad('thumbnails');
    }
    data = d;
  }
  return { dir, result, labels, data };
}
