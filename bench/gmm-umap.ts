/**
 * `deepclust bench umap`: times the UMAP step (umap-js, seeded) on MNIST (all 70,000 rows by
 * default) reduced to PCA-10 — the shape of an autoencoder embedding — into 10 dimensions with
 * N2D's settings (nNeighbors 20, minDist 0), split into the kNN graph and the layout epochs, and
 * checks that a second fit with the same seed gives the same embedding (with `check=true`).
 *
 *   deepclust bench umap -o data-dir=../shared/data --json
 *   deepclust bench umap -o n=10000 -o check=true --json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PCA, Umap } from '../src/cluster/index.ts';
import { loadDataset } from '../src/data/index.ts';
import { Rng } from '../src/random.ts';
import { provenance } from './gmm.ts';
import { round } from './sklearn.ts';

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
  resultsDir?: string;
  log?: (line: string) => void;
}

/** Runs the benchmark; writes a record to bench/results/. */
export async function runUmapBench(o: UmapBenchOptions = {}): Promise<Record<string, unknown>> {
  const { dim = 10, nComponents = 10, nNeighbors = 20, minDist = 0, seed = 0, log = () => {} } = o;
  const dataDir = o.dataDir ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '../../shared/data');
  const ds = await loadDataset(o.data ?? 'mnist:all', { dataDir });
  let x = ds.x;
  if (o.n !== undefined && o.n < x.rows) {
    const idx = new Rng(seed).permutation(x.rows).subarray(0, o.n);
    const sub = new Float32Array(o.n * x.cols);
    idx.forEach((r, i) => sub.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols));
    x = { data: sub, rows: o.n, cols: x.cols };
  }
  const z = await (await new PCA({ nComponents: dim, seed }).fit(x)).transform(x);
  log(`UMAP of ${z.rows} × ${z.cols} → ${nComponents} (nNeighbors ${nNeighbors}, minDist ${minDist})`);
  let firstEpoch = 0;
  let firstEpochCpu = 0;
  const c0 = process.cpuUsage();
  const cpu = () => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
  const t0 = performance.now();
  const u = await new Umap({ nComponents, nNeighbors, minDist, nEpochs: o.nEpochs, seed }).fit(z, (e) => {
    if (e === 1) {
      firstEpoch = performance.now();
      firstEpochCpu = cpu();
    }
    if (e % 50 === 0) log(`epoch ${e}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
  const total = (performance.now() - t0) / 1000;
  const totalCpu = cpu();
  const graph = firstEpoch ? (firstEpoch - t0) / 1000 : null;
  const t1 = performance.now();
  const newRows = { data: z.data.subarray(0, Math.min(1000, z.rows) * z.cols), rows: Math.min(1000, z.rows), cols: z.cols };
  u.transform(newRows);
  const transformS = (performance.now() - t1) / 1000;
  let deterministic: boolean | null = null;
  if (o.check) {
    const v = await new Umap({ nComponents, nNeighbors, minDist, nEpochs: o.nEpochs, seed }).fit(z);
    deterministic = u.embedding.data.every((a, i) => a === v.embedding.data[i]);
  }
  const rec = {
    suite: 'umap',
    implementation: 'umap-js 1.4.0',
    seconds: round(total),
    // umap-js is single-threaded JavaScript: its CPU time is what a quiet machine's wall time would be
    cpu_seconds: round(totalCpu),
    knn_graph_cpu_s: firstEpochCpu ? round(firstEpochCpu) : null,
    knn_graph_s: graph === null ? null : round(graph),
    layout_s: graph === null ? null : round(total - graph),
    transform_1000_rows_s: round(transformS),
    deterministic,
    config: { data: ds.name, n: z.rows, d: dim, input: `PCA-${dim} of the pixels (stand-in for a 10-d autoencoder embedding)`, nComponents, nNeighbors, minDist, nEpochs: o.nEpochs ?? 'umap-js default', seed },
    ...provenance(),
  };
  const dir = o.resultsDir ?? join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `umap-${ds.name.replace(/[^\w-]+/g, '_')}-n${z.rows}-d${dim}-to${nComponents}.json`), `${JSON.stringify(rec, null, 2)}\n`);
  return rec;
}
