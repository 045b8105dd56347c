/**
 * Runs an experiment of the registry: every present data set, every seed, every row; records each
 * run (metrics, wall time, schedule) as it finishes and summarises the rows over seeds next to the
 * paper's values. Missing data sets are skipped with how to get them.
 */
import { fieldAt, validateField } from '../methods/schema.ts';
import { METHOD_SCHEMA } from '../methods/schema-method.ts';
import { loadDataset } from '../data/load.ts';
import type { Dataset } from '../data/types.ts';
import { DeepclustError, ParamError } from '../errors.ts';
import type { ProgressEvent } from '../methods/types.ts';
import { methodPreprocessing } from '../methods/deep-clustering.ts';
import { missingDataMessage } from './availability.ts';
import { type Experiment, type Group, type Headline, LOWER_IS_BETTER, type MetricKey, type PaperValue, type ShortSchedule, experiment as findExperiment } from './registry.ts';
import { type RowOutcome, type SharedPretraining, runRow } from './run-row.ts';
import { type SeedStats, seedStats } from './stats.ts';
import { type TimeSplitRow, timeSplitRows } from './n2d-time-split.ts';

/** Options of {@link runExperiment}. */
export interface ReproduceOptions {
  /** Number of seeds (0..N-1). @defaultValue 3 with the full budget, 1 with the short one */
  readonly seeds?: number;
  /** `full`: the paper-faithful schedule; `short`: the experiment's reduced one. @defaultValue the experiment's default */
  readonly budget?: 'full' | 'short';
  /** Folder with the data sets (searched before `$DEEPCLUST_DATA_DIR` and the cache). */
  readonly dataDir?: string;
  /** Per-user cache folder to look in (tests). */
  readonly cacheDir?: string;
  /** At most this many training rows, and scored rows of a split protocol (smoke runs; not comparable). */
  readonly limit?: number;
  /** Pretraining epochs of every method (replaces the budget's). */
  readonly pretrainEpochs?: number;
  /** Clustering-phase iterations of every method (replaces the budget's). */
  readonly maxIter?: number;
  /** onnxruntime threads. @defaultValue all cores */
  readonly threads?: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /** Called with each run's record as soon as it is done (so a long reproduction can be inspected). */
  readonly onRecord?: (record: RunRecord) => void;
}

/** One run: a row of the table on one data set and one seed. */
export interface RunRecord extends RowOutcome {
  readonly experiment: string;
  readonly dataset: string;
  /** Index of the data set's group in the experiment (Fig. 3 has one group per labelled count). */
  readonly groupIndex: number;
  /** `whole`, or `split` with the labelled rows used. */
  readonly protocol: string;
  readonly row: string;
  readonly seed: number;
  readonly budget: 'full' | 'short';
  readonly train: { readonly spec: string; readonly rows: number; readonly preprocessing: readonly string[] };
  readonly scored: { readonly spec: string; readonly rows: number };
  readonly k: number;
  /** Seconds of this run (fit, assignment and metrics; data loading and a shared pretraining excluded). */
  readonly wallSeconds: number;
  /** Seconds spent loading data for this run (0 when the previous run's data was reused). */
  readonly loadSeconds: number;
  /** Seconds the shared pretraining took, when this run reused it. */
  readonly sharedPretrainSeconds?: number;
  readonly threads: number | null;
  readonly date: string;
}

/** Statistics of one metric of a row over seeds (finite values only; `n` of them). */
export type MetricSummary = SeedStats & { readonly n: number };

/** One line of the table: a row of one data set over the seeds. */
export interface RowSummary {
  readonly dataset: string;
  readonly protocol: string;
  readonly row: string;
  readonly method: string;
  /** Seeds that ran to the end, and seeds that failed (see the records' `error`). */
  readonly seeds: number;
  readonly failed: number;
  readonly metrics: Partial<Record<MetricKey, MetricSummary>>;
  readonly paper: Partial<Record<MetricKey, PaperValue>>;
  readonly wallSeconds: SeedStats;
  readonly usedLabels: boolean;
}

/** The schedule a reproduction ran. */
export interface ScheduleUsed {
  readonly description: string;
  readonly pretrainEpochs?: number;
  readonly maxIter?: number;
  readonly trainRows?: number;
  readonly evalRows?: number;
}

/** The result of {@link runExperiment} (also the CLI's JSON). */
export interface ReproduceResult {
  readonly experiment: string;
  readonly title: string;
  readonly reference: string;
  readonly budget: 'full' | 'short';
  /** False for the short budget or when a schedule/size knob was given: the numbers are a smoke check. */
  readonly comparableToPaper: boolean;
  readonly schedule: ScheduleUsed;
  readonly seeds: number[];
  readonly protocol: string;
  readonly deviations: string[];
  /** The notes of the methods that ran (their presets' documented deviations), without repeats. */
  readonly methodNotes: string[];
  readonly metrics: readonly MetricKey[];
  readonly skipped: Array<{ readonly dataset: string; readonly message: string }>;
  readonly rows: RowSummary[];
  readonly headlines: readonly Headline[];
  readonly sources: Readonly<Record<string, string>>;
  readonly records: RunRecord[];
  /** Mean seconds per phase of each row, for experiments that name a time split (N2D: autoencoder, UMAP, GMM). */
  readonly timeSplit?: TimeSplitRow[];
  /** Seconds of the whole reproduction (data loading included). */
  readonly wallSeconds: number;
  readonly startedAt: string;
}

function positiveInt(name: string, v: number | undefined, min = 1): void {
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new ParamError(`reproduce: option '${name}' must be an integer >= ${min}, got ${JSON.stringify(v)}`);
}

/** The schedule of a budget with the knobs applied. */
export function scheduleFor(e: Experiment, budget: 'full' | 'short', o: Pick<ReproduceOptions, 'limit' | 'pretrainEpochs' | 'maxIter'> = {}): ScheduleUsed {
  const s: Partial<ShortSchedule> = budget === 'short' ? e.short : {};
  const cap = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
  const pretrainEpochs = o.pretrainEpochs ?? s.pretrainEpochs;
  const maxIter = o.maxIter ?? s.maxIter;
  const trainRows = cap(s.trainRows, o.limit);
  const evalRows = cap(s.evalRows, o.limit);
  const parts = [
    pretrainEpochs !== undefined ? `${pretrainEpochs} pretraining epochs` : '',
    maxIter !== undefined ? `at most ${maxIter} clustering iterations` : '',
    trainRows !== undefined ? `at most ${trainRows.toLocaleString('en-US')} training rows (stratified, seeded)` : '',
    evalRows !== undefined && e.groups.some((g) => g.protocol.kind === 'split') ? `at most ${evalRows.toLocaleString('en-US')} test rows (stratified)` : '',
  ].filter(Boolean);
  const head = budget === 'short' ? 'short budget' : `full budget (${e.fullSchedule})`;
  return { description: parts.length ? `${head}: ${parts.join(', ')}` : head, pretrainEpochs, maxIter, trainRows, evalRows };
}

function protocolLabel(g: Group, trainRows: number | undefined): string {
  return g.protocol.kind === 'whole' ? 'whole' : `split(labelled=${Math.min(g.protocol.labelled, trainRows ?? Infinity)})`;
}

/**
 * Loads a data set, keeping the last two: a table whose rows alternate between two preprocessings
 * (raw-feature k-means, DEC's ×0.02 MNIST) reads each once, not once per row and seed.
 * @returns a loader giving the data set and the seconds its reading took (0 when kept)
 */
export function dataLoader(o: Pick<ReproduceOptions, 'dataDir' | 'cacheDir'>) {
  const kept: Array<{ key: string; ds: Dataset }> = [];
  return async (spec: string, limit: number | undefined, seed: number, preprocess?: readonly string[]): Promise<{ ds: Dataset; seconds: number }> => {
    const key = `${spec}|${limit ?? ''}|${limit === undefined ? '' : seed}|${preprocess?.join(',') ?? ''}`;
    const hit = kept.find((e) => e.key === key);
    if (hit) return { ds: hit.ds, seconds: 0 };
    if (kept.length === 2) kept.shift(); // let the oldest set be collected before reading the next
    const t0 = performance.now();
    const ds = await loadDataset(spec, { dataDir: o.dataDir, cacheDir: o.cacheDir, download: false, limit, stratified: limit !== undefined, seed, preprocess });
    kept.push({ key, ds });
    return { ds, seconds: (performance.now() - t0) / 1000 };
  };
}

/** Progress lines of one run: every 10 pretraining epochs, and about every tenth of the clustering phase. */
function progressLogger(log: (l: string) => void, prefix: string): (e: ProgressEvent) => void {
  let lastTenth = -1;
  return (e) => {
    const terms = Object.entries(e.losses ?? {}).map(([k, v]) => `${k} ${v.toPrecision(4)}`);
    const losses = terms.length ? ` ${terms.join(', ')}` : '';
    if (e.phase === 'pretrain' && (e.done % 10 === 0 || e.done === e.total)) log(`${prefix} pretrain ${e.done}/${e.total}${losses}`);
    if (e.phase !== 'cluster') return;
    const tenth = Math.floor((10 * e.done) / Math.max(1, e.total));
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    log(`${prefix} cluster ${e.done}/${e.total}${losses}${e.labelChange !== undefined ? `, labels changed ${(e.labelChange * 100).toFixed(2)}%` : ''}`);
  };
}

/** Runs a row; a user-facing failure (divergence, data too small for a batch…) becomes a failed record so the other runs go on. */
async function runRowSafely(c: Parameters<typeof runRow>[0]): Promise<RowOutcome> {
  try {
    return await runRow(c);
  } catch (err) {
    if (!(err instanceof DeepclustError)) throw err;
    return { method: c.row.kind === 'deep' ? (typeof c.row.method === 'string' ? c.row.method : c.row.method.name) : c.row.kind, metrics: {}, usedLabels: false, error: err.message };
  }
}

function fmtMetrics(m: RowOutcome['metrics']): string {
  return Object.entries(m)
    .map(([k, v]) => `${k.toUpperCase()} ${v === null || v === undefined ? '—' : v.toFixed(4)}`)
    .join(' ');
}

/** Summarises the records of each (data set, row) over seeds, in the table's order. */
export function summarizeRecords(e: Experiment, records: readonly RunRecord[]): RowSummary[] {
  const out: RowSummary[] = [];
  for (const [gi, g] of e.groups.entries()) {
    for (const row of g.rows) {
      const all = records.filter((r) => r.groupIndex === gi && r.row === row.label);
      const rs = all.filter((r) => !r.error);
      if (all.length === 0) continue;
      const metrics: Partial<Record<MetricKey, MetricSummary>> = {};
      for (const m of e.metrics) {
        const xs = rs.map((r) => r.metrics[m]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
        if (xs.length) metrics[m] = { ...seedStats(xs, LOWER_IS_BETTER.has(m)), n: xs.length };
      }
      out.push({
        dataset: g.dataset,
        protocol: all[0]!.protocol,
        row: row.label,
        method: all[0]!.method,
        seeds: rs.length,
        failed: all.length - rs.length,
        metrics,
        paper: g.paper?.[row.label] ?? {},
        wallSeconds: seedStats(all.map((r) => r.wallSeconds)),
        usedLabels: rs.some((r) => r.usedLabels),
      });
    }
  }
  return out;
}

/**
 * Runs an experiment (see the module comment).
 * @throws ParamError for an unknown experiment or invalid options
 */
export async function runExperiment(name: string | Experiment, o: ReproduceOptions = {}): Promise<ReproduceResult> {
  const e = typeof name === 'string' ? findExperiment(name) : name;
  positiveInt('--seeds', o.seeds);
  positiveInt('--limit', o.limit);
  // the method schema's own fields, so the CLI, this guard and the config share one definition
  if (o.pretrainEpochs !== undefined) validateField(fieldAt(METHOD_SCHEMA, 'pretrain.epochs')!, o.pretrainEpochs, 'reproduce: pretrainEpochs');
  if (o.maxIter !== undefined) validateField(fieldAt(METHOD_SCHEMA, 'train.maxIter')!, o.maxIter, 'reproduce: maxIter');
  positiveInt('--threads', o.threads);
  const budget = o.budget ?? e.defaultBudget;
  if (budget !== 'full' && budget !== 'short') throw new ParamError(`reproduce: option '--budget' must be full or short, got ${JSON.stringify(budget)}`);
  const schedule = scheduleFor(e, budget, o);
  const knobs = o.limit !== undefined || o.pretrainEpochs !== undefined || o.maxIter !== undefined;
  const seeds = Array.from({ length: o.seeds ?? (budget === 'short' ? 1 : 3) }, (_, i) => i);
  const log = o.log ?? (() => {});
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const loadTrain = dataLoader(o);
  const loadScored = dataLoader(o);
  const records: RunRecord[] = [];
  const skipped: ReproduceResult['skipped'] = [];

  for (const [gi, g] of e.groups.entries()) {
    const missing = missingDataMessage(g.dataset, g.protocol, { dataDir: o.dataDir, cacheDir: o.cacheDir });
    if (missing) {
      if (!skipped.some((s) => s.dataset === g.dataset)) {
        skipped.push({ dataset: g.dataset, message: missing });
        log(`[${e.name}] skipping ${g.dataset}: ${missing}`);
      }
      continue;
    }
    const protocol = protocolLabel(g, schedule.trainRows);
    for (const seed of seeds) {
      const labelled = g.protocol.kind === 'split' ? Math.min(g.protocol.labelled, schedule.trainRows ?? Infinity) : schedule.trainRows;
      const trainSpec = g.protocol.kind === 'split' ? `${g.dataset}:train` : g.dataset;
      const shared = new Map<string, SharedPretraining>();
      for (const row of g.rows) {
        // a deep method's paper may preprocess this data set its own way (DEC/IDEC: MNIST × 0.02)
        const preprocess = row.kind === 'deep' ? methodPreprocessing(row.method, g.dataset) : undefined;
        const tr = await loadTrain(trainSpec, labelled, seed, preprocess);
        // the test split: all of it, or a stratified subset with seed 0 (the same for every seed)
        const ev = g.protocol.kind === 'split' ? await loadScored(`${g.dataset}:test`, schedule.evalRows, 0, preprocess) : undefined;
        const scored = ev?.ds ?? tr.ds;
        if (!tr.ds.labels || !scored.labels) throw new ParamError(`reproduce: data set '${scored.name}' has no labels; the tables need ground truth`);
        const k = new Set(scored.labels).size;
        const prefix = `[${e.name}] ${g.dataset}${g.protocol.kind === 'split' ? ` (${labelled} labelled)` : ''} seed ${seed} ${row.label}:`;
        log(`${prefix} start`);
        const r0 = performance.now();
        const outcome = await runRowSafely({
          row,
          dataset: g.dataset,
          train: tr.ds,
          evaluation: ev?.ds,
          k,
          seed,
          metrics: e.metrics,
          pretrainEpochs: schedule.pretrainEpochs,
          maxIter: schedule.maxIter,
          threads: o.threads,
          shared,
          onProgress: progressLogger(log, prefix),
        });
        if (outcome.error) log(`${prefix} failed: ${outcome.error}`);
        const wallSeconds = (performance.now() - r0) / 1000;
        const sharedFrom = outcome.pretrainedBy ? shared.get(outcome.pretrainedBy) : undefined;
        const record: RunRecord = {
          experiment: e.name,
          dataset: g.dataset,
          protocol,
          groupIndex: gi,
          row: row.label,
          seed,
          budget,
          ...outcome,
          train: { spec: tr.ds.name, rows: tr.ds.x.rows, preprocessing: tr.ds.preprocessing },
          scored: { spec: scored.name, rows: scored.x.rows },
          k,
          wallSeconds,
          loadSeconds: tr.seconds + (ev?.seconds ?? 0),
          ...(sharedFrom ? { sharedPretrainSeconds: sharedFrom.seconds } : {}),
          threads: o.threads ?? null,
          date: new Date().toISOString(),
        };
        records.push(record);
        if (!outcome.error) log(`${prefix} ${fmtMetrics(outcome.metrics)} (${wallSeconds.toFixed(1)} s)`);
        o.onRecord?.(record);
      }
    }
  }

  const deviations = [...e.deviations];
  if (budget === 'short') deviations.unshift('Short budget: a reduced schedule for smoke checks; these numbers are not comparable to the paper.');
  if (knobs) deviations.unshift('--limit, --pretrain-epochs or --max-iter changed the schedule or the data size: these numbers are not comparable to the paper.');
  return {
    experiment: e.name,
    title: e.title,
    reference: e.reference,
    budget,
    comparableToPaper: budget === 'full' && !knobs,
    schedule,
    seeds,
    protocol: e.protocol,
    deviations,
    methodNotes: [...new Set(records.flatMap((r) => r.notes ?? []))],
    metrics: e.metrics,
    skipped,
    rows: summarizeRecords(e, records),
    headlines: e.headlines ?? [],
    sources: e.sources,
    records,
    ...(e.timeSplit ? { timeSplit: timeSplitRows(records, e.timeSplit) } : {}),
    wallSeconds: (performance.now() - t0) / 1000,
    startedAt,
  };
}
