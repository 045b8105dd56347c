/**
 * The clustering steps of `auto` that leave a stored model ({@link StoredClusterer}) besides the
 * labels, and the stored-state UMAP of the training rows: what {@link runAuto} needs to return an
 * {@link AutoModel} whose `predict` reproduces the fit's labels.
 */
import { storeGaussianMixture, type StoredUmap } from '../cluster/stored-models.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../random.ts';
import type { StoredClusterer } from './model.ts';
import { type ClusteringStep, type StepOptions, fitGmmStep, fitKMeansStep } from './steps.ts';

/** A clustering step that also returns its fitted state, for a saved model. */
export interface ModelClusteringStep extends ClusteringStep {
  /** Fits `k` clusters on `x` and returns the stored state (the labels come from it). */
  fitModel(x: Matrix, k: number, seed: number): Promise<StoredClusterer>;
}

/** Whether a step can leave a stored model. */
export function hasModel(step: ClusteringStep): step is ModelClusteringStep {
  return typeof (step as Partial<ModelClusteringStep>).fitModel === 'function';
}

/** k-means++ with `nInit` restarts (src/auto/steps.ts's kmeansStep, the same fit), keeping the centres as float32. */
export function kmeansModelStep(options: StepOptions = {}): ModelClusteringStep {
  const fitKm = (x: Matrix, k: number, seed: number) => fitKMeansStep(x, k, seed, options);
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

/** A Gaussian mixture (src/auto/steps.ts's gmmStep, the same fit), keeping its parameters as float32. */
export function gmmModelStep(options: StepOptions = {}): ModelClusteringStep {
  const fitGm = (x: Matrix, k: number, seed: number) => fitGmmStep(x, k, seed, options);
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

/** `m` of `0..n−1` (all when n <= m): a seeded sample (random stream `stream`), in increasing order. */
export function sampleRows(n: number, m: number, seed: number, stream = 'auto-umap-stored'): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= m) return all;
  const rng = new Rng(seed).fork(stream);
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
