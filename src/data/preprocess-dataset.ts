/**
 * Preprocessing of whole data sets: fits the steps of preprocess.ts on a {@link Dataset}, applies
 * them and records them in its `preprocessing` list (kept apart from preprocess.ts, which the
 * Dataset type refers to for its fitted chain).
 */
import { FittedPreprocessing, checkPreprocessing } from './preprocess.ts';
import type { Dataset } from './types.ts';

/** What {@link fitPreprocessing} returns. */
export interface PreprocessedDataset {
  /** The transformed data set (its `preprocessing` list extended). */
  readonly data: Dataset;
  /** The fitted chain. */
  readonly fitted: FittedPreprocessing;
}

/**
 * Applies one preprocessing step, returning a new data set (the input is not modified) whose
 * `preprocessing` list ends with `step`.
 * @param ds - the data set
 * @param step - a name from {@link PREPROCESSING}
 * @throws ParamError for an unknown step; DataError when the step's value-range assumption fails
 *   (e.g. `dec-mnist` on values that are not raw 0..255 pixels)
 */
export function preprocess(ds: Dataset, step: string): Dataset {
  return applyPreprocessing(ds, [step]);
}

/**
 * Fits the steps on a data set and applies them, returning the transformed data set and the
 * fitted chain (to store with a model and apply to new rows).
 * @param inPlace - overwrite `ds.x.data` instead of copying (only for a data set you own)
 */
export function fitPreprocessing(ds: Dataset, steps: readonly string[], inPlace = false): PreprocessedDataset {
  const todo = checkPreprocessing(steps);
  if (!todo.length) return { data: ds, fitted: FittedPreprocessing.identity(ds.x.cols) };
  const { fitted, x } = FittedPreprocessing.fit(ds.x, todo, { inPlace, name: ds.name, done: ds.preprocessing });
  const data: Dataset = { ...ds, x, preprocessing: [...ds.preprocessing, ...fitted.names] };
  // a projection is no longer an image
  if (x.cols !== ds.x.cols) return { data: { ...data, imageShape: undefined }, fitted };
  return { data, fitted };
}

/**
 * Applies steps in order (see {@link preprocess}).
 * @param inPlace - overwrite `ds.x.data` instead of copying (only for a data set you own; the
 *   loader uses it to avoid a copy of large data sets)
 */
export function applyPreprocessing(ds: Dataset, steps: readonly string[], inPlace = false): Dataset {
  return fitPreprocessing(ds, steps, inPlace).data;
}
