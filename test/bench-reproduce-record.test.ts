// bench reproduce-record: the run records of split reproductions become one result record with provenance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runReproduceRecord } from '../bench/reproduce-record.ts';
import { EXPERIMENTS, type RunRecord, scheduleFor } from '../src/reproduce/index.ts';

test('reproduce-record merges the runs of two processes into one record with commit, date and machine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepclust-rr-'));
  const schedule = scheduleFor(EXPERIMENTS['aljalbout-table1']!, 'full');
  const rec = (seed: number, acc: number): RunRecord => ({
    experiment: 'aljalbout-table1', dataset: 'coil-20', groupIndex: 1, protocol: 'whole', row: 'conv-dec (32×32 network)', seed, budget: 'full',
    method: 'conv-dec', metrics: { acc, nmi: 0.8, ari: 0.6 }, usedLabels: false, train: { spec: 'coil-20', rows: 1440, preprocessing: [] }, scored: { spec: 'coil-20', rows: 1440 },
    k: 20, wallSeconds: 300, loadSeconds: 0, threads: 1, date: `2026-12-07T0${seed}:00:00.000Z`, schedule, host: { machine: '2-core x64, test', loadavg: [2, 2] },
  });
  writeFileSync(join(dir, 'a.runs.jsonl'), `${JSON.stringify(rec(0, 0.7))}\n${JSON.stringify(rec(1, 0.72))}\n`);
  writeFileSync(join(dir, 'b.runs.jsonl'), `${JSON.stringify(rec(2, 0.74))}\n`);
  const lines: string[] = [];
  const out = runReproduceRecord({ experiment: 'aljalbout-table1', runs: [join(dir, 'a.runs.jsonl'), join(dir, 'b.runs.jsonl')], tag: 'coil20-test', runsCommit: 'abc1234', resultsDir: dir, log: (l) => lines.push(l) });
  const file = join(dir, 'reproduce-aljalbout-table1-coil20-test.json');
  assert.equal(out.written, file);
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(saved.suite, 'reproduce-record');
  assert.equal(saved.runsCommit, 'abc1234');
  for (const k of ['commit', 'date', 'machine']) assert.ok(k in saved, k);
  assert.deepEqual(saved.result.seeds, [0, 1, 2]);
  assert.equal(saved.result.rows.length, 1);
  assert.ok(Math.abs(saved.result.rows[0].metrics.acc.mean - 0.72) < 1e-12);
  assert.equal(saved.result.comparableToPaper, true);
  assert.match(lines.join('\n'), /\| coil-20 \| conv-dec \(32×32 network\) \| ACC \| 0\.7200 \|/);
  assert.throws(() => runReproduceRecord({ experiment: 'aljalbout-table1', runs: [], tag: 'x', resultsDir: dir, log: () => {} }), /give -o experiment=…, -o runs=/);
});
