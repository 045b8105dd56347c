/**
 * The block tables: every clustering-loss, cluster-update and final-clustering kind and its block.
 * A built-in kind declared in kinds.ts without a block here is a type error; a kind in a config
 * without a block is refused at validation, listing the known kinds.
 */
import { ParamError } from '../../errors.ts';
import { didYouMean } from '../../suggest.ts';
import type { ClusterUpdateConfig, MethodConfig } from '../config.ts';
import { agglomerativeUpdate } from './agglomerative.ts';
import { alternatingUpdate } from './alternating.ts';
import { cdcLoss } from './cdc.ts';
import { classificationLoss } from './classification.ts';
import { decLoss } from './dec.ts';
import { gmmFinal, umapGmmFinal } from './final-gmm.ts';
import { kmeansFinal } from './final-kmeans.ts';
import { jointUpdate } from './joint.ts';
import { kmeansLossBlock } from './kmeans.ts';
import type { BuiltinClusteringLosses, BuiltinFinalClusterings, ClusteringLossConfig, FinalClusteringConfig } from './kinds.ts';
import { noClusteringLoss } from './none.ts';
import type { BlockConfig, ClusterUpdateBlock, ClusteringLossBlock, FinalClusteringBlock } from './types.ts';

const BUILTIN_LOSSES: { readonly [K in keyof BuiltinClusteringLosses]: ClusteringLossBlock<BuiltinClusteringLosses[K]> } = {
  none: noClusteringLoss,
  dec: decLoss,
  kmeans: kmeansLossBlock,
  cdc: cdcLoss,
  classification: classificationLoss,
};

const UPDATES: { readonly [K in ClusterUpdateConfig['kind']]: ClusterUpdateBlock } = {
  joint: jointUpdate,
  alternating: alternatingUpdate,
  agglomerative: agglomerativeUpdate,
};

const BUILTIN_FINALS: { readonly [K in keyof BuiltinFinalClusterings]: FinalClusteringBlock<BuiltinFinalClusterings[K]> } = {
  kmeans: kmeansFinal,
  gmm: gmmFinal,
  'umap-gmm': umapGmmFinal,
};

// stored by kind; each block is called only with a config of its own kind
type StoredLoss = ClusteringLossBlock<ClusteringLossConfig>;
type StoredFinal = FinalClusteringBlock<FinalClusteringConfig>;
const losses = new Map<string, StoredLoss>(Object.entries(BUILTIN_LOSSES) as unknown as [string, StoredLoss][]);
const finals = new Map<string, StoredFinal>(Object.entries(BUILTIN_FINALS) as unknown as [string, StoredFinal][]);

/**
 * Adds a clustering-loss block defined outside deepclust (its config type extends the
 * `ClusteringLosses` interface of kinds.ts); methods can then name its kind.
 * @throws ParamError when the kind is taken
 */
export function registerClusteringLoss<C extends BlockConfig>(block: ClusteringLossBlock<C>): void {
  if (losses.has(block.kind)) throw new ParamError(`a clustering loss of kind '${block.kind}' is already registered; choose another kind`);
  losses.set(block.kind, block as unknown as StoredLoss);
}

/**
 * Adds a final-clustering block (post-training clustering step, e.g. a GMM); methods name it with
 * `finalClustering: { kind }`.
 * @throws ParamError when the kind is taken
 */
export function registerFinalClustering<C extends BlockConfig>(block: FinalClusteringBlock<C>): void {
  if (finals.has(block.kind)) throw new ParamError(`a final clustering of kind '${block.kind}' is already registered; choose another kind`);
  finals.set(block.kind, block as unknown as StoredFinal);
}

/** Every registered clustering-loss block. */
export function clusteringLossBlocks(): ClusteringLossBlock<ClusteringLossConfig>[] {
  return [...losses.values()];
}

/** Every cluster-update block. */
export function clusterUpdateBlocks(): ClusterUpdateBlock[] {
  return Object.values(UPDATES);
}

/** Every registered final-clustering block. */
export function finalClusteringBlocks(): FinalClusteringBlock<FinalClusteringConfig>[] {
  return [...finals.values()];
}

/**
 * A registered block's config as a method's `clusteringLoss` (the `ClusteringLossConfig` union
 * lists the built-in kinds; a project may instead add its kind to `ClusteringLosses`).
 */
export function customClusteringLoss<C extends BlockConfig>(config: C): ClusteringLossConfig {
  return config as unknown as ClusteringLossConfig;
}

/** A registered final-clustering block's config as a method's `finalClustering`. */
export function customFinalClustering<C extends BlockConfig>(config: C): FinalClusteringConfig {
  return config as unknown as FinalClusteringConfig;
}

/** The known clustering-loss kinds. */
export function clusteringLossKinds(): string[] {
  return [...losses.keys()];
}

/** Every option key of the clustering-loss blocks: a config that switches a preset's kind keeps the old kind's keys. */
export function clusteringLossKeys(): string[] {
  return ['kind', ...new Set([...losses.values()].flatMap((b) => b.keys))];
}

/** The known final-clustering kinds. */
export function finalClusteringKinds(): string[] {
  return [...finals.keys()];
}

/** The known cluster-update kinds. */
export const CLUSTER_UPDATE_KINDS = Object.keys(UPDATES) as ClusterUpdateConfig['kind'][];


/** The block of a clustering-loss config. @throws ParamError for an unknown kind */
export function clusteringLossBlock<C extends ClusteringLossConfig>(c: C): ClusteringLossBlock<C> {
  const b = losses.get(c?.kind);
  if (!b) throw new ParamError(`method.clusteringLoss.kind must be one of ${clusteringLossKinds().join(', ')}, got ${JSON.stringify(c?.kind)}${didYouMean(String(c?.kind), clusteringLossKinds())}`);
  return b as unknown as ClusteringLossBlock<C>;
}

/** The block of a cluster-update config. @throws ParamError for an unknown kind */
export function clusterUpdateBlock(cu: ClusterUpdateConfig): ClusterUpdateBlock {
  const b = (UPDATES as Record<string, ClusterUpdateBlock>)[cu?.kind];
  if (!b) throw new ParamError(`method.clusterUpdate.kind must be one of ${CLUSTER_UPDATE_KINDS.join(', ')}, got ${JSON.stringify(cu?.kind)}`);
  return b;
}

/** The method's post-training clustering: `finalClustering`, else k-means when `reclusterAfterTraining`, else none. */
export function finalClusteringOf(m: MethodConfig): { block: FinalClusteringBlock<FinalClusteringConfig>; config: FinalClusteringConfig } | undefined {
  const config = m.finalClustering ?? (m.reclusterAfterTraining ? ({ kind: 'kmeans' } as FinalClusteringConfig) : undefined);
  if (!config) return undefined;
  const block = finals.get(config.kind);
  if (!block) throw new ParamError(`method.finalClustering.kind must be one of ${finalClusteringKinds().join(', ')}, got ${JSON.stringify(config.kind)}${didYouMean(String(config.kind), finalClusteringKinds())}`);
  return { block, config };
}

/** Whether the method has a clustering phase (a clustering loss that trains, and iterations). */
export function hasClusteringPhase(m: MethodConfig): boolean {
  return clusteringLossBlock(m.clusteringLoss).trains && m.train !== null && m.train !== undefined && m.train.maxIter > 0;
}
