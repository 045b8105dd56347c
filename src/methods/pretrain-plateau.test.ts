// The plateau stop of pretraining (pretrain.plateau): the tracker's rule, and a real fit whose loss
// flattens: it stops early, at the same step for the same seed whatever the steps per engine
// call, resumes from a checkpoint and comes from the pretraining cache bit for bit; without
// plateau the whole epoch budget runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeepClustering, type FittedDeepClustering } from './deep-clustering.ts';
import type { DeepPartial, MethodConfig } from './config.ts';
import { PlateauTracker, plateauSettings, pretrainEndOf, pretrainEndText } from './pretrain-plateau.ts';
import { blobs } from './_test/data.ts';
import { ParamError, InterruptedError } from '../errors.ts';

const losses = (...v: number[]) => ({ reconstruction: Float32Array.from(v) });

test('the tracker: window means against the best, relative minDelta, the stop after `steps` steps without improvement, never before minSteps', () => {
  assert.deepEqual(plateauSettings({ steps: 1000 }), { steps: 1000, minDelta: 0.01, window: 100, minSteps: 1000 });
  const t = new PlateauTracker({ steps: 4, window: 2, minDelta: 0.1, minSteps: 0 });
  t.add(losses(10, 10));
  assert.equal(t.check(2), false); // first window: the best
  t.add(losses(9.5, 9.5)); // 5 % lower: not an improvement of 10 %
  assert.equal(t.check(4), false);
  t.add(losses(8, 8)); // 20 % lower: the new best at step 6
  assert.equal(t.check(6), false);
  assert.deepEqual(t.state(), { sum: 0, count: 0, best: 8, bestAt: 6 });
  t.add(losses(7.5, 7.5));
  assert.equal(t.check(8), false);
  t.add(losses(7.5, 7.5));
  assert.equal(t.check(10), true, '4 steps since the best at step 6');
  // the total loss decides when the pretraining has several terms
  const u = new PlateauTracker({ steps: 2, window: 1 });
  u.add({ reconstruction: Float32Array.of(1), loss: Float32Array.of(5) });
  assert.equal(u.state().sum, 5);
  // minSteps holds the stop back; a state resumes the same decisions
  const a = new PlateauTracker({ steps: 1, window: 1, minSteps: 5 });
  const decisions: boolean[] = [];
  for (let i = 1; i <= 6; i++) {
    a.add(losses(1));
    decisions.push(a.check(i));
  }
  assert.deepEqual(decisions, [false, false, false, false, true, true]);
  const b = new PlateauTracker({ steps: 1, window: 1, minSteps: 5 }, JSON.parse(JSON.stringify(a.state())));
  b.add(losses(1));
  assert.equal(b.check(7), true);
  assert.match(pretrainEndText(a.end(6, 10, true)), /plateau at step 6 of at most 10/);
  assert.match(pretrainEndText(a.end(6, 6, false)), /whole budget \(6 steps/);
});

// 60 rows, batch 10: 6 steps per epoch; the loss of this autoencoder flattens after ~300 steps
const { x } = blobs({ n: 60, d: 8, seed: 3, noise: 0.1 });
const base: DeepPartial<MethodConfig> = { architecture: { kind: 'mlp', hidden: [12], embeddingDim: 3 }, pretrain: { epochs: 150, batchSize: 10, optimizer: { name: 'adam', lr: 0.01 } }, initNInit: 2 };
const plateau = { steps: 60, window: 10 };
const withPlateau = { ...base, pretrain: { ...base.pretrain, plateau } } as DeepPartial<MethodConfig>;
const fit = (overrides: DeepPartial<MethodConfig>, stepsPerRun = 16, extra: Record<string, unknown> = {}) => new DeepClustering({ method: 'ae-kmeans', nClusters: 3, seed: 5, stepsPerRun, overrides, ...extra });
const pretrainRows = (f: FittedDeepClustering) => f.history.filter((r) => r.phase === 'pretrain');

function assertSameNetwork(b: FittedDeepClustering, a: FittedDeepClustering, what: string): void {
  assert.deepEqual(b.labels, a.labels, `${what}: labels`);
  for (const name of a.parameters.names()) assert.deepEqual(b.parameters.get(name).data, a.parameters.get(name).data, `${what}: ${name}`);
  assert.deepEqual(b.history, a.history, `${what}: history`);
}

test('a loss that flattens stops pretraining early, at the same step for the same seed whatever the steps per engine call; off, the whole budget runs', async () => {
  const full = await fit(base).fit(x);
  assert.equal(pretrainRows(full).length, 150, 'without plateau every epoch runs');
  assert.equal(pretrainRows(full).at(-1)!.pretrainEnd, undefined);

  const a = await fit(withPlateau).fit(x);
  const end = pretrainRows(a).at(-1)!.pretrainEnd!;
  assert.equal(end.stoppedBy, 'plateau');
  assert.equal(end.cap, 900);
  assert.deepEqual(pretrainEndOf(a.history), end);
  assert.ok(end.steps < 150 * 6 && end.steps >= 60, `stopped early: ${end.steps} steps`);
  assert.equal(end.steps % 10, 0, 'on a window end');
  assert.ok(end.steps - end.bestAt >= 60);
  assert.equal(pretrainRows(a).length, Math.ceil(end.steps / 6), 'the history ends with the (partial) epoch of the stop');

  const again = await fit(withPlateau).fit(x);
  assertSameNetwork(again, a, 'same seed');
  const k3 = await fit(withPlateau, 3).fit(x);
  assertSameNetwork(k3, a, '3 steps per engine call');

  // the plateau run's steps are the full run's first steps: the losses agree up to the stop
  const fullRows = pretrainRows(full);
  for (let i = 0; i < Math.floor(end.steps / 6); i++) assert.equal(pretrainRows(a)[i]!.losses.reconstruction, fullRows[i]!.losses.reconstruction, `epoch ${i + 1}`);

  // a plateau the loss never reaches within the epochs: the cap ends it, and says so
  const capped = await fit({ ...base, pretrain: { ...base.pretrain, epochs: 20, plateau: { steps: 500, window: 10 } } } as DeepPartial<MethodConfig>).fit(x);
  const cappedEnd = pretrainRows(capped).at(-1)!.pretrainEnd!;
  assert.deepEqual([cappedEnd.stoppedBy, cappedEnd.steps, cappedEnd.cap], ['epochs', 120, 120]);
});

test('a plateau run stopped mid-pretraining resumes bit-identically; the pretraining cache gives the same network and record', async () => {
  const a = await fit(withPlateau).fit(x);
  for (const stop of [7, 30]) {
    const dir = mkdtempSync(join(tmpdir(), 'deepclust-plateau-'));
    const ctl = new AbortController();
    let saves = 0;
    await assert.rejects(fit(withPlateau, 4).fit(x, { signal: ctl.signal, checkpoint: { dir, every: 1, onSaved: () => ++saves === stop && ctl.abort() } }), InterruptedError);
    const b = await fit(withPlateau, 4).fit(x, { resumeFrom: dir });
    assertSameNetwork(b, a, `resumed after save ${stop}`);
  }
  const cache = mkdtempSync(join(tmpdir(), 'deepclust-plateau-cache-'));
  const first = await fit(withPlateau, 16, { pretrainCache: cache }).fit(x);
  const hit = await fit(withPlateau, 16, { pretrainCache: cache }).fit(x);
  assert.equal(first.pretrainSource?.kind, 'trained');
  assert.equal(hit.pretrainSource?.kind, 'cache');
  assertSameNetwork(hit, a, 'from the cache');
});

test('bad plateau settings are refused in one line naming the option', () => {
  const bad = (p: unknown) => () => fit({ ...base, pretrain: { ...base.pretrain, plateau: p } } as DeepPartial<MethodConfig>);
  assert.throws(bad({ steps: 0 }), (e: Error) => e instanceof ParamError && /pretrain\.plateau\.steps/.test(e.message) && !e.message.includes('\n'));
  assert.throws(bad({ steps: 10, minDelta: 1.5 }), (e: Error) => e instanceof ParamError && /pretrain\.plateau\.minDelta/.test(e.message));
  assert.throws(bad({ steps: 10, windw: 2 }), (e: Error) => e instanceof ParamError && /windw/.test(e.message));
  assert.throws(bad({ minDelta: 0.1 }), (e: Error) => e instanceof ParamError && /steps/.test(e.message));
});
