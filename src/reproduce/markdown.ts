/**
 * The Markdown report of a reproduction: one table per experiment (mean, std, median and best over
 * seeds next to the paper's value), the protocol, the schedule, wall time, skipped data sets,
 * deviations and the sources of the paper values.
 */
import { formatTimeSplit } from './n2d-time-split.ts';
import { EXPERIMENTS, LOWER_IS_BETTER, METRIC_LABELS, type PaperValue } from './registry.ts';
import type { ReproduceResult, RowSummary } from './runner.ts';

/** A metric value for a table cell: 4 decimals, 1 for large scores (Calinski–Harabasz). */
export function formatNumber(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4);
}

/** Numbers the sources in order of first use: `[1]`, `[2]`, … */
function footnotes(): { ref: (key: string) => string; keys: string[] } {
  const keys: string[] = [];
  return {
    keys,
    ref: (key) => {
      if (!keys.includes(key)) keys.push(key);
      return `[${keys.indexOf(key) + 1}]`;
    },
  };
}

function paperCell(p: PaperValue | undefined, ref: (key: string) => string): string {
  if (!p) return '—';
  const tags = [p.aggregate !== 'unstated' ? p.aggregate : '', p.unverified ? 'unverified' : ''].filter(Boolean);
  return `${p.value}${tags.length ? ` (${tags.join(', ')})` : ''} ${ref(p.source)}`;
}

function datasetCell(r: RowSummary): string {
  const m = /^split\(labelled=(\d+)\)$/.exec(r.protocol);
  return m ? `${r.dataset} (${Number(m[1]).toLocaleString('en-US')} labelled)` : r.dataset;
}

/** The Markdown report of one experiment's result. */
export function formatMarkdown(res: ReproduceResult): string {
  const notes = footnotes();
  const out: string[] = [`## ${res.title}`, '', `\`deepclust reproduce ${res.experiment}\` · ${res.reference}`, ''];
  if (!res.comparableToPaper) out.push(`> **Not comparable to the paper**: ${res.budget === 'short' ? 'short-budget numbers are a smoke check' : 'the schedule or data size was changed'} (see Schedule).`, '');
  out.push(
    `- **Protocol**: ${res.protocol}`,
    `- **Schedule**: ${res.schedule.description}`,
    `- **Seeds**: ${res.seeds.join(', ')} (${res.seeds.length}); mean, population std, median and best over seeds (best = max; min for DBI)`,
    `- **Wall time**: ${res.wallSeconds.toFixed(1)} s in all (started ${res.startedAt}); "s/run" is the mean per run (fit, assignment and metrics)`,
    '- **Δ**: our mean minus the paper value (our best seed minus it where the paper reports its best run)',
    '',
  );
  if (res.rows.length === 0) out.push('_No run: every data set was skipped._', '');
  else {
    out.push('| data set | method | metric | mean | std | median | best | paper | Δ | seeds | s/run |', '|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|');
    let lastSet = '';
    for (const r of res.rows) {
      const set = datasetCell(r);
      res.metrics.forEach((m, i) => {
        const s = r.metrics[m];
        const p = r.paper[m];
        // a paper's best run is compared with our best seed, anything else with our mean
        const delta = s && p ? (p.aggregate === 'best' ? s.best : s.mean) - p.value : undefined;
        out.push(
          `| ${set !== lastSet ? set : ''} | ${i === 0 ? `${r.row}${r.usedLabels ? ' (uses labels)' : ''}` : ''} | ${METRIC_LABELS[m]} | ${formatNumber(s?.mean)} | ${formatNumber(s?.std)} | ${formatNumber(s?.median)} | ${formatNumber(s?.best)} | ${paperCell(p, notes.ref)} | ${delta === undefined ? '—' : `${delta >= 0 ? '+' : ''}${delta.toFixed(4)}`} | ${s?.n ?? 0} | ${i === 0 ? r.wallSeconds.mean.toFixed(1) : ''} |`,
        );
        lastSet = set;
      });
    }
    out.push('');
  }
  const split = EXPERIMENTS[res.experiment]?.timeSplit;
  if (split && res.timeSplit) out.push(...formatTimeSplit(res.timeSplit, split));
  if (res.headlines.length) {
    out.push('**Reference values**', '');
    for (const h of res.headlines) {
      const rows = res.rows.filter((r) => r.dataset === h.dataset && r.metrics[h.metric]);
      const sign = LOWER_IS_BETTER.has(h.metric) ? -1 : 1;
      const best = rows.sort((a, b) => sign * (b.metrics[h.metric]!.mean - a.metrics[h.metric]!.mean))[0];
      const ours = best ? `; ours: best row mean ${formatNumber(best.metrics[h.metric]!.mean)} (${best.row})` : '';
      out.push(`- ${h.dataset} ${METRIC_LABELS[h.metric]} ${paperCell(h.value, notes.ref)}: ${h.text}${ours}`);
    }
    out.push('');
  }
  const failed = res.records.filter((r) => r.error);
  if (failed.length) {
    out.push('**Failed runs** (left out of the statistics)', '');
    for (const r of failed) out.push(`- ${r.dataset} ${r.row} seed ${r.seed}: ${r.error}`);
    out.push('');
  }
  if (res.skipped.length) {
    out.push('**Skipped data sets**', '');
    for (const s of res.skipped) out.push(`- ${s.dataset}: ${s.message}`);
    out.push('');
  }
  if (res.deviations.length) {
    out.push('**Deviations**', '');
    for (const d of res.deviations) out.push(`- ${d}`);
    out.push('');
  }
  if (res.methodNotes.length) {
    out.push('**Method notes** (deviations the presets document)', '');
    for (const n of res.methodNotes) out.push(`- ${n}`);
    out.push('');
  }
  if (notes.keys.length) {
    out.push('**Sources of the paper values**', '');
    for (const [i, k] of notes.keys.entries()) out.push(`- [${i + 1}] ${res.sources[k] ?? k}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
