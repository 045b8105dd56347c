/**
 * Choosing the feature matrix and the labels among the arrays of a container file (`.npz`,
 * `.mat`, `.h5`, a pickled dict in `.npy`): by the names the user gives, else by the usual names
 * (`x`/`data`/`features`/`fea`…, `y`/`labels`/`gnd`…), else the only 2-D array.
 */
import { DataError } from '../errors.ts';
import type { ContainerEntry } from './h5.ts';
import { type NdArray, fmtShape, isNumericArray } from './ndarray.ts';

const FEATURE_NAMES = ['x', 'data', 'features', 'feature', 'fea', 'feats', 'embeddings', 'embedding', 'z', 'X_train', 'arr_0'];
const LABEL_NAMES = ['y', 'labels', 'label', 'gnd', 'targets', 'target', 'truth', 'classes', 'class', 'y_train', 'arr_1'];

function byName(entries: readonly ContainerEntry[], name: string): ContainerEntry | undefined {
  const strip = (s: string) => s.replace(/^\/+/, '');
  return entries.find((e) => strip(e.name) === strip(name)) ?? entries.find((e) => strip(e.name).toLowerCase() === strip(name).toLowerCase());
}

function leaf(e: ContainerEntry): string {
  return e.name.split('/').pop()!.toLowerCase();
}

const isVector = (s: readonly number[]) => s.length === 1 || (s.length === 2 && (s[0] === 1 || s[1] === 1));
const vecLen = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Lists entries for an error message: `x (100, 5), y (100,)`. */
export function listEntries(entries: readonly ContainerEntry[]): string {
  return entries.map((e) => `${e.name.replace(/^\/+/, '')} ${fmtShape(e.shape)}`).join(', ') || '(none)';
}

/** The chosen arrays. */
export interface Picked {
  readonly features: ContainerEntry;
  readonly labels?: ContainerEntry;
}

/**
 * Picks the feature and label arrays.
 * @param dataKey - the feature array's name (from `file#name`)
 * @param labelKey - the labels array's name (from `--label-column`)
 * @param expected - `[nSamples, nFeatures]` of a named data set, to recognise its arrays
 * @throws DataError listing the arrays when a name is missing or the choice is ambiguous
 */
export function pickArrays(entries: readonly ContainerEntry[], source: string, opts: { dataKey?: string; labelKey?: string; expected?: readonly [number, number] } = {}): Picked {
  const numeric = entries.filter((e) => e.dtype !== 'object');
  let features: ContainerEntry | undefined;
  if (opts.dataKey) {
    features = byName(numeric, opts.dataKey);
    if (!features) throw new DataError(`'${source}' has no numeric array named '${opts.dataKey}'; it holds: ${listEntries(entries)}`);
  } else {
    const matrices = numeric.filter((e) => !isVector(e.shape) && e.shape.length >= 2);
    const [n, d] = opts.expected ?? [];
    features =
      (n !== undefined ? matrices.find((e) => (e.shape[0] === n && e.shape[1] === d) || (e.shape[0] === d && e.shape[1] === n)) : undefined) ??
      FEATURE_NAMES.map((k) => matrices.find((e) => leaf(e) === k.toLowerCase())).find(Boolean) ??
      (matrices.length === 1 ? matrices[0] : undefined);
    if (!features)
      throw new DataError(
        matrices.length
          ? `'${source}' holds several arrays (${listEntries(entries)}); choose the features with '${source}#<name>' and the labels with --label-column <name>`
          : `'${source}' holds no 2-D numeric array (it holds: ${listEntries(entries)})`,
      );
  }
  let labels: ContainerEntry | undefined;
  if (opts.labelKey) {
    labels = byName(numeric, opts.labelKey);
    if (!labels) throw new DataError(`'${source}' has no numeric array named '${opts.labelKey}' for the labels; it holds: ${listEntries(entries)}`);
  } else {
    const vectors = numeric.filter((e) => e !== features && isVector(e.shape));
    const n = opts.expected?.[0];
    labels =
      LABEL_NAMES.map((k) => vectors.find((e) => leaf(e) === k.toLowerCase())).find(Boolean) ??
      (n !== undefined ? vectors.find((e) => vecLen(e.shape) === n) : undefined);
  }
  return { features, labels };
}

/**
 * The numeric arrays of a pickled dict (`np.save(path, {'data': x, 'label': y})`, read back as a
 * 0-d object array holding the dict).
 * @throws DataError when the value is not such a dict
 */
export function dictEntries(value: NdArray, source: string): ContainerEntry[] {
  const dict = value.dtype === 'object' && Array.isArray(value.data) ? value.data[0] : undefined;
  if (!(dict instanceof Map)) throw new DataError(`'${source}' holds pickled Python objects (${value.dtype}, shape ${fmtShape(value.shape)}), not a numeric array or a dict of arrays such as DEC's {'data': …, 'label': …}`);
  const out: ContainerEntry[] = [];
  for (const [k, v] of dict) if (isNumericArray(v)) out.push({ name: String(k), shape: v.shape, dtype: v.dtype, read: () => v });
  return out;
}
