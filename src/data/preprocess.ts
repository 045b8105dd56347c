/**
 * Explicit preprocessing: each step has a stable name that is recorded, in order, in
 * `Dataset.preprocessing` (and so in every result file).
 *
 * Data-dependent steps (standardize, minmax, unit-energy, pca, pca-whiten) are *fitted*: a
 * {@link FittedPreprocessing} holds the statistics learned on the training rows, so the same
 * transformation can be applied to new rows (`predict`, `embed`), saved with a model
 * ({@link FittedPreprocessing.toJSON}) and baked into an exported ONNX graph
 * ({@link FittedPreprocessing.appendToGraph}).
 */
import { DataError, ParamError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { symmetricEigen } from '../cluster/shared.ts';
import { type Tensor, add, greater, log, matmul, mul, reduceSum, sqrt, sub, where, div, maximum } from '../engine/index.ts';

/** Every preprocessing step by its stable name, with what it does. */
export const PREPROCESSING: Readonly<Record<string, string>> = {
  none: 'nothing (keeps the values as stored in the files; use alone to drop a data set\'s default)',
  scale255: 'divide by 255: 8-bit pixels to [0, 1] (refused on data already in [0, 1])',
  'dec-mnist': 'multiply raw pixels (0..255) by 0.02, as the original DEC and IDEC code do for MNIST',
  div2: 'divide by 2, as the DEC/IDEC/N2D code do for USPS (.jf values in [0, 2] to [0, 1])',
  'pm1-to-01': 'map [-1, 1] to [0, 1]: (x + 1) / 2 (the ESL USPS files; refused on data already in [0, 1])',
  'unit-energy': 'one global factor so that the mean of ‖x‖²/d over rows is 1 (the DEC/IDEC papers\' normalisation; the factor is fitted)',
  'row-unit-energy': 'each row scaled to ‖x‖²/d = 1 (L2-normalise then ×√d, as DEC\'s Reuters script)',
  standardize: 'each feature to zero mean and unit variance (constant features become 0; mean and std are fitted)',
  center: 'each feature to zero mean, all divided by one common factor (the root of the mean feature variance): the features keep their relative units, so k-means sees what it would on the raw values (constant features become 0; means and the factor are fitted)',
  minmax: 'each feature to [0, 1] (constant features become 0; min and max are fitted)',
  l2: 'each row to unit L2 norm (zero rows stay zero)',
  log1p: 'log(1 + x) of every value (counts, skewed features; refused on values <= -1)',
  pca: 'project on the top principal components (pca:<n> keeps n, default min(50, d)); mean and axes are fitted',
  'pca-whiten': 'pca, then each component scaled to unit variance (pca-whiten:<n>)',
};

/** The names of {@link PREPROCESSING}. */
export type PreprocessingStep = keyof typeof PREPROCESSING;

const PARAMETRIC = /^(pca|pca-whiten):(\d+)$/;

/** Splits `pca:20` into its base name and count; other names have no count. */
function parseStep(s: string): { base: string; n?: number } {
  const m = PARAMETRIC.exec(s);
  return m ? { base: m[1]!, n: Number(m[2]) } : { base: s };
}

/**
 * Checks a list of step names (as given to `--preprocess`).
 * @returns the steps without `none`
 * @throws ParamError naming an unknown step and listing the known ones
 */
export function checkPreprocessing(steps: readonly string[]): string[] {
  for (const s of steps) {
    const { base, n } = parseStep(s);
    if (!(base in PREPROCESSING)) throw new ParamError(`unknown preprocessing step '${s}'; choose from ${Object.keys(PREPROCESSING).join(', ')} (comma-separated)`);
    if (n !== undefined && n < 1) throw new ParamError(`preprocessing '${s}' must keep at least 1 component, e.g. ${base}:20`);
  }
  if (steps.includes('none') && steps.length > 1) throw new ParamError(`preprocessing 'none' cannot be combined with other steps (got ${steps.join(',')})`);
  return steps.filter((s) => s !== 'none');
}

/** One fitted step: its name and the statistics it learned (plain numbers, JSON-safe). */
export type FittedStep =
  | {
      /** A step without statistics (its value range is still checked). */
      readonly step: 'scale255' | 'dec-mnist' | 'div2' | 'pm1-to-01' | 'l2' | 'row-unit-energy' | 'log1p';
    }
  | {
      /** One global factor. */
      readonly step: 'unit-energy';
      /** The factor that gives the training rows a mean ‖x‖²/d of 1. */
      readonly factor: number;
    }
  | {
      /** Per-feature zero mean, with unit variance (`standardize`) or one common factor (`center`). */
      readonly step: 'standardize' | 'center';
      /** Per-feature mean. */
      readonly mean: number[];
      /** Per-feature 1/std for `standardize`; one common 1/rms for `center` (0 for a constant feature). */
      readonly scale: number[];
    }
  | {
      /** Per-feature [0, 1]. */
      readonly step: 'minmax';
      /** Per-feature minimum. */
      readonly min: number[];
      /** Per-feature 1/(max − min) (0 for a constant feature). */
      readonly scale: number[];
    }
  | {
      /** Projection on principal components (whitened or not). */
      readonly step: 'pca' | 'pca-whiten';
      /** Per-feature mean subtracted first. */
      readonly mean: number[];
      /** Principal axes, `[nComponents, d]` row-major. */
      readonly components: number[];
      /** Components kept. */
      readonly nComponents: number;
      /** Factor of each component (1/√variance when whitening, else 1). */
      readonly scale: number[];
    };

/** What fitting a preprocessing chain returns. */
export interface FitResult {
  /** The fitted chain. */
  readonly fitted: FittedPreprocessing;
  /** The transformed rows. */
  readonly x: Matrix;
}

/** The JSON form of a {@link FittedPreprocessing} (stored in a model's model.json). */
export interface FittedPreprocessingJSON {
  /** Always `deepclust-preprocessing-1`. */
  readonly format: 'deepclust-preprocessing-1';
  /** Width of the raw rows the steps take. */
  readonly nInputs: number;
  /** The steps in order with their statistics. */
  readonly steps: readonly FittedStep[];
}

/** Range of the values of a buffer. */
function range(x: ArrayLike<number>): { lo: number; hi: number; fractional: boolean } {
  let lo = Infinity;
  let hi = -Infinity;
  let fractional = false;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (!fractional && v !== Math.round(v)) fractional = true;
  }
  return { lo, hi, fractional };
}

/**
 * A fitted chain of preprocessing steps: applies to new rows exactly what was done to the
 * training rows (the statistics are not recomputed), saves to and loads from JSON, and appends
 * itself to an ONNX graph.
 * @example
 * ```ts
 * const { fitted, x: xt } = FittedPreprocessing.fit(train, ['standardize']);
 * const same = fitted.transform(someTrainingRows);   // identical values to those rows of xt
 * FittedPreprocessing.fromJSON(JSON.parse(JSON.stringify(fitted.toJSON())));
 * ```
 */
export class FittedPreprocessing {
  private constructor(
    /** Width of the raw rows. */
    readonly nInputs: number,
    /** The fitted steps in order. */
    readonly steps: readonly FittedStep[],
  ) {}

  /** Width of the transformed rows (smaller than `nInputs` after `pca:<n>`). */
  get nOutputs(): number {
    let d = this.nInputs;
    for (const s of this.steps) if (s.step === 'pca' || s.step === 'pca-whiten') d = s.nComponents;
    return d;
  }

  /** The step names, as recorded in `Dataset.preprocessing` (`pca:<n>` with its count). */
  get names(): string[] {
    return this.steps.map((s) => (s.step === 'pca' || s.step === 'pca-whiten' ? `${s.step}:${s.nComponents}` : s.step));
  }

  /** True when no step needs statistics (the steps alone describe the transformation). */
  get stateless(): boolean {
    return this.steps.every((s) => !('mean' in s || 'factor' in s || 'min' in s));
  }

  /** The identity on rows of `nInputs` features. */
  static identity(nInputs: number): FittedPreprocessing {
    return new FittedPreprocessing(nInputs, []);
  }

  /**
   * Fits the steps on `x`, applying each in turn (each step's statistics are fitted on the output
   * of the previous one).
   * @param steps - names from {@link PREPROCESSING} (`none` alone: nothing)
   * @param options.inPlace - overwrite `x.data` when it is a Float32Array and no step changes the
   *   width (only for data you own)
   * @param options.name - the data set's name, for error messages
   * @param options.done - steps already applied before these (for `dec-mnist`'s check)
   * @returns the fitted chain and the transformed rows
   * @throws ParamError for an unknown step; DataError when a step's assumption on the value range
   *   does not hold (e.g. `scale255` on data already in [0, 1], `log1p` on values <= -1)
   */
  static fit(x: Matrix, steps: readonly string[], options: { inPlace?: boolean; name?: string; done?: readonly string[] } = {}): FitResult {
    const todo = checkPreprocessing(steps);
    const name = options.name ?? 'the data';
    let rows = x.rows;
    let cols = x.cols;
    let data: Float32Array = options.inPlace && x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
    const fitted: FittedStep[] = [];
    const done = [...(options.done ?? [])];
    for (const s of todo) {
      const st = fitStep(s, data, rows, cols, done, name);
      data = applyStep(st, data, rows, cols, name);
      if (st.step === 'pca' || st.step === 'pca-whiten') cols = st.nComponents;
      fitted.push(st);
      done.push(s);
    }
    rows = x.rows;
    return { fitted: new FittedPreprocessing(x.cols, fitted), x: { data, rows, cols } };
  }

  /**
   * As {@link FittedPreprocessing.fit}, but PCA steps use src/cluster's PCA (randomized on wide
   * data, onnxruntime kernels): for rows of thousands of features (images), where the exact
   * covariance of `fit` would be too large.
   */
  static async fitAsync(x: Matrix, steps: readonly string[], options: { name?: string; seed?: number; threads?: number } = {}): Promise<FitResult> {
    const todo = checkPreprocessing(steps);
    const name = options.name ?? 'the data';
    let cols = x.cols;
    let data: Float32Array = Float32Array.from(x.data);
    const fitted: FittedStep[] = [];
    const done: string[] = [];
    for (const s of todo) {
      const { base, n } = parseStep(s);
      let st: FittedStep;
      if (base === 'pca' || base === 'pca-whiten') {
        const p = n ?? Math.min(50, cols, x.rows - 1);
        if (p > Math.min(cols, x.rows - 1)) throw new DataError(`preprocessing '${base}:${p}' keeps more components than '${name}' allows (at most min(d, n − 1) = ${Math.min(cols, x.rows - 1)}); use ${base}:${Math.min(cols, x.rows - 1)} or fewer`);
        const { PCA } = await import('../cluster/pca.ts');
        const pca = await new PCA({ nComponents: p, seed: options.seed ?? 0, threads: options.threads }).fit({ data, rows: x.rows, cols });
        const ev = pca.explainedVariance;
        st = { step: base, mean: Array.from(pca.mean), components: Array.from(pca.components.data), nComponents: p, scale: Array.from({ length: p }, (_, c) => (base === 'pca-whiten' ? (ev[c]! > 1e-12 ? 1 / Math.sqrt(ev[c]!) : 0) : 1)) };
      } else st = fitStep(s, data, x.rows, cols, done, name);
      data = applyStep(st, data, x.rows, cols, name);
      if (st.step === 'pca' || st.step === 'pca-whiten') cols = st.nComponents;
      fitted.push(st);
      done.push(s);
    }
    return { fitted: new FittedPreprocessing(x.cols, fitted), x: { data, rows: x.rows, cols } };
  }

  /**
   * Applies the fitted steps to new rows with the stored statistics (a new array; `x` is kept).
   * @throws DataError when the rows have another width than the training rows, or values outside
   *   a step's domain (e.g. above 255 for `scale255`)
   */
  transform(x: Matrix, name = 'the data'): Matrix {
    if (x.cols !== this.nInputs) throw new DataError(`the preprocessing was fitted on rows of ${this.nInputs} features, but ${name} has ${x.cols}; pass raw data of the same kind as the training data`);
    let data: Float32Array = Float32Array.from(x.data);
    let cols = x.cols;
    for (const st of this.steps) {
      data = applyStep(st, data, x.rows, cols, name);
      if (st.step === 'pca' || st.step === 'pca-whiten') cols = st.nComponents;
    }
    return { data, rows: x.rows, cols };
  }

  /** The JSON form (every statistic as a plain number; float64 values round-trip exactly). */
  toJSON(): FittedPreprocessingJSON {
    return { format: 'deepclust-preprocessing-1', nInputs: this.nInputs, steps: this.steps.map((s) => ({ ...s })) };
  }

  /**
   * Reads the JSON form back, checking every field.
   * @throws DataError naming the first malformed field
   */
  static fromJSON(json: unknown, where = 'the model'): FittedPreprocessing {
    const bad = (what: string) => new DataError(`${where}: the stored preprocessing is corrupt (${what}); re-run 'deepclust fit'`);
    if (!json || typeof json !== 'object') throw bad('not an object');
    const j = json as Partial<FittedPreprocessingJSON>;
    if (j.format !== 'deepclust-preprocessing-1') throw bad(`unknown format ${JSON.stringify(j.format)}`);
    if (!Number.isInteger(j.nInputs) || j.nInputs! < 1) throw bad('nInputs');
    if (!Array.isArray(j.steps)) throw bad('steps');
    let d = j.nInputs!;
    const nums = (v: unknown, len: number, field: string): number[] => {
      if (!Array.isArray(v) || v.length !== len || !v.every((e) => typeof e === 'number' && Number.isFinite(e))) throw bad(`${field} must be ${len} finite numbers`);
      return v as number[];
    };
    const steps: FittedStep[] = j.steps.map((s: unknown, i) => {
      const o = s as Record<string, unknown>;
      const step = o?.step;
      switch (step) {
        case 'scale255':
        case 'dec-mnist':
        case 'div2':
        case 'pm1-to-01':
        case 'l2':
        case 'row-unit-energy':
        case 'log1p':
          return { step };
        case 'unit-energy':
          if (typeof o.factor !== 'number' || !Number.isFinite(o.factor)) throw bad(`step ${i + 1} factor`);
          return { step, factor: o.factor };
        case 'standardize':
        case 'center':
        case 'minmax':
          return step !== 'minmax' ? { step, mean: nums(o.mean, d, `step ${i + 1} mean`), scale: nums(o.scale, d, `step ${i + 1} scale`) } : { step, min: nums(o.min, d, `step ${i + 1} min`), scale: nums(o.scale, d, `step ${i + 1} scale`) };
        case 'pca':
        case 'pca-whiten': {
          const p = o.nComponents as number;
          if (!Number.isInteger(p) || p < 1 || p > d) throw bad(`step ${i + 1} nComponents`);
          const out = { step, mean: nums(o.mean, d, `step ${i + 1} mean`), components: nums(o.components, p * d, `step ${i + 1} components`), nComponents: p, scale: nums(o.scale, p, `step ${i + 1} scale`) };
          d = p;
          return out;
        }
        default:
          throw bad(`step ${i + 1} is ${JSON.stringify(step)}`);
      }
    });
    return new FittedPreprocessing(j.nInputs!, steps);
  }

  /**
   * Appends the steps as ONNX nodes after `x` (`[batch, nInputs]`, float32) and returns the
   * transformed tensor (`[batch, nOutputs]`), so an exported model takes raw features. The graph
   * computes in float32, so values agree with {@link transform} to about 1e-6 relative.
   */
  appendToGraph(x: Tensor): Tensor {
    const g = x.graph;
    let t = x;
    let d = this.nInputs;
    for (const st of this.steps) {
      switch (st.step) {
        case 'scale255':
          t = mul(t, 1 / 255);
          break;
        case 'dec-mnist':
          t = mul(t, 0.02);
          break;
        case 'div2':
          t = mul(t, 0.5);
          break;
        case 'pm1-to-01':
          t = mul(add(t, 1), 0.5);
          break;
        case 'unit-energy':
          t = mul(t, st.factor);
          break;
        case 'log1p':
          t = log(add(t, 1));
          break;
        case 'l2':
        case 'row-unit-energy': {
          const norm = sqrt(reduceSum(mul(t, t), [1], true));
          const target = st.step === 'l2' ? 1 : Math.sqrt(d);
          t = mul(t, where(greater(norm, 0), div(target, maximum(norm, 1e-30)), 0));
          break;
        }
        case 'standardize':
        case 'center':
          t = mul(sub(t, g.constant(st.mean, [1, d], 'float32')), g.constant(st.scale, [1, d], 'float32'));
          break;
        case 'minmax':
          t = mul(sub(t, g.constant(st.min, [1, d], 'float32')), g.constant(st.scale, [1, d], 'float32'));
          break;
        case 'pca':
        case 'pca-whiten': {
          const p = st.nComponents;
          const wT = new Array<number>(d * p);
          for (let c = 0; c < p; c++) for (let f = 0; f < d; f++) wT[f * p + c] = st.components[c * d + f]! * st.scale[c]!;
          t = matmul(sub(t, g.constant(st.mean, [1, d], 'float32')), g.constant(wT, [d, p], 'float32'));
          d = p;
          break;
        }
      }
    }
    return t;
  }
}

/** Fits one step's statistics on `x` (`rows × cols`), checking its value-range assumption. */
function fitStep(s: string, x: Float32Array, rows: number, cols: number, done: readonly string[], name: string): FittedStep {
  const { base, n } = parseStep(s);
  switch (base) {
    case 'scale255': {
      const r = range(x);
      if (r.lo < 0 || r.hi > 255) throw new DataError(`preprocessing 'scale255' divides 8-bit pixels (0..255) by 255, but '${name}' has values in [${r.lo}, ${r.hi}]; use minmax or standardize instead`);
      if (r.hi <= 1 && r.fractional) throw new DataError(`preprocessing 'scale255' would shrink '${name}' 255-fold, but its values are already in [0, 1] (max ${r.hi}); drop scale255 (--preprocess none)`);
      return { step: 'scale255' };
    }
    case 'dec-mnist': {
      const scaled = done.filter((d) => !d.startsWith('limit(') && d !== 'dec-mnist');
      const { hi } = range(x);
      if (scaled.length || hi > 255 || hi <= 1)
        throw new DataError(
          `preprocessing 'dec-mnist' multiplies raw pixels (0..255) by 0.02, but '${name}' ${scaled.length ? `was already preprocessed (${scaled.join(', ')})` : `has values up to ${hi}`}; use --preprocess dec-mnist alone on an 8-bit image data set`,
        );
      return { step: 'dec-mnist' };
    }
    case 'pm1-to-01': {
      const r = range(x);
      if (r.lo < -1 || r.hi > 1) throw new DataError(`preprocessing 'pm1-to-01' maps [-1, 1] to [0, 1], but '${name}' has values in [${r.lo}, ${r.hi}]; use minmax instead`);
      if (r.lo >= 0) throw new DataError(`preprocessing 'pm1-to-01' maps [-1, 1] to [0, 1], but '${name}' is already in [0, 1] (no negative value); drop pm1-to-01`);
      return { step: 'pm1-to-01' };
    }
    case 'log1p': {
      const r = range(x);
      if (r.lo <= -1) throw new DataError(`preprocessing 'log1p' needs values > -1 (counts, amounts), but '${name}' has values down to ${r.lo}; use standardize instead`);
      return { step: 'log1p' };
    }
    case 'div2':
    case 'l2':
    case 'row-unit-energy':
      return { step: base };
    case 'unit-energy': {
      let sq = 0;
      for (let i = 0; i < x.length; i++) sq += x[i]! * x[i]!;
      return { step: 'unit-energy', factor: sq > 0 ? Math.sqrt((rows * cols) / sq) : 1 };
    }
    case 'standardize':
    case 'center':
    case 'minmax': {
      const mean = new Float64Array(cols);
      const m2 = new Float64Array(cols);
      const lo = new Float64Array(cols).fill(Infinity);
      const hi = new Float64Array(cols).fill(-Infinity);
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        for (let c = 0; c < cols; c++) {
          const v = x[o + c]!;
          mean[c]! += v;
          if (v < lo[c]!) lo[c] = v;
          if (v > hi[c]!) hi[c] = v;
        }
      }
      for (let c = 0; c < cols; c++) mean[c]! /= rows;
      if (base === 'minmax') return { step: 'minmax', min: Array.from(lo), scale: Array.from(lo, (l, c) => (hi[c]! > l ? 1 / (hi[c]! - l) : 0)) };
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        for (let c = 0; c < cols; c++) m2[c]! += (x[o + c]! - mean[c]!) ** 2;
      }
      if (base === 'standardize') return { step: 'standardize', mean: Array.from(mean), scale: Array.from(m2, (s) => (s > 0 ? 1 / Math.sqrt(s / rows) : 0)) };
      // one factor for every feature: the root of the mean variance of the non-constant features
      let varSum = 0;
      let varying = 0;
      for (const s of m2)
        if (s > 0) {
          varSum += s / rows;
          varying++;
        }
      const common = varying > 0 ? 1 / Math.sqrt(varSum / varying) : 0;
      return { step: 'center', mean: Array.from(mean), scale: Array.from(m2, (s) => (s > 0 ? common : 0)) };
    }
    case 'pca':
    case 'pca-whiten':
      return fitPca(base, n, x, rows, cols, name);
  }
  throw new ParamError(`unknown preprocessing step '${s}'`);
}

/** Exact PCA from the covariance matrix (float64), scikit-learn's sign convention not needed here. */
function fitPca(step: 'pca' | 'pca-whiten', n: number | undefined, x: Float32Array, rows: number, cols: number, name: string): FittedStep {
  const p = n ?? Math.min(50, cols, rows - 1);
  if (rows < 2) throw new DataError(`preprocessing '${step}' needs at least 2 rows, '${name}' has ${rows}`);
  if (p > Math.min(cols, rows - 1)) throw new DataError(`preprocessing '${step}:${p}' keeps more components than '${name}' allows (at most min(d, n − 1) = ${Math.min(cols, rows - 1)}); use ${step}:${Math.min(cols, rows - 1)} or fewer`);
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c]! += x[r * cols + c]!;
  for (let c = 0; c < cols; c++) mean[c]! /= rows;
  const cov = new Float64Array(cols * cols);
  const xc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) xc[c] = x[o + c]! - mean[c]!;
    for (let a = 0; a < cols; a++) {
      const va = xc[a]!;
      if (va === 0) continue;
      const row = a * cols;
      for (let b = a; b < cols; b++) cov[row + b]! += va * xc[b]!;
    }
  }
  for (let a = 0; a < cols; a++)
    for (let b = a; b < cols; b++) {
      const v = cov[a * cols + b]! / (rows - 1);
      cov[a * cols + b] = v;
      cov[b * cols + a] = v;
    }
  const { values, vectors } = symmetricEigen(cov, cols);
  const components: number[] = new Array(p * cols);
  for (let c = 0; c < p; c++) {
    // deterministic sign: the largest-magnitude loading is positive
    let big = 0;
    for (let f = 0; f < cols; f++) if (Math.abs(vectors[f * cols + c]!) > Math.abs(big)) big = vectors[f * cols + c]!;
    const sgn = big < 0 ? -1 : 1;
    for (let f = 0; f < cols; f++) components[c * cols + f] = sgn * vectors[f * cols + c]!;
  }
  const scale = Array.from({ length: p }, (_, c) => (step === 'pca-whiten' ? (values[c]! > 1e-12 ? 1 / Math.sqrt(values[c]!) : 0) : 1));
  return { step, mean: Array.from(mean), components, nComponents: p, scale };
}

/** Applies one fitted step to `x` (in place when the width stays; a new array for PCA). */
function applyStep(st: FittedStep, x: Float32Array, rows: number, cols: number, name: string): Float32Array {
  const scaleAll = (f: number, addend = 0) => {
    for (let i = 0; i < x.length; i++) x[i] = (x[i]! + addend) * f;
  };
  switch (st.step) {
    case 'scale255': {
      const r = range(x);
      if (r.lo < 0 || r.hi > 255) throw new DataError(`the preprocessing 'scale255' expects 8-bit pixels (0..255), but ${name} has values in [${r.lo}, ${r.hi}]; pass raw data of the same kind as the training data`);
      scaleAll(1 / 255);
      return x;
    }
    case 'dec-mnist':
      scaleAll(0.02);
      return x;
    case 'div2':
      scaleAll(0.5);
      return x;
    case 'pm1-to-01': {
      const r = range(x);
      if (r.lo < -1 || r.hi > 1) throw new DataError(`the preprocessing 'pm1-to-01' expects values in [-1, 1], but ${name} has values in [${r.lo}, ${r.hi}]; pass raw data of the same kind as the training data`);
      scaleAll(0.5, 1);
      return x;
    }
    case 'unit-energy':
      scaleAll(st.factor);
      return x;
    case 'log1p': {
      for (let i = 0; i < x.length; i++) {
        if (x[i]! <= -1) throw new DataError(`the preprocessing 'log1p' needs values > -1, but ${name} has ${x[i]} at row ${Math.floor(i / cols) + 1}, column ${(i % cols) + 1}`);
        x[i] = Math.log1p(x[i]!);
      }
      return x;
    }
    case 'l2':
    case 'row-unit-energy': {
      const target = st.step === 'l2' ? 1 : Math.sqrt(cols);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        const o = r * cols;
        for (let c = 0; c < cols; c++) s += x[o + c]! * x[o + c]!;
        const f = s > 0 ? target / Math.sqrt(s) : 0;
        for (let c = 0; c < cols; c++) x[o + c]! *= f;
      }
      return x;
    }
    case 'standardize':
    case 'center':
    case 'minmax': {
      const shift = st.step === 'minmax' ? st.min : st.mean;
      const scale = st.scale;
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        for (let c = 0; c < cols; c++) x[o + c] = (x[o + c]! - shift[c]!) * scale[c]!;
      }
      return x;
    }
    case 'pca':
    case 'pca-whiten': {
      const p = st.nComponents;
      const out = new Float32Array(rows * p);
      const xc = new Float64Array(cols);
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        for (let c = 0; c < cols; c++) xc[c] = x[o + c]! - st.mean[c]!;
        for (let j = 0; j < p; j++) {
          let s = 0;
          const w = j * cols;
          for (let c = 0; c < cols; c++) s += xc[c]! * st.components[w + c]!;
          out[r * p + j] = s * st.scale[j]!;
        }
      }
      return out;
    }
  }
}
