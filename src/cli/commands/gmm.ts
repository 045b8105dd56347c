/**
 * `deepclust gmm`: a Gaussian mixture (EM, as scikit-learn) on a data set, optionally on PCA-n
 * features and/or a UMAP embedding (N2D's manifold step); prints the log-likelihood, BIC/AIC and,
 * when the data has labels, ACC/NMI/ARI. `--k auto` or `--k lo..hi` estimates k first.
 */
import type { Command } from 'commander';
import { COVARIANCE_TYPES, GMM_INITS, GaussianMixture, type GmmInit, Umap } from '../../cluster/index.ts';
import { atomicWriteFile } from '../../data/atomic.ts';
import { ParamError } from '../../errors.ts';
import type { Matrix } from '../../matrix.ts';
import { adjustedMutualInfoScore, adjustedRandScore, clusterAccuracy, normalizedMutualInfoScore, purityScore } from '../../metrics/index.ts';
import { type ClassicalCliOptions, classicalCommand, classicalK, classicalSetup, intArg, loadClassicalData, pcaFeatures, realArg } from '../classical-command.ts';
import { printJson } from '../output.ts';

interface GmmCliOptions extends ClassicalCliOptions {
  covarianceType: string;
  nInit?: string;
  maxIter?: string;
  tol?: string;
  regCovar?: string;
  init: string;
  umap?: string;
  umapNeighbors: string;
  umapMinDist: string;
}

/** Registers `deepclust gmm`. */
export function register(program: Command): void {
  const cmd = classicalCommand(program, {
    name: 'gmm',
    description: 'Gaussian mixture (EM with full/tied/diag/spherical covariances, as scikit-learn) on a data set; metrics when labels are known',
    algorithmOptions: (c) =>
      c
        .option('--covariance-type <type>', `covariance structure: ${COVARIANCE_TYPES.join(', ')}`, 'full')
        .option('--n-init <n>', 'initialisations; the highest lower bound is kept (default 1)')
        .option('--max-iter <n>', 'most EM iterations per initialisation (default 100)')
        .option('--tol <x>', 'stop when the mean log-likelihood changes by less (default 1e-3)')
        .option('--reg-covar <x>', 'added to the covariance diagonals (default 1e-6; raise it for singular covariances)')
        .option('--init <method>', 'initial responsibilities: kmeans, k-means++, or mixed (restarts alternate between the two)', 'kmeans'),
    pcaHelp: 'first reduce to n principal components',
    featureOptions: (c) =>
      c
        .option('--umap <n>', 'then embed with UMAP into n dimensions (N2D: n = k, --umap-neighbors 20, --umap-min-dist 0)')
        .option('--umap-neighbors <n>', 'UMAP neighbours', '20')
        .option('--umap-min-dist <x>', 'UMAP minimum distance', '0'),
    outHelp: 'write the cluster labels, one per line',
    examples: [
      'deepclust gmm --data mnist:test --data-dir ../shared/data --pca 50 --k 10',
      'deepclust gmm --data mnist:test --pca 50 --umap 10 --k auto --json',
      'deepclust gmm --data my.csv --k 2..12 --covariance-type diag --out labels.txt',
    ],
  });
  cmd.action(async (opts: GmmCliOptions) => {
    const result = await runGmmCommand(opts);
    if (opts.json) printJson(result);
  });
}

/** Runs `deepclust gmm` from parsed options and returns the result object. */
export async function runGmmCommand(opts: GmmCliOptions): Promise<Record<string, unknown>> {
  const c = 'gmm';
  const covarianceType = opts.covarianceType ?? 'full';
  if (!COVARIANCE_TYPES.includes(covarianceType as never)) throw new ParamError(`${c}: option '--covariance-type' must be one of ${COVARIANCE_TYPES.join(', ')}, got ${JSON.stringify(covarianceType)}`);
  const init = (opts.init ?? 'kmeans') as GmmInit;
  if (!GMM_INITS.includes(init)) throw new ParamError(`${c}: option '--init' must be kmeans, k-means++ or mixed, got ${JSON.stringify(init)}`);
  const nInit = intArg(c, 'n-init', opts.nInit, 1);
  const maxIter = intArg(c, 'max-iter', opts.maxIter, 1);
  const tol = realArg(c, 'tol', opts.tol, 0);
  const regCovar = realArg(c, 'reg-covar', opts.regCovar, 0);
  const umapDim = intArg(c, 'umap', opts.umap, 1);
  const umapNeighbors = intArg(c, 'umap-neighbors', opts.umapNeighbors ?? '20', 2)!;
  const umapMinDist = realArg(c, 'umap-min-dist', opts.umapMinDist ?? '0', 0)!;
  const setup = classicalSetup(c, opts);
  const { seed, threads, say } = setup;
  const data = await loadClassicalData(c, opts, setup, (d) => {
    if (umapDim !== undefined && umapNeighbors >= d.x.rows) throw new ParamError(`${c}: option '--umap-neighbors' (${umapNeighbors}) must be smaller than the number of rows (${d.x.rows}); lower it`);
  });
  const steps: Record<string, unknown> = {};
  const pca = await pcaFeatures(c, data.x, setup);
  let features: Matrix = pca.features;
  if (pca.info) steps.pca = pca.info;
  if (umapDim !== undefined) {
    say(`UMAP ${features.rows} × ${features.cols} → ${umapDim} (nNeighbors ${umapNeighbors}, minDist ${umapMinDist})…`);
    const u = await new Umap({ nComponents: umapDim, nNeighbors: umapNeighbors, minDist: umapMinDist, seed, threads }).fit(features);
    features = u.embedding;
    steps.umap = { nComponents: umapDim, nNeighbors: umapNeighbors, minDist: umapMinDist, seconds: u.seconds, timings: u.timings };
    say(`UMAP: ${u.seconds.toFixed(1)} s`);
  }
  const { k, estimate: kEstimate } = await classicalK(c, data, features, setup);
  const t1 = performance.now();
  const model = await new GaussianMixture({ nComponents: k, covarianceType: covarianceType as never, nInit, maxIter, tol, regCovar, init, seed, threads }).fit(features);
  const seconds = (performance.now() - t1) / 1000;
  for (const w of model.diagnostics.warnings) say(`warning: ${w}`);
  const score = await model.score(features);
  const bic = -2 * score * features.rows + model.nParameters() * Math.log(features.rows);
  const aic = -2 * score * features.rows + 2 * model.nParameters();

  const metrics: Record<string, number> = {};
  if (data.labels) {
    metrics.acc = clusterAccuracy(data.labels, model.labels).accuracy;
    metrics.nmi = normalizedMutualInfoScore(data.labels, model.labels);
    metrics.ari = adjustedRandScore(data.labels, model.labels);
    metrics.ami = adjustedMutualInfoScore(data.labels, model.labels);
    metrics.purity = purityScore(data.labels, model.labels);
  }
  if (opts.out) {
    try {
      atomicWriteFile(opts.out, `${Array.from(model.labels).join('\n')}\n`); // temp file + rename: never half-written
    } catch (err) {
      throw new ParamError(`${c}: cannot write the labels to '${opts.out}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); choose a writable --out`);
    }
  }
  say(`GMM k=${k} (${covarianceType}): mean log-likelihood ${score.toFixed(4)}, BIC ${bic.toPrecision(8)}, ${model.nIter} iterations${model.converged ? '' : ' (not converged)'}, ${seconds.toFixed(2)} s`);
  if (Object.keys(metrics).length) say(Object.entries(metrics).map(([name, v]) => `${name} ${v.toFixed(4)}`).join('  '));
  if (opts.out) say(`labels written to ${opts.out}`);
  return {
    command: 'gmm',
    dataset: { name: data.name, n: data.x.rows, d: data.x.cols, classes: data.labels ? new Set(data.labels).size : null },
    k,
    kEstimate,
    covarianceType,
    seed,
    score,
    lowerBound: model.lowerBound,
    bic,
    aic,
    nIter: model.nIter,
    converged: model.converged,
    seconds,
    steps,
    weights: model.weights,
    metrics,
    diagnostics: model.diagnostics,
    out: opts.out ?? null,
  };
}
