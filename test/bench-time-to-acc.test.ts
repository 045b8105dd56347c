// `deepclust bench time-to-acc` and `bench engine-ab`: schedules, bad options, and a tiny end-to-end curve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParamError } from '../src/errors.ts';
import { runTimeToAcc, scheduledRate } from '../bench/time-to-acc.ts';
import { runEngineAb } from '../bench/engine.ts';

test('learning-rate schedules: constant, cosine and one-cycle have the documented shape', () => {
  assert.equal(scheduledRate('constant', 0.01, 0.7), 0.01);
  assert.ok(Math.abs(scheduledRate('cosine', 0.01, 0) - 0.01) < 1e-12);
  assert.ok(Math.abs(scheduledRate('cosine', 0.01, 1) - 1e-4) < 1e-9);
  assert.ok(Math.abs(scheduledRate('onecycle', 0.01, 0) - 0.0004) < 1e-12);
  assert.ok(Math.abs(scheduledRate('onecycle', 0.01, 0.3) - 0.01) < 1e-12);
  assert.ok(scheduledRate('onecycle', 0.01, 0.999) < 2e-5);
  for (const s of ['cosine', 'onecycle'] as const)
    for (let p = 0.31; p < 1; p += 0.05) assert.ok(scheduledRate(s, 1, p) <= scheduledRate(s, 1, p - 0.01) + 1e-12, `${s} decays after its peak`);
});

test('bad options are ParamErrors that name the fix', async () => {
  await assert.rejects(runTimeToAcc({ mode: 'fast' as never, data: 'mnist-10k', seeds: [0] }), (e: Error) => e instanceof ParamError && /mode must be/.test(e.message));
  await assert.rejects(runTimeToAcc({ data: 'mnist-10k', seeds: [0], target: 1.5 }), ParamError);
  await assert.rejects(runTimeToAcc({ data: 'mnist-10k', seeds: [Number.NaN] }), ParamError);
  await assert.rejects(runTimeToAcc({ mode: 'pretrain', data: 'mnist-10k', seeds: [0], schedule: 'linear' as never }), /schedule must be/);
  await assert.rejects(runTimeToAcc({ mode: 'pretrain', data: 'mnist-10k', limit: 200, seeds: [0], epochs: 0 }), /epochs must be/);
  await assert.rejects(runTimeToAcc({ data: 'mnist-10k', seeds: [0], method: 'idec', finalNInit: 10 }), (e: Error) => e instanceof ParamError && /finalNInit needs a method whose final clustering is a mixture \(e\.g\. n2d\); 'idec' has none/.test(e.message));
  await assert.rejects(runTimeToAcc({ data: 'mnist-10k', seeds: [0], method: 'n2d', finalNInit: 0 }), /finalNInit must be an integer >= 1, got 0/);
  await assert.rejects(runEngineAb({ variants: ['standard'] }), /at least two variants/);
  await assert.rejects(runEngineAb({ variants: ['nope', 'standard'] }), /unknown variant 'nope'/);
});

test('pretrain mode records an ACC-vs-time curve and the time to the target', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tta-'));
  try {
    const lines: string[] = [];
    const r = (await runTimeToAcc({ mode: 'pretrain', data: 'mnist-10k', limit: 300, seeds: [0], epochs: 2, evalEvery: 1, batch: 50, lr: 1e-3, schedule: 'onecycle', target: 0.05, stopAtTarget: false, threads: 1, nInit: 1, record: 'tta', resultsDir: dir, log: (l) => lines.push(l) })) as {
      seeds: Array<{ secondsToTarget: number | null; curve: Array<{ seconds: number; acc: number; step: number }> }>;
      meanSecondsToTarget: number | null;
    };
    const curve = r.seeds[0]!.curve;
    assert.deepEqual(curve.map((c) => c.step), [1, 2]);
    for (const c of curve) assert.ok(c.acc > 0.1 && c.acc <= 1 && c.seconds > 0, JSON.stringify(c));
    assert.ok(curve[1]!.seconds > curve[0]!.seconds);
    // ACC of 10 classes is always >= 0.1, so the 0.05 target is met at the first point
    assert.equal(r.seeds[0]!.secondsToTarget, curve[0]!.seconds);
    assert.equal(r.meanSecondsToTarget, curve[0]!.seconds);
    const saved = JSON.parse(readFileSync(join(dir, 'tta.json'), 'utf8'));
    assert.equal(saved.suite, 'time-to-acc');
    assert.ok(saved.meta.commit && saved.meta.machine.loadavg.length === 3);
    assert.ok(lines.some((l) => /epoch 2\/2: ACC/.test(l)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('method mode with n2d: the curve ends with the final UMAP + mixture, with the asked EM starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tta-n2d-'));
  try {
    const r = (await runTimeToAcc({ data: 'mnist-10k', limit: 300, seeds: [0], method: 'n2d', pretrainEpochs: 1, finalNInit: 2, target: 0.99, threads: 1, record: 'tta', resultsDir: dir })) as {
      config: { finalNInit: number; method: string };
      seeds: Array<{ curve: Array<{ phase: string; acc: number }> }>;
    };
    assert.equal(r.config.method, 'n2d');
    assert.equal(r.config.finalNInit, 2);
    const phases = r.seeds[0]!.curve.map((c) => c.phase);
    assert.ok(phases.includes('recluster'), phases.join(','));
    for (const c of r.seeds[0]!.curve) assert.ok(c.acc > 0.1 && c.acc <= 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
