/**
 * `deepclust bench user-suite`: `auto` (no --method, no --k) on data it was not tuned on, against
 * the baselines a user would try with the true k: our k-means on the raw and on the standardized
 * features, and a Gaussian mixture (scikit-learn's, until src/cluster has one). Per set: the plan chosen, k estimated vs true, ACC/NMI/ARI, seconds.
 *
 * Sets: scikit-learn's digits, wine and breast cancer (CSV from bench/export_sklearn_datasets.py,
 * run automatically when the files are missing), mnist-10k, Fashion-MNIST test, COIL-20 (from
 * --data-dir / $DEEPCLUST_DATA_DIR), and two seeded synthetic sets with unequal sizes and shapes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, homedir, hostname, loadavg } from 'node:os';
import { join } from 'node:path';
import { inspectData } from '../src/auto/inspect.ts';
import { runAutoDeep } from '../src/auto/deep.ts';
import { type AutoPlan, type NetworkPlan, type Representation, planAuto, planReasons, planSummary, scaledNetwork } from '../src/auto/plan.ts';
import { runAuto } from '../src/auto/run.ts';
import { provenance } from './provenance.ts';
import { KMeans } from '../src/cluster/kmeans.ts';
import { type Dataset, applyPreprocessing, loadDataset } from '../src/data/index.ts';
import type { Matrix } from '../src/matrix.ts';
import { adjustedRandScore, clusterAccuracy, normalizedMutualInfoScore } from '../src/metrics/index.ts';
import { Rng } from '../src/random.ts';
import { PYTHON, runPython, sklearnVersion, tempFiles } from './sklearn.ts';

/** Options of {@link runUserSuite}. */
export interface UserSuiteOptions {
  /** Sets to run (default: all). */
  readonly sets?: readonly string[];
  /** Folder with mnist / fashion-mnist / coil-20 files. */
  readonly dataDir?: string;
  /** Folder with digits.csv, wine.csv, breast-cancer.csv (default: <cache>/user-suite). */
  readonly sklearnDir?: string;
  /** Seed. @defaultValue 0 */
  readonly seed?: number;
  /** onnxruntime threads. */
  readonly threads?: number;
  /** Measurement overrides of the plan (not for the reported numbers): `features` or `umap`. */
  readonly representation?: 'features' | 'umap';
  /** Measurement override of the preprocessing. */
  readonly preprocess?: readonly string[];
  /** Run the GMM baseline (scikit-learn, until src/cluster has a Gaussian mixture). @defaultValue true */
  readonly gmm?: boolean;
  /** Run the k-means baselines. @defaultValue true */
  readonly baselines?: boolean;
  /** Measurement: give auto the true k (compares representations without the k estimate's errors). */
  readonly trueK?: boolean;
  /**
   * Measurement: `on` trains a network on every set (the plan's, else {@link scaledNetwork}'s),
   * `off` none, `plan` (default) what the plan chooses.
   */
  readonly deep?: 'on' | 'off' | 'plan';
  /** Measurement overrides of the network when one is trained. */
  readonly network?: Partial<NetworkPlan>;
  /** Suffix of the record's file name (to keep measurement records apart). */
  readonly tag?: string;
  /** Where the record goes. @defaultValue bench/results */
  readonly resultsDir?: string;
  /** Progress lines. */
  readonly log: (line: string) => void;
}

/** Every set of the suite. */
export const USER_SUITE_SETS = ['wine', 'breast-cancer', 'synthetic-blobs', 'synthetic-aniso', 'mnist-10k', 'digits', 'coil-20', 'fashion-mnist-test'] as const;

/** Sets run only when named in `sets`: all 70,000 rows of MNIST and Fashion-MNIST (issue 20's k target; minutes each). */
export const USER_SUITE_EXTRA_SETS = ['mnist', 'fashion-mnist'] as const;

function sklearnDir(o: UserSuiteOptions): string {
  return o.sklearnDir ?? join(process.env.DEEPCLUST_CACHE_DIR ?? join(homedir(), '.cache', 'deepclust'), 'user-suite');
}

/**
 * Unequal sizes, spreads and shapes. `blobs`: 5 Gaussian clusters in 8-D of 1000/500/250/120/60
 * rows, standard deviations 0.6 to 1.6, 3 of the 8 features on a 100× larger scale. `aniso`:
 * 4 clusters in 6-D of 900/400/200/100 rows, each stretched along a random direction (4:1).
 */
export function syntheticSet(kind: 'blobs' | 'aniso', seed: number): Dataset {
  const rng = new Rng(seed + (kind === 'blobs' ? 101 : 202));
  const sizes = kind === 'blobs' ? [1000, 500, 250, 120, 60] : [900, 400, 200, 100];
  const d = kind === 'blobs' ? 8 : 6;
  const rows: number[][] = [];
  const labels: number[] = [];
  sizes.forEach((size, c) => {
    const centre = Array.from({ length: d }, () => (rng.random() * 2 - 1) * 8);
    const sd = kind === 'blobs' ? 0.6 + 0.25 * c : 0.7;
    const dir = Array.from({ length: d }, () => rng.normal());
    const norm = Math.hypot(...dir);
    for (let i = 0; i < size; i++) {
      const along = kind === 'aniso' ? rng.normal() * 4 * sd : 0;
      rows.push(centre.map((m, j) => m + rng.normal() * sd + (along * dir[j]!) / norm));
      labels.push(c);
    }
  });
  const scale = (j: number) => (kind === 'blobs' && j >= d - 3 ? 100 : 1);
  const data = Float32Array.from(rows.flatMap((r) => r.map((v, j) => v * scale(j))));
  return { name: `synthetic-${kind}`, x: { data, rows: rows.length, cols: d }, labels: Int32Array.from(labels), preprocessing: [], sources: [] };
}

async function loadSet(name: string, o: UserSuiteOptions): Promise<Dataset> {
  const none = { preprocess: ['none'] };
  switch (name) {
    case 'digits':
    case 'wine':
    case 'breast-cancer': {
      const dir = sklearnDir(o);
      const file = join(dir, `${name}.csv`);
      if (!existsSync(file)) {
        o.log(`user-suite: exporting scikit-learn's tables to ${dir}`);
        const r = spawnSync(PYTHON, [join(import.meta.dirname, 'export_sklearn_datasets.py'), dir], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`bench/export_sklearn_datasets.py failed (is python3-sklearn installed?): ${r.stderr.trim().split('\n').pop()}`);
      }
      return loadDataset(file, { labelColumn: 'label', ...none });
    }
    case 'mnist-10k':
      return loadDataset('mnist-10k', none);
    case 'fashion-mnist-test':
      return loadDataset('fashion-mnist:test', { dataDir: o.dataDir, download: false, ...none });
    case 'coil-20':
      return loadDataset('coil-20', { dataDir: o.dataDir, download: false, ...none });
    case 'mnist':
    case 'fashion-mnist':
      return loadDataset(name, { dataDir: o.dataDir, download: false, ...none });
    case 'synthetic-blobs':
      return syntheticSet('blobs', 0);
    case 'synthetic-aniso':
      return syntheticSet('aniso', 0);
  }
  throw new Error(`user-suite: unknown set '${name}'; choose from ${[...USER_SUITE_SETS, ...USER_SUITE_EXTRA_SETS].join(', ')}`);
}

/** ACC, NMI and ARI of predicted labels against the truth. */
export function scores(truth: Int32Array, pred: Int32Array): { acc: number; nmi: number; ari: number } {
  return { acc: clusterAccuracy(truth, pred).accuracy, nmi: normalizedMutualInfoScore(truth, pred), ari: adjustedRandScore(truth, pred) };
}

/** Our k-means (k-means++, 10 restarts) with the true k: the baseline a user would try (scores and seconds). */
export async function kmeansBaseline(x: Matrix, truth: Int32Array, k: number, seed: number, threads?: number) {
  const t0 = performance.now();
  const labels = (await new KMeans({ nClusters: k, nInit: 10, seed, threads }).fit(x)).labels;
  return { ...scores(truth, labels), seconds: (performance.now() - t0) / 1000 };
}

/** scikit-learn's GaussianMixture with the true k on the standardized features (the GMM a user would try). */
function gmmBaseline(x: Matrix, truth: Int32Array, k: number, seed: number): Record<string, unknown> | string {
  if (!sklearnVersion()) return 'not run: /usr/bin/python3 cannot import sklearn';
  const tmp = tempFiles();
  try {
    const file = tmp.write('x.f32', x.data instanceof Float32Array ? x.data : Float32Array.from(x.data));
    const t0 = performance.now();
    const r = runPython<{ labels: number[]; covariance: string; sklearn: string }>('sklearn_gmm_baseline.py', ['--data', file, '--rows', String(x.rows), '--cols', String(x.cols), '--k', String(k), '--seed', String(seed)]);
    return { ...scores(truth, Int32Array.from(r.labels)), seconds: (performance.now() - t0) / 1000, impl: `scikit-learn ${r.sklearn} GaussianMixture (${r.covariance} covariances, standardized features)` };
  } catch (err) {
    return `failed: ${(err as Error).message.split('\n')[0]}`;
  } finally {
    tmp.dispose();
  }
}

/** Commit, date and machine of a record. */
export function recordContext(): Record<string, unknown> {
  const git = spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', cwd: import.meta.dirname });
  const dirty = spawnSync('git', ['status', '--porcelain'], { encoding: 'utf8', cwd: import.meta.dirname }).stdout.trim() !== '';
  return {
    commit: git.status === 0 ? git.stdout.trim() : null,
    dirty,
    date: new Date().toISOString(),
    // the load average when the record was started; each set's own is in rows[].auto.loadAverage
    machine: { host: hostname(), cpus: cpus().length, cpu: cpus()[0]?.model ?? null, node: process.version, loadAverage: loadavg()[0] },
  };
}

/** Runs the suite and writes bench/results/user-suite-<date>.json. */
export async function runUserSuite(o: UserSuiteOptions): Promise<Record<string, unknown>> {
  const seed = o.seed ?? 0;
  const context = recordContext(); // the commit the run started from
  const started = provenance(); // likewise (not the HEAD when a record is rewritten)
  const rows: Record<string, unknown>[] = [];
  // the record is rewritten after every set, so a run stopped early keeps the sets it finished
  const writeRecord = (): Record<string, unknown> => {
    const done = rows.filter((r) => !('skipped' in r)) as Array<{ kExact: boolean; target: { met: boolean } }>;
    const record = {
      suite: 'user-suite',
      seed,
      threads: o.threads ?? null,
      ...(o.representation || o.preprocess ? { overrides: { representation: o.representation, preprocess: o.preprocess } } : {}),
      ...(o.trueK || o.deep || o.network ? { measurement: { trueK: Boolean(o.trueK), deep: o.deep ?? 'plan', network: o.network ?? null } } : {}),
      ...context,
      provenance: started,
      written: new Date().toISOString(),
      setsPlanned: o.sets ?? USER_SUITE_SETS,
      summary: { sets: done.length, kExact: done.filter((r) => r.kExact).length, accTargetMet: done.filter((r) => r.target.met).length },
      rows,
    };
    const dir = o.resultsDir ?? join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const tag = o.representation || o.preprocess ? `-${o.representation ?? ''}${o.preprocess ? `-${o.preprocess.join('+')}` : ''}` : '';
    writeFileSync(join(dir, `user-suite${tag}${o.tag ? `-${o.tag}` : ''}-seed${seed}${o.sets ? `-${o.sets.join('+')}` : ''}.json`), `${JSON.stringify(record, null, 2)}\n`);
    return record;
  };
  for (const name of o.sets ?? USER_SUITE_SETS) {
    let ds: Dataset;
    try {
      ds = await loadSet(name, o);
    } catch (err) {
      o.log(`user-suite: ${name} skipped: ${(err as Error).message.split('\n')[0]}`);
      rows.push({ set: name, skipped: (err as Error).message.split('\n')[0] });
      continue;
    }
    const truth = ds.labels!;
    const trueK = new Set(truth).size;
    o.log(`user-suite: ${name} ${ds.x.rows} × ${ds.x.cols}, ${trueK} classes`);
    const skipped = { acc: Number.NaN, nmi: Number.NaN, ari: Number.NaN, seconds: 0, skipped: 'baselines=false' };
    const raw = o.baselines === false ? skipped : await kmeansBaseline(ds.x, truth, trueK, seed, o.threads);
    const standardized = applyPreprocessing(ds, ['standardize']).x;
    const std = o.baselines === false ? skipped : await kmeansBaseline(standardized, truth, trueK, seed, o.threads);
    const gmm = o.gmm === false || o.baselines === false ? 'not run (gmm=false)' : gmmBaseline(standardized, truth, trueK, seed);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const load0 = loadavg()[0]!;
    const profile = inspectData(ds.x, { imageShape: ds.imageShape });
    let plan = planAuto(profile, o.trueK ? { k: trueK } : {});
    plan = measuredNetwork(plan, o);
    if (o.representation || o.preprocess) {
      const rep: Representation = o.representation === 'features' ? { kind: 'features' } : o.representation === 'umap' ? { kind: 'umap', pca: ds.x.cols > 100 ? 50 : undefined, nComponents: 10, nNeighbors: 15, minDist: 0 } : plan.representation.value;
      plan = { ...plan, representation: { value: rep, reason: 'measurement override' }, preprocessing: o.preprocess ? { value: [...o.preprocess], reason: 'measurement override' } : plan.preprocessing };
    }
    const res = plan.network.value
      ? await runAutoDeep(ds.x, plan, { seed, threads: o.threads, imageShape: ds.imageShape, onProgress: (e) => e.phase === 'pretrain' && e.done % 5 === 0 && o.log(`user-suite: ${name} pretrain ${e.done}/${e.total} ${JSON.stringify(e.losses)}`) })
      : await runAuto(ds.x, plan, { seed, threads: o.threads, log: o.log });
    const seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const auto = { ...scores(truth, res.labels), seconds, cpuSeconds, loadAverage: { start: load0, end: loadavg()[0]! }, timings: res.timings, ...('pretrainEpochs' in res ? { pretrainEpochs: res.pretrainEpochs } : {}) };
    const best = Math.max(raw.acc, std.acc);
    const row = {
      set: name,
      n: ds.x.rows,
      d: ds.x.cols,
      plan: planSummary(plan),
      reasons: planReasons(plan),
      kTrue: trueK,
      kEstimated: res.k,
      kExact: res.k === trueK,
      kScores: res.kScores,
      clustering: res.clustering,
      decision: res.decision,
      auto,
      baselines: { kmeansRaw: raw, kmeansStandardized: std, gmm },
      target: { acc: best - 0.01, met: auto.acc >= best - 0.01 },
    };
    o.log(`user-suite: ${name}: ${row.plan}; ran ${res.clustering}${res.decision.fallback ? ' (fallback)' : ''}; k ${res.k} (true ${trueK}); ACC ${auto.acc.toFixed(4)} NMI ${auto.nmi.toFixed(4)} ARI ${auto.ari.toFixed(4)} (${seconds.toFixed(1)} s, ${cpuSeconds.toFixed(0)} CPU s, load ${load0.toFixed(1)}) | k-means raw ${raw.acc.toFixed(4)}, standardized ${std.acc.toFixed(4)}${typeof gmm === 'object' ? `, GMM ${(gmm.acc as number).toFixed(4)}` : ''}`);
    rows.push(row);
    writeRecord();
  }
  return writeRecord();
}

/** The plan with the measurement's network: forced on (the plan's, else {@link scaledNetwork}'s) or off, with the overrides. */
function measuredNetwork(plan: AutoPlan, o: UserSuiteOptions): AutoPlan {
  const p = plan.profile;
  if (o.deep === 'off') return { ...plan, network: { value: null, reason: 'measurement override: no network' } };
  const kv = plan.k.value;
  const base = plan.network.value ?? (o.deep === 'on' ? scaledNetwork(p.features, p.rows, typeof kv === 'number' ? kv : 10, Boolean(p.imageShape)) : null);
  if (!base) return plan;
  const net = { ...base, ...o.network };
  return { ...plan, network: { value: net, reason: o.network || !plan.network.value ? 'measurement override' : plan.network.reason } };
}

/** The measurement options of `bench user-suite` from its `-o key=value` pairs (see bench/suites.ts). */
export function measurementOptions(o: Readonly<Record<string, string>>): Pick<UserSuiteOptions, 'baselines' | 'trueK' | 'deep' | 'network' | 'tag'> {
  const num = (key: string) => (o[key] === undefined ? undefined : Number(o[key]));
  const entries: Array<[keyof NetworkPlan, unknown]> = [
    ['hidden', o.hidden?.split(',').map(Number)],
    ['embeddingDim', num('embedding-dim')],
    ['batchSize', num('batch')],
    ['pretrainSteps', num('steps')],
    ['plateauSteps', num('plateau')],
    ['augment', o.augment === undefined ? undefined : o.augment === 'true'],
    ['lr', num('lr')],
    ['umapComponents', num('umap-components')],
    ['umapNeighbors', num('umap-neighbors')],
  ];
  const given = entries.filter(([, v]) => v !== undefined);
  if (o.deep !== undefined && !['on', 'off', 'plan'].includes(o.deep)) throw new Error(`user-suite: deep must be on, off or plan, got '${o.deep}'`);
  return {
    baselines: o.baselines !== 'false',
    trueK: o['true-k'] === 'true',
    deep: o.deep as UserSuiteOptions['deep'],
    ...(given.length ? { network: Object.fromEntries(given) as Partial<NetworkPlan> } : {}),
    tag: o.tag,
  };
}
