/**
 * One row of a reproduction table on one seed: fit the baseline or deep method on the training
 * rows, assign the scored rows, and compute the experiment's metrics.
 */
import { KMeans, PCA } from '../cluster/index.ts';
import type { Dataset } from '../data/types.ts';
import { DeepclustError } from '../errors.ts';
import type { ParameterStore } from '../engine/index.ts';
import type { DeepPartial, MethodConfig } from '../methods/config.ts';
import { DeepClustering, resolveMethod } from '../methods/deep-clustering.ts';
import type { ProgressEvent } from '../methods/types.ts';
import type { Matrix } from '../matrix.ts';
import { externalScores, internalScores } from '../metrics/index.ts';
import type { MetricKey, RowSpec } from './registry.ts';

/** A pretrained autoencoder kept for later rows of the same seed. */
export interface SharedPretraining {
  readonly store: ParameterStore;
  /** What the pretraining depended on (architecture and pretraining settings), to refuse a mismatched reuse. */
  readonly key: string;
  readonly seconds: number;
}

/** Inputs of {@link runRow}. */
export interface RowContext {
  readonly row: RowSpec;
  /** Named data set, for the methods' per-data-set paper settings. */
  readonly dataset: string;
  readonly train: Dataset;
  /** Scored rows: the training rows themselves (whole protocol) or the test split. */
  readonly evaluation?: Dataset;
  readonly k: number;
  readonly seed: number;
  readonly metrics: readonly MetricKey[];
  readonly pretrainEpochs?: number;
  readonly maxIter?: number;
  readonly threads?: number;
  /** Pretrained autoencoders of earlier rows of this seed, by row label. */
  readonly shared: Map<string, SharedPretraining>;
  readonly onProgress?: (e: ProgressEvent) => void;
}

/** What a row produced on one seed. */
export interface RowOutcome {
  readonly method: string;
  readonly metrics: Partial<Record<MetricKey, number | null>>;
  readonly usedLabels: boolean;
  readonly timings?: Readonly<Record<string, number>>;
  readonly pretrainEpochs?: number;
  readonly maxIter?: number | null;
  readonly iterations?: number;
  readonly stoppedBy?: string;
  /** Label of the row whose pretrained autoencoder this one started from. */
  readonly pretrainedBy?: string;
  readonly notes?: readonly string[];
  /** Why the run failed (a DeepclustError's message: divergence, unusable data, bad settings); no metrics then. */
  readonly error?: string;
}

const INTERNAL: readonly MetricKey[] = ['sil', 'chs', 'dbi'];

/** The schedule overrides for a method: only the phases it has. */
export function scheduleOverrides(method: MethodConfig, pretrainEpochs?: number, maxIter?: number): DeepPartial<MethodConfig> {
  return {
    ...(method.pretrain && pretrainEpochs !== undefined ? { pretrain: { epochs: pretrainEpochs } } : {}),
    ...(method.train && maxIter !== undefined ? { train: { maxIter } } : {}),
  };
}

function pretrainingKey(m: MethodConfig): string {
  return JSON.stringify({ architecture: m.architecture, pretrain: m.pretrain });
}

/** ACC/NMI/ARI against `truth`, and SIL/CHS/DBI on `features` when the experiment asks for them. */
export async function scoreLabels(metrics: readonly MetricKey[], truth: Int32Array, pred: Int32Array, features?: Matrix, seed = 0): Promise<Partial<Record<MetricKey, number | null>>> {
  const out: Partial<Record<MetricKey, number | null>> = {};
  const external = externalScores(truth, pred);
  for (const key of ['acc', 'nmi', 'ari'] as const) if (metrics.includes(key)) out[key] = external[key];
  if (metrics.some((m) => INTERNAL.includes(m))) {
    // internal scores need 2..n-1 clusters; a collapsed run gets null rather than an error
    const s = features ? await internalScores(features, pred, { seed }) : { silhouette: null, calinskiHarabasz: null, daviesBouldin: null };
    if (metrics.includes('sil')) out.sil = s.silhouette;
    if (metrics.includes('chs')) out.chs = s.calinskiHarabasz;
    if (metrics.includes('dbi')) out.dbi = s.daviesBouldin;
  }
  return out;
}

/** Runs one row on one seed (see the module comment). */
export async function runRow(c: RowContext): Promise<RowOutcome> {
  const scored = c.evaluation ?? c.train;
  const truth = scored.labels!;
  const needFeatures = c.metrics.some((m) => INTERNAL.includes(m));
  const row = c.row;
  if (row.kind === 'kmeans') {
    const km = await new KMeans({ nClusters: c.k, nInit: row.nInit, seed: c.seed, threads: c.threads }).fit(c.train.x);
    const pred = c.evaluation ? await km.predict(c.evaluation.x) : km.labels;
    return { method: `kmeans(nInit=${row.nInit})`, metrics: await scoreLabels(c.metrics, truth, pred, scored.x, c.seed), usedLabels: false };
  }
  if (row.kind === 'pca-kmeans') {
    // a tiny smoke subset may have fewer rows than components
    const components = Math.min(row.components, c.train.x.rows - 1, c.train.x.cols);
    const pca = await new PCA({ nComponents: components, seed: c.seed, threads: c.threads }).fit(c.train.x);
    const ztrain = await pca.transform(c.train.x);
    const km = await new KMeans({ nClusters: c.k, nInit: row.nInit, seed: c.seed, threads: c.threads }).fit(ztrain);
    const zscored = c.evaluation ? await pca.transform(c.evaluation.x) : ztrain;
    const pred = c.evaluation ? await km.predict(zscored) : km.labels;
    return {
      method: `pca(${components})+kmeans(nInit=${row.nInit})`,
      metrics: await scoreLabels(c.metrics, truth, pred, zscored, c.seed),
      usedLabels: false,
      ...(components < row.components ? { notes: [`PCA with ${components} components (the subset is too small for ${row.components})`] } : {}),
    };
  }
  const base = resolveMethod(row.method, undefined, c.dataset);
  const overrides = scheduleOverrides(base, c.pretrainEpochs, c.maxIter);
  const method = resolveMethod(row.method, overrides, c.dataset);
  const from = row.sharePretrainingOf ? c.shared.get(row.sharePretrainingOf) : undefined;
  if (row.sharePretrainingOf && !from) throw new DeepclustError(`it starts from the autoencoder of '${row.sharePretrainingOf}', which failed on this seed`);
  if (from && from.key !== pretrainingKey(method)) throw new Error(`reproduce: row '${row.label}' cannot share the pretraining of '${row.sharePretrainingOf}': their architecture or pretraining settings differ`);
  const usedLabels = Boolean(method.pretrain?.snnl?.supervised);
  const fitted = await new DeepClustering({ method: row.method, nClusters: c.k, seed: c.seed, overrides, dataset: c.dataset, runtime: { threads: c.threads } }).fit(c.train.x, {
    imageShape: c.train.imageShape,
    labels: usedLabels ? c.train.labels : undefined,
    pretrained: from?.store,
    onProgress: c.onProgress,
  });
  if (fitted.pretrainedParameters && !from) c.shared.set(row.label, { store: fitted.pretrainedParameters, key: pretrainingKey(fitted.method), seconds: fitted.timings.pretrain ?? 0 });
  const pred = c.evaluation ? await fitted.predict(c.evaluation.x) : fitted.labels;
  const features = needFeatures ? await fitted.transform(scored.x) : undefined;
  return {
    method: fitted.method.name,
    metrics: await scoreLabels(c.metrics, truth, pred, features, c.seed),
    usedLabels,
    timings: fitted.timings,
    pretrainEpochs: fitted.method.pretrain?.epochs,
    maxIter: fitted.method.train?.maxIter ?? null,
    iterations: fitted.iterations,
    stoppedBy: fitted.stoppedBy,
    ...(from ? { pretrainedBy: row.sharePretrainingOf } : {}),
    notes: fitted.method.notes ?? [],
  };
}
