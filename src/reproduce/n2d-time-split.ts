/**
 * The time split of a reproduction's rows: which phases of a fit took the time (for N2D: the
 * autoencoder, UMAP and the Gaussian mixture), mean over the seeds that ran, from the `timings`
 * every deep run records. Kept free of the registry's and runner's types so the registry can
 * name a split without an import cycle.
 */

/** One column of a time split: a label and the fit timing keys it sums (seconds). */
export interface TimeSplitPart {
  readonly label: string;
  /** Keys of the fit's `timings` (e.g. `pretrain`, `recluster.umap`); a run missing all of them has no value. */
  readonly keys: readonly string[];
}

/** What a record needs for the split: its table row and its fit timings. */
export interface TimedRecord {
  readonly dataset: string;
  readonly row: string;
  readonly groupIndex: number;
  readonly timings?: Readonly<Record<string, number>>;
  readonly error?: string;
}

/** The split of one table row: mean seconds per part over the runs that have it, the rest, the total. */
export interface TimeSplitRow {
  readonly dataset: string;
  readonly row: string;
  /** Runs averaged (the ones that finished and recorded timings). */
  readonly runs: number;
  /** Mean seconds by part label; null when no run recorded that part. */
  readonly seconds: Readonly<Record<string, number | null>>;
  /** Mean of the fit's `timings.total` minus the parts (embedding, assignment, the initial k-means…). */
  readonly other: number | null;
  /** Mean of the fit's `timings.total`. */
  readonly total: number | null;
}

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** The time split of every (data set, row) of the records, in the records' order. */
export function timeSplitRows(records: readonly TimedRecord[], parts: readonly TimeSplitPart[]): TimeSplitRow[] {
  const out: TimeSplitRow[] = [];
  const seen = new Set<string>();
  for (const first of records) {
    const id = `${first.groupIndex}\u0000${first.row}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const runs = records.filter((r) => r.groupIndex === first.groupIndex && r.row === first.row && !r.error && r.timings);
    const seconds: Record<string, number | null> = {};
    const partSums = runs.map(() => 0);
    for (const p of parts) {
      const xs: number[] = [];
      runs.forEach((r, i) => {
        const present = p.keys.filter((k) => typeof r.timings![k] === 'number');
        if (!present.length) return;
        const s = present.reduce((a, k) => a + r.timings![k]!, 0);
        xs.push(s);
        partSums[i]! += s;
      });
      seconds[p.label] = mean(xs);
    }
    const totals = runs.map((r) => r.timings!.total).filter((t): t is number => typeof t === 'number');
    const others = runs.flatMap((r, i) => (typeof r.timings!.total === 'number' ? [Math.max(0, r.timings!.total - partSums[i]!)] : []));
    out.push({ dataset: first.dataset, row: first.row, runs: runs.length, seconds, other: mean(others), total: mean(totals) });
  }
  return out;
}

const fmt = (s: number | null, total: number | null): string => (s === null ? '—' : `${s.toFixed(1)}${total ? ` (${Math.round((100 * s) / total)}%)` : ''}`);

/** The Markdown section of a time split (empty when no row has timings). */
export function formatTimeSplit(rows: readonly TimeSplitRow[], parts: readonly TimeSplitPart[]): string[] {
  const timed = rows.filter((r) => r.runs > 0);
  if (!timed.length) return [];
  const out = [
    '**Time split** (mean seconds per run over the seeds, share of the fit in brackets; "other" is the rest of the fit: embedding the rows, the initial k-means, labelling the rows through the UMAP transform)',
    '',
    `| data set | method | ${parts.map((p) => p.label).join(' | ')} | other | fit total | runs |`,
    `|---|---|${parts.map(() => '---:|').join('')}---:|---:|---:|`,
  ];
  for (const r of timed) out.push(`| ${r.dataset} | ${r.row} | ${parts.map((p) => fmt(r.seconds[p.label] ?? null, r.total)).join(' | ')} | ${fmt(r.other, r.total)} | ${fmt(r.total, null)} | ${r.runs} |`);
  out.push('');
  return out;
}
