/**
 * `deepclust bench estimate-k`: every k criterion of `estimateK` over k = 2..30 on the issue's
 * data sets, on two representations — `pca` (PCA-50 of the inputs, or the raw features when
 * narrower) and `umap` (UMAP of that to 10 dimensions, N2D's settings: nNeighbors 20, minDist 0)
 * — recording each criterion's curve and chosen k next to the true k, one record per
 * (data set, representation) in bench/results/ and a table in the result. Records carry the wall and
 * CPU seconds of the criteria (the onnxruntime threads' CPU included).
 *
 *   deepclust bench estimate-k -o data-dir=../shared/data --json
 *   deepclust bench estimate-k -o sets=digits,synth-unequal -o reps=umap -o sample=3000 --json
 *
 * Data sets: digits (scikit-learn's 8×8 digits, exported by bench/estimate-k-digits.py),
 * mnist-10k, coil-20, fashion-10k (Fashion-MNIST test), mnist-70k (all of MNIST), synth-unequal
 * (6 Gaussians of unequal sizes, spreads and shapes in 8-d), synth-shapes (7 clusters: two moons,
 * a ring, an elongated bar and three blobs of unequal density, in 3-d). Embeddings are cached
 * under the OS temp folder so reruns only redo the criteria. Above 10,000 rows (mnist-70k) UMAP
 * is fitted on a seeded 10,000-row sample.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { K_CRITERIA, type KCriterion, PCA, Umap, estimateK } from '../src/cluster/index.ts';
import { loadDataset } from '../src/data/index.ts';
import type { Matrix } from '../src/matrix.ts';
import { Rng } from '../src/random.ts';
import { provenance } from './gmm.ts';
import { PYTHON } from './sklearn.ts';
import { spawnSync } from 'node:child_process';

/** Options of {@link runEstimateKBench}. */
export interface EstimateKBenchOptions {
  sets?: string[];
  reps?: Array<'pca' | 'umap' | 'ae' | 'ae-umap'>;
  /** Pretraining epochs of the `ae`/`ae-umap` autoencoder. @defaultValue 20 */
  aeEpochs?: number;
  dataDir?: string;
  /** Rows the criteria use. @defaultValue 3000 */
  sample?: number;
  range?: [number, number];
  criteria?: KCriterion[];
  seed?: number;
  /** Suffix of the record files (for runs with other criteria or options). */
  tag?: string;
  /** k-means restarts per k. @defaultValue 3 */
  nInit?: number;
  /** Rows of the `hdbscan` criterion's own sample. @defaultValue 10,000 (`HDBSCAN_MAX_ROWS`) */
  hdbscanSample?: number;
  /** `dip` criterion's merge threshold on the p-value. @defaultValue 0.1 */
  dipSignificance?: number;
  /** `dip` criterion's fraction of each cluster in a pair test. @defaultValue 0.5 */
  dipPairFraction?: number;
  /** `dip` criterion's rows per pair p-value. @defaultValue all rows */
  dipTestRows?: number;
  resultsDir?: string;
  log?: (line: string) => void;
}

interface Labelled {
  x: Matrix;
  labels: ArrayLike<number>;
}

/** Rows UMAP is fitted on (a seeded sample above). */
const UMAP_MAX_ROWS = 10000;

const ALL_SETS = ['synth-unequal', 'synth-shapes', 'digits', 'coil-20', 'mnist-10k', 'fashion-10k', 'mnist-70k'];

/** Runs the measurement; returns the table (criterion × data set → chosen k). */
export async function runEstimateKBench(o: EstimateKBenchOptions = {}): Promise<Record<string, unknown>> {
  const { sets = ALL_SETS, reps = ['pca', 'umap'], sample = 3000, seed = 0, log = () => {} } = o;
  const criteria = o.criteria ?? [...K_CRITERIA];
  const dataDir = o.dataDir ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '../../shared/data');
  const cache = join(tmpdir(), 'deepclust-estimate-k');
  mkdirSync(cache, { recursive: true });
  const dir = o.resultsDir ?? join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const table: Array<Record<string, unknown>> = [];
  for (const name of sets) {
    const base = await loadSet(name, dataDir, cache, log);
    const trueK = new Set(Array.from(base.labels)).size;
    for (const rep of reps) {
      const t0 = performance.now();
      const x = await representation(name, rep, base.x, cache, seed, log, trueK, o.aeEpochs ?? 20);
      const repSeconds = (performance.now() - t0) / 1000;
      const cpu0 = process.cpuUsage();
      const est = await estimateK(x, { range: o.range, criteria, select: criteria[0], sampleSize: sample, seed, nInit: o.nInit, hdbscanSampleSize: o.hdbscanSample, dipSignificance: o.dipSignificance, dipTestRows: o.dipTestRows, dipPairFraction: o.dipPairFraction, onProgress: (k, i, total) => i % 7 === 0 && log(`${name}/${rep}: k=${k} (${i}/${total})`) });
      const cpu = process.cpuUsage(cpu0);
      const criteriaCpuSeconds = (cpu.user + cpu.system) / 1e6;
      const chosen: Record<string, number> = {};
      for (const c of criteria) chosen[c] = est.curves[c]!.best;
      log(`${name}/${rep} (true k ${trueK}): ${criteria.map((c) => `${c} ${chosen[c]}`).join(', ')} [${est.seconds.toFixed(1)} s wall, ${criteriaCpuSeconds.toFixed(1)} s CPU]`);
      const rec = { suite: 'estimate-k', data: name, representation: rep, nInit: o.nInit ?? 3, n: x.rows, d: x.cols, trueK, chosen, ks: est.ks, curves: est.curves, sampleSize: est.sampleSize, seconds: { representation: repSeconds, criteria: est.seconds, criteriaCpu: criteriaCpuSeconds }, seed, ...provenance() };
      writeFileSync(join(dir, `estimate-k-${name}-${rep}${o.tag ? `-${o.tag}` : ''}.json`), `${JSON.stringify(rec, null, 2)}\n`);
      table.push({ data: name, representation: rep, trueK, ...chosen });
    }
  }
  const hits: Record<string, Record<string, number>> = {};
  for (const rep of reps) {
    hits[rep] = {};
    for (const c of criteria) hits[rep]![c] = table.filter((r) => r.representation === rep && r[c] === r.trueK).length;
  }
  return { suite: 'estimate-k', table, hits, sets: sets.length, criteria, sample, seed };
}

async function loadSet(name: string, dataDir: string, cache: string, log: (l: string) => void): Promise<Labelled> {
  if (name === 'synth-unequal') return synthUnequal(0);
  if (name === 'synth-shapes') return synthShapes(0);
  if (name === 'digits') {
    const path = join(cache, 'digits.f64');
    if (!existsSync(path)) {
      const script = fileURLToPath(new URL('./estimate-k-digits.py', import.meta.url));
      const r = spawnSync(PYTHON, [script, cache], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`estimate-k-digits.py failed: ${r.stderr}`);
    }
    const x = new Float64Array(readFileSync(path).buffer.slice(0));
    const y = new Int32Array(readFileSync(join(cache, 'digits.i32')).buffer.slice(0));
    return { x: { data: x, rows: y.length, cols: 64 }, labels: y };
  }
  const spec = name === 'fashion-10k' ? 'fashion-mnist:test' : name === 'mnist-70k' ? 'mnist:all' : name;
  // COIL20.mat is already in [0, 1]; 'none' avoids the loader's second 1/255 (scale changes neither PCA nor UMAP)
  const ds = await loadDataset(spec, { dataDir, ...(name === 'coil-20' ? { preprocess: ['none'] } : {}) });
  log(`${name}: ${ds.x.rows} × ${ds.x.cols}`);
  return { x: ds.x, labels: ds.labels! };
}

async function representation(name: string, rep: 'pca' | 'umap' | 'ae' | 'ae-umap', x: Matrix, cache: string, seed: number, log: (l: string) => void, k: number, aeEpochs: number): Promise<Matrix> {
  const ae = rep === 'ae' || rep === 'ae-umap';
  const path = join(cache, `${name}-${rep}${ae ? `-ep${aeEpochs}` : ''}-seed${seed}.f64`);
  const cols = rep === 'umap' || ae ? 10 : Math.min(50, x.cols);
  if (existsSync(path)) {
    const data = new Float64Array(readFileSync(path).buffer.slice(0));
    return { data, rows: data.length / cols, cols };
  }
  let z: Matrix;
  if (ae) {
    // a learned embedding: the ae-kmeans autoencoder (d-500-500-2000-10, Adam, batch 256), briefly pretrained
    const aePath = join(cache, `${name}-ae-ep${aeEpochs}-seed${seed}.f64`);
    if (existsSync(aePath)) z = { data: new Float64Array(readFileSync(aePath).buffer.slice(0)), rows: x.rows, cols: 10 };
    else {
      const { DeepClustering } = await import('../src/methods/deep-clustering.ts');
      const t = performance.now();
      const fitted = await new DeepClustering({ method: 'ae-kmeans', nClusters: k, seed, overrides: { pretrain: { epochs: aeEpochs } } as never }).fit(x, {
        onProgress: (e) => e.phase === 'pretrain' && e.done % 5 === 0 && log(`${name}: autoencoder epoch ${e.done}/${e.total}`),
      });
      const e = await fitted.transform(x);
      z = { data: Float64Array.from(e.data), rows: e.rows, cols: e.cols };
      writeFileSync(aePath, new Uint8Array((z.data as Float64Array).buffer));
      log(`${name}: autoencoder (${aeEpochs} epochs) in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    }
    if (rep === 'ae') return z;
  } else z = x.cols > 50 ? await (await new PCA({ nComponents: 50, seed }).fit(x)).transform(x) : x;
  if (rep === 'umap' || rep === 'ae-umap') {
    if (z.rows > UMAP_MAX_ROWS) {
      // k is estimated on a sample anyway; UMAP of all 70,000 rows takes too long on a shared 2-core machine
      const idx = new Rng(seed).fork('umap-rows').permutation(z.rows).subarray(0, UMAP_MAX_ROWS).sort();
      const sub = new Float64Array(UMAP_MAX_ROWS * z.cols);
      idx.forEach((r, i) => {
        for (let t = 0; t < z.cols; t++) sub[i * z.cols + t] = z.data[r * z.cols + t]!;
      });
      log(`${name}: UMAP fitted on a seeded sample of ${UMAP_MAX_ROWS} of the ${z.rows} rows`);
      z = { data: sub, rows: UMAP_MAX_ROWS, cols: z.cols };
    }
    const u = await new Umap({ nComponents: 10, nNeighbors: 20, minDist: 0, seed }).fit(z);
    log(`${name}: UMAP ${z.rows} × ${z.cols} → 10 in ${u.seconds.toFixed(1)} s`);
    z = u.embedding;
  }
  const data = Float64Array.from(z.data);
  writeFileSync(path, new Uint8Array(data.buffer));
  return { data, rows: z.rows, cols: z.cols };
}

/** 6 Gaussians in 8-d: sizes 3000…100, spreads 0.3…2, some elongated. */
export function synthUnequal(seed: number): Labelled {
  const rng = new Rng(seed).fork('synth-unequal');
  const d = 8;
  const sizes = [3000, 1500, 800, 400, 200, 100];
  const spreads = [2, 1.2, 0.8, 0.5, 0.4, 0.3];
  const stretch = [3, 1, 4, 1, 2, 1];
  return gaussians(rng, d, sizes, spreads, stretch, 12);
}

function gaussians(rng: Rng, d: number, sizes: number[], spreads: number[], stretch: number[], sep: number): Labelled {
  const n = sizes.reduce((a, b) => a + b, 0);
  const data = new Float64Array(n * d);
  const labels = new Int32Array(n);
  let i = 0;
  sizes.forEach((m, c) => {
    const centre = Array.from({ length: d }, () => rng.normal() * sep);
    // a random direction gets `stretch` times the spread
    const dir = Array.from({ length: d }, () => rng.normal());
    const nd = Math.hypot(...dir);
    for (let r = 0; r < m; r++, i++) {
      const along = rng.normal() * spreads[c]! * (stretch[c]! - 1);
      for (let t = 0; t < d; t++) data[i * d + t] = centre[t]! + rng.normal() * spreads[c]! + (along * dir[t]!) / nd;
      labels[i] = c;
    }
  });
  return { x: { data, rows: n, cols: d }, labels };
}

/** 7 clusters in 3-d: two interleaved moons, a ring, a long bar and three blobs of unequal density. */
export function synthShapes(seed: number): Labelled {
  const rng = new Rng(seed).fork('synth-shapes');
  const pts: number[][] = [];
  const labels: number[] = [];
  const add = (c: number, p: number[]) => {
    pts.push(p.map((v) => v + rng.normal() * 0.08));
    labels.push(c);
  };
  for (let i = 0; i < 1500; i++) {
    const a = Math.PI * rng.random();
    add(0, [Math.cos(a), Math.sin(a), 0]);
  }
  for (let i = 0; i < 1000; i++) {
    const a = Math.PI * rng.random();
    add(1, [1 - Math.cos(a), 0.5 - Math.sin(a), 0]);
  }
  for (let i = 0; i < 1200; i++) {
    const a = 2 * Math.PI * rng.random();
    add(2, [8 + 1.5 * Math.cos(a), 1.5 * Math.sin(a), 0.5 * rng.normal()]);
  }
  for (let i = 0; i < 600; i++) add(3, [-6 + 8 * rng.random(), 6, 2]);
  const blobs: Array<[number, number[], number]> = [[800, [6, 8, -2], 0.3], [300, [-4, -5, 3], 0.8], [100, [2, -7, -3], 0.15]];
  blobs.forEach(([m, c, s], b) => {
    for (let i = 0; i < m; i++) add(4 + b, c.map((v) => v + rng.normal() * s));
  });
  const n = pts.length;
  const data = new Float64Array(n * 3);
  pts.forEach((p, i) => data.set(p, i * 3));
  return { x: { data, rows: n, cols: 3 }, labels: Int32Array.from(labels) };
}
