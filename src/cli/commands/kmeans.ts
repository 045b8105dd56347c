/**
 * `deepclust kmeans`: k-means (optionally on PCA-n features, the papers' "original space"
 * baseline) on a data set; prints inertia, iterations and, when the data has labels, ACC/NMI/ARI.
 */
import { type Command, Option } from 'commander';
import { writeLabels } from '../conventions.ts';
import { ParamError } from '../../errors.ts';
import type { Matrix } from '../../matrix.ts';
import { KMeans, MiniBatchKMeans, PCA } from '../../cluster/index.ts';
import { adjustedMutualInfoScore, externalScores, internalScores, purityScore } from '../../metrics/index.ts';
import { addDataOptions, loadDataFromOptions } from '../data-options.ts';
import { K_HELP, addKEstimationOptions, parseKCriteria, parseKSpec, resolveK } from '../k-option.ts';
import { printJson } from '../output.ts';

interface KMeansCliOptions {
  k?: string;
  kCriterion?: string;
  kCriteria?: string;
  nInit?: string;
  maxIter?: string;
  tol?: string;
  init: 'k-means++' | 'random';
  seed: string;
  pca?: string;
  minibatch?: boolean;
  batchSize: string;
  internal?: boolean;
  silhouetteSample?: string;
  threads?: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  [key: string]: unknown;
}

/** Parses an integer CLI option. @throws ParamError naming the option */
export function intArg(command: string, name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new ParamError(`${command}: option '--${name}' must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  return n;
}

function realArg(command: string, name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min) throw new ParamError(`${command}: option '--${name}' must be a number >= ${min}, got ${JSON.stringify(value)}`);
  return n;
}

/** Registers `deepclust kmeans`. */
export function register(program: Command): void {
  const cmd = program
    .command('kmeans')
    .description('k-means (k-means++, nInit restarts, as scikit-learn) on a data set; metrics when labels are known')
    .option('--k <n|auto|lo..hi>', K_HELP)
    .option('--n-init <n>', 'restarts; the lowest inertia is kept (default 10; 3 with --minibatch)')
    .option('--max-iter <n>', 'maximum iterations per restart (default 300; passes over the data with --minibatch: 100)')
    .option('--tol <x>', 'stop when the squared centre shift is <= tol × mean feature variance (default 1e-4; 0 with --minibatch)')
    .addOption(new Option('--init <method>', 'initial centres').choices(['k-means++', 'random']).default('k-means++'))
    .option('--seed <n>', 'seed of every random choice (also of --limit subsets)', '0')
    .option('--pca <n>', 'cluster the first n principal components instead (the papers use 70)')
    .option('--minibatch', 'mini-batch k-means (for 10⁶ rows and more)')
    .option('--batch-size <n>', 'mini-batch size', '1024')
    .option('--internal', 'also compute silhouette, Calinski–Harabasz and Davies–Bouldin on the clustered features')
    .option('--silhouette-sample <n>', 'with --internal: silhouette on a seeded sample of n rows (default: exact)')
    .option('--threads <n>', 'onnxruntime threads (default: all cores)')
    .option('--out <file>', "write the cluster labels (CSV: a 'label' header, one per line; '-': stdout)")
    .option('--json', 'print the result as one JSON line (last line of stdout)')
    .option('--quiet', 'no progress output');
  addKEstimationOptions(cmd);
  addDataOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  deepclust kmeans --data mnist:test --data-dir ../shared/data --k 10
  deepclust kmeans --data mnist --pca 70 --k 10 --seed 1 --json
  deepclust kmeans --data my.csv --label-column label --k 5 --out labels.csv
  cat my.csv | deepclust kmeans --data - --k 5 --out - > labels.csv
  deepclust kmeans --data mnist:test --pca 50 --k auto --k-criteria all --json`,
  );
  cmd.action(async (opts: KMeansCliOptions) => {
    const result = await runKMeansCommand(opts);
    if (opts.json) printJson(result);
  });
}

/** Runs `deepclust kmeans` from parsed options and returns the result object. */
export async function runKMeansCommand(opts: KMeansCliOptions): Promise<Record<string, unknown>> {
  const c = 'kmeans';
  const nInit = intArg(c, 'n-init', opts.nInit, 1);
  const maxIter = intArg(c, 'max-iter', opts.maxIter, 1);
  const tol = realArg(c, 'tol', opts.tol, 0);
  const seed = intArg(c, 'seed', opts.seed, 0)!;
  const pcaDim = intArg(c, 'pca', opts.pca, 1);
  const batchSize = intArg(c, 'batch-size', opts.batchSize, 1)!;
  const threads = intArg(c, 'threads', opts.threads, 1);
  const sample = intArg(c, 'silhouette-sample', opts.silhouetteSample, 2);
  const kSpec = parseKSpec(c, opts.k);
  const kCriteria = parseKCriteria(c, opts.kCriterion, opts.kCriteria);
  const say = (line: string) => {
    if (!opts.quiet) process.stderr.write(`${line}\n`);
  };

  const data = await loadDataFromOptions(opts);
  if (kSpec === undefined && !data.labels) throw new ParamError(`${c}: the data '${data.name}' has no labels, so pass the number of clusters with --k (a number, auto or a range such as 2..30)`);
  // a fixed k that the data cannot have is refused before anything is printed or computed
  if (kSpec && 'fixed' in kSpec && kSpec.fixed > data.x.rows) throw new ParamError(`${c}: option '--k' must be an integer in [1, ${data.x.rows}] (the number of rows), got ${kSpec.fixed}`);
  say(`${data.name}: ${data.x.rows} × ${data.x.cols}${data.labels ? `, ${new Set(data.labels).size} classes` : ''}`);

  const t0 = performance.now();
  let features: Matrix = data.x;
  let pcaInfo: Record<string, unknown> | null = null;
  if (pcaDim !== undefined) {
    const maxDim = Math.min(data.x.rows, data.x.cols);
    if (pcaDim > maxDim) throw new ParamError(`${c}: option '--pca' must be an integer in [1, ${maxDim}] (min of rows and features), got ${pcaDim}`);
    const pca = await new PCA({ nComponents: pcaDim, seed, threads }).fit(data.x);
    features = await pca.transform(data.x);
    const kept = pca.explainedVarianceRatio.reduce((a, b) => a + b, 0);
    pcaInfo = { nComponents: pcaDim, solver: pca.svdSolver, explainedVariance: kept, seconds: (performance.now() - t0) / 1000 };
    say(`PCA-${pcaDim} (${pca.svdSolver}): ${(100 * kept).toFixed(1)}% of the variance`);
  }
  const { k, estimate: kEstimate } = await resolveK(c, kSpec ?? { fixed: new Set(data.labels!).size }, features, { ...kCriteria, seed, threads, log: say });
  const t1 = performance.now();
  const model = opts.minibatch
    ? await new MiniBatchKMeans({ nClusters: k, nInit, maxIter, tol, batchSize, seed, threads, init: opts.init }).fit(features)
    : await new KMeans({ nClusters: k, nInit, maxIter, tol, init: opts.init, seed, threads }).fit(features);
  const seconds = (performance.now() - t1) / 1000;
  for (const w of model.diagnostics.warnings) say(`warning: ${w}`);

  const metrics: Record<string, number | null> = {};
  if (data.labels) {
    Object.assign(metrics, externalScores(data.labels, model.labels));
    metrics.ami = adjustedMutualInfoScore(data.labels, model.labels);
    metrics.purity = purityScore(data.labels, model.labels);
  }
  if (opts.internal) {
    Object.assign(metrics, await internalScores(features, model.labels, { silhouetteSample: sample, seed, threads }));
  }
  if (opts.out) writeLabels(opts.out, model.labels); // temp file + rename: never half-written; '-': stdout
  const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(4));
  say(`k-means k=${k}: inertia ${model.inertia.toPrecision(8)}, ${model.nIter} iterations, ${seconds.toFixed(2)} s`);
  if (Object.keys(metrics).length) say(Object.entries(metrics).map(([name, v]) => `${name} ${fmt(v)}`).join('  '));
  if (opts.out && opts.out !== '-') say(`labels written to ${opts.out}`);
  return {
    command: 'kmeans',
    dataset: { name: data.name, n: data.x.rows, d: data.x.cols, classes: data.labels ? new Set(data.labels).size : null },
    k,
    kEstimate,
    algorithm: opts.minibatch ? 'minibatch' : 'lloyd',
    seed,
    inertia: model.inertia,
    nIter: model.nIter,
    seconds,
    pca: pcaInfo,
    metrics,
    diagnostics: model.diagnostics,
    out: opts.out ?? null,
  };
}
