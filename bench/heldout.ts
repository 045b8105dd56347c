/**
 * `deepclust bench heldout`: `auto` (no --method, no --k) on tables its rules were not designed
 * on, against k-means given the true k on the raw and the standardized features (the user suite's
 * baselines, bench/user-suite.ts). Per table: the plan, k estimated vs true, ACC/NMI/ARI, wall and
 * CPU seconds, the load average. The target (issue 21): auto's ACC ≥ the better baseline − 0.01.
 *
 * Tables: scikit-learn's iris (CSV from bench/export_sklearn_datasets.py <dir> iris, run when the file is
 * missing; never committed) and seeded synthetic tables with ground truth made here
 * ({@link heldoutTable}): small tables, many features with few informative, heavy-tailed counts,
 * mixed scales with constant and duplicated columns, negative values, integer-coded answers,
 * very unequal cluster sizes, non-convex shapes with noise dimensions, 30,000 low-dimensional rows
 * and unit-normalised 50-D embedding-like vectors; two clusters beside a pure-noise column.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir, loadavg } from 'node:os';
import { join } from 'node:path';
import { inspectData } from '../src/auto/inspect.ts';
import { planAuto, planReasons, planSummary } from '../src/auto/plan.ts';
import { runAuto } from '../src/auto/run.ts';
import { estimateKStep } from '../src/auto/steps.ts';
import { type Dataset, applyPreprocessing, loadDataset } from '../src/data/index.ts';
import { Rng } from '../src/random.ts';
import { provenance } from './provenance.ts';
import { PYTHON } from './sklearn.ts';
import { kmeansBaseline, recordContext, scores } from './user-suite.ts';

/** Every table of the held-out suite. */
export const HELDOUT_TABLES = [
  'iris',
  'small-120',
  'few-informative',
  'lognormal-counts',
  'mixed-scales',
  'negative',
  'likert',
  'unequal-sizes',
  'moons-noise',
  'circles-noise',
  'large-lowdim',
  'embedding-50d',
  'wide-200x300',
  'noise-column',
] as const;

/** Options of {@link runHeldout}. */
export interface HeldoutOptions {
  /** Tables to run (default: all). */
  readonly tables?: readonly string[];
  /** Folder with iris.csv (default: <cache>/heldout). */
  readonly sklearnDir?: string;
  /** Seed of auto and the baselines. @defaultValue 0 */
  readonly seed?: number;
  /** Seed of the synthetic tables' generators (other draws of the same kinds of table; iris is fixed). @defaultValue 0 */
  readonly tableSeed?: number;
  /** onnxruntime threads. */
  readonly threads?: number;
  /** Suffix of the record's file name. */
  readonly tag?: string;
  /** Where the record goes. @defaultValue bench/results */
  readonly resultsDir?: string;
  /** Progress lines. */
  readonly log: (line: string) => void;
}

function table(name: string, rows: number[][], labels: number[]): Dataset {
  const cols = rows[0]!.length;
  return { name, x: { data: Float32Array.from(rows.flat()), rows: rows.length, cols }, labels: Int32Array.from(labels), preprocessing: [], sources: [] };
}

/** Rows of Gaussian clusters: `sizes[c]` rows around `centres[c]` with per-feature sd `sd[c]`. */
function gaussians(rng: Rng, sizes: readonly number[], centres: readonly number[][], sd: readonly number[]): { rows: number[][]; labels: number[] } {
  const rows: number[][] = [];
  const labels: number[] = [];
  sizes.forEach((size, c) => {
    for (let i = 0; i < size; i++) {
      rows.push(centres[c]!.map((m) => m + rng.normal() * sd[c]!));
      labels.push(c);
    }
  });
  return { rows, labels };
}

const randomCentres = (rng: Rng, k: number, d: number, spread: number) => Array.from({ length: k }, () => Array.from({ length: d }, () => (rng.random() * 2 - 1) * spread));

/**
 * One synthetic held-out table with its ground truth (seeded: the same table on every machine).
 * @throws Error for an unknown name
 */
export function heldoutTable(name: string, seed = 0): Dataset {
  const rng = new Rng(seed + 7919 * (HELDOUT_TABLES.indexOf(name as (typeof HELDOUT_TABLES)[number]) + 1));
  switch (name) {
    case 'small-120': {
      // 120 rows, 3 clusters of 60/40/20 in 6-D, moderately separated
      const g = gaussians(rng, [60, 40, 20], randomCentres(rng, 3, 6, 3), [1, 1, 1]);
      return table(name, g.rows, g.labels);
    }
    case 'few-informative': {
      // make_classification-like: 600 rows, 3 classes at vertices of a 4-D hypercube (informative),
      // 4 redundant columns (random linear combinations of them), 42 pure-noise columns
      const vertices = [
        [2, 2, -2, -2],
        [-2, 2, 2, -2],
        [2, -2, 2, 2],
      ];
      const g = gaussians(rng, [200, 200, 200], vertices, [1, 1, 1]);
      const mix = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => rng.normal()));
      const rows = g.rows.map((inf) => [...inf, ...mix.map((w) => w.reduce((s, wj, j) => s + wj * inf[j]!, 0)), ...Array.from({ length: 42 }, () => rng.normal())]);
      return table(name, rows, g.labels);
    }
    case 'lognormal-counts': {
      // 800 rows × 12 heavy-tailed count features (amounts, word counts): round(exp(N(μ_cj, 0.8)))
      const sizes = [300, 250, 150, 100];
      const mu = Array.from({ length: 4 }, () => Array.from({ length: 12 }, () => 1 + rng.random() * 4));
      const rows: number[][] = [];
      const labels: number[] = [];
      sizes.forEach((size, c) => {
        for (let i = 0; i < size; i++) {
          rows.push(mu[c]!.map((m) => Math.round(Math.exp(m + 0.8 * rng.normal()))));
          labels.push(c);
        }
      });
      return table(name, rows, labels);
    }
    case 'mixed-scales': {
      // 500 rows: 8 informative features on scales 1e-3..1e4, 2 constant columns, 2 exact copies
      const scale = [1e-3, 1e-2, 0.1, 1, 10, 100, 1e3, 1e4];
      const g = gaussians(rng, [200, 150, 100, 50], randomCentres(rng, 4, 8, 3), [1, 1, 1, 1]);
      const rows = g.rows.map((r) => {
        const s = r.map((v, j) => v * scale[j]!);
        return [...s, 7, -1, s[2]!, s[6]!];
      });
      return table(name, rows, g.labels);
    }
    case 'negative': {
      // 400 rows × 5 features, all negative (temperatures below zero, log-probabilities)
      const centres = randomCentres(rng, 3, 5, 4).map((c) => c.map((v) => v - 30));
      const g = gaussians(rng, [150, 150, 100], centres, [1, 1.3, 0.8]);
      return table(name, g.rows, g.labels);
    }
    case 'likert': {
      // 600 survey answers × 40 questions on a 1..5 scale: 4 respondent types, each with its own
      // most likely answer per question (integer-coded columns)
      const types = Array.from({ length: 4 }, () => Array.from({ length: 40 }, () => 1 + rng.int(5)));
      const rows: number[][] = [];
      const labels: number[] = [];
      [200, 180, 140, 80].forEach((size, c) => {
        for (let i = 0; i < size; i++) {
          rows.push(types[c]!.map((m) => Math.min(5, Math.max(1, Math.round(m + 1.1 * rng.normal())))));
          labels.push(c);
        }
      });
      return table(name, rows, labels);
    }
    case 'unequal-sizes': {
      // 2000 rows in 4-D: clusters of 1400/400/140/45/15 rows
      const g = gaussians(rng, [1400, 400, 140, 45, 15], randomCentres(rng, 5, 4, 6), [1, 0.8, 0.6, 0.5, 0.4]);
      return table(name, g.rows, g.labels);
    }
    case 'moons-noise':
    case 'circles-noise': {
      // 1000 rows: two moons (or two concentric circles) in 2-D (sklearn's make_moons /
      // make_circles with noise 0.08) plus 4 Gaussian noise columns of sd 0.3
      const rows: number[][] = [];
      const labels: number[] = [];
      for (let i = 0; i < 1000; i++) {
        const c = i % 2;
        const t = rng.random() * Math.PI * (name === 'moons-noise' ? 1 : 2);
        const xy = name === 'moons-noise' ? (c === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)]) : [Math.cos(t) * (c === 0 ? 1 : 0.5), Math.sin(t) * (c === 0 ? 1 : 0.5)];
        rows.push([xy[0]! + 0.08 * rng.normal(), xy[1]! + 0.08 * rng.normal(), ...Array.from({ length: 4 }, () => 0.3 * rng.normal())]);
        labels.push(c);
      }
      return table(name, rows, labels);
    }
    case 'large-lowdim': {
      // 30,000 rows in 3-D, 6 clusters of unequal sizes (speed of the whole pipeline)
      const sizes = [9000, 7000, 6000, 4000, 3000, 1000];
      const g = gaussians(rng, sizes, randomCentres(rng, 6, 3, 10), [1, 1.2, 0.9, 1.1, 0.8, 1]);
      return table(name, g.rows, g.labels);
    }
    case 'embedding-50d': {
      // 2000 unit vectors in 50-D around 8 random directions (as sentence embeddings look):
      // normalise(μ_c + 0.15·N(0, I)), sizes 400..100
      const d = 50;
      const dirs = Array.from({ length: 8 }, () => {
        const v = Array.from({ length: d }, () => rng.normal());
        const nrm = Math.hypot(...v);
        return v.map((x) => x / nrm);
      });
      const rows: number[][] = [];
      const labels: number[] = [];
      [400, 350, 300, 250, 250, 200, 150, 100].forEach((size, c) => {
        for (let i = 0; i < size; i++) {
          const v = dirs[c]!.map((m) => m + 0.15 * rng.normal());
          const nrm = Math.hypot(...v);
          rows.push(v.map((x) => x / nrm));
          labels.push(c);
        }
      });
      return table(name, rows, labels);
    }
    case 'wide-200x300': {
      // 200 samples × 300 expression-like features (log-normal levels), 3 groups that differ in
      // 30 of the 300 features (fewer rows than features)
      const d = 300;
      const base = Array.from({ length: d }, () => 2 + rng.random() * 3);
      const shift = Array.from({ length: 3 }, (_, c) => Array.from({ length: d }, (_, j) => (j >= c * 10 && j < c * 10 + 30 ? (rng.random() < 0.5 ? -1 : 1) * 1.2 : 0)));
      const rows: number[][] = [];
      const labels: number[] = [];
      [90, 70, 40].forEach((size, c) => {
        for (let i = 0; i < size; i++) {
          rows.push(base.map((b, j) => Math.exp(b + shift[c]![j]! + 0.5 * rng.normal())));
          labels.push(c);
        }
      });
      return table(name, rows, labels);
    }
    case 'noise-column': {
      // 150 rows: 2 clusters 5 sd apart along one feature, and one feature of pure noise (as wide
      // as the clusters once both are standardized)
      const rows: number[][] = [];
      const labels: number[] = [];
      for (let i = 0; i < 150; i++) {
        const c = i % 2;
        rows.push([c * 5 + rng.normal(), rng.normal()]);
        labels.push(c);
      }
      return table(name, rows, labels);
    }
  }
  throw new Error(`heldout: unknown table '${name}'; choose from ${HELDOUT_TABLES.join(', ')}`);
}

function sklearnDir(o: HeldoutOptions): string {
  return o.sklearnDir ?? join(process.env.DEEPCLUST_CACHE_DIR ?? join(homedir(), '.cache', 'deepclust'), 'heldout');
}

async function loadTable(name: string, o: HeldoutOptions): Promise<Dataset> {
  if (name !== 'iris') return heldoutTable(name, o.tableSeed ?? 0);
  const dir = sklearnDir(o);
  const file = join(dir, 'iris.csv');
  if (!existsSync(file)) {
    o.log(`heldout: exporting scikit-learn's iris to ${dir}`);
    const r = spawnSync(PYTHON, [join(import.meta.dirname, 'export_sklearn_datasets.py'), dir, 'iris'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bench/export_sklearn_datasets.py failed (is python3-sklearn installed?): ${r.stderr.trim().split('\n').pop()}`);
  }
  return loadDataset(file, { labelColumn: 'label', preprocess: ['none'] });
}

/** Runs auto and the baselines on every table; writes bench/results/heldout[-tag]-seed<seed>[-tables].json after each. */
export async function runHeldout(o: HeldoutOptions): Promise<Record<string, unknown>> {
  const seed = o.seed ?? 0;
  const context = recordContext();
  const started = provenance();
  const rows: Record<string, unknown>[] = [];
  const writeRecord = (): Record<string, unknown> => {
    const done = rows.filter((r) => !('skipped' in r)) as Array<{ kExact: boolean; target: { met: boolean } }>;
    const record = {
      suite: 'heldout',
      seed,
      tableSeed: o.tableSeed ?? 0,
      threads: o.threads ?? null,
      ...context,
      provenance: started,
      written: new Date().toISOString(),
      command: `deepclust bench heldout --json${o.threads ? ` -o threads=${o.threads}` : ''}${o.tables ? ` -o tables=${o.tables.join(',')}` : ''}${o.tableSeed ? ` -o table-seed=${o.tableSeed}` : ''}${o.tag ? ` -o tag=${o.tag}` : ''}`,
      tablesPlanned: o.tables ?? HELDOUT_TABLES,
      summary: { tables: done.length, kExact: done.filter((r) => r.kExact).length, accTargetMet: done.filter((r) => r.target.met).length },
      rows,
    };
    const dir = o.resultsDir ?? join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `heldout${o.tag ? `-${o.tag}` : ''}${o.tableSeed ? `-tables${o.tableSeed}` : ''}-seed${seed}${o.tables ? `-${o.tables.join('+')}` : ''}.json`), `${JSON.stringify(record, null, 2)}\n`);
    return record;
  };
  for (const name of o.tables ?? HELDOUT_TABLES) {
    let ds: Dataset;
    try {
      ds = await loadTable(name, o);
    } catch (err) {
      o.log(`heldout: ${name} skipped: ${(err as Error).message.split('\n')[0]}`);
      rows.push({ table: name, skipped: (err as Error).message.split('\n')[0] });
      continue;
    }
    const truth = ds.labels!;
    const trueK = new Set(truth).size;
    o.log(`heldout: ${name} ${ds.x.rows} × ${ds.x.cols}, ${trueK} classes`);
    const raw = await kmeansBaseline(ds.x, truth, trueK, seed, o.threads);
    const std = await kmeansBaseline(applyPreprocessing(ds, ['standardize']).x, truth, trueK, seed, o.threads);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const load0 = loadavg()[0]!;
    const plan = planAuto(inspectData(ds.x));
    const res = await runAuto(ds.x, plan, { seed, threads: o.threads });
    const seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    const auto = { ...scores(truth, res.labels), seconds, cpuSeconds: (used.user + used.system) / 1e6, loadAverage: { start: load0, end: loadavg()[0]! }, timings: res.timings };
    // each criterion's own k on what the clustering step saw (outside the timing): the evidence for the k rule
    const estimator = estimateKStep({ threads: o.threads });
    const kv = plan.k.value;
    const range = typeof kv === 'number' ? ([2, Math.max(2, Math.min(30, Math.floor(ds.x.rows / 10)))] as const) : kv.estimate;
    const kByCriterion: Record<string, number> = {};
    for (const c of ['silhouette', 'gap']) kByCriterion[c] = (await estimator.estimate(res.representation, range, seed, c)).k;
    const best = Math.max(raw.acc, std.acc);
    const row = {
      table: name,
      n: ds.x.rows,
      d: ds.x.cols,
      plan: planSummary(plan),
      reasons: planReasons(plan),
      profile: plan.profile,
      kTrue: trueK,
      kEstimated: res.k,
      kExact: res.k === trueK,
      kScores: res.kScores,
      kByCriterion,
      clustering: res.clustering,
      decision: res.decision,
      auto,
      baselines: { kmeansRaw: raw, kmeansStandardized: std },
      target: { acc: best - 0.01, met: auto.acc >= best - 0.01 },
    };
    o.log(`heldout: ${name}: ${row.plan}; ran ${res.clustering}${res.decision.fallback ? ' (fallback)' : ''}; k ${res.k} (true ${trueK}; silhouette alone ${kByCriterion.silhouette}, gap alone ${kByCriterion.gap}); ACC ${auto.acc.toFixed(3)} NMI ${auto.nmi.toFixed(3)} ARI ${auto.ari.toFixed(3)} (${seconds.toFixed(1)} s, ${auto.cpuSeconds.toFixed(1)} CPU s, load ${load0.toFixed(1)}) | k-means raw ${raw.acc.toFixed(3)}, standardized ${std.acc.toFixed(3)} → ${row.target.met ? 'met' : 'MISSED'}`);
    rows.push(row);
    writeRecord();
  }
  return writeRecord();
}
