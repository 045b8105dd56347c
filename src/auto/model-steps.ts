/**
 * The clustering steps of `auto` that leave a stored model ({@link StoredClusterer}) besides the
 * labels, and the stored-state UMAP of the training rows: what {@link runAuto} needs to return an
 * {@link AutoModel} whose `predict` reproduces the fit's labels.
 */
import { storeGaussianMixture, storedUmapTransform, type StoredUmap } from '../cluster/stored-models.ts';
import { GaussianMixture } from '../cluster/gmm.ts';
import { KMeans } from '../cluster/kmeans.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../random.ts';
import type { StoredClusterer } from './model.ts';
import { type ClusteringStep, covarianceFor } from './steps.ts';

/** A clustering step that also returns its fitted state, for a saved model. */
export interface ModelClusteringStep extends ClusteringStep {
  /** Fits `k` clusters on `x` and returns the stored state (the labels come from it). */
  fitModel(x: Matrix, k: number, seed: number): Promise<StoredClusterer>;
}

/** Whether a step can leave a stored model. */
export function hasModel(step: ClusteringStep): step is ModelClusteringStep {
  return typeof (step as Partial<ModelClusteringStep>).fitModel === 'function';
}

/** k-means++ with `nInit` restarts (as src/auto/steps.ts's kmeansStep), keeping the centres as float32. */
export function kmeansModelStep(options: { nInit?: number; threads?: number } = {}): ModelClusteringStep {
  const fitKm = (x: Matrix, k: number, seed: number) => new KMeans({ nClusters: k, nInit: options.nInit ?? 10, seed, threads: options.threads }).fit(x);
  return {
    name: 'kmeans',
    async fit(x, k, seed) {
      return (await fitKm(x, k, seed)).labels;
    },
    async fitModel(x, k, seed) {
      const c = (await fitKm(x, k, seed)).clusterCenters;
      return { kind: 'kmeans', centers: { data: Float32Array.from(c.data), rows: c.rows, cols: c.cols } };
    },
  };
}

/** A Gaussian mixture (as src/auto/steps.ts's gmmStep), keeping its parameters as float32. */
export function gmmModelStep(options: { nInit?: number; threads?: number } = {}): ModelClusteringStep {
  const fitGm = (x: Matrix, k: number, seed: number) => new GaussianMixture({ nComponents: k, covarianceType: covarianceFor(x.cols), nInit: options.nInit ?? 1, seed, threads: options.threads }).fit(x);
  return {
    name: 'gmm',
    async fit(x, k, seed) {
      return (await fitGm(x, k, seed)).labels;
    },
    async fitModel(x, k, seed) {
      return { kind: 'gmm', mixture: storeGaussianMixture(await fitGm(x, k, seed)) };
    },
  };
}

/** Most training rows a stored UMAP keeps by default (each new row is compared with all of them). */
export const DEFAULT_MAX_STORED = 10000;

/** `m` of `0..n−1` (all when n <= m): a seeded sample, in increasing order. */
export function sampleRows(n: number, m: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= m) return all;
  const rng = new Rng(seed).fork('auto-umap-stored');
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng.random() * (n - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, m).sort((a, b) => a - b);
}

/**
 * The stored UMAP of a fit: the training inputs `x` (or a seeded sample of `maxStored` of them)
 * with their fitted coordinates `embedding`.
 */
export function storeUmap(x: Matrix, embedding: Matrix, nNeighbors: number, maxStored: number, seed: number): StoredUmap {
  const keep = sampleRows(x.rows, maxStored, seed);
  const d = x.cols;
  const c = embedding.cols;
  const inputs = new Float32Array(keep.length * d);
  const coords = new Float32Array(keep.length * c);
  keep.forEach((r, i) => {
    for (let a = 0; a < d; a++) inputs[i * d + a] = x.data[r * d + a]!;
    for (let t = 0; t < c; t++) coords[i * c + t] = embedding.data[r * c + t]!;
  });
  return { inputs: { data: inputs, rows: keep.length, cols: d }, coords: { data: coords, rows: keep.length, cols: c }, nNeighbors: Math.min(nNeighbors, keep.length) };
}

/** A row's values as a string key, with −0 read as 0 (equal keys ⇔ equal rows, for finite values). */
function rowKey(v: Float32Array): string {
  const copy = Float32Array.from(v, (t) => (t === 0 ? 0 : t));
  return Buffer.from(copy.buffer).toString('latin1');
}

/**
 * The stored UMAP's transform of the training rows, equal to {@link storedUmapTransform} of the
 * same rows (which gives a row equal to a stored input the coordinates of the first such input)
 * but without its nearest-neighbour search for the rows that are stored: the fit's labels come
 * from this, `predict` from storedUmapTransform, and the two agree exactly.
 */
export function umapOfTrainingRows(u: StoredUmap, x: Matrix): Matrix {
  const d = u.inputs.cols;
  const c = u.coords.cols;
  const first = new Map<string, number>();
  for (let p = 0; p < u.inputs.rows; p++) {
    const key = rowKey(u.inputs.data.subarray(p * d, (p + 1) * d) as Float32Array);
    if (!first.has(key)) first.set(key, p);
  }
  const out = new Float64Array(x.rows * c);
  const rest: number[] = [];
  const row = new Float32Array(d);
  for (let i = 0; i < x.rows; i++) {
    for (let a = 0; a < d; a++) row[a] = x.data[i * d + a]!;
    const p = first.get(rowKey(row));
    if (p === undefined) rest.push(i);
    else for (let t = 0; t < c; t++) out[i * c + t] = u.coords.data[p * c + t]!;
  }
  if (rest.length) {
    const sub = new Float32Array(rest.length * d);
    rest.forEach((r, j) => {
      for (let a = 0; a < d; a++) sub[j * d + a] = x.data[r * d + a]!;
    });
    const y = storedUmapTransform(u, { data: sub, rows: rest.length, cols: d });
    rest.forEach((r, j) => out.set(y.data.subarray(j * c, (j + 1) * c) as Float64Array, r * c));
  }
  return { data: out, rows: x.rows, cols: c };
}
