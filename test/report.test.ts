// The HTML report: fit --out writes it, `deepclust report --run` rebuilds it byte for byte, bad run
// directories give one-line errors, and (where Debian's chromium is installed) the page renders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkReport, decodePng, findChromium } from '../bench/check-report.ts';
import { encodePng } from '../src/report/png.ts';
import { confusionTable } from '../src/report/index.ts';
import { sampleRows } from '../src/report/data.ts';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'deepclust-report-'));
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const fitArgs = ['fit', '--data', 'mnist-10k', '--limit', '200', '--method', 'idec', '--pretrain-epochs', '2', '--max-iter', '60', '--update-interval', '20', '--batch-size', '50', '--quiet'];

const runDir = join(root, 'run');
const fit = run([...fitArgs, '--out', runDir]);

test('fit --out writes a self-contained report.html with charts, maps, confusion matrix and images', () => {
  assert.equal(fit.status, 0, fit.stderr);
  for (const f of ['report.html', 'report-data.json', 'result.json', 'labels.csv']) assert.ok(existsSync(join(runDir, f)), f);
  const html = readFileSync(join(runDir, 'report.html'), 'utf8');
  const result = JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8')) as { metrics: { acc: number }; k: number };
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /(src|href)="https?:/);
  for (const h of ['Metrics', 'Training curves', 'Embedding maps', 'Confusion matrix', 'Cluster sizes', 'Sample images per cluster', 'Method config']) assert.ok(html.includes(`<h2>${h}</h2>`), h);
  assert.ok(html.includes(`<td data-metric="acc">${result.metrics.acc.toFixed(4)}</td>`));
  // pretraining, clustering losses, label change, ACC/NMI, 4 maps, cluster sizes
  assert.equal((html.match(/<svg[\s>]/g) ?? []).length, 9);
  const labels = readFileSync(join(runDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  const nonEmpty = new Set(labels).size;
  assert.ok(nonEmpty <= result.k);
  assert.equal((html.match(/<img[\s>]/g) ?? []).length, nonEmpty); // one strip per non-empty cluster
  const charts = readdirSync(join(runDir, 'charts')).sort();
  assert.ok(charts.includes('map-before-class.svg') && charts.includes('map-after-cluster.png'), charts.join(','));
  const png = decodePng(readFileSync(join(runDir, 'charts', 'cluster-sizes.png')));
  assert.ok(png.width > 200 && png.height > 100);
});

test('report --run rebuilds the same page from the saved run', () => {
  const before = readFileSync(join(runDir, 'report.html'), 'utf8');
  const r = run(['report', '--run', runDir, '--no-png', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { charts: number; report: string };
  assert.equal(out.charts, 9);
  assert.equal(readFileSync(out.report, 'utf8'), before);
});

test('fit --no-report writes no report; report --run then builds one without maps', () => {
  const dir = join(root, 'noreport');
  const r = run([...fitArgs, '--max-iter', '20', '--out', dir, '--no-report']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!existsSync(join(dir, 'report.html')) && !existsSync(join(dir, 'report-data.json')));
  const rep = run(['report', '--run', dir, '--no-png', '--quiet']);
  assert.equal(rep.status, 0, rep.stderr);
  assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /has no report-data\.json/);
});

test('report: a missing option, directory or corrupt file is one clear line and leaves the old page', () => {
  const none = run(['report']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /'--run <dir>' is required/);
  const missing = run(['report', '--run', join(root, 'nope')]);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /does not exist/);
  assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);

  const dir = join(root, 'corrupt');
  cpSync(runDir, dir, { recursive: true });
  const page = readFileSync(join(dir, 'report.html'), 'utf8');
  const data = readFileSync(join(dir, 'report-data.json'), 'utf8');
  writeFileSync(join(dir, 'report-data.json'), data.slice(0, data.length >> 1)); // cut short
  const cut = run(['report', '--run', dir]);
  assert.notEqual(cut.status, 0);
  assert.match(cut.stderr, /report-data\.json' is not valid JSON/);
  assert.doesNotMatch(cut.stderr, /\n\s+at /); // no stack trace
  assert.equal(readFileSync(join(dir, 'report.html'), 'utf8'), page);

  writeFileSync(join(dir, 'report-data.json'), data);
  writeFileSync(join(dir, 'labels.csv'), 'label\n0\n1\n');
  const short = run(['report', '--run', dir]);
  assert.match(short.stderr, /has 2 labels but result\.json says 200 rows/);
});

test('confusion table: the matched cells sum to ACC; sample rows are seeded', () => {
  const truth = [0, 0, 1, 1, 2, 2];
  const pred = [1, 1, 0, 2, 2, 2];
  const t = confusionTable(truth, pred, 3, ['a', 'b', 'c']);
  assert.equal(t.accuracy, 5 / 6);
  assert.equal((t.html.match(/class="match"/g) ?? []).length, 3);
  assert.deepEqual(sampleRows(10, 1), Int32Array.from({ length: 10 }, (_, i) => i));
  assert.deepEqual(sampleRows(5000, 3, 100), sampleRows(5000, 3, 100));
  assert.notDeepEqual(sampleRows(5000, 3, 100), sampleRows(5000, 4, 100));
});

test('PNG: encode → decode round trip (grey and RGB)', () => {
  const grey = Uint8Array.from({ length: 7 * 5 }, (_, i) => (i * 37) & 0xff);
  const g = decodePng(encodePng(grey, 7, 5, 1));
  assert.equal(g.width, 7);
  assert.deepEqual(Array.from({ length: 35 }, (_, i) => g.data[i * 4]), Array.from(grey));
  const rgb = Uint8Array.from({ length: 3 * 4 * 3 }, (_, i) => (i * 91) & 0xff);
  const c = decodePng(encodePng(rgb, 4, 3, 3));
  assert.deepEqual(Array.from({ length: 36 }, (_, i) => c.data[Math.floor(i / 3) * 4 + (i % 3)]), Array.from(rgb));
});

const chromium = findChromium();
test('the page renders in headless Chromium', { skip: chromium ? false : 'no chromium (apt-get install -y chromium)' }, () => {
  const res = checkReport(runDir, chromium!);
  assert.ok(res.ok, res.failures.join('; '));
  assert.equal(res.svgInDom, 9);
});
