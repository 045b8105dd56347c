/**
 * `deepclust kmeans`: k-means (optionally on PCA-n features, the papers' "original space"
 * baseline) on a data set; prints inertia, iterations and, when the data has labels, ACC/NMI/ARI.
 */
import { type Command, Option } from 'commander';
import { writeLabels } from '../conventions.ts';
import { KMeans, MiniBatchKMeans } from '../../cluster/index.ts';
import { adjustedMutualInfoScore, externalScores, internalScores, purityScore } from '../../metrics/index.ts';
import { type ClassicalCliOptions, classicalCommand, classicalK, classicalSetup, intArg, loadClassicalData, pcaFeatures, realArg } from '../classical-command.ts';
import { printJson } from '../output.ts';

interface KMeansCliOptions extends ClassicalCliOptions {
  nInit?: string;
  maxIter?: string;
  tol?: string;
  init: 'k-means++' | 'random';
  minibatch?: boolean;
  batchSize: string;
  internal?: boolean;
  silhouetteSample?: string;
}

/** Registers `deepclust kmeans`. */
export function register(program: Command): void {
  const cmd = classicalCommand(program, {
    name: 'kmeans',
    description: 'k-means (k-means++, nInit restarts, as scikit-learn) on a data set; metrics when labels are known',
    algorithmOptions: (c) =>
      c
        .option('--n-init <n>', 'restarts; the lowest inertia is kept (default 10; 3 with --minibatch)')
        .option('--max-iter <n>', 'maximum iterations per restart (default 300; passes over the data with --minibatch: 100)')
        .option('--tol <x>', 'stop when the squared centre shift is <= tol × mean feature variance (default 1e-4; 0 with --minibatch)')
        .addOption(new Option('--init <method>', 'initial centres').choices(['k-means++', 'random']).default('k-means++')),
    pcaHelp: 'cluster the first n principal components instead (the papers use 70)',
    featureOptions: (c) =>
      c
        .option('--minibatch', 'mini-batch k-means (for 10⁶ rows and more)')
        .option('--batch-size <n>', 'mini-batch size', '1024')
        .option('--internal', 'also compute silhouette, Calinski–Harabasz and Davies–Bouldin on the clustered features')
        .option('--silhouette-sample <n>', 'with --internal: silhouette on a seeded sample of n rows (default: exact)'),
    outHelp: "write the cluster labels (CSV: a 'label' header, one per line; '-': stdout)",
    examples: [
      'deepclust kmeans --data mnist:test --data-dir ../shared/data --k 10',
      'deepclust kmeans --data mnist --pca 70 --k 10 --seed 1 --json',
      'deepclust kmeans --data my.csv --label-column label --k 5 --out labels.csv',
      'cat my.csv | deepclust kmeans --data - --k 5 --out - > labels.csv',
      'deepclust kmeans --data mnist:test --pca 50 --k auto --k-criteria all --json',
    ],
  });
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
  const batchSize = intArg(c, 'batch-size', opts.batchSize, 1)!;
  const sample = intArg(c, 'silhouette-sample', opts.silhouetteSample, 2);
  const setup = classicalSetup(c, opts);
  const { seed, threads, say } = setup;
  const data = await loadClassicalData(c, opts, setup);
  const { features, info: pcaInfo } = await pcaFeatures(c, data.x, setup);
  const { k, estimate: kEstimate } = await classicalK(c, data, features, setup);
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
