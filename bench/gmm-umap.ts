/**
 * `deepclust bench umap`: times our UMAP step (seeded) on MNIST (all 70,000 rows by default)
 * reduced to PCA-10 — the shape of an autoencoder embedding — or on a float32 file of rows (e.g. a
 * saved code), into 10 dimensions with N2D's settings (nNeighbors 20, minDist 0), split into the
 * kNN graph, the fuzzy graph with the initialisation, and the layout; checks that a second fit
 * with the same seed gives the same embedding (`check=true`). With `umap-learn=true` it runs
 * umap-learn on the same rows in the same invocation (its numba compilation timed apart) and,
 * when the rows have labels, scores a Gaussian mixture on both embeddings.
 *
 *   deepclust bench umap -o data-dir=../shared/data -o umap-learn=true --json
 *   deepclust bench umap -o n=10000 -o check=true --json
 *   deepclust bench umap -o rows=code.f32 -o cols=10 -o labels=labels.i32 -o umap-learn=true --json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { GaussianMixture, PCA, Umap, type UmapInit } from '../src/cluster/index.ts';
import { loadDataset } from '../src/data/index.ts';
import { ParamError } from '../src/errors.ts';
import type { Matrix } from '../src/matrix.ts';
import { Rng } from '../src/random.ts';
import { provenance } from './gmm.ts';
import { clusterAccuracy, normalizedMutualInfoScore } from '../src/metrics/index.ts';
import { round, runPython, tempFiles } from './sklearn.ts';

/** Options of {@link runUmapBench}. */
export interface UmapBenchOptions {
  data?: string;
  dataDir?: string;
  /** Rows (a seeded subset when fewer than the data set has). @defaultValue all */
  n?: number;
  /** Input dimensions (PCA). @defaultValue 10 */
  dim?: number;
  nComponents?: number;
  nNeighbors?: number;
  minDist?: number;
  nEpochs?: number;
  seed?: number;
  /** Fit twice and compare. */
  check?: boolean;
  /** Initial layout. @defaultValue the Umap default ('random') */
  init?: UmapInit;
  /** onnxruntime threads of the kNN search. */
  threads?: number;
  /** A raw float32 file of rows to embed instead of PCA of `data` (needs `cols`). */
  rows?: string;
  cols?: number;
  /** Raw int32 labels of `rows`. */
  labels?: string;
  /** Also run umap-learn on the same rows (Debian's umap-learn). */
  umapLearn?: boolean;
  /** Record name. */
  record?: string;
  resultsDir?: string;
  log?: (line: string) => void;
}

/** Runs the benchmark; writes a record to bench/results/. */
export async function runUmapBench(o: UmapBenchOptions = {}): Promise<Record<string, unknown>> {
  const { nComponents = 10, nNeighbors = 20, minDist = 0, seed = 0, log = () => {} } = o;
  const input = await benchRows(o, seed);
  const z = input.x;
  log(`UMAP of ${z.rows} × ${z.cols} → ${nComponents} (nNeighbors ${nNeighbors}, minDist ${minDist})`);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const settings = { nComponents, nNeighbors, minDist, nEpochs: o.nEpochs, seed, init: o.init, threads: o.threads };
  const u = await new Umap(settings).fit(z, (e) => {
    if (e % 50 === 0) log(`epoch ${e}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
  const total = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const t1 = performance.now();
  const newRows = { data: z.data.subarray(0, Math.min(1000, z.rows) * z.cols), rows: Math.min(1000, z.rows), cols: z.cols };
  await u.transform(newRows);
  const transformS = (performance.now() - t1) / 1000;
  let deterministic: boolean | null = null;
  if (o.check) {
    const v = await new Umap(settings).fit(z);
    deterministic = u.embedding.data.every((a, i) => a === v.embedding.data[i]);
  }
  const ours: Record<string, unknown> = { seconds: round(total), cpu_seconds: round((c.user + c.system) / 1e6), timings: Object.fromEntries(Object.entries(u.timings).map(([k, v]) => [k, round(v)])), transform_1000_rows_s: round(transformS), deterministic };
  if (input.labels) Object.assign(ours, await mixtureScores(u.embedding, input.labels, seed));
  let umapLearn: Record<string, unknown> | null = null;
  if (o.umapLearn) {
    const tmp = tempFiles();
    try {
      const args = ['--data', tmp.write('x.f32', Float32Array.from(z.data)), '--rows', String(z.rows), '--cols', String(z.cols), '--components', String(nComponents), '--neighbors', String(nNeighbors), '--min-dist', String(minDist), '--seed', String(seed)];
      if (input.labels) args.push('--labels', tmp.write('y.i32', input.labels));
      log('umap-learn on the same rows…');
      umapLearn = runPython<Record<string, unknown>>('umap_learn_ref.py', args);
    } finally {
      tmp.dispose();
    }
  }
  const rec = {
    suite: 'umap',
    implementation: 'deepclust (src/cluster/umap)',
    ours,
    umapLearn,
    // a ratio taken in one run: how many times faster ours fitted than umap-learn
    speedupVsUmapLearn: umapLearn ? round((umapLearn.seconds as number) / total, 3) : null,
    config: { input: input.description, n: z.rows, d: z.cols, nComponents, nNeighbors, minDist, nEpochs: o.nEpochs ?? 'umap-learn default', init: o.init ?? Umap.defaults.init, seed, threads: o.threads ?? null },
    ...provenance(),
  };
  const dir = o.resultsDir ?? join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${o.record ?? `umap-${input.name}-n${z.rows}-d${z.cols}-to${nComponents}`}.json`), `${JSON.stringify(rec, null, 2)}\n`);
  return rec;
}

/** The rows to embed: a float32 file, or PCA of a data set (a seeded subset of `n` rows). */
async function benchRows(o: UmapBenchOptions, seed: number): Promise<{ x: Matrix; labels?: Int32Array; name: string; description: string }> {
  if (o.rows) {
    if (!o.cols) throw new ParamError('bench umap: -o rows=FILE needs -o cols=D (the width of the float32 rows)');
    const data = new Float32Array(readFileSync(o.rows).buffer.slice(0));
    if (data.length % o.cols) throw new ParamError(`bench umap: ${o.rows} holds ${data.length} floats, not a multiple of cols=${o.cols}`);
    const rows = data.length / o.cols;
    const labels = o.labels ? new Int32Array(readFileSync(o.labels).buffer.slice(0)) : undefined;
    if (labels && labels.length !== rows) throw new ParamError(`bench umap: ${o.labels} holds ${labels.length} labels for ${rows} rows`);
    return { x: { data, rows, cols: o.cols }, labels, name: basename(o.rows).replace(/[^\w-]+/g, '_'), description: `float32 rows from ${basename(o.rows)}` };
  }
  const dim = o.dim ?? 10;
  const dataDir = o.dataDir ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '../../shared/data');
  const ds = await loadDataset(o.data ?? 'mnist:all', { dataDir });
  let x = ds.x;
  let labels = ds.labels ? Int32Array.from(ds.labels) : undefined;
  if (o.n !== undefined && o.n < x.rows) {
    const idx = new Rng(seed).permutation(x.rows).subarray(0, o.n);
    const sub = new Float32Array(o.n * x.cols);
    idx.forEach((r, i) => sub.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols));
    x = { data: sub, rows: o.n, cols: x.cols };
    if (labels) labels = Int32Array.from(idx, (r) => labels![r]!);
  }
  const z = await (await new PCA({ nComponents: dim, seed }).fit(x)).transform(x);
  return { x: z, labels, name: ds.name.replace(/[^\w-]+/g, '_'), description: `PCA-${dim} of ${ds.name}'s pixels (stand-in for a ${dim}-d autoencoder embedding)` };
}

/** ACC and NMI of a full-covariance mixture (k = classes, 4 starts) on the embedding. */
async function mixtureScores(e: Matrix, labels: Int32Array, seed: number): Promise<{ acc: number; nmi: number }> {
  const k = new Set(labels).size;
  const gm = await new GaussianMixture({ nComponents: k, covarianceType: 'full', nInit: 4, seed }).fit(e);
  const pred = await gm.predict(e);
  return { acc: round(clusterAccuracy(labels, pred).accuracy), nmi: round(normalizedMutualInfoScore(labels, pred)) };
}
