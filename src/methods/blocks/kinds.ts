/**
 * The open lists of block kinds. Each block module adds its config type to one of these interfaces
 * (TypeScript declaration merging), so the config unions grow with the block files and nothing
 * else: `ClusteringLossConfig` is the union of every clustering-loss block's config.
 *
 * ```ts
 * declare module './kinds.ts' {
 *   interface BuiltinClusteringLosses { dec: DecLossConfig }
 * }
 * ```
 * A block defined outside deepclust (see docs/extending.md) extends `ClusteringLosses` instead and
 * registers itself at run time with `registerClusteringLoss`.
 */

/** The clustering losses deepclust ships, by kind; the built-in table must have a block for each. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: each block file adds its kind
export interface BuiltinClusteringLosses {}

/** Every clustering loss, by kind: the built-in ones and those registered at run time. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: each block file adds its kind
export interface ClusteringLosses extends BuiltinClusteringLosses {}

/** Clustering loss of the clustering phase: one of the clustering-loss blocks' configs. */
export type ClusteringLossConfig = ClusteringLosses[keyof ClusteringLosses];

/** The post-training clustering steps deepclust ships, by kind. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: each block file adds its kind
export interface BuiltinFinalClusterings {}

/** Every post-training clustering step, by kind. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: each block file adds its kind
export interface FinalClusterings extends BuiltinFinalClusterings {}

/** The clustering run on the final embedding after training (re-clustering), e.g. `{ kind: 'kmeans' }`. */
export type FinalClusteringConfig = FinalClusterings[keyof FinalClusterings];
