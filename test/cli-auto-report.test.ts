// `deepclust fit --out` without --method writes report.html as `fit --method` runs do, on both of
// auto's paths: the plan (every choice and its reason), the chosen k and its curve, the metrics
// against the labels, and for a network the pretraining curve and how it ended; written before
// run-manifest.json, rebuilt byte for byte by `report --run`, skipped with --no-report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Rng } from '../src/random.ts';
import { esc } from '../src/report/index.ts';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deepclust-auto-report-'));
const cli = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

/** n rows of 3 noisy prototypes in d dimensions, the label in the last column. */
function table(path: string, n: number, d: number, noise: number): string {
  const rng = new Rng(3);
  const protos = Array.from({ length: 3 }, () => Array.from({ length: d }, () => 3 * rng.normal()));
  const lines = [[...Array.from({ length: d }, (_, j) => `f${j}`), 'label'].join(',')];
  for (let i = 0; i < n; i++) lines.push([...protos[i % 3]!.map((v) => (v + noise * rng.normal()).toFixed(3)), String(i % 3)].join(','));
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

type Result = { k: number; summary: string; plan: Record<string, { reason: string }>; metrics: { acc: number }; decision: { pretraining?: { steps: number; stoppedBy: string; reason: string } } };
const read = (out: string) => ({ html: readFileSync(join(out, 'report.html'), 'utf8'), result: JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result });

function assertPlanInReport(html: string, result: Result): void {
  assert.match(html, /<h2>Auto plan<\/h2>/);
  for (const [key, c] of Object.entries(result.plan)) assert.ok(html.includes(esc(c.reason)), `the ${key} reason is in the report`);
  assert.ok(html.includes(esc(result.summary)), 'the one-line summary');
  assert.ok(html.includes(`k = ${result.k}`), 'the chosen k');
}

test('auto without a network: report.html with the plan and its reasons, the k curve and the metrics; report --run rebuilds it', () => {
  const data = table(join(dir, 'small.csv'), 240, 4, 0.6);
  const out = join(dir, 'run');
  const r = cli(['fit', '--data', data, '--label-column', 'label', '--out', out, '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  for (const f of ['report.html', 'report-data.json', 'charts/k-curves.svg', 'run-manifest.json']) assert.ok(existsSync(join(out, f)), f);
  const { html, result } = read(out);
  assertPlanInReport(html, result);
  assert.equal(result.k, 3);
  assert.match(html, /<h2>Estimating k<\/h2>/);
  assert.match(html, /k was estimated: <b>k = 3<\/b>, chosen by <b>gap<\/b>/);
  assert.ok(result.metrics.acc > 0.9, `ACC ${result.metrics.acc}`);
  assert.ok(html.includes(`<td data-metric="acc">${Number.isInteger(result.metrics.acc) ? result.metrics.acc : result.metrics.acc.toFixed(4)}</td>`), 'ACC against the labels');
  assert.match(html, /<h2>Confusion matrix<\/h2><p/);
  assert.ok(!html.includes('<h2>Method config</h2>'), 'no method config: the plan is the configuration');
  // the manifest vouches for the report: report --run accepts the run and rebuilds the same page
  const manifest = readFileSync(join(out, 'run-manifest.json'), 'utf8');
  assert.match(manifest, /report\.html/);
  const again = cli(['report', '--run', out, '--quiet']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(readFileSync(join(out, 'report.html'), 'utf8'), html);

  const none = join(dir, 'noreport');
  const q = cli(['fit', '--data', data, '--label-column', 'label', '--out', none, '--quiet', '--no-report']);
  assert.equal(q.status, 0, q.stderr);
  assert.ok(!existsSync(join(none, 'report.html')) && !existsSync(join(none, 'report-data.json')) && existsSync(join(none, 'run-manifest.json')));
});

test('auto with a network: report.html with the plan, the pretraining curve and how pretraining ended', () => {
  const data = table(join(dir, 'wide.csv'), 1000, 256, 1.5);
  const out = join(dir, 'deep');
  const r = cli(['fit', '--data', data, '--label-column', 'label', '--k', '3', '--out', out, '--hidden', '16', '--embedding-dim', '3', '--pretrain-epochs', '2', '--batch-size', '64', '--threads', '1']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /auto: pretraining ran the whole budget \(32 steps; no plateau of 1000 steps\)/);
  assert.match(r.stderr, /; pretrained 32 steps \(the cap\); k = 3/, 'the one-line summary says how pretraining ended');
  const { html, result } = read(out);
  assert.deepEqual({ steps: result.decision.pretraining?.steps, stoppedBy: result.decision.pretraining?.stoppedBy }, { steps: 32, stoppedBy: 'cap' });
  assert.match(result.summary, /pretrained 32 steps \(the cap\)/);
  assertPlanInReport(html, result);
  assert.ok(existsSync(join(out, 'charts', 'pretrain-losses.svg')), 'the pretraining loss curve');
  assert.ok(html.includes(esc(`Pretraining: ${result.decision.pretraining!.reason}.`)));
  assert.ok(html.includes(esc('Pretraining ran the whole budget (32 steps; no plateau of 1000 steps).')), 'the training curves say how pretraining ended');
  assert.match(html, /<h2>Network config<\/h2>/);
  assert.ok(existsSync(join(out, 'run-manifest.json')));
});
