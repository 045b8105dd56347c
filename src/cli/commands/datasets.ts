/**
 * `deepclust datasets`: lists every named data set (found or not, where, shape); `datasets show
 * <name>` loads one and prints n, d, classes and the label histogram; `datasets download <name>`
 * fetches a missing one into the cache.
 */
import type { Command } from 'commander';
import { DataError } from '../../errors.ts';
import { EMBEDDED, NAMED_DATASETS, fetchNamed, listDatasets, parseDataSpec, summarizeDataset } from '../../data/index.ts';
import { addDataOptions, dataLoadOptions, downloadProgress, loadDataFromOptions } from '../data-options.ts';
import { printJson } from '../output.ts';

/** Registers `deepclust datasets` with its `list` (default), `show` and `download` sub-commands. */
export function register(program: Command): void {
  const datasets = program
    .command('datasets')
    .description('list the named data sets and where their files are; show or download one')
    .addHelpText(
      'after',
      `\nExamples:\n  deepclust datasets --data-dir /data           # which data sets are found, where, shape\n  deepclust datasets show mnist:test --data-dir /data --json\n  deepclust datasets show my.csv --label-column label\n  deepclust datasets download fashion-mnist`,
    );

  datasets
    .command('list', { isDefault: true })
    .description('list every data set name: found or not, where, shape (the default sub-command)')
    .option('--data-dir <dir>', 'folder to look in first (then $DEEPCLUST_DATA_DIR, then the cache)')
    .option('--json', 'print the list as one JSON line on stdout')
    .action((opts: { dataDir?: string; json?: boolean }) => {
      const list = listDatasets({ dataDir: opts.dataDir });
      if (opts.json) {
        printJson({ datasets: list });
        return;
      }
      const rows = list.map((d) => [d.name, d.found ? 'found' : d.foundSplits.length ? `found: ${d.foundSplits.join(', ')}` : 'missing', `${d.shape[0]}×${d.shape[1]}`, `${d.classes} classes`, d.where ?? `place ${d.files.map((f) => f.join(', ')).join(' or ')}`]);
      const w = [0, 1, 2, 3].map((k) => Math.max(...rows.map((r) => r[k]!.length)));
      for (const r of rows) process.stdout.write(`${r.map((c, k) => (k < 4 ? c.padEnd(w[k]!) : c)).join('  ')}\n`);
      process.stdout.write(`\nSplits: add :train, :test or :all to a name (e.g. mnist:test). Missing sets are downloaded on first use when online.\n`);
    });

  const show = datasets
    .command('show')
    .description('load a data set (name or file) and print n, d, classes and the label histogram')
    .argument('<spec>', `data set name or file (e.g. ${EMBEDDED}, mnist:test, my.csv)`)
    .option('--seed <n>', 'seed of --limit', '0')
    .option('--json', 'print the summary as one JSON line on stdout')
    .option('--quiet', 'no download progress');
  addDataOptions(show, { withData: false });
  show.action(async (spec: string, opts: Record<string, unknown>) => {
    const t0 = performance.now();
    const ds = await loadDataFromOptions({ ...opts, data: spec });
    const seconds = (performance.now() - t0) / 1000;
    const s = summarizeDataset(ds);
    if (opts.json) {
      printJson({ ...s, loadSeconds: Number(seconds.toFixed(3)) });
      return;
    }
    const out = [
      `${s.name}: n = ${s.n}, d = ${s.d}${s.imageShape ? ` (images ${s.imageShape.join('×')})` : ''}, ${s.classes ? `${s.classes} classes` : 'no labels'}`,
      s.classes ? `label histogram: ${s.histogram.map((c, i) => `${s.classNames?.[i] ?? i}:${c}`).join('  ')}` : '',
      s.splits ? `splits: ${Object.entries(s.splits).map(([k, v]) => `${k} ${v}`).join(', ')}` : '',
      `values: min ${s.min.toPrecision(4)}, max ${s.max.toPrecision(4)}, mean ${s.mean.toPrecision(4)}, mean ‖x‖²/d ${s.meanSquaredNormPerDim.toPrecision(4)}`,
      `preprocessing: ${s.preprocessing.length ? s.preprocessing.join(', ') : 'none'}`,
      `files: ${s.sources.join(', ')}`,
      `loaded in ${seconds.toFixed(2)} s`,
    ];
    process.stdout.write(`${out.filter(Boolean).join('\n')}\n`);
  });

  datasets
    .command('download')
    .description('download a named data set into the per-user cache (verifying sha256 where known)')
    .argument('<name>', `one of ${Object.keys(NAMED_DATASETS).join(', ')} (optionally :train or :test)`)
    .option('--json', 'print where the files are as one JSON line on stdout')
    .option('--quiet', 'no progress')
    .action(async (name: string, opts: { json?: boolean; quiet?: boolean }) => {
      const spec = parseDataSpec(name);
      if (spec.kind !== 'named') throw new DataError(`'${name}' is not a downloadable data set; choose one of ${Object.keys(NAMED_DATASETS).join(', ')}`);
      const progress = downloadProgress(Boolean(opts.quiet));
      try {
        const loc = await fetchNamed(spec.ds, spec.split, { ...dataLoadOptions({}), onProgress: progress.onProgress, mirror: process.env.DEEPCLUST_MIRROR });
        if (opts.json) printJson({ name: spec.ds.name, split: spec.split, dir: loc.dir, files: Object.values(loc.paths) });
        else process.stdout.write(`${spec.ds.name}: files in ${loc.dir}\n`);
      } finally {
        progress.stop();
      }
    });
}
