/**
 * `deepclust evaluate`: every clustering metric of the papers for a predicted labeling — ACC,
 * NMI, ARI, AMI, purity against ground truth, and silhouette, Calinski–Harabasz and
 * Davies–Bouldin on the features when `--data` is given.
 */
import type { Command } from 'commander';
import { DataError, ParamError } from '../../errors.ts';
import { readLabels } from '../../data/index.ts';
import {
  adjustedMutualInfoScore,
  clusterAccuracy,
  contingencyMatrix,
  externalScores,
  internalScores,
  internalScoresDefined,
  purityScore,
} from '../../metrics/index.ts';
import { addDataOptions, loadDataFromOptions } from '../data-options.ts';
import { printJson } from '../output.ts';
import { intArg } from '../classical-command.ts';

interface EvaluateCliOptions {
  true?: string;
  trueColumn?: string;
  pred?: string;
  predColumn?: string;
  silhouetteSample?: string;
  seed: string;
  threads?: string;
  json?: boolean;
  quiet?: boolean;
  [key: string]: unknown;
}

/** Registers `deepclust evaluate`. */
export function register(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description('score predicted labels: ACC, NMI, ARI, AMI, purity vs ground truth; silhouette, CH, DB on --data')
    .option('--true <file>', 'ground-truth labels: one integer per line, a CSV column or a .npy vector (default: the labels of --data)')
    .option('--true-column <name|index>', 'column of a CSV --true file (default: the last)')
    .option('--pred <file>', 'predicted cluster labels, same formats (e.g. the --out of deepclust kmeans or labels.csv of deepclust fit)')
    .option('--pred-column <name|index>', 'column of a CSV --pred file (default: the last)')
    .option('--silhouette-sample <n>', 'silhouette on a seeded sample of n rows (default: exact, all rows)')
    .option('--seed <n>', 'seed of the silhouette sample (and of --limit subsets)', '0')
    .option('--threads <n>', 'onnxruntime threads for the silhouette (default: all cores)')
    .option('--json', 'print the metrics as one JSON line (last line of stdout)')
    .option('--quiet', 'no human-readable output');
  addDataOptions(cmd, null);
  cmd.addHelpText(
    'after',
    `
--data enables the internal metrics (silhouette, Calinski–Harabasz, Davies–Bouldin); its rows
must be in the order of the labels.

Examples:
  deepclust evaluate --true truth.txt --pred pred.txt
  deepclust evaluate --pred runs/idec/labels.csv --data mnist:test --data-dir ../shared/data --json
  deepclust evaluate --true y.csv --true-column class --pred pred.txt --data x.csv --silhouette-sample 10000`,
  );
  cmd.action(async (opts: EvaluateCliOptions) => {
    const result = await runEvaluate(opts);
    if (opts.json) printJson(result);
  });
}

/** Runs `deepclust evaluate` from parsed options and returns the result object. */
export async function runEvaluate(opts: EvaluateCliOptions): Promise<Record<string, unknown>> {
  const c = 'evaluate';
  if (!opts.pred) throw new ParamError(`${c}: option '--pred <file>' is required: the predicted cluster labels, one integer per line or a CSV column`);
  const seed = intArg(c, 'seed', opts.seed, 0)!;
  const sample = intArg(c, 'silhouette-sample', opts.silhouetteSample, 2);
  const threads = intArg(c, 'threads', opts.threads, 1);
  const pred = readLabels(opts.pred, opts.predColumn);
  const data = opts.data !== undefined ? await loadDataFromOptions(opts) : undefined;
  let truth: Int32Array | undefined;
  let truthSource: string | null = null;
  if (opts.true) {
    truth = readLabels(opts.true, opts.trueColumn);
    truthSource = opts.true;
  } else if (data?.labels) {
    truth = data.labels;
    truthSource = `labels of ${data.name}`;
  }
  if (!truth && !data) throw new ParamError(`${c}: nothing to compare with: pass --true <file> (ground truth) and/or --data <spec> (features for the internal metrics)`);
  if (truth && truth.length !== pred.length)
    throw new DataError(`${c}: ${opts.true ? `--true file '${opts.true}'` : `the data '${data!.name}'`} has ${truth.length} labels but --pred file '${opts.pred}' has ${pred.length}; they must label the same samples, in the same order`);
  if (data && data.x.rows !== pred.length)
    throw new DataError(`${c}: the data '${data.name}' has ${data.x.rows} rows but --pred file '${opts.pred}' has ${pred.length} labels; they must describe the same samples, in the same order`);

  const metrics: Record<string, number | null> = {};
  let mapping: Record<string, number> | null = null;
  let contingency: { classes: number[]; clusters: number[]; counts: number[][] } | null = null;
  if (truth) {
    const acc = clusterAccuracy(truth, pred);
    Object.assign(metrics, externalScores(truth, pred));
    metrics.ami = adjustedMutualInfoScore(truth, pred);
    metrics.purity = purityScore(truth, pred);
    mapping = Object.fromEntries([...acc.mapping].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v]));
    const cm = contingencyMatrix(truth, pred);
    if (cm.rows * cm.cols <= 10000)
      contingency = { classes: Array.from(cm.classes), clusters: Array.from(cm.clusters), counts: Array.from({ length: cm.rows }, (_, i) => Array.from(cm.counts.subarray(i * cm.cols, (i + 1) * cm.cols))) };
  }
  if (data) {
    if (!internalScoresDefined(pred) && !opts.quiet)
      process.stderr.write(`note: the predicted labels form ${new Set(pred).size} cluster(s); silhouette, Calinski–Harabasz and Davies–Bouldin need 2 to n-1 clusters\n`);
    Object.assign(metrics, await internalScores(data.x, pred, { silhouetteSample: sample, seed, threads }));
  }
  if (!opts.quiet) {
    const out = opts.json ? process.stderr : process.stdout;
    const names: Record<string, string> = { acc: 'ACC', nmi: 'NMI', ari: 'ARI', ami: 'AMI', purity: 'purity', silhouette: 'silhouette', calinskiHarabasz: 'Calinski–Harabasz', daviesBouldin: 'Davies–Bouldin (lower is better)' };
    out.write(`${pred.length} samples, ${new Set(pred).size} clusters${truth ? `, ${new Set(truth).size} classes (${truthSource})` : ''}\n`);
    for (const [key, v] of Object.entries(metrics)) out.write(`  ${names[key]!.padEnd(34)} ${v === null ? '–' : key === 'calinskiHarabasz' ? v.toFixed(2) : v.toFixed(4)}\n`);
  }
  return {
    command: 'evaluate',
    n: pred.length,
    clusters: new Set(pred).size,
    classes: truth ? new Set(truth).size : null,
    truth: truthSource,
    pred: opts.pred,
    data: data?.name ?? null,
    silhouetteSample: sample ?? null,
    metrics,
    mapping,
    contingency,
  };
}
