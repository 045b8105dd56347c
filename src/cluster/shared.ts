/**
 * The input checks and onnxruntime kernels that cluster shares with metrics (silhouette runs on
 * the same compiled-kernel cache as k-means). Package-internal: not exported from
 * `deepclust/cluster`; other folders import these from here, never from `_internal/`.
 */
export { type FloatArray, silhouetteChunkSorted, silhouetteTile, silhouetteTiles } from './_internal/kernels.ts';
export { checkMatrix, choiceOption, columnMeans, encodeLabels, intOption, rowNorms, seedOption, threadsOption } from './_internal/validate.ts';
export { symmetricEigen } from './_internal/linalg.ts';
export { choleskyLower } from './_internal/cholesky.ts';
export { sameClustering } from './_internal/lloyd.ts';
