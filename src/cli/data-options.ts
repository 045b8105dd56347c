/**
 * The data-spec options every command shares (`fit`, `kmeans`, `predict`, `embed`, `datasets
 * show`…), and loading a data set from them, with a download progress bar on a terminal.
 */
import cliProgress from 'cli-progress';
import { type Command, Option } from 'commander';
import { ParamError } from '../errors.ts';
import { type Dataset, type DownloadProgress, EMBEDDED, type LoadOptions, PREPROCESSING, datasetNames, loadDataset } from '../data/index.ts';
import { isInteractive } from './output.ts';

/** Options of {@link addDataOptions}. */
export interface DataOptionsConfig {
  /** Default of `--data`; `null` for none. @defaultValue 'mnist-10k' */
  readonly defaultData?: string | null;
  /** Add `--data` at all (false when the command takes the data set as an argument). @defaultValue true */
  readonly withData?: boolean;
}

/**
 * Adds `--data <spec>`, `--data-dir <dir>`, `--labels <file>`, `--label-column <name|index>`,
 * `--limit <n>`, `--stratified`, `--preprocess <list>`, `--image-shape <c,h,w>` and `--offline`.
 * @param defaults - the default of `--data` (a spec, or `null` for none; `'mnist-10k'` when
 *   omitted), or a {@link DataOptionsConfig}
 */
export function addDataOptions(cmd: Command, defaults: DataOptionsConfig | string | null = {}): Command {
  // a string or null is the default of --data (the original signature)
  const config: DataOptionsConfig = typeof defaults === 'object' && defaults !== null ? defaults : { defaultData: defaults };
  if (config.withData !== false) {
    const data = new Option('--data <spec>', `data set name (${datasetNames().join(', ')}; add :train, :test or :all), features:<file>, or a .csv/.tsv/.txt/.npy/.npz/.mat/.h5/.idx(.gz) file (file.npz#name picks an array)`);
    const def = config.defaultData === undefined ? EMBEDDED : config.defaultData;
    if (def !== null) data.default(def);
    cmd.addOption(data);
  }
  return cmd
    .option('--data-dir <dir>', 'folder holding the data set files, directly or in a sub-folder named after the data set (then $DEEPCLUST_DATA_DIR, then the cache)')
    .option('--labels <file>', 'ground-truth labels of your own data (one per line, a CSV column, a .npy vector or an IDX labels file)')
    .option('--label-column <name|index>', 'label column of a CSV/TSV (name or 0-based index, -1 = last), or the labels array of a .npz/.mat/.h5')
    .option('--limit <n>', 'use at most n rows, a seeded random subset (see --seed)')
    .option('--stratified', 'with --limit, keep the class proportions')
    .option('--preprocess <steps>', `comma-separated steps replacing the data set's default: ${Object.keys(PREPROCESSING).join(', ')}`)
    .option('--image-shape <c,h,w>', 'rows of your own file are images of this shape (e.g. 1,28,28)')
    .option('--offline', 'never download missing data sets (also $DEEPCLUST_OFFLINE=1)');
}

function intOption(name: string, v: unknown, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || String(v).trim() === '') throw new ParamError(`option '--${name}' must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

/** A download progress display on stderr: a bar on a terminal, one line per finished file otherwise. */
export function downloadProgress(quiet = false): { onProgress: (p: DownloadProgress) => void; stop: () => void } {
  if (quiet) return { onProgress: () => {}, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  let file = '';
  const tty = isInteractive();
  return {
    onProgress(p) {
      if (!tty) {
        if (p.done) process.stderr.write(`downloaded ${p.file} (${(p.received / 1e6).toFixed(1)} MB) from ${p.url}\n`);
        return;
      }
      if (p.file !== file) {
        bar?.stop();
        file = p.file;
        bar = new cliProgress.SingleBar({ format: `${p.file} [{bar}] {percentage}% {value}/{total} MB`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(p.total ? Math.ceil(p.total / 1e6) : 0, 0);
      }
      bar?.update(Math.floor(p.received / 1e6));
      if (p.done) {
        bar?.stop();
        bar = undefined;
        file = '';
      }
    },
    stop: () => bar?.stop(),
  };
}

/**
 * Turns the parsed data options into {@link LoadOptions} (validating numbers and the image shape).
 * @throws ParamError for a bad `--limit`, `--seed` or `--image-shape`
 */
export function dataLoadOptions(opts: Record<string, unknown>): LoadOptions {
  let imageShape: [number, number, number] | undefined;
  if (opts.imageShape !== undefined) {
    const parts = String(opts.imageShape).split(/[,x×]/).map(Number);
    if (parts.length !== 3 || !parts.every((v) => Number.isInteger(v) && v >= 1)) throw new ParamError(`option '--image-shape' must be channels,height,width (e.g. 1,28,28), got ${JSON.stringify(opts.imageShape)}`);
    imageShape = parts as [number, number, number];
  }
  return {
    dataDir: opts.dataDir as string | undefined,
    labels: opts.labels as string | undefined,
    labelColumn: opts.labelColumn as string | undefined,
    limit: intOption('limit', opts.limit, 1),
    stratified: Boolean(opts.stratified),
    seed: intOption('seed', opts.seed, 0) ?? 0,
    preprocess: typeof opts.preprocess === 'string' ? opts.preprocess.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    imageShape,
    download: opts.offline ? false : undefined,
  };
}

/**
 * Loads the data set the options name (see {@link addDataOptions}), showing download progress
 * on stderr unless `opts.quiet`.
 * @throws ParamError / DataError with one clear message (the CLI prints it without a stack trace)
 */
export async function loadDataFromOptions(opts: Record<string, unknown>): Promise<Dataset> {
  if (opts.data === undefined || String(opts.data).trim() === '') throw new ParamError("option '--data' is required: a data set name (e.g. 'mnist-10k', 'mnist:test') or a file path");
  const progress = downloadProgress(Boolean(opts.quiet));
  try {
    const ds = await loadDataset(String(opts.data), { ...dataLoadOptions(opts), onProgress: progress.onProgress });
    for (const w of ds.warnings ?? []) process.stderr.write(`deepclust: warning: ${w}\n`);
    return ds;
  } finally {
    progress.stop();
  }
}
