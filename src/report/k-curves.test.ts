// The report's "Estimating k" section: read from a fit's kEstimate or an auto run's kScores/decision,
// drawn as one panel per criterion with the chosen k marked, stated in words; absent when k was
// given; and one real `fit --k auto --out` whose report.html has it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { buildReportHtml, esc, generateReport } from './index.ts';
import type { SavedRun } from './data.ts';
import { kCurvesChart, kEstimateOf, kEstimateText } from './k-curves.ts';

const root = mkdtempSync(join(tmpdir(), 'deepclust-kcurves-'));
after(() => rmSync(root, { recursive: true, force: true }));

const ks = [2, 3, 4, 5, 6];
const fitEstimate = {
  chosen: 4,
  criterion: 'silhouette',
  ks,
  curves: {
    silhouette: { values: [0.41, 0.52, 0.63, 0.5, 0.44], rule: 'max', best: 4 },
    bic: { values: [900, 800, 650, 640, null], rule: 'min', best: 5 },
    gap: { values: [0.1, 0.2, 0.3], rule: 'gap', best: 3 }, // wrong length: left out
  },
  sampleSize: 120,
  seconds: 1.5,
};

function savedRun(extra: Record<string, unknown>, k = 4): SavedRun {
  const n = 12;
  return {
    dir: root,
    labels: Int32Array.from({ length: n }, (_, i) => i % k),
    data: null,
    result: { method: 'ae-kmeans', dataset: { name: 'toy', n, d: 3, classes: null }, k, seed: 0, metrics: { acc: null }, timings: { total: 1 }, config: { name: 'ae-kmeans' }, history: [], ...extra } as SavedRun['result'],
  };
}

test('kEstimateOf: a fit’s kEstimate, an auto run’s kScores/decision, null when k was given', () => {
  const v = kEstimateOf({ kEstimate: fitEstimate })!;
  assert.equal(v.source, 'fit');
  assert.equal(v.chosen, 4);
  assert.equal(v.criterion, 'silhouette');
  assert.deepEqual(
    v.curves.map((c) => [c.criterion, c.rule, c.best]),
    [
      ['silhouette', 'max', 4],
      ['bic', 'min', 5],
    ],
  );
  assert.deepEqual(v.curves[1]!.values, [900, 800, 650, 640, null]);
  const a = kEstimateOf({ k: 3, kScores: { 10: 5, 2: 9, 3: 1 }, decision: { criterion: 'bic', clear: true, fallback: false, reason: 'k = 3: the bic curve has a clear minimum there' } })!;
  assert.equal(a.source, 'auto');
  assert.equal(a.chosen, 3);
  assert.deepEqual(a.curves, [{ criterion: 'bic', ks: [2, 3, 10], values: [9, 1, 5] }]);
  assert.equal(kEstimateOf({ k: 4, metrics: {} }), null);
  assert.equal(kEstimateOf({ k: 4, kEstimate: { chosen: 'x' } }), null);
  assert.equal(kEstimateOf(null), null);
});

test('the chart: one panel per criterion, a dashed rule at the chosen k, diamonds at each criterion’s pick', async () => {
  const c = (await kCurvesChart(kEstimateOf({ kEstimate: fitEstimate })!))!;
  assert.equal(c.name, 'k-curves');
  assert.match(c.svg, /^<svg|<\?xml/);
  for (const t of ['silhouette', 'bic']) assert.ok(c.svg.includes(`>${t}</text>`), t);
  assert.ok(c.svg.includes('stroke-dasharray="5,3"'), 'dashed rule');
  assert.equal((c.svg.match(/stroke-dasharray="5,3"/g) ?? []).length, 2); // the chosen k in both panels
  assert.match(c.title, /chosen k = 4/);
  assert.equal(await kCurvesChart({ chosen: 2, criterion: null, curves: [], source: 'auto' }), null);
  const text = kEstimateText(kEstimateOf({ kEstimate: fitEstimate })!, esc);
  assert.match(text, /k was estimated: <b>k = 4<\/b>, chosen by <b>silhouette<\/b> over k = 2\.\.6 on the pretrained embedding \(120 rows\), 1\.5 s\./);
  assert.match(text, /<tr class="decides"><th>silhouette \(decides\)<\/th><td>highest<\/td><td data-k-best="silhouette">4<\/td><\/tr>/);
  assert.match(text, /<th>bic<\/th><td>lowest<\/td><td data-k-best="bic">5<\/td>/);
});

test('report.html: the section appears when k was estimated and is absent when k was given', async () => {
  const withK = await buildReportHtml(savedRun({ kEstimate: fitEstimate }));
  assert.ok(withK.html.includes('<h2>Estimating k</h2>'));
  assert.ok(withK.charts.some((c) => c.name === 'k-curves'));
  assert.ok(withK.html.includes('id="chart-k-curves"'));
  const given = await buildReportHtml(savedRun({}));
  assert.ok(!given.html.includes('Estimating k'));
  assert.ok(!given.charts.some((c) => c.name === 'k-curves'));
});

test('an auto run directory (no history, no config) gets a report with its k curve', async () => {
  const dir = join(root, 'auto');
  mkdirSync(dir);
  const n = 30;
  const result = { method: 'auto', dataset: { name: 'toy', n, d: 2, classes: null }, k: 3, kEstimated: true, kScores: { 2: 10, 3: 4, 4: 6, 5: 7 }, decision: { criterion: 'bic', clear: true, fallback: false, reason: 'k = 3: the bic curve has a clear minimum there' }, seed: 0, metrics: { acc: null }, timings: { total: 0.2 } };
  writeFileSync(join(dir, 'result.json'), JSON.stringify(result));
  writeFileSync(join(dir, 'labels.csv'), `label\n${Array.from({ length: n }, (_, i) => i % 3).join('\n')}\n`);
  const out = await generateReport(dir, { png: false });
  const html = readFileSync(out.html, 'utf8');
  assert.match(html, /k was estimated: <b>k = 3<\/b>, chosen by <b>bic<\/b> over k = 2\.\.5 on the representation auto clustered\. k = 3: the bic curve has a clear minimum there\./);
  assert.ok(out.files.some((f) => f.endsWith('k-curves.svg')));
});

test('fit --k auto --out: report.html states the chosen k and draws the curves', () => {
  const dir = join(root, 'fit');
  const cli = new URL('../cli/main.ts', import.meta.url).pathname;
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'fit', '--data', 'mnist-10k', '--limit', '300', '--method', 'ae-kmeans', '--k', '2..5', '--pretrain-epochs', '1', '--batch-size', '100', '--quiet', '--out', dir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { k: number; kEstimate: { chosen: number; criterion: string } };
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.ok(html.includes('<h2>Estimating k</h2>'));
  assert.ok(html.includes(`<b>k = ${result.kEstimate.chosen}</b>, chosen by <b>${result.kEstimate.criterion}</b> over k = 2..5`));
  assert.equal(result.k, result.kEstimate.chosen);
  assert.ok(html.includes('id="chart-k-curves"'));
});
