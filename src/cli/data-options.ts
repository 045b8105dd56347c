/** The data-spec options every command shares, and loading a data set from them. */
import { type Command, Option } from 'commander';
import { ParamError } from '../errors.ts';
import { type Dataset, PREPROCESSING, datasetNames, loadDataset } from '../data/index.ts';

/** Adds `--data`, `--data-dir`, `--labels`, `--label-column`, `--limit`, `--stratified`, `--preprocess`. */
export function addDataOptions(cmd: Command): Command {
  return cmd
    .option('--data <spec>', `data set name (${datasetNames().filter((n) => !n.includes(':')).join(', ')}, name:train|test|all) or a .csv/.tsv/.idx(.gz) file`, 'mnist-10k')
    .option('--data-dir <dir>', 'folder holding the data set files (else $DEEPCLUST_DATA_DIR, then ~/.cache/deepclust)')
    .option('--labels <file>', 'ground-truth labels of your own data (one integer per line or a CSV column)')
    .option('--label-column <name|index>', 'label column inside a CSV/TSV data file')
    .option('--limit <n>', 'use at most n rows (seeded subset)')
    .option('--stratified', 'keep class proportions with --limit')
    .addOption(new Option('--preprocess <steps>', `comma-separated: ${Object.keys(PREPROCESSING).join(', ')}`));
}

/** Loads the data set the options name. */
export async function loadDataFromOptions(opts: Record<string, unknown>): Promise<Dataset> {
  let limit: number | undefined;
  if (opts.limit !== undefined) {
    limit = Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new ParamError(`option '--limit' must be an integer >= 1, got ${JSON.stringify(opts.limit)}`);
  }
  return loadDataset(String(opts.data ?? ''), {
    dataDir: opts.dataDir as string | undefined,
    labels: opts.labels as string | undefined,
    labelColumn: opts.labelColumn as string | undefined,
    limit,
    stratified: Boolean(opts.stratified),
    seed: opts.seed !== undefined ? Number(opts.seed) : 0,
    preprocess: typeof opts.preprocess === 'string' ? opts.preprocess.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
  });
}
