/**
 * The blocks as a table, from the blocks themselves (kind, options, what it does, the updates it
 * works with): docs/extending.md holds its output, and a test keeps the two equal.
 */
import { clusterUpdateBlocks, clusteringLossBlocks, finalClusteringBlocks } from './registry.ts';

/** A markdown table of every registered block. */
export function blocksTable(): string {
  const code = (list: readonly string[]) => (list.length ? list.map((v) => `\`${v}\``).join(', ') : '–');
  const rows = [
    ...clusteringLossBlocks().map((b) => ['clusteringLoss', code([b.kind]), code(b.keys), b.summary, b.trains ? code(b.updates) : '–']),
    ...clusterUpdateBlocks().map((b) => ['clusterUpdate', code([b.kind]), code(Object.keys(b.options)), b.summary, '']),
    ...finalClusteringBlocks().map((b) => ['finalClustering', code([b.kind]), code(b.keys), b.summary, '']),
  ];
  return ['| Section | Kind | Options | What it does | Works with |', '| --- | --- | --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
