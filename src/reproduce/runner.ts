/**
 * Runs an experiment of the registry: every present data set, every seed, every row; records each
 * run (metrics, wall time, schedule) as it finishes and summarises the rows over seeds next to the
 * paper's values. Missing data sets are skipped with how to get them.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { machineDescription } from '../machine.ts';
import { fieldAt, validateField } from '../methods/schema.ts';
import { METHOD_SCHEMA } from '../methods/schema-method.ts';
import { loadDataset } from '../data/load.ts';
import type { Dataset } from '../data/types.ts';
import { DataError, DeepclustError, ParamError } from '../errors.ts';
import { describeFsError } from '../data/atomic.ts';
import type { ProgressEvent } from '../methods/types.ts';
import { methodPreprocessing } from '../methods/deep-clustering.ts';
import { missingDataMessage } from './availability.ts';
import { type Experiment, type Group, type Headline, LOWER_IS_BETTER, type MetricKey, type PaperValue, type RowSpec, type ShortSchedule, experiment as findExperiment } from './registry.ts';
import { type RowOutcome, type SharedPretraining, runRow } from './run-row.ts';
import { type SeedStats, seedStats } from './stats.ts';
import { type TimeSplitRow, timeSplitRows } from './n2d-time-split.ts';

/** Options of {@link runExperiment}. */
export interface ReproduceOptions {
  /** Number of seeds (0..N-1). @defaultValue 3 with the full budget, 1 with the short one */
  readonly seeds?: number;
  /** Exactly these seeds instead of 0..N-1 (to split a long reproduction over processes; {@link mergeRuns} joins them). */
  readonly seedList?: readonly number[];
  /** Only these data sets of the experiment (its group names, e.g. `coil-20`, `mnist:test`). @defaultValue all */
  readonly datasets?: readonly string[];
  /**
   * Only these rows of each data set, each named by its label or its method (e.g. `cdc-ae`). A row
   * that starts from another row's autoencoder needs that row selected too. @defaultValue all
   */
  readonly rows?: readonly string[];
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
  /** The schedule this run followed (missing in records written before it was added). */
  readonly schedule?: ScheduleUsed;
  /** The machine (`2-core x64, AMD EPYC`) and its 1- and 5-minute load averages when the run ended. */
  readonly host?: { readonly machine: string; readonly loadavg: readonly number[] };
}

function host(): { machine: string; loadavg: number[] } {
  return { machine: machineDescription(), loadavg: loadavg().slice(0, 2).map((v) => Math.round(v * 100) / 100) };
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
  const seeds = seedsOf(o, budget);
  const groups = selectedGroups(e, o.datasets);
  const rowSelected = selectedRows(e, groups, o.rows);
  const log = o.log ?? (() => {});
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const loadTrain = dataLoader(o);
  const loadScored = dataLoader(o);
  const records: RunRecord[] = [];
  const skipped: ReproduceResult['skipped'] = [];

  for (const [gi, g] of e.groups.entries()) {
    if (!groups.has(gi)) continue;
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
        if (!rowSelected(row)) continue;
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
          schedule,
          host: host(),
        };
        records.push(record);
        if (!outcome.error) log(`${prefix} ${fmtMetrics(outcome.metrics)} (${wallSeconds.toFixed(1)} s)`);
        o.onRecord?.(record);
      }
    }
  }

  return assembleResult(e, { budget, schedule, knobs, seeds, records, skipped, startedAt, wallSeconds: (performance.now() - t0) / 1000 });
}

/** A row's names on the command line: its label, and its method when that is a preset name. */
function rowNames(row: RowSpec): string[] {
  return row.kind === 'deep' && typeof row.method === 'string' ? [row.label, row.method] : [row.label];
}

/**
 * The rows a reproduction runs, as a predicate: those named in `rows` (by label or method), all
 * when absent. Checks every name against the selected groups, and that each selected row whose
 * pretraining is shared has its source row selected too.
 */
function selectedRows(e: Experiment, groups: Set<number>, rows: readonly string[] | undefined): (row: RowSpec) => boolean {
  if (rows === undefined) return () => true;
  const specs = e.groups.filter((_, i) => groups.has(i)).flatMap((g) => g.rows);
  const known = [...new Set(specs.map((r) => rowNames(r).at(-1)!))]; // a preset row by its method, others by label
  if (rows.length === 0) throw new ParamError(`reproduce: the row list is empty; name some of ${known.join(', ')}`);
  for (const name of rows) if (!specs.some((r) => rowNames(r).includes(name))) throw new ParamError(`reproduce: ${e.name} has no row '${name}'; choose among ${known.join(', ')}`);
  const picked = (r: RowSpec) => rowNames(r).some((n) => rows.includes(n));
  for (const r of specs) {
    if (!picked(r) || r.kind !== 'deep' || !r.sharePretrainingOf) continue;
    const source = specs.find((s) => s.label === r.sharePretrainingOf)!;
    if (!picked(source)) throw new ParamError(`reproduce: row '${r.label}' starts from the autoencoder of '${source.label}'; select ${rowNames(source).at(-1)} too`);
  }
  return picked;
}

/** The seeds a reproduction runs: `seedList`, else 0..seeds-1. */
function seedsOf(o: Pick<ReproduceOptions, 'seeds' | 'seedList'>, budget: 'full' | 'short'): number[] {
  if (o.seedList !== undefined) {
    if (o.seeds !== undefined) throw new ParamError('reproduce: give either a number of seeds or a list of seeds, not both');
    if (o.seedList.length === 0 || o.seedList.some((s) => !Number.isSafeInteger(s) || s < 0))
      throw new ParamError(`reproduce: seeds must be integers >= 0, got ${JSON.stringify(o.seedList)}`);
    if (new Set(o.seedList).size !== o.seedList.length) throw new ParamError(`reproduce: a seed is listed twice in ${JSON.stringify(o.seedList)}`);
    return [...o.seedList];
  }
  return Array.from({ length: o.seeds ?? (budget === 'short' ? 1 : 3) }, (_, i) => i);
}

/** Indices of the groups to run; an unknown data set name is a ParamError naming the experiment's. */
function selectedGroups(e: Experiment, datasets: readonly string[] | undefined): Set<number> {
  const all = e.groups.map((g) => g.dataset);
  if (datasets === undefined) return new Set(all.keys());
  if (datasets.length === 0) throw new ParamError(`reproduce: the data set list is empty; name some of ${[...new Set(all)].join(', ')}`);
  for (const d of datasets) if (!all.includes(d)) throw new ParamError(`reproduce: ${e.name} has no data set '${d}'; choose among ${[...new Set(all)].join(', ')}`);
  return new Set([...all.keys()].filter((i) => datasets.includes(all[i]!)));
}

/** What {@link assembleResult} needs besides the experiment. */
interface RunSummaryParts {
  readonly budget: 'full' | 'short';
  readonly schedule: ScheduleUsed;
  readonly knobs: boolean;
  readonly seeds: number[];
  readonly records: RunRecord[];
  readonly skipped: ReproduceResult['skipped'];
  readonly startedAt: string;
  readonly wallSeconds: number;
}

function assembleResult(e: Experiment, p: RunSummaryParts): ReproduceResult {
  const deviations = [...e.deviations];
  if (p.budget === 'short') deviations.unshift('Short budget: a reduced schedule for smoke checks; these numbers are not comparable to the paper.');
  if (p.knobs) deviations.unshift('--limit, --pretrain-epochs or --max-iter changed the schedule or the data size: these numbers are not comparable to the paper.');
  const records = p.records;
  return {
    experiment: e.name,
    title: e.title,
    reference: e.reference,
    budget: p.budget,
    comparableToPaper: p.budget === 'full' && !p.knobs,
    schedule: p.schedule,
    seeds: p.seeds,
    protocol: e.protocol,
    deviations,
    methodNotes: [...new Set(records.flatMap((r) => r.notes ?? []))],
    metrics: e.metrics,
    skipped: p.skipped,
    rows: summarizeRecords(e, records),
    headlines: e.headlines ?? [],
    sources: e.sources,
    records,
    ...(e.timeSplit ? { timeSplit: timeSplitRows(records, e.timeSplit) } : {}),
    wallSeconds: p.wallSeconds,
    startedAt: p.startedAt,
  };
}

/**
 * Reads the run records that `--out` wrote (`.runs.jsonl`, one JSON object per line).
 * @throws DataError naming the file (and line) that cannot be read or is not a run record
 */
export function readRunRecords(files: readonly string[]): RunRecord[] {
  const out: RunRecord[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (err) {
      throw new DataError(`reproduce: cannot read '${f}' to merge (${describeFsError(err)}); pass the .runs.jsonl files that --out wrote`);
    }
    for (const [i, line] of text.split('\n').entries()) {
      if (!line.trim()) continue;
      let r: Partial<RunRecord> | null = null;
      try {
        r = JSON.parse(line) as Partial<RunRecord> | null;
      } catch {
        // reported below
      }
      if (typeof r?.experiment !== 'string' || typeof r.row !== 'string' || !Number.isInteger(r.seed) || !Number.isInteger(r.groupIndex) || typeof r.metrics !== 'object')
        throw new DataError(`reproduce: line ${i + 1} of '${f}' is not a run record; pass the .runs.jsonl files that --out wrote`);
      out.push(r as RunRecord);
    }
  }
  return out;
}

/**
 * Joins the run records of one experiment written by separate processes (`--out …runs.jsonl` of
 * runs split by `seedList`, `datasets` or `rows`) into one result, without training. All records must
 * come from the same experiment, budget and schedule; a (data set, row, seed) may appear once.
 * @throws ParamError when the records disagree or repeat a run
 */
export function mergeRuns(name: string | Experiment, records: readonly RunRecord[]): ReproduceResult {
  const e = typeof name === 'string' ? findExperiment(name) : name;
  if (records.length === 0) throw new ParamError('reproduce: no run records to merge; pass the .runs.jsonl files that --out wrote');
  const other = records.find((r) => r.experiment !== e.name);
  if (other) throw new ParamError(`reproduce: a record to merge is from '${other.experiment}', not '${e.name}'; merge one experiment's records at a time`);
  const budgets = new Set(records.map((r) => r.budget));
  if (budgets.size > 1) throw new ParamError('reproduce: the records to merge mix the full and the short budget; merge runs of one budget');
  const schedules = new Set(records.map((r) => r.schedule?.description ?? ''));
  if (schedules.has('')) throw new ParamError('reproduce: a record to merge has no schedule (written before merging was possible); rerun it');
  if (schedules.size > 1) throw new ParamError(`reproduce: the records to merge ran different schedules (${[...schedules].join(' | ')}); merge runs of one schedule`);
  const seen = new Set<string>();
  for (const r of records) {
    const key = `${r.groupIndex}|${r.row}|${r.seed}`;
    if (seen.has(key)) throw new ParamError(`reproduce: ${r.dataset} seed ${r.seed} ${r.row} appears twice in the records to merge; keep one of them`);
    seen.add(key);
  }
  // records of a table split by rows come in file order: put each seed's rows in the table's order
  const rowIndex = (r: RunRecord) => e.groups[r.groupIndex]?.rows.findIndex((row) => row.label === r.row) ?? -1;
  const budget = records[0]!.budget;
  const schedule = records[0]!.schedule!;
  const base = scheduleFor(e, budget);
  const knobs = schedule.description !== base.description;
  const dates = records.map((r) => r.date).sort();
  return assembleResult(e, {
    budget,
    schedule,
    knobs,
    seeds: [...new Set(records.map((r) => r.seed))].sort((a, b) => a - b),
    records: [...records].sort((a, b) => a.groupIndex - b.groupIndex || a.seed - b.seed || rowIndex(a) - rowIndex(b)),
    skipped: [],
    startedAt: dates[0]!,
    wallSeconds: records.reduce((s, r) => s + r.wallSeconds + r.loadSeconds, 0),
  });
}
