/**
 * Tables of merged reproductions for the docs: a block
 * `<!-- results:reproduce:<record>:start --> … <!-- results:reproduce:<record>:end -->` in any
 * docs/*.md file is filled from `bench/results/<record>.json`, the record that
 * `deepclust bench reproduce-record` writes. One line per row and metric: each seed's value, mean ±
 * population std over the seeds, and the paper's value. Called by `npm run results` (results-doc.ts).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { arr, num, obj, str, type Json } from './json-fields.ts';

const METRIC_NAMES: Record<string, string> = { acc: 'ACC', nmi: 'NMI', ari: 'ARI' };

/** The Markdown table of one `reproduce-record` record (see the module comment). */
export function renderReproduceRecord(record: unknown, file: string): string {
  const r = obj(record);
  const result = obj(r?.result);
  if (!r || !result) return `(record \`${file}\` is missing or is not a reproduce-record)`;
  const records = arr(result.records).map(obj).filter((x): x is Json => x !== undefined);
  const seeds = [...new Set(records.map((x) => num(x.seed)).filter((s): s is number => s !== undefined))].sort((a, b) => a - b);
  const metrics = arr(result.metrics).map(str).filter((m): m is string => m !== undefined && m in METRIC_NAMES);
  const loads = records.map((x) => num(arr(obj(x.host)?.loadavg)[0])).filter((v): v is number => v !== undefined);
  const load = loads.length ? `; load average (1 min) when the runs ended ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` : '';
  const threads = [...new Set(records.map((x) => num(x.threads)))].filter((t) => t !== undefined);
  const head = [
    `\`${str(r.command) ?? 'deepclust bench reproduce-record'}\` (record \`${file}\`: runs started at commit ${str(r.runsCommit) ?? str(r.commit) ?? '?'}, merged ${str(r.date)?.slice(0, 10) ?? '?'}, ${str(r.machine) ?? '?'}${threads.length ? `, ${threads.join('/')} thread${threads.length === 1 && threads[0] === 1 ? '' : 's'} per process` : ''}${load}).`,
    `${str(result.experiment) ?? '?'}, ${str(result.budget) ?? '?'} budget${result.comparableToPaper === false ? ' (**not comparable to the paper**: a changed schedule)' : ''}; seeds ${seeds.join(', ')}.${str(r.note) ? ` ${str(r.note)}` : ''}`,
  ];
  const lines = [`| data set | row | metric | ${seeds.map((s) => `seed ${s}`).join(' | ')} | mean ± std | paper | minutes per run |`, `| --- | --- | --- | ${seeds.map(() => '---:').join(' | ')} | ---: | --- | ---: |`];
  for (const row of arr(result.rows).map(obj)) {
    if (!row) continue;
    const runs = records.filter((x) => x.dataset === row.dataset && x.row === row.row);
    const minutes = runs.map((x) => num(x.wallSeconds)).filter((v): v is number => v !== undefined);
    metrics.forEach((m, i) => {
      const stats = obj(obj(row.metrics)?.[m]);
      const paper = obj(obj(row.paper)?.[m]);
      const perSeed = seeds.map((s) => {
        const v = num(obj(runs.find((x) => x.seed === s)?.metrics)?.[m]);
        return v === undefined ? '–' : v.toFixed(4);
      });
      const mean = num(stats?.mean);
      const std = num(stats?.std);
      const paperValue = num(paper?.value);
      lines.push(
        `| ${i === 0 ? String(row.dataset) : ''} | ${i === 0 ? String(row.row) : ''} | ${METRIC_NAMES[m]} | ${perSeed.join(' | ')} | ${mean === undefined ? '–' : `**${mean.toFixed(4)}**${std === undefined ? '' : ` ± ${std.toFixed(4)}`}`} | ${paperValue === undefined ? '–' : `${paperValue} (${str(paper?.aggregate) ?? '?'})`} | ${i === 0 && minutes.length ? (minutes.reduce((a, b) => a + b, 0) / minutes.length / 60).toFixed(1) : ''} |`,
      );
    });
  }
  return [...head, '', ...lines].join('\n');
}

/** Fills every `results:reproduce:<record>` block of `text` from `<resultsDir>/<record>.json`. */
export function replaceReproduceBlocks(text: string, resultsDir: string): string {
  return text.replace(/(<!-- results:reproduce:([\w.+-]+):start[^>]*-->)[\s\S]*?(<!-- results:reproduce:\2:end -->)/g, (_, open: string, name: string, close: string) => {
    const path = join(resultsDir, `${name}.json`);
    const table = existsSync(path) ? renderReproduceRecord(JSON.parse(readFileSync(path, 'utf8')), `${name}.json`) : `(record \`${name}.json\` not found in bench/results)`;
    return `${open}\n${table}\n${close}`;
  });
}

/** The docs/*.md files (relative to `root`) that hold a reproduce block. */
export function reproduceDocPaths(root: string): string[] {
  const dir = join(root, 'docs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md') && readFileSync(join(dir, f), 'utf8').includes('<!-- results:reproduce:'))
    .sort()
    .map((f) => join('docs', f));
}

/**
 * docs/results.md's section of paper tables: every `reproduce-*.json` record of `bench reproduce-record` in `resultsDir`, one
 * table each ({@link renderReproduceRecord}); empty when there is none.
 */
export function renderReproduceSection(resultsDir: string): string {
  const files = existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => /^reproduce-.*\.json$/.test(f)).sort() : [];
  const records = files.map((f): [string, unknown] => [f, JSON.parse(readFileSync(join(resultsDir, f), 'utf8'))]).filter(([, r]) => obj(r)?.suite === 'reproduce-record');
  if (!records.length) return '';
  const parts = records.map(([f, r]) => `### ${f.replace(/\.json$/, '')}\n\n${renderReproduceRecord(r, f)}\n`);
  return `\n## Paper tables (merged \`deepclust reproduce\` runs)\n\nThe current presets' reproductions of the papers' tables, joined from split runs (\`reproduce --merge\`, \`bench reproduce-record\`). Where a method's rows above come from an earlier preset, these are the numbers that hold.\n\n${parts.join('\n')}`;
}
