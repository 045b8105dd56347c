/**
 * The fit options that configure a deep network and that `auto` (no network) refuses rather than
 * ignores; shared by fit's default-method check and `auto` itself (kept apart from auto-fit.ts,
 * which fit imports lazily).
 */

/** fit's option keys (commander's camelCase) that only a deep method uses. */
export const DEEP_ONLY: readonly string[] = ['pretrainEpochs', 'maxIter', 'lr', 'updateInterval', 'tol', 'gamma', 'labelled', 'eval', 'checkpointEvery', 'resume', 'pretrainCache', 'hidden', 'embeddingDim', 'batchSize', 'methodConfig'];
