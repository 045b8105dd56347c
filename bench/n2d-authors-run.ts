/**
 * `deepclust bench n2d-authors-run`: scores cluster assignments written by the N2D authors' code
 * (n2d.py saves `<save_dir>/<data>-clusters.txt`, one label per row in the loader's order) against
 * our copies of the data sets, to check the paper values the `n2d-table` compares with. The files
 * are not shipped; e.g. the run stored in the rymc/n2d history (commit 7a4d9e4, 2022, with
 * `args.txt`: umap_dim 10, 20 neighbours, min_dist 0, the 1000-epoch autoencoder weights):
 *
 *   git -C <n2d checkout> show 7a4d9e4:mnist-n2d/mnist-clusters.txt > mnist-clusters.txt
 *   deepclust bench n2d-authors-run -o mnist=mnist-clusters.txt -o data-dir=../shared/data --json
 *
 * Options name a file per data set: `mnist` (70,000: train then test, as n2d.py's load_mnist),
 * `mnist-test` (10,000), `fashion` (70,000), `usps` (9,298: train then test).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../src/data/index.ts';
import { DataError, ParamError } from '../src/errors.ts';
import { adjustedRandScore, clusterAccuracy, normalizedMutualInfoScore } from '../src/metrics/index.ts';
import { provenance } from './gmm.ts';

/** The data spec of each option. */
const SPECS: Readonly<Record<string, string>> = { mnist: 'mnist:all', 'mnist-test': 'mnist:test', fashion: 'fashion-mnist:all', usps: 'usps:all' };

/** Options of {@link runN2dAuthorsRun}. */
export interface N2dAuthorsRunOptions {
  /** Cluster file per data set key (`mnist`, `mnist-test`, `fashion`, `usps`). */
  readonly files: Readonly<Record<string, string>>;
  readonly dataDir?: string;
  /** Free text stored with the record (where the files came from). */
  readonly source?: string;
  readonly resultsDir?: string;
  readonly log?: (line: string) => void;
}

/** Reads one label per line; a line that is not a non-negative integer is a one-line DataError. */
export function readClusterFile(path: string): Int32Array {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new DataError(`cannot read the cluster file '${path}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return Int32Array.from(lines, (l, i) => {
    const v = Number(l.trim());
    if (!Number.isInteger(v) || v < 0) throw new DataError(`'${path}' line ${i + 1}: ${JSON.stringify(l)} is not a cluster label (one non-negative integer per line)`);
    return v;
  });
}

/** Scores each file against its data set's labels; writes bench/results/n2d-authors-run.json. */
export async function runN2dAuthorsRun(o: N2dAuthorsRunOptions): Promise<Record<string, unknown>> {
  const log = o.log ?? (() => {});
  const unknown = Object.keys(o.files).filter((k) => !SPECS[k]);
  if (unknown.length) throw new ParamError(`n2d-authors-run: unknown data set option '${unknown[0]}'; use ${Object.keys(SPECS).join(', ')}`);
  if (!Object.keys(o.files).length) throw new ParamError(`n2d-authors-run: name at least one cluster file, e.g. -o mnist=mnist-clusters.txt`);
  const dataDir = o.dataDir ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '../../shared/data');
  const scores: Record<string, unknown> = {};
  for (const [key, file] of Object.entries(o.files)) {
    const pred = readClusterFile(file);
    const ds = await loadDataset(SPECS[key]!, { dataDir });
    const truth = ds.labels!;
    if (pred.length !== truth.length) throw new DataError(`'${file}' has ${pred.length} labels but ${ds.name} has ${truth.length} rows; pass the clusters of the whole ${key} run`);
    const s = { rows: truth.length, acc: clusterAccuracy(truth, pred).accuracy, nmi: normalizedMutualInfoScore(truth, pred), ari: adjustedRandScore(truth, pred) };
    log(`${key}: ACC ${s.acc.toFixed(4)} NMI ${s.nmi.toFixed(4)} ARI ${s.ari.toFixed(4)} (${s.rows} rows)`);
    scores[key] = { file, ...s };
  }
  const rec = { suite: 'n2d-authors-run', source: o.source ?? null, scores, ...provenance() };
  const dir = o.resultsDir ?? join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'n2d-authors-run.json'), `${JSON.stringify(rec, null, 2)}\n`);
  return rec;
}
