/**
 * `deepclust bench reproduce-record`: turns the run records of `deepclust reproduce … --out f.md`
 * (`f.runs.jsonl`, one or several from runs split by `--seed-list` / `--datasets`) into one result
 * record in bench/results/: the merged table (`deepclust reproduce <experiment> --merge …`), every
 * run with its machine and load, and this checkout's commit, date and machine. Nothing is trained.
 *
 *   deepclust bench reproduce-record -o experiment=aljalbout-table1 -o runs=a.runs.jsonl,b.runs.jsonl -o tag=coil20-full \
 *     -o runs-commit=fd9804e --json
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMarkdown, mergeRuns, readRunRecords } from '../src/reproduce/index.ts';
import { provenance } from './gmm.ts';

/** Options of {@link runReproduceRecord}. */
export interface ReproduceRecordOptions {
  readonly experiment: string;
  /** The `.runs.jsonl` files to merge. */
  readonly runs: readonly string[];
  /** Suffix of the record's name: `reproduce-<experiment>-<tag>.json`. */
  readonly tag: string;
  /** The commit the runs were started at, when it differs from this checkout's (the runs' records do not carry it). */
  readonly runsCommit?: string;
  /** Conditions worth keeping with the numbers (e.g. other jobs sharing the machine). */
  readonly note?: string;
  /** Folder of the record. @defaultValue bench/results */
  readonly resultsDir?: string;
  readonly log: (line: string) => void;
}

/** Reads, merges and writes; returns the record. */
export function runReproduceRecord(o: ReproduceRecordOptions): Record<string, unknown> {
  if (!o.experiment || !o.runs.length || !o.tag) throw new Error('bench reproduce-record: give -o experiment=…, -o runs=a.runs.jsonl[,b.runs.jsonl] and -o tag=…');
  if (!/^[\w.-]+$/.test(o.tag)) throw new Error(`bench reproduce-record: -o tag must be letters, digits, '.', '_' or '-', got ${JSON.stringify(o.tag)}`);
  const merged = mergeRuns(o.experiment, readRunRecords(o.runs));
  o.log(formatMarkdown(merged));
  const command = `deepclust bench reproduce-record -o experiment=${o.experiment} -o runs=${o.runs.join(',')} -o tag=${o.tag}${o.runsCommit ? ` -o runs-commit=${o.runsCommit}` : ''} --json`;
  const record = {
    suite: 'reproduce-record',
    command,
    ...(o.runsCommit ? { runsCommit: o.runsCommit } : {}),
    ...(o.note ? { note: o.note } : {}),
    ...provenance(),
    result: merged,
  };
  const dir = o.resultsDir ?? resolve(fileURLToPath(new URL('.', import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `reproduce-${o.experiment}-${o.tag}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  o.log(`reproduce-record: wrote ${file}`);
  return { ...record, written: file };
}
