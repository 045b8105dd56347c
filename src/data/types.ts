/** Types shared by the data layer and its users (methods, CLI, cluster/metrics commands). */
import type { Matrix } from '../matrix.ts';
import type { FittedPreprocessing } from './preprocess.ts';

/** A loaded data set: features, optional integer labels, and where it came from. */
export interface Dataset {
  /** Canonical name, e.g. `mnist:train`, `features:/path/x.npy`, or a file path. */
  readonly name: string;
  /** Features, `[nSamples, nFeatures]`; the data layer always yields float32. */
  readonly x: Matrix;
  /** Ground-truth labels 0..nClasses-1 (int32), when the source has them. */
  readonly labels?: Int32Array;
  /** Image shape `[channels, height, width]` when the rows are images (for conv nets, reports). */
  readonly imageShape?: readonly [number, number, number];
  /** Human-readable class names (index = label), when known; for users' files, the original label values. */
  readonly classNames?: readonly string[];
  /** Preprocessing steps applied, in order, as recorded in every result (e.g. `["scale255"]`). */
  readonly preprocessing: readonly string[];
  /** Files read (absolute paths), for provenance and fingerprints. */
  readonly sources: readonly string[];
  /**
   * Row indices of the official splits kept apart inside `x` (e.g. `{ train: 0..59999, test:
   * 60000..69999 }` for `mnist:all`), so methods that need them (SNNL's labelled subset vs the
   * evaluation set) can use `selectSplit`; absent when the data set has no official split.
   */
  readonly splits?: Readonly<Record<string, Int32Array>>;
  /**
   * The preprocessing the loader fitted and applied, with its statistics (standardize's means…),
   * so a model can store it and apply it unchanged to new rows; absent for data built by hand.
   */
  readonly fittedPreprocessing?: FittedPreprocessing;
  /**
   * What the loader noticed and did about it without failing (e.g. a default preprocessing step
   * skipped because the data was already scaled); the CLI prints each as one `warning:` line.
   */
  readonly warnings?: readonly string[];
}
