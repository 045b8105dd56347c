/**
 * `deepclust fit`: trains a deep clustering method on a data set and writes the model, labels and
 * a result JSON (every metric, times per phase, the resolved config and seed).
 */
import { type Command, Option } from 'commander';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { describeFsError, ensureDir } from '../../data/atomic.ts';
import { STDIO, parseSeed, writeLabels } from '../conventions.ts';
import { LOCK, acquireLock, clearRun, refuseLocked, removeOutputs, removeTempFiles, writeManifest } from '../run-dir.ts';
import { join, resolve } from 'node:path';
import { DataError, ParamError } from '../../errors.ts';
import { atomicWrite } from '../../engine/index.ts';
import { DeepClustering, resolveMethod } from '../../methods/deep-clustering.ts';
import { applyDatasetDefaults } from '../../methods/config.ts';
import type { DeepPartial, MethodConfig } from '../../methods/config.ts';
import { PRESETS } from '../../methods/presets.ts';
import { readMethodConfig } from '../../methods/method-file.ts';
import type { ProgressEvent } from '../../methods/types.ts';
import { addDataOptions, loadDataFromOptions } from '../data-options.ts';
import { methodFlag } from '../method-flags.ts';
import { subset } from '../../data/subset.ts';
import { evaluateLabels } from '../evaluate-labels.ts';
import { printJson } from '../output.ts';
import { collectReportData, historyMetricsTracker } from '../../report/data.ts';
import { createProgress } from '../progress.ts';
import { InterruptedError } from '../../errors.ts';
import { DEFAULT_CHECKPOINT_EVERY, hasCheckpoint, readCheckpointInfo } from '../../methods/checkpoint.ts';
import { DEEP_ONLY } from '../auto-options.ts';
import { type CliCheckpointState, checkpointDirOf, finishCheckpoint, refuseStaleCheckpoint, resumeCommand, resumeNotice, resumeOptions, savedOptions, takeOverSigint } from '../fit-checkpoint.ts';
import { checkKRange } from '../../cluster/estimate-k.ts';
import { addKEstimationOptions, parseKCriteria, parseKSpec } from '../k-option.ts';

/** Options of `deepclust fit` as commander parses them. */
interface FitCliOptions {
  method?: string;
  methodConfig?: string;
  k?: string;
  kCriterion?: string;
  kCriteria?: string;
  seed: string;
  budget: 'full' | 'short';
  pretrainEpochs?: string;
  maxIter?: string;
  batchSize?: string;
  hidden?: string;
  embeddingDim?: string;
  lr?: string;
  updateInterval?: string;
  tol?: string;
  gamma?: string;
  out?: string;
  force?: boolean;
  threads?: string;
  pretrainCache?: string;
  device: 'cpu' | 'cuda';
  json?: boolean;
  quiet?: boolean;
  report?: boolean;
  labelled?: string;
  eval?: string;
  checkpointEvery?: string;
  resume?: string;
  [key: string]: unknown;
}

function int(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new ParamError(`fit: option '--${name}' must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}
// lives in methods/ so that bench/ can read method configs without importing the CLI
export { readMethodConfig };

/**
 * Parses `--hidden 256,128`: encoder widths (the decoder mirrors them), 1 to 8 layers of 1 to
 * 100000 units; `--hidden none` gives no hidden layer (a linear encoder).
 * @throws ParamError naming the bad entry
 */
export function parseHidden(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  if (v.trim() === 'none') return [];
  const parts = v.split(',').map((t) => t.trim());
  const widths = parts.map(Number);
  const bad = parts.findIndex((t, i) => t === '' || !Number.isInteger(widths[i]) || widths[i]! < 1 || widths[i]! > 100000);
  if (bad >= 0 || parts.length > 8) throw new ParamError(`fit: option '--hidden' must be 1 to 8 comma-separated layer widths between 1 and 100000 (e.g. 256,128), or 'none', got ${JSON.stringify(v)}`);
  return widths;
}

/**
 * The largest power of two that is at most a quarter of `n` (at least 1): the batch size a fit on
 * `n` rows uses when the method's default batch is larger than the data.
 */
export function batchSizeFor(n: number): number {
  let b = 1;
  while (b * 2 <= Math.max(1, Math.floor(n / 4))) b *= 2;
  return b;
}

/**
 * Checks that the output directory can be written: new or empty, or `--force`; refuses one that
 * another deepclust process is writing into (see {@link acquireLock}, taken right after).
 */
export function prepareOutDir(out: string, force: boolean): string {
  const dir = resolve(out);
  let entries: string[];
  try {
    entries = existsSync(dir) ? readdirSync(dir) : [];
  } catch {
    throw new ParamError(`the output path '${out}' exists and is not a directory; choose another --out`);
  }
  refuseLocked(dir, out);
  if (entries.some((e) => e !== LOCK) && !force) throw new ParamError(`the output directory '${out}' exists and is not empty; pass --force to overwrite it or choose another --out`);
  const probe = join(dir, `.deepclust-write-test-${process.pid}`);
  try {
    ensureDir(dir); // not mkdirSync({ recursive }): it never returns under /proc on Node 20
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    throw new ParamError(`cannot write to the output directory '${out}': ${describeFsError(err)}; choose a writable --out`);
  }
  return dir;
}

/** Registers `deepclust fit`. */
export function register(program: Command): void {
  const cmd = program
    .command('fit')
    .description('train a deep clustering method and write model, labels and results')
    .option('--method <name>', `preset: ${Object.keys(PRESETS).join(', ')}; or auto (inspect the data and choose preprocessing, representation, clustering step and k; see docs/own-data.md) (default: auto; idec's network with --method-config)`)
    .option('--method-config <file>', 'a JSON/YAML method config (blocks of the taxonomy; may "extends" a preset)')
    .option('--k <n>', 'number of clusters; "auto" to estimate it in 2..30 (a deep preset: on the embedding after pretraining), or a range such as 2..30 (default: the number of classes when labels are known)')
    .option('--seed <n>', 'seed of every random choice', '0')
    .addOption(new Option('--budget <b>', 'full: the paper schedule; short: a reduced one for quick runs').choices(['full', 'short']).default('full'))
    .option('--pretrain-epochs <n>', 'autoencoder pretraining epochs')
    .option('--max-iter <n>', 'clustering-phase iterations (mini-batches)')
    .option('--batch-size <n>', 'batch size of both phases (default: the method\'s; lowered to a power of two <= n/4 when that is larger than the n rows)')
    .option('--hidden <widths>', 'encoder hidden layer widths of an MLP autoencoder, comma-separated (decoder mirrored), e.g. 256,128')
    .option('--embedding-dim <n>', 'width of the embedding (code) layer, e.g. 8')
    .option('--lr <x>', 'learning rate of the clustering phase')
    .option('--update-interval <n>', 'iterations T between target refreshes')
    .option('--tol <x>', 'stop when fewer than this fraction of labels change (δ)')
    .option('--gamma <x>', 'weight of the clustering loss')
    .option('--labelled <n>', 'train on a seeded, class-stratified subset of n labelled rows (SNNL protocol: 10000)')
    .option('--eval <spec>', 'also assign this data set with the trained model and report its metrics (e.g. mnist:test)')
    .option('--out <dir>', "write model/, labels.csv, result.json, the report and run-manifest.json (written last) here; '-': only the labels, to stdout (without --out: the labels go to stdout, or into the --json line)")
    .option('--force', "replace the run in a non-empty --out directory (its outputs, checkpoint and manifest are removed first; other files are kept)")
    .option('--checkpoint-every <n>', `with --out: training steps between checkpoints in <out>/checkpoint (Ctrl-C always saves one; 0: only then) (default: ${DEFAULT_CHECKPOINT_EVERY})`)
    .option('--resume <dir>', 'continue the interrupted fit whose --out was <dir> from its checkpoint, with its options')
    .option('--no-report', 'with --out: skip report.html, charts/ and report-data.json')
    .option('--threads <n>', 'CPU threads of the engine (default: all cores)')
    .option('--pretrain-cache <dir>', 'reuse a pretrained autoencoder stored here for the same architecture, pretraining settings, seed and data (ae-kmeans, dec and idec share one), and store new ones')
    .addOption(new Option('--device <d>', 'execution provider').choices(['cpu', 'cuda']).default('cpu'))
    .option('--json', 'print the result JSON as the last stdout line')
    .option('--quiet', 'no progress output');
  addDataOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Without --method, fit runs auto: it inspects the data and chooses preprocessing, representation,
clustering step and k (docs/own-data.md); where it trains an autoencoder, --hidden, --embedding-dim,
--batch-size, --pretrain-epochs and --lr adjust it; the other network flags need a --method.

Examples:
  deepclust fit --data table.csv                (auto: any numeric table from 100 rows up)
  deepclust fit --data mnist-10k --method idec --budget short --out runs/idec
  deepclust fit --data mnist --data-dir ~/data --method dec --seed 1 --json
  deepclust fit --data my.csv --label-column label --method ae-kmeans --k 5
  deepclust fit --data my.csv --method n2d --k auto --out runs/n2d   (k estimated in 2..30)
  deepclust fit --data mnist:train --labelled 10000 --eval mnist:test --method snnl-5 --data-dir ~/data
  deepclust fit --resume runs/idec        (after Ctrl-C: continue from the checkpoint)`,
  );
  addKEstimationOptions(cmd);
  cmd.action(async (cliOpts: FitCliOptions, command: Command) => {
    // a resumed fit runs with the options saved in its checkpoint
    const opts = cliOpts.resume !== undefined ? resumeOptions(cliOpts, command) : cliOpts;
    const result = await runFit(opts);
    if (opts.json) printJson(result);
  });
}

/**
 * The method of a fit without `--method`: `auto`, or `idec` (its base, overridden by the file) with
 * `--method-config`. Deep-only flags without `--method` are refused: auto trains no network.
 * @throws ParamError naming the flag and the fix
 */
export function defaultMethod(opts: Record<string, unknown>): string {
  if (typeof opts.method === 'string') return opts.method;
  if (opts.methodConfig !== undefined) return 'idec';
  const key = DEEP_ONLY.find((k) => opts[k] !== undefined);
  if (key !== undefined) {
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new ParamError(`fit: '${flag}' configures a deep network, but without --method the default is auto, which does not use it; pass --method idec (or another preset) to use ${flag}`);
  }
  return 'auto';
}

/** Runs `fit` from parsed options and returns the result object. */
export async function runFit(opts: FitCliOptions): Promise<Record<string, unknown>> {
  const seed = parseSeed(opts.seed, 'fit'); // before any work
  const labelsToStdout = opts.out === STDIO;
  if (labelsToStdout && opts.json) throw new ParamError("fit: '--out -' writes the labels to stdout, and so does '--json' with its result; use one of them");
  const outArg = labelsToStdout ? undefined : opts.out;
  opts = { ...opts, method: defaultMethod(opts) };
  // auto: inspect the data and plan the pipeline (src/auto); no network on the data measured so far
  if (opts.method === 'auto' && opts.resume === undefined) return (await import('../auto-fit.ts')).runAutoFit({ ...opts, out: outArg }, prepareOutDir, { parseHidden, writeRun });
  if (outArg) refuseLocked(resolve(outArg), outArg); // a running fit's checkpoint is not an interrupted one
  if (outArg && opts.resume === undefined) refuseStaleCheckpoint(outArg, Boolean(opts.force));
  // a resumed fit writes into its own directory, which holds the checkpoint
  const created = outArg !== undefined && !existsSync(outArg);
  const outDir = outArg ? prepareOutDir(outArg, Boolean(opts.force) || opts.resume !== undefined) : undefined;
  // the directory is this run's from here: locked (and emptied of an earlier run's files before training)
  const unlock = outDir ? acquireLock(outDir, outArg!, 'fit') : undefined;
  let done = false;
  try {
    const result = await fitInto(opts, outDir, seed, labelsToStdout);
    done = true;
    return result;
  } finally {
    unlock?.();
    // a fit refused before training (bad data or options) leaves no folder it created behind
    if (!done && created && outDir && readdirSync(outDir).length === 0) quietly(() => rmSync(outDir, { recursive: true }));
  }
}

async function fitInto(opts: FitCliOptions, outDir: string | undefined, seed: number, labelsToStdout: boolean): Promise<Record<string, unknown>> {
  const checkpointEvery = int('checkpoint-every', opts.checkpointEvery, 0);
  if (checkpointEvery !== undefined && !opts.out) throw new ParamError("fit: '--checkpoint-every' needs --out (checkpoints are written into <out>/checkpoint)");
  // the paper's per-data-set settings (e.g. IDEC's T on USPS) when --data names a known set
  const base = applyDatasetDefaults(opts.methodConfig ? readMethodConfig(opts.methodConfig) : resolveMethod(opts.method ?? 'idec'), typeof opts.data === 'string' ? opts.data : undefined);
  const overrides: Record<string, unknown> = {};
  // the method schema checks these (its errors name the flag): methods/schema-method.ts
  const pretrainEpochs = methodFlag('fit', 'pretrain-epochs', opts.pretrainEpochs);
  const maxIter = methodFlag('fit', 'max-iter', opts.maxIter);
  const batchSize = methodFlag('fit', 'batch-size', opts.batchSize);
  const lr = methodFlag('fit', 'lr', opts.lr);
  const updateInterval = methodFlag('fit', 'update-interval', opts.updateInterval);
  const tol = methodFlag('fit', 'tol', opts.tol);
  const gamma = methodFlag('fit', 'gamma', opts.gamma);
  const threads = int('threads', opts.threads, 1);
  const hidden = parseHidden(opts.hidden);
  const embeddingDim = methodFlag('fit', 'embedding-dim', opts.embeddingDim);
  if (hidden !== undefined && base.architecture.kind !== 'mlp')
    throw new ParamError(`fit: '--hidden' sets the layers of an MLP autoencoder, but '${base.name}' has a ${base.architecture.kind} network; change its channels in a --method-config file`);
  if (hidden !== undefined || embeddingDim !== undefined) overrides.architecture = { ...(hidden !== undefined ? { hidden } : {}), ...(embeddingDim !== undefined ? { embeddingDim } : {}) };
  if (embeddingDim !== undefined && base.embeddingDimFromK) overrides.embeddingDimFromK = false; // the width given wins over n2d's width = k
  if (base.pretrain && (pretrainEpochs !== undefined || batchSize !== undefined)) overrides.pretrain = { ...(pretrainEpochs !== undefined ? { epochs: pretrainEpochs } : {}), ...(batchSize ? { batchSize } : {}) };
  if (base.train && (maxIter !== undefined || batchSize !== undefined || lr !== undefined))
    overrides.train = { ...(maxIter !== undefined ? { maxIter } : {}), ...(batchSize ? { batchSize } : {}), ...(lr !== undefined ? { optimizer: { ...base.train.optimizer, lr } } : {}) };
  if (updateInterval !== undefined || tol !== undefined) overrides.clusterUpdate = { ...(updateInterval ? { updateInterval } : {}), ...(tol !== undefined ? { tol } : {}) };
  if (gamma !== undefined) overrides.combination = { clusteringWeight: gamma };
  let method = resolveMethod(base, overrides as DeepPartial<MethodConfig>, undefined, opts.budget);

  const labelled = int('labelled', opts.labelled, 1);
  if (labelled !== undefined && opts.limit !== undefined) throw new ParamError("fit: use either '--labelled' or '--limit', not both");
  // the paper's preprocessing of this data set (e.g. DEC's ×0.02 MNIST pixels) unless --preprocess is given
  const dataOpts = opts.preprocess === undefined && method.preprocess ? { ...opts, preprocess: method.preprocess.join(',') } : opts;
  let data = await loadDataFromOptions(dataOpts);
  const fittedPreprocessing = data.fittedPreprocessing; // stored with the model: predict/embed/export apply its statistics
  if (labelled !== undefined) {
    if (!data.labels) throw new ParamError(`fit: '--labelled ${labelled}' needs a labelled data set, but '${data.name}' has no labels; pass --labels or --label-column`);
    if (data.x.rows < labelled) throw new ParamError(`fit: '--labelled ${labelled}' asks for more rows than the ${data.x.rows} of '${data.name}'; use at most ${data.x.rows}`);
    data = subset(data, labelled, true, seed);
  }
  const evalData = opts.eval ? await loadDataFromOptions({ ...dataOpts, data: opts.eval, limit: undefined, stratified: undefined }) : undefined;
  if (evalData && evalData.x.cols !== data.x.cols) throw new ParamError(`fit: the --eval data '${evalData.name}' has ${evalData.x.cols} columns but the training data has ${data.x.cols}; evaluate on data of the same kind`);
  const nClasses = data.labels ? new Set(data.labels).size : undefined;
  const kSpec = parseKSpec('fit', opts.k);
  if (kSpec && 'fixed' in kSpec && kSpec.fixed < 2) throw new ParamError(`fit: option '--k' must be an integer >= 2, got ${JSON.stringify(opts.k)} (or "auto", or a range such as 2..30)`);
  const k = kSpec && 'fixed' in kSpec ? kSpec.fixed : kSpec ? undefined : nClasses;
  // estimating k: the range is checked against the rows now, before anything is written
  const kRange = kSpec && 'auto' in kSpec ? checkKRange("fit: option '--k'", kSpec.range, data.x.rows) : undefined;
  const kCriteria = parseKCriteria('fit', opts.kCriterion, opts.kCriteria);
  if (k === undefined && !kRange) throw new ParamError('fit: the data has no labels, so pass the number of clusters with --k (a number, "auto" or a range such as 2..30)');
  if (k !== undefined && k > data.x.rows) throw new DataError(`the data has ${data.x.rows} samples but k = ${k} clusters were asked for; use k <= ${data.x.rows}`);
  // the method's default batch (MNIST's 256) on a small table: lowered, and said so; an explicit one is checked
  const adjustments: string[] = [];
  const n = data.x.rows;
  if (batchSize !== undefined && batchSize > n) throw new ParamError(`fit: the batch size ${batchSize} is larger than the ${n} samples; lower it (e.g. --batch-size ${batchSizeFor(n)})`);
  if (batchSize === undefined && opts.resume === undefined && ((method.pretrain?.batchSize ?? 0) > n || (method.train?.batchSize ?? 0) > n)) {
    const b = batchSizeFor(n);
    adjustments.push(`batch size ${Math.max(method.pretrain?.batchSize ?? 0, method.train?.batchSize ?? 0)} > ${n} rows: lowered to ${b}`);
    method = resolveMethod(method, { ...(method.pretrain && method.pretrain.batchSize > n ? { pretrain: { batchSize: b } } : {}), ...(method.train && method.train.batchSize > n ? { train: { batchSize: b } } : {}) } as DeepPartial<MethodConfig>);
    if (!opts.quiet) process.stderr.write(`note: ${adjustments.at(-1)}\n`);
  }
  // Supervised blocks (SNNL presets with odd numbers) train with the ground truth; say so in the result.
  const usesLabels = Boolean(method.pretrain?.snnl?.supervised);
  const progress = createProgress({ quiet: Boolean(opts.quiet), labels: data.labels });
  // With --out: checkpoints in <out>/checkpoint, holding the options and the history metrics so far.
  const ckDir = outDir ? checkpointDirOf(outDir) : undefined;
  const cliState = ckDir && opts.resume !== undefined ? (readCheckpointInfo(ckDir).extra.caller as { cli: CliCheckpointState }).cli : undefined;
  const tracker = historyMetricsTracker(data.labels, cliState?.tracker); // ACC/NMI per update into the history
  const est = new DeepClustering({ method, nClusters: k ?? 'auto', ...(kRange ? { kRange, kCriterion: kCriteria.select, ...(opts.kCriteria !== undefined ? { kCriteria: kCriteria.criteria } : {}) } : {}), seed, pretrainCache: opts.pretrainCache, runtime: { threads, executionProvider: opts.device } });
  // the old run goes only now, once the options and the data are known to be good (a typo keeps it)
  if (outDir) clearRun(outDir, opts.resume !== undefined);
  const interrupt = outDir ? takeOverSigint(outDir, resumeCommand(opts.resume ?? opts.out!, opts)) : undefined;
  const saved = savedOptions(opts);
  const cwd = cliState?.cwd ?? process.cwd();
  const checkpoint = ckDir ? { dir: ckDir, every: checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY, extra: () => ({ cli: { options: saved, cwd, tracker: tracker.snapshot() } satisfies CliCheckpointState }) } : undefined;
  const notice = outDir && opts.resume !== undefined ? resumeNotice(outDir, Boolean(opts.quiet)) : () => {};
  const onProgress = (e: ProgressEvent) => (notice(), tracker.onProgress(e), progress.update(e));
  const outcome = await est
    .fit(data.x, { imageShape: data.imageShape, labels: usesLabels ? data.labels : undefined, onProgress, checkpoint, resumeFrom: opts.resume !== undefined ? ckDir : undefined, signal: interrupt?.signal })
    .then((f) => ({ f }), (e: unknown) => ({ e }));
  progress.stop();
  if ('e' in outcome) {
    if (outcome.e instanceof InterruptedError && interrupt) interrupt.exit();
    interrupt?.release();
    // a fresh fit that failed leaves no partial output; a resumed one keeps the checkpoint it came from
    // (never let this cleanup's own error, e.g. on a read-only disk, hide the first one)
    if (outDir && opts.resume === undefined) quietly(() => finishCheckpoint(outDir));
    throw outcome.e;
  }
  const fitted = outcome.f;
  notice();
  const tFitted = performance.now();
  interrupt?.trainingDone(); // a Ctrl-C from here on removes the outputs written so far
  tracker.annotate(fitted.history);
  const embedding = await fitted.transform(data.x);
  const metrics = await evaluateLabels(data.labels, fitted.labels, embedding, { silhouetteSample: data.x.rows > 20000 ? 20000 : undefined, seed });
  let evaluation: Record<string, unknown> | undefined;
  if (evalData) {
    const pred = await fitted.predict(evalData.x);
    evaluation = {
      dataset: { name: evalData.name, n: evalData.x.rows, classes: evalData.labels ? new Set(evalData.labels).size : null },
      metrics: await evaluateLabels(evalData.labels, pred, await fitted.transform(evalData.x), { silhouetteSample: evalData.x.rows > 20000 ? 20000 : undefined, seed }),
    };
  }
  const result: Record<string, unknown> = {
    method: method.name,
    dataset: { name: data.name, n: data.x.rows, d: data.x.cols, classes: nClasses ?? null, preprocessing: data.preprocessing, sources: data.sources },
    k: fitted.nClusters,
    ...(fitted.kEstimate ? { kEstimate: fitted.kEstimate } : {}),
    seed,
    usedLabels: usesLabels,
    metrics,
    ...(evaluation ? { evaluation } : {}),
    // the fit's own total counts the time before an interruption too
    timings: { ...fitted.timings, total: (fitted.timings.total ?? 0) + (performance.now() - tFitted) / 1000 },
    iterations: fitted.iterations,
    stoppedBy: fitted.stoppedBy,
    ...(fitted.pretrainSource ? { pretrainSource: fitted.pretrainSource } : {}),
    config: est.method, // as run (e.g. n2d's code width set to k)
    ...(adjustments.length ? { adjustments } : {}),
    history: fitted.history,
    outDir: outDir ?? null,
  };
  const warnings = distinctWarnings(fitted.labels, fitted.nClusters);
  for (const w of warnings) process.stderr.write(`deepclust: warning: ${w}\n`);
  if (warnings.length) result.warnings = warnings;
  if (labelsToStdout) writeLabels(STDIO, fitted.labels);
  if (outDir) {
    try {
      writeRun(outDir, result, fitted, fittedPreprocessing?.toJSON());
      if (opts.report !== false) {
        const rd = await collectReportData({ x: data.x, fitted, embedding, truth: data.labels, classNames: data.classNames, imageShape: data.imageShape, initLabels: tracker.initLabels(), seed });
        atomicWrite(join(outDir, 'report-data.json'), JSON.stringify(rd));
        const { generateReport } = await import('../../report/index.ts'); // vega loads only when needed
        const rep = await generateReport(outDir);
        if (!opts.quiet) process.stderr.write(`report ${rep.html} (${rep.seconds.toFixed(1)} s)\n`);
      }
    } catch (err) {
      // a run that could not be written whole leaves none of its outputs (the checkpoint stays, to resume from)
      removeOutputs(outDir);
      interrupt?.release();
      const kept = hasCheckpoint(checkpointDirOf(outDir));
      if (err instanceof DataError && kept) throw new DataError(`${err.message}; the trained state is kept in the checkpoint, continue with: ${resumeCommand(opts.resume ?? opts.out!, opts)}`);
      throw err;
    }
  }
  if (!opts.quiet) {
    const m = metrics as Record<string, number | null>;
    const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(4));
    process.stderr.write(`${method.name} on ${data.name}: ACC ${fmt(m.acc)}  NMI ${fmt(m.nmi)}  ARI ${fmt(m.ari)}  (${(result.timings as { total: number }).total.toFixed(1)} s)\n`);
    if (fitted.kEstimate) process.stderr.write(`  k = ${fitted.kEstimate.chosen}, estimated by ${fitted.kEstimate.criterion} over k = ${fitted.kEstimate.ks[0]}..${fitted.kEstimate.ks.at(-1)} on the pretrained embedding\n`);
    if (evaluation) {
      const e = evaluation.metrics as Record<string, number | null>;
      process.stderr.write(`  assigned ${evalData!.name}: ACC ${fmt(e.acc)}  NMI ${fmt(e.nmi)}  ARI ${fmt(e.ari)}\n`);
    }
    if (outDir) process.stderr.write(`results in ${outDir}\n`);
  }
  if (outDir) {
    finishCheckpoint(outDir); // the outputs are written: nothing left to resume
    removeTempFiles(outDir);
    writeManifest(outDir); // last: from now on readers accept the directory as one run
  }
  interrupt?.release();
  // without --out the labels must still reach the user: in the --json line, else on stdout
  if (!outDir && !labelsToStdout) {
    if (opts.json) return { ...result, labels: Array.from(fitted.labels) };
    writeLabels(STDIO, fitted.labels); // the one label format: a 'label' header, one cluster per row
    if (!opts.quiet) process.stderr.write('labels on stdout, one per row after a label header (pass --out <dir> to keep the model and a labels.csv)\n');
  }
  return result;
}

/** Writes the model, labels and result of a run (atomically each; the manifest comes last, later). */
function writeRun(outDir: string, result: Record<string, unknown>, fitted: { save(dir: string, extra?: Record<string, unknown>): void; labels: Int32Array }, preprocessing?: unknown): void {
  // the fitted preprocessing (standardize's means…) travels with the model: predict/embed/export apply it
  fitted.save(join(outDir, 'model'), { dataset: result.dataset, ...(preprocessing ? { preprocessing } : {}) });
  writeLabels(join(outDir, 'labels.csv'), fitted.labels);
  atomicWrite(join(outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
}

/** Runs a cleanup step whose failure must not replace the error being reported. */
function quietly(step: () => void): void {
  try {
    step();
  } catch {
    /* the first error is the one to report */
  }
}

/**
 * Warnings about the labels of a fit: fewer distinct clusters than k (as scikit-learn's
 * ConvergenceWarning), e.g. on data with fewer distinct rows than k. The CLI prints each on one
 * stderr line and keeps them in result.json's `warnings`.
 */
export function distinctWarnings(labels: ArrayLike<number>, k: number): string[] {
  const distinct = new Set(Array.from(labels)).size;
  return distinct < k ? [`number of distinct clusters (${distinct}) found smaller than k (${k}); the data may have fewer distinct points than k, or duplicate points: lower --k`] : [];
}
