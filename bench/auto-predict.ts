/**
 * Does the auto model's `predict` agree with what it learned? Fits {@link AutoClustering} on a
 * training set (raw values, as `deepclust fit` without --method), then
 * - predicts a permutation of the training rows: every label must equal the fit's (mismatches
 *   are counted, the expected count is 0);
 * - predicts a held-out set (new rows, through the stored UMAP transform for UMAP pipelines) and
 *   scores it against its classes next to the fit's own scores.
 * Wall and CPU seconds of fit and predict go into the record with the load average (the machine
 * is shared). Writes bench/results/auto-predict-<train>-n<rows>-k<k>.json.
 *
 * Run: nice -n 10 node --import tsx bench/auto-predict.ts --data mnist:train --test mnist:test \
 *        --data-dir /work/shared/data --limit 10000 --k 10 [--seed 0] [--threads 2]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AutoClustering } from '../src/auto/index.ts';
import { loadDataset } from '../src/data/index.ts';
import type { Matrix } from '../src/matrix.ts';
import { adjustedRandScore, clusterAccuracy, normalizedMutualInfoScore } from '../src/metrics/index.ts';
import { Rng } from '../src/random.ts';
import { provenance } from './gmm.ts';

/** Options of {@link runAutoPredict}. */
export interface AutoPredictOptions {
  /** Training data spec (e.g. `mnist:train`). */
  readonly data: string;
  /** Held-out data spec (e.g. `mnist:test`). */
  readonly test: string;
  /** Folder with the data files. */
  readonly dataDir?: string;
  /** Training rows kept (a seeded subset). */
  readonly limit?: number;
  /** k (undefined: estimated). */
  readonly k?: number;
  /** Seed of the subset and the fit. @defaultValue 0 */
  readonly seed?: number;
  /** onnxruntime threads. */
  readonly threads?: number;
  /** Where the record goes. @defaultValue bench/results */
  readonly resultsDir?: string;
}

const round = (v: number, digits = 4) => Number(v.toFixed(digits));

function scores(truth: ArrayLike<number>, labels: Int32Array): { acc: number; nmi: number; ari: number } {
  return { acc: round(clusterAccuracy(truth, labels).accuracy), nmi: round(normalizedMutualInfoScore(truth, labels)), ari: round(adjustedRandScore(truth, labels)) };
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const t = performance.now();
  const c = process.cpuUsage();
  const value = await f();
  const cpu = process.cpuUsage(c);
  return { value, seconds: round((performance.now() - t) / 1000, 2), cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2) };
}

/** Runs the check and writes its record; returns the record. */
export async function runAutoPredict(o: AutoPredictOptions): Promise<Record<string, unknown>> {
  const seed = o.seed ?? 0;
  const train = await loadDataset(o.data, { dataDir: o.dataDir, limit: o.limit, seed, preprocess: 'none' });
  const test = await loadDataset(o.test, { dataDir: o.dataDir, preprocess: 'none' });
  const auto = new AutoClustering({ nClusters: o.k ?? 'auto', seed, threads: o.threads });
  const fit = await timed(() => auto.fit(train.x, { imageShape: train.imageShape }));
  const f = fit.value;
  // a permutation of the training rows: predict must give each its fitted label
  const rng = new Rng(seed + 1);
  const perm = Array.from({ length: train.x.rows }, (_, i) => i);
  for (let i = perm.length - 1; i > 0; i--) {
    const j = Math.floor(rng.random() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const d = train.x.cols;
  const shuffled: Matrix = { data: Float32Array.from({ length: perm.length * d }, (_, t) => train.x.data[perm[Math.floor(t / d)]! * d + (t % d)]!), rows: perm.length, cols: d };
  const again = await timed(() => f.predict(shuffled));
  const mismatches = perm.filter((r, i) => again.value[i] !== f.labels[r]).length;
  const held = await timed(() => f.predict(test.x));
  const rec = {
    suite: 'auto-predict',
    plan: f.summary,
    k: f.k,
    train: { data: train.name, n: train.x.rows, d, ...(train.labels ? scores(train.labels, f.labels) : {}), fitSeconds: fit.seconds, fitCpuSeconds: fit.cpuSeconds, timings: f.timings },
    trainPredict: { n: perm.length, mismatches, seconds: again.seconds, cpuSeconds: again.cpuSeconds },
    heldOut: { data: test.name, n: test.x.rows, ...(test.labels ? scores(test.labels, held.value) : {}), seconds: held.seconds, cpuSeconds: held.cpuSeconds },
    config: { seed, threads: o.threads ?? null, limit: o.limit ?? null, kGiven: o.k ?? null },
    ...provenance(),
  };
  const dir = o.resultsDir ?? join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `auto-predict-${train.name.replace(/[^\w-]+/g, '_')}-n${train.x.rows}-k${o.k ?? 'auto'}.json`), `${JSON.stringify(rec, null, 2)}\n`);
  return rec;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { data: { type: 'string' }, test: { type: 'string' }, 'data-dir': { type: 'string' }, limit: { type: 'string' }, k: { type: 'string' }, seed: { type: 'string' }, threads: { type: 'string' }, 'results-dir': { type: 'string' } } });
  if (!values.data || !values.test) throw new Error('usage: bench/auto-predict.ts --data <train spec> --test <held-out spec> [--data-dir d] [--limit n] [--k k] [--seed s] [--threads t]');
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const rec = await runAutoPredict({ data: values.data, test: values.test, dataDir: values['data-dir'], limit: num(values.limit), k: num(values.k), seed: num(values.seed), threads: num(values.threads), resultsDir: values['results-dir'] });
  process.stdout.write(`${JSON.stringify(rec)}\n`);
}
