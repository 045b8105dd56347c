/**
 * `deepclust bench n2d-table`: runs `deepclust reproduce n2d-table` (the `n2d` preset on MNIST,
 * MNIST-test, USPS and Fashion-MNIST where present) and writes one record per run to
 * bench/results/ — ACC/NMI/ARI, the paper's values, the time split (autoencoder, UMAP, GMM), the
 * command, commit, date, machine and load average — plus the Markdown table on the log.
 *
 *   deepclust bench n2d-table -o data-dir=../shared/data -o budget=short --json
 *   deepclust bench n2d-table -o data-dir=../shared/data -o seeds=3 --json      # the paper's schedule (hours)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPERIMENTS, type RunRecord, formatMarkdown, runExperiment } from '../src/reproduce/index.ts';
import { timeSplitRows } from '../src/reproduce/n2d-time-split.ts';
import { provenance } from './gmm.ts';

/** Options of {@link runN2dTableBench}. */
export interface N2dTableBenchOptions {
  dataDir?: string;
  budget?: 'full' | 'short';
  seeds?: number;
  limit?: number;
  pretrainEpochs?: number;
  threads?: number;
  /** Folder of the records. @defaultValue bench/results */
  resultsDir?: string;
  log?: (line: string) => void;
}

/** The command line that re-runs these options. */
function commandOf(o: N2dTableBenchOptions): string {
  const parts = ['deepclust bench n2d-table', `-o data-dir=${o.dataDir ?? '../shared/data'}`];
  if (o.budget) parts.push(`-o budget=${o.budget}`);
  if (o.seeds !== undefined) parts.push(`-o seeds=${o.seeds}`);
  if (o.limit !== undefined) parts.push(`-o limit=${o.limit}`);
  if (o.pretrainEpochs !== undefined) parts.push(`-o pretrainEpochs=${o.pretrainEpochs}`);
  if (o.threads !== undefined) parts.push(`-o threads=${o.threads}`);
  return `${parts.join(' ')} --json`;
}

/** The bench record of one run of the table. */
export function benchRecord(r: RunRecord, command: string): Record<string, unknown> {
  const e = EXPERIMENTS['n2d-table']!;
  const [split] = timeSplitRows([r], e.timeSplit!);
  const paper = e.groups[r.groupIndex]?.paper?.[r.row];
  return {
    suite: 'n2d-table',
    command,
    experiment: r.experiment,
    method: r.method,
    data: r.train.spec,
    trainRows: r.train.rows,
    preprocessing: r.train.preprocessing,
    seed: r.seed,
    budget: r.budget,
    k: r.k,
    pretrainEpochs: r.pretrainEpochs,
    metrics: r.metrics,
    paper: { acc: paper?.acc?.value ?? null, nmi: paper?.nmi?.value ?? null },
    timings: r.timings,
    timeSplit: split ? { ...split.seconds, other: split.other, total: split.total } : null,
    wallSeconds: r.wallSeconds,
    ...(r.error ? { error: r.error } : {}),
    threads: r.threads,
    ...provenance(),
  };
}

/** Runs the table; writes a record per run as it finishes; returns the reproduction result. */
export async function runN2dTableBench(o: N2dTableBenchOptions = {}): Promise<Record<string, unknown>> {
  const log = o.log ?? (() => {});
  const dataDir = o.dataDir ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '../../shared/data');
  const dir = o.resultsDir ?? join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const command = commandOf(o);
  const files: string[] = [];
  const res = await runExperiment('n2d-table', {
    dataDir,
    budget: o.budget,
    seeds: o.seeds,
    limit: o.limit,
    pretrainEpochs: o.pretrainEpochs,
    threads: o.threads,
    log,
    onRecord: (r) => {
      const tag = o.limit !== undefined || o.pretrainEpochs !== undefined ? '-custom' : '';
      const file = join(dir, `reproduce-n2d-table-${r.dataset.replace(/[^\w-]+/g, '_')}-${r.budget}${tag}-seed${r.seed}.json`);
      writeFileSync(file, `${JSON.stringify(benchRecord(r, command), null, 2)}\n`);
      files.push(file);
    },
  });
  log(formatMarkdown(res));
  return { suite: 'n2d-table', command, budget: res.budget, comparableToPaper: res.comparableToPaper, rows: res.rows, timeSplit: res.timeSplit, skipped: res.skipped, files, wallSeconds: res.wallSeconds };
}
