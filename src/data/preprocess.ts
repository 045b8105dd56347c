/**
 * Explicit preprocessing: each step has a stable name that is recorded, in order, in
 * `Dataset.preprocessing` (and so in every result file).
 */
import { DataError, ParamError } from '../errors.ts';
import type { Dataset } from './types.ts';

/** Every preprocessing step by its stable name, with what it does. */
export const PREPROCESSING: Readonly<Record<string, string>> = {
  none: 'nothing (keeps the values as stored in the files; use alone to drop a data set\'s default)',
  scale255: 'divide by 255: 8-bit pixels to [0, 1]',
  'dec-mnist': 'multiply raw pixels (0..255) by 0.02, as the original DEC and IDEC code do for MNIST',
  div2: 'divide by 2, as the DEC/IDEC/N2D code do for USPS (.jf values in [0, 2] to [0, 1])',
  'pm1-to-01': 'map [-1, 1] to [0, 1]: (x + 1) / 2 (the ESL USPS files)',
  'unit-energy': 'one global factor so that the mean of ‖x‖²/d over rows is 1 (the DEC/IDEC papers\' normalisation)',
  'row-unit-energy': 'each row scaled to ‖x‖²/d = 1 (L2-normalise then ×√d, as DEC\'s Reuters script)',
  standardize: 'each feature to zero mean and unit variance (constant features become 0)',
  minmax: 'each feature to [0, 1] (constant features become 0)',
  l2: 'each row to unit L2 norm (zero rows stay zero)',
};

/** The names of {@link PREPROCESSING}. */
export type PreprocessingStep = keyof typeof PREPROCESSING;

/**
 * Checks a list of step names (as given to `--preprocess`).
 * @returns the steps without `none`
 * @throws ParamError naming an unknown step and listing the known ones
 */
export function checkPreprocessing(steps: readonly string[]): string[] {
  for (const s of steps)
    if (!(s in PREPROCESSING)) throw new ParamError(`unknown preprocessing step '${s}'; choose from ${Object.keys(PREPROCESSING).join(', ')} (comma-separated)`);
  if (steps.includes('none') && steps.length > 1) throw new ParamError(`preprocessing 'none' cannot be combined with other steps (got ${steps.join(',')})`);
  return steps.filter((s) => s !== 'none');
}

/**
 * Applies one preprocessing step, returning a new data set (the input is not modified) whose
 * `preprocessing` list ends with `step`.
 * @param ds - the data set
 * @param step - a name from {@link PREPROCESSING}
 * @throws ParamError for an unknown step; DataError when `dec-mnist` is applied to values that
 *   are not raw 0..255 pixels
 */
export function preprocess(ds: Dataset, step: string): Dataset {
  return applyPreprocessing(ds, [step]);
}

/**
 * Applies steps in order (see {@link preprocess}).
 * @param inPlace - overwrite `ds.x.data` instead of copying (only for a data set you own; the
 *   loader uses it to avoid a copy of large data sets)
 */
export function applyPreprocessing(ds: Dataset, steps: readonly string[], inPlace = false): Dataset {
  const todo = checkPreprocessing(steps);
  if (!todo.length) return ds;
  const { rows, cols } = ds.x;
  const x = inPlace && ds.x.data instanceof Float32Array ? ds.x.data : Float32Array.from(ds.x.data);
  const done = [...ds.preprocessing];
  for (const step of todo) {
    run(step, x, rows, cols, done, ds.name);
    done.push(step);
  }
  return { ...ds, x: { data: x, rows, cols }, preprocessing: done };
}

function scaleAll(x: Float32Array, f: number, add = 0): void {
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! + add) * f;
}

function run(step: string, x: Float32Array, rows: number, cols: number, done: readonly string[], name: string): void {
  switch (step) {
    case 'scale255':
      scaleAll(x, 1 / 255);
      return;
    case 'dec-mnist': {
      const scaled = done.filter((s) => !s.startsWith('limit(') && s !== 'dec-mnist');
      let max = 0;
      for (let i = 0; i < x.length; i++) if (x[i]! > max) max = x[i]!;
      if (scaled.length || max > 255 || max <= 1)
        throw new DataError(
          `preprocessing 'dec-mnist' multiplies raw pixels (0..255) by 0.02, but '${name}' ${scaled.length ? `was already preprocessed (${scaled.join(', ')})` : `has values up to ${max}`}; use --preprocess dec-mnist alone on an 8-bit image data set`,
        );
      scaleAll(x, 0.02);
      return;
    }
    case 'div2':
      scaleAll(x, 0.5);
      return;
    case 'pm1-to-01':
      scaleAll(x, 0.5, 1);
      return;
    case 'unit-energy': {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
      if (s > 0) scaleAll(x, Math.sqrt((rows * cols) / s));
      return;
    }
    case 'l2':
    case 'row-unit-energy': {
      const target = step === 'l2' ? 1 : Math.sqrt(cols);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        const o = r * cols;
        for (let c = 0; c < cols; c++) s += x[o + c]! * x[o + c]!;
        const f = s > 0 ? target / Math.sqrt(s) : 0;
        for (let c = 0; c < cols; c++) x[o + c]! *= f;
      }
      return;
    }
    case 'standardize':
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
      if (step === 'standardize') {
        for (let r = 0; r < rows; r++) {
          const o = r * cols;
          for (let c = 0; c < cols; c++) m2[c]! += (x[o + c]! - mean[c]!) ** 2;
        }
        const inv = Float64Array.from(m2, (s) => (s > 0 ? 1 / Math.sqrt(s / rows) : 0));
        for (let r = 0; r < rows; r++) {
          const o = r * cols;
          for (let c = 0; c < cols; c++) x[o + c] = (x[o + c]! - mean[c]!) * inv[c]!;
        }
      } else {
        for (let r = 0; r < rows; r++) {
          const o = r * cols;
          for (let c = 0; c < cols; c++) x[o + c] = hi[c]! > lo[c]! ? (x[o + c]! - lo[c]!) / (hi[c]! - lo[c]!) : 0;
        }
      }
      return;
    }
  }
}
