/**
 * `deepclust bench gmm`: a full-covariance Gaussian mixture, k = 10, nInit = 1 (k-means
 * initialisation), on MNIST test reduced to PCA-50 (float64) — ours and scikit-learn's
 * `GaussianMixture` on the same array in the same invocation, alternating rounds (seed = seed +
 * round for both), medians reported, and a record written to bench/results/.
 *
 *   deepclust bench gmm --json
 *   deepclust bench gmm -o rounds=5 -o cov=diag -o pca=50 -o data=mnist:test -o data-dir=../shared/data --json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CovarianceType, GaussianMixture, PCA } from '../src/cluster/index.ts';
import { loadDataset } from '../src/data/index.ts';
import { provenance as commonProvenance } from './provenance.ts';
import { median, round, runPython, sklearnVersion, tempFiles } from './sklearn.ts';

/**
 * Commit, date and machine for a bench record (bench/provenance.ts), with the load average, since
 * these timings are often taken on a shared machine.
 */
export function provenance(): Record<string, unknown> {
  return { ...commonProvenance(), loadavg: loadavg() };
}

/** Options of {@link runGmmBench}. */
export interface GmmBenchOptions {
  data?: string;
  dataDir?: string;
  k?: number;
  /** PCA components before the mixture. @defaultValue 50 */
  pca?: number;
  cov?: CovarianceType;
  nInit?: number;
  rounds?: number;
  seed?: number;
  threads?: number;
  noSklearn?: boolean;
  /** Folder of the record. @defaultValue bench/results */
  resultsDir?: string;
  log?: (line: string) => void;
}

/** Runs the benchmark; the result is printed as the last JSON line. */
export async function runGmmBench(o: GmmBenchOptions = {}): Promise<Record<string, unknown>> {
  const { k = 10, pca = 50, cov = 'full', nInit = 1, rounds = 3, seed = 0, log = () => {} } = o;
  const dataDir = o.dataDir ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '../../shared/data');
  const ds = await loadDataset(o.data ?? 'mnist:test', { dataDir });
  const p = await new PCA({ nComponents: pca, seed: 0, threads: o.threads }).fit(ds.x);
  const z = await p.transform(ds.x);
  const x = { data: Float64Array.from(z.data), rows: z.rows, cols: z.cols };
  const version = o.noSklearn ? undefined : sklearnVersion();
  if (!o.noSklearn && !version) log('scikit-learn is not importable from /usr/bin/python3: timing ours only');
  const tmp = tempFiles();
  try {
    const raw = tmp.write('x.f64', x.data);
    const ours: Array<{ s: number; score: number; nIter: number }> = [];
    const theirs: Array<{ s: number; score: number; nIter: number }> = [];
    // warm-up: compiles the kernels once (not timed, as Python's imports are not)
    await new GaussianMixture({ nComponents: k, covarianceType: cov, maxIter: 2, seed, threads: o.threads }).fit(x);
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const gm = await new GaussianMixture({ nComponents: k, covarianceType: cov, nInit, seed: seed + r, threads: o.threads }).fit(x);
      const s = (performance.now() - t0) / 1000;
      const score = await gm.score(x);
      ours.push({ s, score, nIter: gm.nIter });
      log(`round ${r + 1}/${rounds}: deepclust    ${s.toFixed(2)} s, ${gm.nIter} iterations, mean log-likelihood ${score.toFixed(4)}`);
      if (version) {
        const res = runPython<{ seconds: number; score: number; n_iter: number }>('sklearn_gmm.py', [
          '--data', raw, '--rows', String(x.rows), '--cols', String(x.cols), '--k', String(k), '--cov', cov, '--n-init', String(nInit), '--seed', String(seed + r),
        ]);
        theirs.push({ s: res.seconds, score: res.score, nIter: res.n_iter });
        log(`round ${r + 1}/${rounds}: scikit-learn ${res.seconds.toFixed(2)} s, ${res.n_iter} iterations, mean log-likelihood ${res.score.toFixed(4)}`);
      }
    }
    const oursS = median(ours.map((v) => v.s));
    const sk = theirs.length ? median(theirs.map((v) => v.s)) : null;
    const oursPerIter = median(ours.map((v) => v.s / v.nIter));
    const skPerIter = theirs.length ? median(theirs.map((v) => v.s / v.nIter)) : null;
    const rec = {
      suite: 'gmm',
      ours_s: round(oursS),
      sklearn_s: sk === null ? null : round(sk),
      ratio: sk === null ? null : round(oursS / sk, 3),
      ratio_per_iteration: skPerIter === null ? null : round(oursPerIter / skPerIter, 3),
      ours_best_score: Math.max(...ours.map((v) => v.score)),
      sklearn_best_score: theirs.length ? Math.max(...theirs.map((v) => v.score)) : null,
      rounds: { ours, sklearn: theirs },
      config: { data: ds.name, n: x.rows, pca, d: x.cols, dtype: 'float64', k, covarianceType: cov, nInit, init: 'kmeans', rounds, seed, threads: o.threads ?? 'all cores', sklearn: version ?? null, timing: 'median of alternating rounds; kernels compiled before timing' },
      ...provenance(),
    };
    const dir = o.resultsDir ?? join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `gmm-${ds.name.replace(/[^\w-]+/g, '_')}-pca${pca}-${cov}-k${k}.json`), `${JSON.stringify(rec, null, 2)}\n`);
    return rec;
  } finally {
    tmp.dispose();
  }
}
