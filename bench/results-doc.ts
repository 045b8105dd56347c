/**
 * `npm run results`: writes docs/results.md and README's "choosing a method" table from the
 * records in bench/results/*.json, so that no result is typed by hand.
 *
 *   node --import tsx bench/results-doc.ts            # rewrite both
 *   node --import tsx bench/results-doc.ts --check    # exit 1 when either is out of date
 *
 * The records come in several shapes (the `method`, `dec-family` and `fit` suites, a fit's
 * `result.json`, the PyTorch references, the engine benchmark); {@link normalizeRecord} reads them
 * all into one row. Runs are grouped by file name without its `-seedN` part, one table row per
 * group: mean ± population std over seeds. Where a record does not carry its command, the command
 * is rebuilt from the suite options it records (said so in the table's notes).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedStats } from '../src/reproduce/stats.ts';
import { renderReproduceSection, replaceReproduceBlocks, reproduceDocPaths } from './results-doc-reproduce.ts';
import { type Json, num, obj, str } from './json-fields.ts';

/** One clustering run, whatever the shape of its record. */
export interface RunRecord {
  readonly file: string;
  /** File name without `.json` and `-seedN`: the runs of one table row. */
  readonly group: string;
  readonly method: string;
  readonly data: string;
  readonly eval?: string;
  readonly rows?: number;
  readonly preprocessing?: string;
  readonly seed?: number;
  readonly usedLabels?: boolean;
  readonly acc?: number;
  readonly nmi?: number;
  readonly ari?: number;
  /** ACC of k-means on the pretrained code (the clustering phase's start). */
  readonly initAcc?: number;
  readonly seconds?: number;
  readonly threads?: number;
  readonly commit?: string;
  readonly machine?: string;
  readonly date?: string;
  readonly command?: string;
  /** True when `command` was rebuilt from the record's suite options, not recorded. */
  readonly rebuilt?: boolean;
}

/** One engine benchmark record (`deepclust bench engine --json`). */
export interface EngineRecord {
  readonly file: string;
  readonly ours: number;
  readonly torch?: number;
  readonly ratio?: number;
  readonly peakRssMb?: number;
  /** Rows per training step (256 unless the record says otherwise). */
  readonly batch?: number;
  readonly threads?: number;
  readonly onnxruntime?: string;
}

/** The group of a record file: its name without `.json` and without the `-seedN` segment. */
export function groupOf(file: string): string {
  return file.replace(/\.json$/, '').replace(/-seed\d+/, '');
}

// The per-seed part of a subset step (`limit(10000,stratified,seed=1)`) differs between seeds of one row.
function preprocessingOf(v: unknown): string | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v.map((s) => String(s).replace(/,seed=\d+/, '')).join(', ');
}

function limitOf(pre: string | undefined): number | undefined {
  const m = /limit\((\d+)/.exec(pre ?? '');
  return m ? Number(m[1]) : undefined;
}

// A PyTorch reference's data set is in its file name: torch-<method>-<data>_<split>-….
function torchData(group: string): string {
  const m = /(fashion-mnist|mnist|usps|coil-20|reuters-10k)_(train|test)/.exec(group);
  return m ? `${m[1]}:${m[2]}` : '?';
}

// Older dec-family records name their preprocessing only in the file name: dec-family-<data>-<steps joined by +>-<method>.
function decFamilyTag(group: string, data: string, method: string | undefined): string | undefined {
  const prefix = `dec-family-${data.replace(/[^\w-]+/g, '_')}-`;
  if (!method || !group.startsWith(prefix) || !group.endsWith(`-${method}`)) return undefined;
  const tag = group.slice(prefix.length, group.length - method.length - 1);
  return tag ? tag.split('+').join(', ') : undefined;
}

/** Reads one parsed record file into a run or an engine record; undefined for an unknown shape. */
export function normalizeRecord(file: string, raw: unknown): RunRecord | EngineRecord | undefined {
  const r = obj(raw);
  if (!r) return undefined;
  if (num(r.deepclust_samples_per_s) !== undefined) {
    const config = obj(r.config);
    return { file, ours: num(r.deepclust_samples_per_s)!, torch: num(r.pytorch_samples_per_s), ratio: num(r.ratio), peakRssMb: num(r.peak_rss_mb), batch: num(config?.batch), threads: num(config?.threads), onnxruntime: str(config?.onnxruntime) };
  }
  const group = groupOf(file);
  const metrics = obj(r.metrics) ?? obj(r.final) ?? r;
  if (num(metrics.acc) === undefined) return undefined;
  const dataset = obj(r.dataset);
  const reference = str(r.reference);
  const script = reference ? /bench\/\S+\.py/.exec(reference)?.[0] : undefined;
  const data = str(r.train) ?? str(r.data) ?? str(dataset?.name) ?? (reference ? torchData(group) : '?');
  const preprocessing = preprocessingOf(r.preprocessing ?? dataset?.preprocessing) ?? decFamilyTag(group, data, str(r.method));
  const timings = obj(r.timings) ?? obj(r.seconds);
  const machine = str(r.machine) ?? str(obj(r.machine)?.description);
  const base = {
    file,
    group,
    method: str(r.method) ?? (script ? `PyTorch reference (${script})` : '?'),
    data,
    eval: str(r.eval) !== undefined && r.eval !== data ? str(r.eval) : undefined,
    rows: num(r.trainRows) ?? num(r.n) ?? num(r.rows) ?? num(dataset?.n),
    preprocessing,
    seed: num(r.seed),
    usedLabels: typeof r.usedLabels === 'boolean' ? r.usedLabels : undefined,
    acc: num(metrics.acc),
    nmi: num(metrics.nmi),
    ari: num(metrics.ari),
    initAcc: num(r.initAcc) ?? num(obj(r.kmeansOnPretrainedCode)?.acc),
    seconds: num(timings?.total),
    threads: num(r.threads),
    commit: str(r.commit),
    machine,
    date: str(r.date)?.slice(0, 10),
  };
  const recorded = str(r.command);
  if (recorded) return { ...base, command: recorded };
  const rebuilt = rebuildCommand(r, base);
  return rebuilt ? { ...base, command: rebuilt, rebuilt: true } : base;
}

// The suite invocation that writes such a record (seeds are filled in per row by `commandOf`).
function rebuildCommand(r: Json, run: Omit<RunRecord, 'command' | 'rebuilt'>): string | undefined {
  const suite = str(r.suite);
  // without the preprocessing it ran with, today's default might differ: no rebuilt command then
  if ((suite !== 'method' && suite !== 'dec-family') || run.preprocessing === undefined) return undefined;
  const o: string[] = [];
  if (suite === 'method') o.push(str(r.methodConfig) ? `method-config=${r.methodConfig}` : `method=${run.method}`);
  o.push(`data=${run.data}`);
  const limit = limitOf(run.preprocessing);
  if (limit !== undefined) o.push(`limit=${limit}`);
  if (run.eval) o.push(`eval=${run.eval}`);
  if (!/^mnist-10k/.test(run.data)) o.push('data-dir=../shared/data');
  const steps = run.preprocessing?.split(', ').filter((s) => !s.startsWith('limit('));
  if (steps?.length) o.push(`preprocess=${steps.join(',')}`);
  o.push('seeds=SEEDS');
  if (num(r.pretrainEpochs) !== undefined) o.push(`pretrainEpochs=${r.pretrainEpochs}`);
  if (num(r.maxIter) !== undefined) o.push(`maxIter=${r.maxIter}`);
  if (run.threads !== undefined) o.push(`threads=${run.threads}`);
  if (suite === 'dec-family') o.push(`methods=${run.method}`);
  return `deepclust bench ${suite} ${o.map((x) => `-o ${x}`).join(' ')} --json`;
}

/** The runs of one table row. */
export interface RunGroup {
  readonly group: string;
  readonly runs: readonly RunRecord[];
}

/** Groups runs by {@link RunRecord.group}, sorted by data set, method and group name. */
export function groupRuns(runs: readonly RunRecord[]): RunGroup[] {
  const by = new Map<string, RunRecord[]>();
  for (const r of runs) by.set(r.group, [...(by.get(r.group) ?? []), r]);
  const groups = [...by].map(([group, rs]) => ({ group, runs: [...rs].sort((a, b) => (a.seed ?? 0) - (b.seed ?? 0) || a.file.localeCompare(b.file)) }));
  const key = (g: RunGroup) => `${g.runs[0]!.data}\u0000${g.runs[0]!.method}\u0000${g.group}`;
  return groups.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `mean ± std` over the runs (4 decimals), the value alone for one run, `–` for none. */
export function meanStd(values: ReadonlyArray<number | undefined>): string {
  const xs = values.filter((v): v is number => v !== undefined);
  if (xs.length === 0) return '–';
  if (xs.length === 1) return xs[0]!.toFixed(4);
  const s = seedStats(xs);
  return `${s.mean.toFixed(4)} ± ${s.std.toFixed(4)}`;
}

const uniq = (xs: ReadonlyArray<string | number | undefined>): string => {
  const u = [...new Set(xs.filter((x) => x !== undefined).map(String))];
  return u.length ? u.join(', ') : '–';
};

function seconds(g: RunGroup): string {
  const xs = g.runs.map((r) => r.seconds).filter((v): v is number => v !== undefined);
  return xs.length ? String(Math.round(xs.reduce((a, b) => a + b, 0) / xs.length)) : '–';
}

/** The row's commands (rebuilt ones get the row's seeds), `; `-separated; `not recorded` when none. */
export function commandOf(g: RunGroup): string {
  const seeds = g.runs.flatMap((r) => (r.seed === undefined ? [] : [r.seed])).join(',');
  const commands = [...new Set(g.runs.flatMap((r) => (r.command ? [r.command.replace('SEEDS', seeds)] : [])))];
  return commands.length ? commands.join('; ') : 'not recorded';
}

const cell = (s: string) => s.replace(/\|/g, '\\|');
const code = (s: string) => (s === 'not recorded' ? s : s.split('; ').map((c) => `\`${c}\``).join('; '));

/** docs/results.md from every record. */
export function renderResults(records: ReadonlyArray<RunRecord | EngineRecord>): string {
  const runs = records.filter((r): r is RunRecord => 'group' in r);
  const engine = records.filter((r): r is EngineRecord => 'ours' in r);
  const groups = groupRuns(runs);
  const lines = [
    '# Results',
    '',
    '<!-- Generated by `npm run results` (bench/results-doc.ts) from bench/results/*.json: do not edit by hand. -->',
    '',
    'Every number below is read from a record in `bench/results/`. Mean ± population standard deviation',
    'over the seeds listed; time is the mean wall time of one run in seconds (pretraining included) on',
    "this project's 2-core x86-64 machine, usually shared with other jobs, so timings are indicative.",
    'ACC is the best one-to-one matching of clusters to classes, NMI the arithmetic-mean normalised',
    'mutual information, ARI the adjusted Rand index; "k-means start" is the ACC of k-means on the',
    'pretrained code, where the clustering phase starts. Rows marked † used labels (supervised SNNL).',
    'Commands marked ‡ were rebuilt from the suite options the records hold (the records predate',
    'recording the command); a record that does not say how its data was preprocessed gets no rebuilt',
    'command, and [lab-notes.md](lab-notes.md) gives the command as it was typed when measured, with',
    'the story behind these runs (cross-checks, sweeps). Commit and machine are shown when the record',
    'has them.',
    '',
    '## Clustering runs',
    '',
    '| # | method | data | rows | preprocessing | seeds | ACC | NMI | ARI | k-means start | time (s) | threads | date | commit | machine |',
    '| ---: | --- | --- | ---: | --- | --- | --- | --- | --- | --- | ---: | --- | --- | --- | --- |',
  ];
  groups.forEach((g, i) => {
    const r0 = g.runs[0]!;
    const data = `${r0.data}${r0.eval ? ` → ${r0.eval}` : ''}`;
    lines.push(
      `| ${i + 1} | ${cell(r0.method)}${g.runs.some((r) => r.usedLabels) ? ' †' : ''} | ${cell(data)} | ${uniq(g.runs.map((r) => r.rows))} | ${cell(uniq(g.runs.map((r) => r.preprocessing)))} | ${uniq(g.runs.map((r) => r.seed))} | ` +
        `${meanStd(g.runs.map((r) => r.acc))} | ${meanStd(g.runs.map((r) => r.nmi))} | ${meanStd(g.runs.map((r) => r.ari))} | ${meanStd(g.runs.map((r) => r.initAcc))} | ${seconds(g)} | ` +
        `${uniq(g.runs.map((r) => r.threads))} | ${uniq(g.runs.map((r) => r.date))} | ${uniq(g.runs.map((r) => r.commit))} | ${cell(uniq(g.runs.map((r) => r.machine)))} |`,
    );
  });
  lines.push('', '### Commands and records', '');
  groups.forEach((g, i) => {
    const files = g.runs.map((r) => `\`${r.file}\``).join(', ');
    lines.push(`${i + 1}. ${code(commandOf(g))}${g.runs.some((r) => r.rebuilt) ? ' ‡' : ''} — ${files}`);
  });
  if (engine.length) {
    lines.push('', '## Engine throughput', '', 'Training samples per second of the reference autoencoder (784-500-500-2000-10-2000-500-500-784, Adam; batch 256 unless the batch column says otherwise: `-o batch=64`), ours and PyTorch in one invocation: `deepclust bench engine --json`.', '');
    lines.push('| record | batch | deepclust (samples/s) | PyTorch (samples/s) | ratio | peak RSS (MB) | threads | onnxruntime |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const e of [...engine].sort((a, b) => a.file.localeCompare(b.file)))
      lines.push(`| \`${e.file}\` | ${e.batch ?? 256} | ${e.ours} | ${e.torch ?? '–'} | ${e.ratio ?? '–'} | ${e.peakRssMb ?? '–'} | ${e.threads ?? '–'} | ${e.onnxruntime ?? '–'} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** A README row: a kind of data, the preset to use, and the record group that measures it. */
export interface ChooserRow {
  readonly data: string;
  readonly preset: string;
  readonly group?: string;
}

/** The rows of README's "choosing a method" table; the numbers come from the records. */
export const CHOOSER: readonly ChooserRow[] = [
  { data: 'images, about 10,000 (28×28 digits), quick', preset: '`--method idec-da --budget short`', group: 'quickstart-idec-da-mnist-10k' },
  { data: 'images, 10,000, best accuracy (long)', preset: '`--method convdec-da` (measured with `--update-interval 30`)', group: 'fit-convdec-da-mnist_test' },
  { data: 'images, 10,000, conv network, shorter', preset: '`--method convdec-da --budget short` (the same)', group: 'fit-convdec-da-mnist_test-short' },
  { data: 'images, 70,000', preset: '`--method idec-da`', group: 'method-idec-da-mnist' },
  { data: 'vectors (no augmentation), 70,000', preset: '`--method idec`', group: 'dec-family-mnist-dec-mnist-idec' },
  { data: 'a labelled subset to learn from, then cluster new rows', preset: '`--method snnl-5 --labelled N --eval …`', group: 'method-snnl-5-mnist_test' },
  { data: 'your own vectors (CSV, NPY…), a first try', preset: '`--method ae-kmeans` or `--method idec`' },
];

/** README's table: measured ACC and time per preset, with the data and seeds behind them. */
export function renderChooser(records: ReadonlyArray<RunRecord | EngineRecord>, rows: readonly ChooserRow[] = CHOOSER): string {
  const groups = new Map(groupRuns(records.filter((r): r is RunRecord => 'group' in r)).map((g) => [g.group, g]));
  const lines = ['| your data | preset | measured on | seeds | ACC | time per run |', '| --- | --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    const g = row.group ? groups.get(row.group) : undefined;
    if (row.group && !g) throw new Error(`results-doc: no records for the README row '${row.data}' (group ${row.group})`);
    if (!g) {
      lines.push(`| ${row.data} | ${row.preset} | not measured on such data yet | – | – | – |`);
      continue;
    }
    const r0 = g.runs[0]!;
    const secs = seconds(g);
    const threads = uniq(g.runs.map((r) => r.threads));
    const time = secs === '–' ? '–' : `${Math.round(Number(secs) / 60)} min${threads !== '–' ? ` (${threads} thread${threads === '1' ? '' : 's'})` : ''}`;
    lines.push(`| ${row.data} | ${row.preset} | ${r0.data}${r0.eval ? ` → ${r0.eval}` : ''}, ${uniq(g.runs.map((r) => r.rows))} rows | ${uniq(g.runs.map((r) => r.seed))} | ${meanStd(g.runs.map((r) => r.acc))} | ${time} |`);
  }
  return lines.join('\n');
}

const START = '<!-- results:choose:start (generated by `npm run results` from bench/results/) -->';
const END = '<!-- results:choose:end -->';

/** `text` with the block between the chooser markers replaced by `table`. */
export function replaceChooser(text: string, table: string): string {
  const i = text.indexOf(START);
  const j = text.indexOf(END);
  if (i < 0 || j < i) throw new Error(`results-doc: README.md lacks the markers ${START} … ${END}`);
  return `${text.slice(0, i + START.length)}\n${table}\n${text.slice(j)}`;
}

/**
 * docs/results.md's "User suite" section from `bench/results/user-suite-seed0.json` (the record of
 * `deepclust bench user-suite --json`): per set, what auto ran, k against the true k, ACC/NMI/ARI,
 * the k-means baselines given the true k, and the time. Empty when the record is absent.
 */
export function renderUserSuite(record: unknown): string {
  const r = obj(record);
  const rows = Array.isArray(r?.rows) ? (r!.rows as unknown[]) : [];
  if (!r || !rows.length) return '';
  const f = (v: unknown) => (num(v) === undefined ? '–' : num(v)!.toFixed(3));
  // the load average at the start and end of the set (1-minute averages)
  const load = (v: unknown) => (num(v) !== undefined ? num(v)!.toFixed(1) : obj(v) ? `${num(obj(v)!.start)?.toFixed(1) ?? '?'}–${num(obj(v)!.end)?.toFixed(1) ?? '?'}` : '–');
  const machine = obj(r.machine);
  const lines = [
    '',
    '## User suite',
    '',
    `\`deepclust bench user-suite --json -o data-dir=… -o threads=2\` (record \`user-suite-seed0.json\`: commit ${str(r.commit) ?? '?'}, ${str(r.date) ?? '?'}, seed ${num(r.seed) ?? '?'}, threads ${num(r.threads) ?? '?'}${machine ? `, ${str(machine.cpu) ?? ''} ${num(machine.cpus) ?? '?'} cores` : ''}). auto is given neither a method nor k; the baselines are given the true k.`,
    '',
    '| set | n × d | auto ran | k (true) | ACC | NMI | ARI | k-means raw / standardized ACC | wall s | CPU s | load |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
  ];
  for (const row of rows.map(obj)) {
    if (!row) continue;
    const a = obj(row.auto) ?? {};
    const b = obj(row.baselines) ?? {};
    lines.push(`| ${str(row.set) ?? '?'} | ${num(row.n) ?? '?'} × ${num(row.d) ?? '?'} | ${cell(ranText(row, str(row.plan) ?? str(row.clustering) ?? '?'))} | ${num(row.kEstimated) ?? '?'} (${num(row.kTrue) ?? '?'}) | ${f(a.acc)} | ${f(a.nmi)} | ${f(a.ari)} | ${f(obj(b.kmeansRaw)?.acc)} / ${f(obj(b.kmeansStandardized)?.acc)} | ${num(a.seconds)?.toFixed(1) ?? '–'} | ${num(a.cpuSeconds)?.toFixed(0) ?? '–'} | ${load(a.loadAverage)} |`);
  }
  return `${lines.join('\n')}\n`;
}

const K_LAB_SETS: ReadonlyArray<[string, string]> = [
  ['mnist-10k', 'mnist-10k'],
  ['coil-20', 'COIL-20'],
  ['fashion', 'Fashion-MNIST test'],
];

/**
 * docs/results.md's "k on auto's deep-path code" section from the k-lab records
 * (`bench/k-lab.ts crit` → `k-lab-crit-<set>-splan.code[.umap0][-criteria].json`, and
 * `bench/k_lab.py` → `k-lab-<set>.json`): the k each criterion picks on the pretrained code and on
 * its UMAP, and the ACC of the final clusterings given the true k. Empty without records.
 */
export function renderKLab(dir: string): string {
  const read = (file: string) => readRecord(dir, file);
  const files = existsSync(dir) ? readdirSync(dir) : [];
  const chosen = (set: string, rep: 'code' | 'code.umap0'): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const f of files.filter((f) => f.startsWith(`k-lab-crit-${set}-splan.${rep}`) && (f === `k-lab-crit-${set}-splan.${rep}.json` || f.startsWith(`k-lab-crit-${set}-splan.${rep}-`))).sort()) Object.assign(out, obj(read(f)?.chosen) ?? {});
    return out;
  };
  const lab = Object.fromEntries(K_LAB_SETS.map(([s]) => [s, read(`k-lab-${s}.json`)]));
  const cols = K_LAB_SETS.flatMap(([s, label]) => [[s, 'code', `${label} code`], [s, 'code.umap0', `${label} UMAP`]] as const);
  const picks = cols.map(([s, rep]) => chosen(s, rep));
  if (!picks.some((p) => Object.keys(p).length)) return '';
  const trueK = (s: string) => num(lab[s]?.trueK) ?? '?';
  const criteria = [...new Set(picks.flatMap((p) => Object.keys(p)))];
  const mark = (k: number | undefined, t: number | string) => (k === undefined ? '–' : k === t ? `**${k}**` : String(k));
  const first = files.filter((f) => f.startsWith('k-lab-crit-')).sort().map(read).find((r) => str(r?.commit));
  const lines = [
    '',
    "## k on auto's deep-path code",
    '',
    `The network auto plans for each deep set, trained once (seed 0, given the true k: the code has 10 columns either way), its code cached, UMAP of it (20 neighbours, min_dist 0, seed 0); then every criterion over k = 2..30 on 3000-row samples. \`node --import tsx bench/k-lab.ts train|umap|crit\`, \`/usr/bin/python3 bench/k_lab.py mnist-10k coil-20 fashion\` (records \`k-lab-*.json\`; commit ${str(first?.commit) ?? '?'}, ${str(first?.machine) ?? '?'}, a shared machine at load 8–15). Bold: the true k.`,
    '',
    `| criterion | ${cols.map(([s, , label]) => `${label} (${trueK(s)})`).join(' | ')} |`,
    `| --- | ${cols.map(() => '---:').join(' | ')} |`,
  ];
  for (const c of criteria) lines.push(`| ${c} | ${cols.map(([s], i) => mark(picks[i]![c], trueK(s))).join(' | ')} |`);
  const labCriteria: ReadonlyArray<[string, string]> = [
    ['eigengap10', 'eigengap of the 10-NN graph (code)'],
    ['eigengap20', 'eigengap of the 20-NN graph (code)'],
    ['agreement', 'ARI of k-means on the code with the mixture on the UMAP'],
    ['codeSilhouetteOfUmapMixture', "silhouette on the code of the UMAP mixture's partition"],
  ];
  for (const [key, label] of labCriteria) {
    const ks = K_LAB_SETS.map(([s]) => num(obj(obj(lab[s]?.criteria)?.[key])?.best));
    if (ks.every((k) => k === undefined)) continue;
    lines.push(`| ${label} | ${K_LAB_SETS.map(([s], i) => `${mark(ks[i], trueK(s))} | –`).join(' | ')} |`);
  }
  lines.push('', 'ACC given the true k (scikit-learn\'s k-means with 10 starts and full-covariance mixture with 1 or 10 EM starts; ours equal them):', '', '| set | k-means code | mixture code, 1 / 10 starts | k-means UMAP | mixture UMAP seed 0, 1 / 10 starts | mixture UMAP seed 1, 1 / 10 starts |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  const f = (v: unknown) => (num(v) === undefined ? '–' : num(v)!.toFixed(3));
  for (const [s, label] of K_LAB_SETS) {
    const t = obj(lab[s]?.trueKAcc);
    if (!t) continue;
    const g = (rep: string) => (obj(t[rep]) ? `${f(obj(obj(t[rep])!.gmm1)?.acc)} / ${f(obj(obj(t[rep])!.gmm10)?.acc)}` : '–');
    lines.push(`| ${label} | ${f(obj(t.code)?.kmeans10)} | ${g('code')} | ${f(obj(t.umap0)?.kmeans10)} | ${g('umap0')} | ${g('umap1')} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The plan of a user-suite or held-out row, with what the run decided beyond it: the criterion that chose k when another than the plan's, and the centred raw units when kept. */
function ranText(row: Json, plan: string): string {
  const d = obj(row.decision);
  const criterion = str(d?.criterion);
  const extra = [criterion && !plan.includes(`k by ${criterion}`) ? `k decided by ${criterion}` : '', str(obj(d?.units)?.chosen) === 'center' ? 'kept center' : ''].filter(Boolean);
  return extra.length ? `${plan}; ${extra.join('; ')}` : plan;
}

/** The record `file` of `dir` as a JSON object, or undefined when the file is absent. */
function readRecord(dir: string, file: string): Json | undefined {
  const path = join(dir, file);
  return existsSync(path) ? obj(JSON.parse(readFileSync(path, 'utf8'))) : undefined;
}

/**
 * docs/own-data.md's "Held-out tables" block from `bench/results/heldout-seed0.json` (the record of
 * `deepclust bench heldout --json`) and, when given, the record of the same tables before the
 * held-out rules (`heldout-before-seed0.json`): per table what auto ran, k against the true k,
 * ACC/NMI/ARI, the k-means baselines given the true k, whether the target was met, the ACC and k
 * before, and the time. Empty when the record is absent.
 */
export function renderHeldout(record: unknown, before?: unknown, draws: ReadonlyArray<readonly [string, unknown]> = []): string {
  const r = obj(record);
  const rows = Array.isArray(r?.rows) ? (r!.rows as unknown[]) : [];
  if (!r || !rows.length) return '';
  const f = (v: unknown) => (num(v) === undefined ? '–' : num(v)!.toFixed(3));
  const b = obj(before);
  const earlier = new Map((Array.isArray(b?.rows) ? (b!.rows as unknown[]) : []).map(obj).filter((x): x is Json => Boolean(x)).map((x) => [str(x.table), x]));
  const summary = obj(r.summary);
  const prov = obj(r.provenance);
  const lines = [
    `\`${str(r.command) ?? 'deepclust bench heldout --json'}\` (record \`heldout-seed0.json\`: commit ${str(prov?.commit) ?? str(r.commit) ?? '?'}, ${str(r.date) ?? '?'}, seed ${num(r.seed) ?? '?'}, threads ${num(r.threads) ?? '?'}${prov ? `, ${str(prov.machine) ?? ''}` : ''}). auto is given neither a method nor k; the baselines are given the true k. Target met (ACC ≥ the better baseline − 0.01) on ${num(summary?.accTargetMet) ?? '?'} of ${num(summary?.tables) ?? '?'} tables, k exact on ${num(summary?.kExact) ?? '?'}.${b ? ` "Before": the same tables at commit ${str(obj(b.provenance)?.commit) ?? str(b.commit) ?? '?'} (record \`heldout-before-seed0.json\`), before the held-out rules.` : ''} Wall seconds are on a shared machine (load in the last column); CPU seconds are the better measure.`,
    '',
    '| table | n × d | auto ran | k (true) | k by silhouette / gap alone | ACC | NMI | ARI | k-means raw / standardized ACC | target | before: k, ACC | wall s | CPU s | load |',
    '| --- | --- | --- | --- | --- | ---: | ---: | ---: | --- | --- | --- | ---: | ---: | ---: |',
  ];
  for (const row of rows.map(obj)) {
    if (!row) continue;
    const a = obj(row.auto) ?? {};
    const base = obj(row.baselines) ?? {};
    const t = obj(row.target);
    const was = earlier.get(str(row.table));
    const load = obj(a.loadAverage);
    lines.push(
      `| ${str(row.table) ?? '?'} | ${num(row.n) ?? '?'} × ${num(row.d) ?? '?'} | ${cell(ranText(row, str(row.plan) ?? '?'))} | ${num(row.kEstimated) ?? '?'} (${num(row.kTrue) ?? '?'}) | ${obj(row.kByCriterion) ? `${num(obj(row.kByCriterion)!.silhouette) ?? '?'} / ${num(obj(row.kByCriterion)!.gap) ?? '?'}` : '–'} | ${f(a.acc)} | ${f(a.nmi)} | ${f(a.ari)} | ${f(obj(base.kmeansRaw)?.acc)} / ${f(obj(base.kmeansStandardized)?.acc)} | ${t ? (t.met ? 'met' : `**missed** (${f(t.acc)})`) : '–'} | ${was ? `${num(was.kEstimated) ?? '?'}, ${f(obj(was.auto)?.acc)}` : '–'} | ${num(a.seconds)?.toFixed(1) ?? '–'} | ${num(a.cpuSeconds)?.toFixed(1) ?? '–'} | ${load ? `${num(load.start)?.toFixed(1) ?? '?'}–${num(load.end)?.toFixed(1) ?? '?'}` : '–'} |`,
    );
  }
  for (const [file, draw] of draws) {
    const d = obj(draw);
    const drows = (Array.isArray(d?.rows) ? (d!.rows as unknown[]) : []).map(obj).filter((x): x is Json => Boolean(x));
    if (!d || !drows.length) continue;
    const ds = obj(d.summary);
    const missed = drows.filter((x) => obj(x.target) && !obj(x.target)!.met).map((x) => `${str(x.table) ?? '?'} ${f(obj(x.auto)?.acc)} < ${f(obj(x.target)!.acc)} (k ${num(x.kEstimated) ?? '?'} of ${num(x.kTrue) ?? '?'})`);
    lines.push('', `Other draws of the synthetic tables, \`-o table-seed=${num(d.tableSeed) ?? '?'}\` (record \`${file}\`, commit ${str(obj(d.provenance)?.commit) ?? '?'}): target met on ${num(ds?.accTargetMet) ?? '?'} of ${num(ds?.tables) ?? '?'}, k exact on ${num(ds?.kExact) ?? '?'}${missed.length ? `; missed: ${missed.join(', ')}` : ''}.`);
  }
  return lines.join('\n');
}

const HELDOUT_START = '<!-- results:heldout:start (generated by `npm run results` from bench/results/heldout-seed0.json) -->';
const HELDOUT_END = '<!-- results:heldout:end -->';

/** `text` with the block between the held-out markers replaced by `table` (unchanged when the markers are absent). */
export function replaceHeldout(text: string, table: string): string {
  const i = text.indexOf(HELDOUT_START);
  const j = text.indexOf(HELDOUT_END);
  if (i < 0 || j < i) return text;
  return `${text.slice(0, i + HELDOUT_START.length)}\n${table}\n${text.slice(j)}`;
}

function heldoutOf(root: string): string {
  const read = (name: string) => readRecord(join(root, 'bench/results'), name);
  const draws = readdirSync(join(root, 'bench/results'))
    .filter((f) => /^heldout-tables\d+-seed0\.json$/.test(f))
    .sort()
    .map((f) => [f, read(f)] as const);
  return renderHeldout(read('heldout-seed0.json'), read('heldout-before-seed0.json'), draws);
}

/**
 * A before/after comparison of `bench heldout` on the same draws: for each draw N with both
 * `heldout-<before>-tables<N>-seed0.json` and `heldout-<after>-tables<N>-seed0.json` (the records of
 * `-o table-seed=N -o tag=<before|after>`, run from the two commits), the target and exact-k counts
 * on each side and every table whose ACC moved by more than 0.001. Empty when no draw has both.
 */
export function renderHeldoutAB(dir: string, before: string, after: string): string {
  const f = (v: unknown) => (num(v) === undefined ? '–' : num(v)!.toFixed(3));
  const read = (name: string) => readRecord(dir, name);
  const draws = readdirSync(dir)
    .map((file) => new RegExp(`^heldout-${after}-tables(\\d+)-seed0\\.json$`).exec(file)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((p, q) => p - q);
  const lines = [
    `| draw (\`-o table-seed\`) | before: target met, k exact (commit) | after: target met, k exact (commit) | tables whose ACC moved: before → after (k; target after) |`,
    '| --- | --- | --- | --- |',
  ];
  let shown = 0;
  for (const n of draws) {
    const b = read(`heldout-${before}-tables${n}-seed0.json`);
    const a = read(`heldout-${after}-tables${n}-seed0.json`);
    if (!a || !b) continue;
    const rowsOf = (r: Json) => new Map((Array.isArray(r.rows) ? (r.rows as unknown[]) : []).map(obj).filter((x): x is Json => Boolean(x)).map((x) => [str(x.table) ?? '?', x]));
    const br = rowsOf(b);
    const moved: string[] = [];
    for (const [table, x] of rowsOf(a)) {
      const y = br.get(table);
      const accA = num(obj(x.auto)?.acc);
      const accB = num(obj(y?.auto)?.acc);
      if (accA === undefined || accB === undefined || Math.abs(accA - accB) <= 0.001) continue;
      moved.push(`${table} ${f(accB)} → ${f(accA)} (k ${num(x.kEstimated) ?? '?'} of ${num(x.kTrue) ?? '?'}; ${obj(x.target)?.met ? 'met' : 'missed'})`);
    }
    const side = (r: Json) => `${num(obj(r.summary)?.accTargetMet) ?? '?'} of ${num(obj(r.summary)?.tables) ?? '?'}, ${num(obj(r.summary)?.kExact) ?? '?'} (${str(obj(r.provenance)?.commit) ?? '?'})`;
    lines.push(`| ${n} | ${side(b)} | ${side(a)} | ${moved.length ? moved.join('; ') : 'none'} |`);
    shown++;
  }
  return shown ? lines.join('\n') : '';
}

/** `text` with every `<!-- results:heldout-ab:<before>:<after>:start … -->` block filled by {@link renderHeldoutAB}. */
export function replaceHeldoutAB(text: string, dir: string): string {
  let out = text;
  for (const m of text.matchAll(/<!-- results:heldout-ab:([\w-]+):([\w-]+):start/g)) out = replaceBlock(out, `heldout-ab:${m[1]}:${m[2]}`, renderHeldoutAB(dir, m[1]!, m[2]!));
  return out;
}

/**
 * The UMAP comparison: every `umap-*.json` record of `bench umap` with both sides (ours and
 * umap-learn on the same rows, one invocation), as a table.
 */
export function renderUmap(dir: string): string {
  const rows: string[] = [];
  for (const file of readdirSync(dir).filter((f) => /^umap-.*\.json$/.test(f)).sort()) {
    const r = obj(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    const ours = obj(r?.ours);
    if (!r || !ours) continue;
    const t = obj(ours.timings) ?? {};
    const theirs = obj(r.umapLearn);
    const cfg = obj(r.config) ?? {};
    const f1 = (v: unknown) => (num(v) === undefined ? '–' : num(v)!.toFixed(1));
    const f3 = (v: unknown) => (num(v) === undefined ? '–' : num(v)!.toFixed(3));
    const load = Array.isArray(r.loadavg) ? num(r.loadavg[0])?.toFixed(1) : undefined;
    rows.push(
      `| ${cell(str(cfg.input) ?? '?')} | ${num(cfg.n) ?? '?'} × ${num(cfg.d) ?? '?'} → ${num(cfg.nComponents) ?? '?'} | ${str(cfg.init) ?? '?'} | ${f1(ours.seconds)} (${f1(t.knn)} / ${f1(t.graph)} / ${f1(t.layout)}) | ${f1(ours.cpu_seconds)} | ${theirs ? f1(theirs.seconds) : '–'} | ${num(r.speedupVsUmapLearn)?.toFixed(2) ?? '–'} | ${f3(ours.acc)} / ${theirs ? f3(theirs.acc) : '–'} | ${str(r.commit) ?? '?'}, ${(str(r.date) ?? '?').slice(0, 10)}, load ${load ?? '?'} | \`${file}\` |`,
    );
  }
  if (!rows.length) return '';
  return [
    '| rows | n × d → dims | our init | ours: s (kNN / graph+init / layout) | ours: CPU s | umap-learn s | umap-learn s ÷ ours | mixture ACC: ours / umap-learn | commit, date, load | record |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The `time-to-acc` records of the method mode, one row per seed, with the mean. */
export function renderTimeToAcc(dir: string): string {
  const lines: string[] = [];
  for (const file of readdirSync(dir).filter((f) => /^time-to-acc-method-.*\.json$/.test(f)).sort()) {
    const r = obj(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    const seeds = Array.isArray(r?.seeds) ? (r!.seeds as unknown[]).map(obj).filter((x): x is Json => Boolean(x)) : [];
    if (!r || !seeds.length) continue;
    const cfg = obj(r.config) ?? {};
    const meta = obj(r.meta) ?? {};
    const machine = obj(meta.machine) ?? {};
    const curve = (s: Json) => (Array.isArray(s.curve) ? (s.curve as unknown[]).map(obj).filter((x): x is Json => Boolean(x)).map((c) => `${str(c.phase) ?? '?'} ${num(c.acc)?.toFixed(4) ?? '?'} @ ${num(c.seconds)?.toFixed(0) ?? '?'} s`).join(', ') : '');
    lines.push(
      `\`${file}\`: ${str(r.data) ?? '?'}${num(r.limit) ? ` (${num(r.limit)} rows)` : ''}, method ${str(cfg.method) ?? '?'}${num(cfg.pretrainEpochs) ? `, ${num(cfg.pretrainEpochs)} pretraining epochs` : ''}${num(cfg.finalNInit) ? `, ${num(cfg.finalNInit)} EM starts` : ''}, target ${num(r.target) ?? '?'}, threads ${num(r.threads) ?? '?'}; commit ${str(meta.commit) ?? '?'}, ${(str(meta.date) ?? '?').slice(0, 10)}, ${str(machine.cpu) ?? '?'} × ${num(machine.cores) ?? '?'}. **Mean seconds to target: ${num(r.meanSecondsToTarget)?.toFixed(1) ?? 'not reached on every seed'}** (${num(r.reachedSeeds) ?? '?'} of ${seeds.length} seeds).${str(r.loadNote) ? ` Note: ${str(r.loadNote)}` : ''}`,
      '',
      '| seed | seconds to target | final ACC | curve (phase ACC @ seconds) | load start–end |',
      '| --- | ---: | ---: | --- | --- |',
      ...seeds.map((s) => `| ${num(s.seed) ?? '?'} | ${num(s.secondsToTarget)?.toFixed(1) ?? 'not reached'} | ${num(s.finalAcc)?.toFixed(4) ?? '?'} | ${curve(s)} | ${Array.isArray(s.loadavg) ? (s.loadavg as unknown[]).map((v) => num(v)?.toFixed(1) ?? '?').join('–') : '?'} |`),
      '',
    );
  }
  return lines.join('\n').trimEnd();
}

/** `text` with the block between `<!-- results:NAME:start … -->` and `<!-- results:NAME:end -->` replaced by `table` (unchanged without the markers). */
export function replaceBlock(text: string, name: string, table: string): string {
  const start = text.indexOf(`<!-- results:${name}:start`);
  if (start < 0) return text;
  const open = text.indexOf('-->', start) + 3;
  const end = text.indexOf(`<!-- results:${name}:end -->`, open);
  if (end < 0) return text;
  return `${text.slice(0, open)}\n${table}\n${text.slice(end)}`;
}

/** Reads every record of `dir` (sorted by file name); unknown shapes are skipped. */
export function readRecords(dir: string): Array<RunRecord | EngineRecord> {
  const out: Array<RunRecord | EngineRecord> = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const r = normalizeRecord(file, JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (r) out.push(r);
  }
  return out;
}

function userSuiteOf(path: string): string {
  return existsSync(path) ? renderUserSuite(JSON.parse(readFileSync(path, 'utf8'))) : '';
}

/** Writes (or with `check`, compares) docs/results.md and README's table under `root`; returns the stale files. */
export function updateResultDocs(root: string, check = false, rows: readonly ChooserRow[] = CHOOSER): string[] {
  const records = readRecords(join(root, 'bench/results'));
  const targets: Array<[string, string]> = [
    ['docs/results.md', renderResults(records) + userSuiteOf(join(root, 'bench/results/user-suite-seed0.json')) + renderKLab(join(root, 'bench/results')) + renderReproduceSection(join(root, 'bench/results'))],
    ['README.md', replaceChooser(readFileSync(join(root, 'README.md'), 'utf8'), renderChooser(records, rows))],
    ...(existsSync(join(root, 'docs/own-data.md')) ? [['docs/own-data.md', replaceHeldoutAB(replaceHeldout(readFileSync(join(root, 'docs/own-data.md'), 'utf8'), heldoutOf(root)), join(root, 'bench/results'))] as [string, string]] : []),
    ...(existsSync(join(root, 'docs/gmm.md')) ? [['docs/gmm.md', replaceBlock(readFileSync(join(root, 'docs/gmm.md'), 'utf8'), 'umap', renderUmap(join(root, 'bench/results')))] as [string, string]] : []),
    ...(existsSync(join(root, 'docs/engine-speed.md')) ? [['docs/engine-speed.md', replaceBlock(readFileSync(join(root, 'docs/engine-speed.md'), 'utf8'), 'time-to-acc', renderTimeToAcc(join(root, 'bench/results')))] as [string, string]] : []),
  ];
  // tables of merged reproductions, in whichever docs hold their blocks (also those filled above)
  for (const path of reproduceDocPaths(root)) {
    const i = targets.findIndex(([p]) => p === path);
    const text = i >= 0 ? targets[i]![1] : readFileSync(join(root, path), 'utf8');
    const filled: [string, string] = [path, replaceReproduceBlocks(text, join(root, 'bench/results'))];
    if (i >= 0) targets[i] = filled;
    else targets.push(filled);
  }
  const stale: string[] = [];
  for (const [path, text] of targets) {
    let old = '';
    try {
      old = readFileSync(join(root, path), 'utf8');
    } catch {
      // a missing file is stale
    }
    if (old === text) continue;
    stale.push(path);
    if (!check) writeFileSync(join(root, path), text);
  }
  return stale;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const stale = updateResultDocs(join(import.meta.dirname, '..'), check);
  if (check && stale.length) {
    process.stderr.write(`out of date with bench/results/: ${stale.join(', ')}; run npm run results\n`);
    process.exit(1);
  }
  process.stdout.write(stale.length ? `${check ? 'stale' : 'wrote'}: ${stale.join(', ')}\n` : 'up to date\n');
}
