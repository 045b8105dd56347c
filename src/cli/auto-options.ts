/**
 * The fit options that configure a deep network: those `auto` never applies (refused with or
 * without a network in the plan), and those it applies to the autoencoder when its plan trains
 * one; shared by fit's default-method check and `auto` itself (kept apart from auto-fit.ts,
 * which fit imports lazily).
 */

/** fit's option keys (commander's camelCase) that `auto` never applies: they need a --method. */
export const DEEP_ONLY: readonly string[] = ['maxIter', 'updateInterval', 'tol', 'gamma', 'labelled', 'eval', 'checkpointEvery', 'resume', 'pretrainCache', 'methodConfig'];

/** fit's option keys that `auto` applies to its autoencoder when the plan trains one (refused otherwise). */
export const AUTO_NETWORK_FLAGS: readonly string[] = ['hidden', 'embeddingDim', 'batchSize', 'pretrainEpochs', 'lr'];

/** The command-line spelling of an option key: `embeddingDim` → `--embedding-dim`. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
