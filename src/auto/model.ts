/**
 * The stored form of a fitted `auto` pipeline without a deep network: fitted preprocessing (PCA
 * included) → optionally a stored-state UMAP → k-means centres or a Gaussian mixture. It assigns
 * new rows, embeds them, and saves to / loads from one folder (`model.json` + `model.safetensors`,
 * sealed and checked as deep models are: src/data/model-integrity.ts).
 *
 * Every step is computed row by row in JavaScript from the stored values, so a row's label depends
 * on that row alone: `predict` on any subset (or permutation) of the training rows returns exactly
 * the labels the fit reported, because the fit's labels are computed by this same path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir } from '../data/atomic.ts';
import { sealModel, verifyModelSeal } from '../data/model-integrity.ts';
import { FittedPreprocessing } from '../data/preprocess.ts';
import { rowArgMax, storedMixtureProba, umapTransform, type StoredGaussianMixture, type StoredUmap } from '../cluster/stored-models.ts';

export { umapTransform };
import { ParameterStore, atomicWrite, loadCheckpoint, saveCheckpoint } from '../engine/index.ts';
import { DataError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';

/** `model.json`'s format tag of an auto model. */
export const AUTO_MODEL_FORMAT = 'deepclust-auto-model-1';
/** `model.json`'s `kind` of an auto model (deep models have none). */
export const AUTO_MODEL_KIND = 'auto';
/** The version of the stored layout (bumped when it changes incompatibly). */
export const AUTO_MODEL_VERSION = 1;

/** The clustering step's stored state. */
export type StoredClusterer =
  | {
      /** Nearest of the k-means centres. */
      readonly kind: 'kmeans';
      /** Centres `[k, d]` (float32). */
      readonly centers: Matrix;
    }
  | {
      /** The most probable component of a Gaussian mixture. */
      readonly kind: 'gmm';
      /** The mixture's parameters (src/cluster/stored-models.ts). */
      readonly mixture: StoredGaussianMixture;
    };

/** What an {@link AutoModel} holds. */
export interface AutoModelState {
  /** Fitted preprocessing (PCA before UMAP included), applied to raw rows first. */
  readonly preprocessing: FittedPreprocessing;
  /** The UMAP as stored training inputs and their coordinates, when the pipeline embeds with UMAP. */
  readonly umap?: StoredUmap;
  /** The clustering step. */
  readonly clusterer: StoredClusterer;
}

/** Checks that rows are finite and as wide as expected (one-line DataErrors). */
export function checkRows(x: Matrix, cols: number, what: string): void {
  if (x.rows < 1) throw new DataError(`${what}: the data is empty (0 rows); pass at least one row`);
  if (x.cols !== cols) throw new DataError(`${what}: the model expects rows of ${cols} features but the data has ${x.cols}; pass rows with the columns of the training data, in the same order`);
  for (let i = 0; i < x.data.length; i++)
    if (!Number.isFinite(x.data[i]!)) throw new DataError(`${what}: the data has a non-finite value (${x.data[i]}) at row ${Math.floor(i / cols) + 1}, column ${(i % cols) + 1}; remove or impute it first`);
}

/** Index of the nearest centre of each row (squared Euclidean, float64; ties: the lower index). */
function nearestCentre(centers: Matrix, z: Matrix): Int32Array {
  const { rows: k, cols: d } = centers;
  const out = new Int32Array(z.rows);
  for (let i = 0; i < z.rows; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) {
        const t = z.data[i * d + a]! - centers.data[j * d + a]!;
        s += t * t;
      }
      if (s < bestD) {
        bestD = s;
        best = j;
      }
    }
    out[i] = best;
  }
  return out;
}

/** A fitted auto pipeline as stored values: preprocessing → (UMAP) → clustering step. */
export class AutoModel {
  /** Fitted preprocessing. */
  readonly preprocessing: FittedPreprocessing;
  /** Stored UMAP (undefined: the clustering step sees the preprocessed features). */
  readonly umap?: StoredUmap;
  /** The clustering step's state. */
  readonly clusterer: StoredClusterer;

  /** @param state - the stored parts (see {@link AutoModelState}) */
  constructor(state: AutoModelState) {
    this.preprocessing = state.preprocessing;
    this.umap = state.umap;
    this.clusterer = state.clusterer;
  }

  /** Width of the raw rows. */
  get nFeatures(): number {
    return this.preprocessing.nInputs;
  }

  /** Number of clusters. */
  get nClusters(): number {
    return this.clusterer.kind === 'kmeans' ? this.clusterer.centers.rows : this.clusterer.mixture.k;
  }

  /** Width of the representation the clustering step sees (UMAP's output, or the preprocessed features). */
  get representationDim(): number {
    return this.umap ? this.umap.coords.cols : this.preprocessing.nOutputs;
  }

  /**
   * Applies the stored preprocessing to raw rows.
   * @throws DataError for another width or non-finite values
   */
  preprocess(x: Matrix, what = 'predict'): Matrix {
    checkRows(x, this.nFeatures, what);
    return this.preprocessing.transform(x, 'the data');
  }

  /**
   * The representation the clustering step sees, of rows already preprocessed: the UMAP transform
   * of the stored state (float64), or the rows themselves.
   */
  representPreprocessed(x: Matrix, what = 'transform'): Matrix {
    checkRows(x, this.preprocessing.nOutputs, what);
    return this.umap ? umapTransform(this.umap, x) : x;
  }

  /** Labels of rows in the clustered representation. */
  assign(z: Matrix): Int32Array {
    return this.clusterer.kind === 'kmeans' ? nearestCentre(this.clusterer.centers, z) : rowArgMax(storedMixtureProba(this.clusterer.mixture, z));
  }

  /** Labels of raw rows. */
  predict(x: Matrix): Int32Array {
    return this.assign(this.representPreprocessed(this.preprocess(x, 'predict'), 'predict'));
  }

  /** The stored tensors (float32), by name. */
  private tensors(): ParameterStore {
    const s = new ParameterStore();
    const f32 = (a: ArrayLike<number>) => (a instanceof Float32Array ? a.slice() : Float32Array.from(a));
    if (this.umap) {
      s.add('umap.inputs', [this.umap.inputs.rows, this.umap.inputs.cols], f32(this.umap.inputs.data), false);
      s.add('umap.coords', [this.umap.coords.rows, this.umap.coords.cols], f32(this.umap.coords.data), false);
    }
    const c = this.clusterer;
    if (c.kind === 'kmeans') s.add('kmeans.centers', [c.centers.rows, c.centers.cols], f32(c.centers.data), false);
    else {
      const m = c.mixture;
      s.add('gmm.precFlat', [m.d, m.k * m.d], f32(m.precFlat), false);
      s.add('gmm.meanProj', [m.k * m.d], f32(m.meanProj), false);
      s.add('gmm.logNorm', [m.k], f32(m.logNorm), false);
    }
    return s;
  }

  /**
   * Saves into `dir`: `model.safetensors` (UMAP state, centres or mixture) then `model.json`
   * (kind, version, the preprocessing with its statistics, the layout, and `meta`), sealed with
   * both files' checksums.
   */
  save(dir: string, meta: Record<string, unknown> = {}): void {
    ensureDir(dir);
    saveCheckpoint(join(dir, 'model.safetensors'), this.tensors());
    const json = {
      format: AUTO_MODEL_FORMAT,
      kind: AUTO_MODEL_KIND,
      version: AUTO_MODEL_VERSION,
      ...meta,
      nFeatures: this.nFeatures,
      nClusters: this.nClusters,
      preprocessing: this.preprocessing.toJSON(),
      umap: this.umap ? { storedRows: this.umap.inputs.rows, nNeighbors: this.umap.nNeighbors, nComponents: this.umap.coords.cols } : null,
      clusterer: { kind: this.clusterer.kind, k: this.nClusters, d: this.representationDim },
    };
    atomicWrite(join(dir, 'model.json'), `${JSON.stringify(sealModel(dir, json), null, 2)}\n`);
  }

  /**
   * Loads a folder written by {@link AutoModel.save}, checking its seal and that model.json and
   * the tensors agree.
   * @returns the model and model.json's content
   * @throws DataError naming the file and what is wrong (missing, edited, another format…)
   */
  static load(dir: string): { model: AutoModel; meta: Record<string, unknown> } {
    const jsonPath = join(dir, 'model.json');
    if (!existsSync(jsonPath)) throw new DataError(`'${dir}' is not a deepclust model directory (no model.json); pass the --out directory of a 'deepclust fit' run`);
    let meta: Record<string, unknown>;
    try {
      meta = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>;
    } catch {
      throw new DataError(`'${jsonPath}' is not valid JSON (corrupt model); copy the model folder again, or refit`);
    }
    if (meta?.kind !== AUTO_MODEL_KIND || meta.format !== AUTO_MODEL_FORMAT) throw new DataError(`'${jsonPath}' is not an auto model (kind ${JSON.stringify(meta?.kind)}, format ${JSON.stringify(meta?.format)}); load a deep model with FittedDeepClustering.load`);
    if (meta.version !== AUTO_MODEL_VERSION) throw new DataError(`'${jsonPath}' has auto model version ${JSON.stringify(meta.version)}, this deepclust reads version ${AUTO_MODEL_VERSION}; refit with this version`);
    verifyModelSeal(dir, meta);
    const bad = (what: string) => new DataError(`'${jsonPath}' and model.safetensors disagree (${what}); copy the model folder again, or refit`);
    const preprocessing = FittedPreprocessing.fromJSON(meta.preprocessing, `'${jsonPath}'`);
    const { store } = loadCheckpoint(join(dir, 'model.safetensors'));
    const tensor = (name: string, shape: readonly (number | undefined)[]): Matrix & { shape: readonly number[] } => {
      if (!store.has(name)) throw bad(`no tensor '${name}'`);
      const t = store.get(name);
      if (t.shape.length !== shape.length || shape.some((s, i) => s !== undefined && s !== t.shape[i])) throw bad(`'${name}' has shape [${t.shape.join(', ')}], expected [${shape.map((s) => s ?? '·').join(', ')}]`);
      return { data: Float32Array.from(t.data), rows: t.shape[0]!, cols: t.shape[1] ?? 1, shape: t.shape };
    };
    const cl = meta.clusterer as { kind?: unknown; k?: unknown; d?: unknown } | undefined;
    const k = cl?.k;
    const d = cl?.d;
    if (!cl || (cl.kind !== 'kmeans' && cl.kind !== 'gmm') || !Number.isInteger(k) || (k as number) < 1 || !Number.isInteger(d) || (d as number) < 1) throw bad('its clusterer field is damaged');
    const u = meta.umap as { storedRows?: unknown; nNeighbors?: unknown; nComponents?: unknown } | null | undefined;
    let umap: StoredUmap | undefined;
    if (u) {
      if (!Number.isInteger(u.storedRows) || !Number.isInteger(u.nNeighbors) || (u.nNeighbors as number) < 1 || u.nComponents !== d) throw bad('its umap field is damaged');
      const inputs = tensor('umap.inputs', [u.storedRows as number, preprocessing.nOutputs]);
      const coords = tensor('umap.coords', [u.storedRows as number, d as number]);
      umap = { inputs: { data: inputs.data, rows: inputs.rows, cols: inputs.cols }, coords: { data: coords.data, rows: coords.rows, cols: coords.cols }, nNeighbors: u.nNeighbors as number };
    } else if (d !== preprocessing.nOutputs) throw bad(`the clustering step takes ${d as number} columns but the preprocessing gives ${preprocessing.nOutputs}`);
    let clusterer: StoredClusterer;
    if (cl.kind === 'kmeans') {
      const c = tensor('kmeans.centers', [k as number, d as number]);
      clusterer = { kind: 'kmeans', centers: { data: c.data, rows: c.rows, cols: c.cols } };
    } else {
      const kk = k as number;
      const dd = d as number;
      clusterer = { kind: 'gmm', mixture: { k: kk, d: dd, precFlat: tensor('gmm.precFlat', [dd, kk * dd]).data as Float32Array, meanProj: tensor('gmm.meanProj', [kk * dd]).data as Float32Array, logNorm: tensor('gmm.logNorm', [kk]).data as Float32Array } };
    }
    if (meta.nFeatures !== preprocessing.nInputs || meta.nClusters !== k) throw bad('nFeatures or nClusters');
    return { model: new AutoModel({ preprocessing, umap, clusterer }), meta };
  }
}

/** Whether a model folder's model.json is an auto model (false when it is missing or unreadable: the loader then says why). */
export function isAutoModel(dir: string): boolean {
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { kind?: unknown };
    return meta?.kind === AUTO_MODEL_KIND;
  } catch {
    return false;
  }
}
