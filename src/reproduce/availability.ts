/**
 * Whether an experiment's data set is on disk, without loading or downloading it; when not, the
 * same how-to text `deepclust fit` and `deepclust datasets` give (files, folders, download).
 */
import { EMBEDDED } from '../data/load.ts';
import { downloadableVariant, notFoundError } from '../data/named.ts';
import { type FileSplit, type LookupOptions, NAMED_DATASETS, locate } from '../data/registry.ts';
import type { Protocol } from './registry.ts';

/** The splits a protocol reads: both official splits for `split`, everything for `whole`. */
export function splitsNeeded(protocol: Protocol): FileSplit[] {
  return protocol.kind === 'split' ? ['train', 'test'] : ['all'];
}

/**
 * Why `dataset` cannot be used for `protocol`, with how to get it; undefined when it is present.
 * Never downloads: a reproduction runs only on data already placed (the embedded set always is).
 */
export function missingDataMessage(dataset: string, protocol: Protocol, options: LookupOptions = {}): string | undefined {
  if (dataset === EMBEDDED) return undefined;
  // a group may name one split of a set (`mnist:test`, N2D's MNIST-test) for the whole protocol
  const [name = dataset, part] = dataset.split(':');
  const ds = NAMED_DATASETS[name];
  if (!ds) return `'${name}' is not a named data set`;
  if (part !== undefined && (protocol.kind !== 'whole' || !['train', 'test', 'all'].includes(part))) return `'${dataset}': a split (train, test or all) can only be named with the whole protocol`;
  for (const split of part !== undefined ? [part as FileSplit] : splitsNeeded(protocol)) {
    if (locate(ds, split, options)) continue;
    const download = downloadableVariant(ds) ? ` Or fetch it into the cache with: deepclust datasets download ${ds.name}` : '';
    return `${notFoundError(ds, split, options).message}${download}`;
  }
  return undefined;
}
