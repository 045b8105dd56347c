/**
 * The data layer: named benchmark data sets (MNIST, Fashion-MNIST, EMNIST, USPS, Reuters-10k,
 * COIL-20), the embedded `mnist-10k`, users' own files (CSV/TSV, NPY/NPZ, MAT, HDF5, IDX), seeded
 * subsetting and splits, and explicit preprocessing recorded in every result.
 *
 * @example
 * ```ts
 * import { loadDataset, listDatasets, writeNpy } from './data/index.ts';
 * const ds = await loadDataset('mnist-10k');                                  // 10000 × 784 in [0, 1]
 * const te = await loadDataset('mnist:test', { dataDir: '/work/shared/data' }); // looks in …/mnist/
 * const own = await loadDataset('x.csv', { labelColumn: 'label', preprocess: ['standardize'] });
 * ```
 */
export type { Dataset } from './types.ts';

/** Loading by name or file, listing, summarising. */
export { loadDataset, listDatasets, datasetNames, parseDataSpec, summarizeDataset, closestName, EMBEDDED } from './load.ts';
export type { LoadOptions, DatasetInfo, DatasetSummary, DataSpec } from './load.ts';

/** Preprocessing steps (stable names) and their application. */
export { PREPROCESSING, checkPreprocessing, FittedPreprocessing, type FittedPreprocessingJSON, type FittedStep, type FitResult } from './preprocess.ts';
export { preprocess, applyPreprocessing, fitPreprocessing, type PreprocessedDataset } from './preprocess-dataset.ts';

/** Subsets and splits. */
export { subset, sampleIndices, takeRows, selectSplit, trainTestSplit } from './subset.ts';

/** Labels files and label encoding. */
export { parseLabelsFile, readLabelsEncoded, encodeLabels } from './labels.ts';
export type { EncodedLabels, LabelsFileOptions } from './labels.ts';

/** Writing: NumPy `.npy` files and atomic file writes. */
export { writeNpy, encodeNpy, readNpy, readNpz, parseNpy } from './npy.ts';
export { atomicWriteFile } from './atomic.ts';

/** Format readers, for tools that need the raw arrays. */
export { readIdx, decodeIdx, encodeIdx } from './idx.ts';
export type { IdxArray, IdxData } from './idx.ts';
export { parseDelimited, readDelimited } from './csv.ts';
export type { Table, DelimitedOptions } from './csv.ts';
export { readMat } from './mat.ts';
export type { MatContents } from './mat.ts';
export { openH5 } from './h5.ts';
export type { H5Container, ContainerEntry } from './h5.ts';
export { unpickle } from './pickle.ts';
export type { NdArray, NumericData } from './ndarray.ts';
export { FILE_FORMATS } from './files.ts';

/** The named data sets, file lookup and downloads. */
export { NAMED_DATASETS, searchDirs, searchRoots } from './registry.ts';
export type { NamedDataset, Variant, FileSpec, FileSplit, Located, LookupOptions } from './registry.ts';
export { cacheDir, downloadFile, DownloadError } from './download.ts';
export type { DownloadProgress, DownloadOptions } from './download.ts';
export { fetchNamed } from './named.ts';
export type { FetchOptions } from './named.ts';

import { parseLabelsFile } from './labels.ts';
/**
 * Reads integer labels from a file (alias of {@link parseLabelsFile}, kept for earlier callers).
 * @param column - CSV column name or 0-based index
 */
export function readLabels(path: string, column?: string | number): Int32Array {
  return parseLabelsFile(path, { column });
}
