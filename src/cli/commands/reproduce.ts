/**
 * `deepclust reproduce <experiment>`: re-runs a table of the seed papers over seeds and prints it
 * (mean, std, median and best next to the paper's value) as Markdown, optionally into a file,
 * with every run's record as JSON.
 */
import { methodFlag } from '../method-flags.ts';
import { type Command, Option } from 'commander';
import { appendFileSync, statSync, writeFileSync } from 'node:fs';
import { atomicWriteFile, describeFsError } from '../../data/atomic.ts';
import { DataError, ParamError } from '../../errors.ts';
import { EXPERIMENTS, type ReproduceResult, experiment, formatMarkdown, mergeRuns, readRunRecords, runExperiment } from '../../reproduce/index.ts';
import { printJson } from '../output.ts';

/** Options of `deepclust reproduce` as commander parses them. */
interface ReproduceCliOptions {
  seeds?: string;
  budget?: 'full' | 'short';
  dataDir?: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  limit?: string;
  pretrainEpochs?: string;
  maxIter?: string;
  threads?: string;
  seedList?: string;
  datasets?: string;
  rows?: string;
  merge?: string[];
}

/** `--seed-list 2` or `--seed-list 0,2`: exactly those seeds. */
function seedList(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(',').map((s) => s.trim());
  if (parts.some((s) => !/^\d+$/.test(s) || !Number.isSafeInteger(Number(s)))) throw new ParamError(`reproduce: option '--seed-list' must be a seed or a comma-separated list of seeds (integers >= 0, e.g. 0,2), got ${JSON.stringify(v)}`);
  if (new Set(parts.map(Number)).size !== parts.length) throw new ParamError(`reproduce: option '--seed-list' lists a seed twice (${v}); list each once`);
  return parts.map(Number);
}

function int(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(String(v)) || !Number.isSafeInteger(n) || n < min)
    throw new ParamError(`reproduce: option '--${name}' must be ${min === 1 ? 'a positive integer' : `an integer >= ${min}`}, got ${JSON.stringify(v)}`);
  return n;
}

function kindOf(path: string): 'file' | 'dir' | 'other' | undefined {
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
  } catch {
    return undefined;
  }
}

/** Where the per-run records go next to `--out report.md`: `report.runs.jsonl`. */
export function recordsPath(out: string): string {
  return `${out.replace(/\.md$/i, '')}.runs.jsonl`;
}

/** Registers `deepclust reproduce`. */
export function register(program: Command): void {
  program
    .command('reproduce')
    .description("re-run a table of the papers over seeds: mean, std, median and best next to the paper's values (Markdown; JSON with --json)")
    .argument('<experiment>', `one of: ${Object.keys(EXPERIMENTS).join(', ')}`)
    .option('--seeds <n>', 'number of seeds, 0..n-1 (default: 3 with the full budget, 1 with the short one)')
    .option('--seed-list <list>', 'run only these seeds, e.g. 2 or 0,2 (instead of --seeds), to split a long reproduction over processes')
    .option('--datasets <list>', "only these of the experiment's data sets, comma-separated (e.g. coil-20)")
    .option('--rows <list>', "only these rows of each data set, by method or label, comma-separated (e.g. cdc-ae); a row that shares another's pretraining needs that row too")
    .option('--merge <files...>', 'train nothing: join the .runs.jsonl records of runs split by --seed-list, --datasets or --rows into one table')
    .addOption(new Option('--budget <b>', "full: the papers' schedules; short: a reduced one for smoke checks, not comparable to the paper (default: full; short for quickstart)").choices(['full', 'short']))
    .option('--data-dir <dir>', 'folder with the data sets (then $DEEPCLUST_DATA_DIR, then the cache); missing sets are skipped, never downloaded')
    .option('--out <file.md>', 'also write the Markdown report here, and each run as one JSON line to <file>.runs.jsonl as it finishes')
    .option('--limit <n>', 'at most n training rows (and test rows) per run, for smoke checks (not comparable)')
    .option('--pretrain-epochs <n>', "pretraining epochs of every method (replaces the budget's; not comparable)")
    .option('--max-iter <n>', "clustering-phase iterations of every method (replaces the budget's; not comparable)")
    .option('--threads <n>', 'CPU threads of the engine (default: all cores)')
    .option('--json', 'print the result (tables, every run record) as one JSON line on stdout; the Markdown goes to stderr')
    .option('--quiet', 'no progress lines')
    .addHelpText(
      'after',
      `\nExperiments:\n${Object.values(EXPERIMENTS)
        .map((e) => `  ${e.name.padEnd(17)} ${e.title}`)
        .join('\n')}\n\nExamples:\n  deepclust reproduce quickstart                       # offline, minutes\n  deepclust reproduce idec-table2 --data-dir ~/data --seeds 5 --out idec.md\n  deepclust reproduce snnl-table4 --budget short --data-dir ~/data --json\n  deepclust reproduce aljalbout-table1 --datasets coil-20 --seed-list 0,1 --out a.md   # and --seed-list 2 --out b.md elsewhere\n  deepclust reproduce aljalbout-table1 --merge a.runs.jsonl b.runs.jsonl --out table.md`,
    )
    .action(async (name: string, opts: ReproduceCliOptions) => {
      experiment(name); // an unknown name fails before anything else
      if (opts.merge !== undefined) {
        const training = (['seeds', 'seedList', 'budget', 'dataDir', 'limit', 'pretrainEpochs', 'maxIter', 'threads', 'datasets', 'rows'] as const).filter((k) => opts[k] !== undefined);
        if (training.length) throw new ParamError(`reproduce: --merge trains nothing, so it takes no ${training.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}; drop them`);
        return emit(mergeRuns(name, readRunRecords(opts.merge)), opts);
      }
      if (opts.seeds !== undefined && opts.seedList !== undefined) throw new ParamError('reproduce: give --seeds (a count) or --seed-list (a list), not both');
      const seeds = int('seeds', opts.seeds, 1);
      const seedsListed = seedList(opts.seedList);
      const datasets = opts.datasets?.split(',').map((s) => s.trim());
      const rows = opts.rows?.split(',').map((s) => s.trim());
      const limit = int('limit', opts.limit, 1);
      // method options: checked by the method schema's fields (the messages name the flags)
      const pretrainEpochs = methodFlag('reproduce', 'pretrain-epochs', opts.pretrainEpochs);
      const maxIter = methodFlag('reproduce', 'max-iter', opts.maxIter);
      const threads = int('threads', opts.threads, 1);
      if (opts.dataDir !== undefined && kindOf(opts.dataDir) !== 'dir') throw new ParamError(`reproduce: option '--data-dir' must be an existing folder, got ${JSON.stringify(opts.dataDir)}`);
      let records: string | undefined;
      if (opts.out !== undefined) {
        if (kindOf(opts.out) === 'dir' || kindOf(opts.out) === 'other') throw new ParamError(`reproduce: option '--out' must name a file, but '${opts.out}' is a folder; use e.g. --out ${opts.out.replace(/\/+$/, '')}/report.md`);
        records = recordsPath(opts.out);
        try {
          writeFileSync(records, ''); // fails now, not after hours of training, when the folder is not writable
        } catch (err) {
          throw new ParamError(`reproduce: cannot write next to --out '${opts.out}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); choose a writable path`);
        }
      }
      const log = (line: string) => (opts.quiet ? undefined : process.stderr.write(`${line}\n`));
      const result = await runExperiment(name, {
        seeds,
        seedList: seedsListed,
        datasets,
        rows,
        budget: opts.budget,
        dataDir: opts.dataDir,
        limit,
        pretrainEpochs,
        maxIter,
        threads,
        log,
        onRecord: records ? (r) => appendRecord(records!, `${JSON.stringify(r)}\n`) : undefined,
      });
      emit(result, opts, records);
    });
}

/** Writes the Markdown (to --out, and stdout or stderr) and the JSON. */
function emit(result: ReproduceResult, opts: ReproduceCliOptions, records?: string): void {
  const markdown = formatMarkdown(result);
  if (opts.out !== undefined) atomicWriteFile(opts.out, markdown);
  if (opts.json) {
    process.stderr.write(markdown);
    printJson({ command: 'reproduce', ...result, ...(opts.out !== undefined ? { out: opts.out, ...(records ? { recordsFile: records } : {}) } : {}) });
  } else process.stdout.write(markdown);
}

/** Appends one result record; a full or read-only disk is one line naming the file. */
function appendRecord(path: string, line: string): void {
  try {
    appendFileSync(path, line);
  } catch (err) {
    throw new DataError(`cannot write '${path}': ${describeFsError(err)}; free some space or choose a writable --out`);
  }
}
