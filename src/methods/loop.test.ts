// The shared step loop's schedule: engine calls per epoch, remainder batches, refreshes, the stop
// test and resuming from a safe point, with a stand-in training step that records its calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrainingStep } from '../engine/index.ts';
import { type LoopPosition, type TrainLoop, runLoop } from './loop.ts';

function fakeStep(calls: string[]): TrainingStep {
  return {
    run: async (feeds: Record<string, { data: Float32Array; dims: number[] }>, o: { steps: number }) => {
      const x = feeds.x!;
      calls.push(`${x.dims.join('x')}:${Array.from(x.data).join(',')}`);
      return { loss: { data: new Float32Array(o.steps).fill(2) } };
    },
  } as unknown as TrainingStep;
}

/** A loop over n one-value rows (row i holds i) in the identity order, recording calls and hooks. */
function setup(over: Partial<TrainLoop>) {
  const calls: string[] = [];
  const events: string[] = [];
  const n = over.n ?? 10;
  const loop: TrainLoop = {
    step: fakeStep(calls),
    x: Float32Array.from({ length: n }, (_, i) => i),
    width: 1,
    n,
    batchSize: 4,
    stepsPerRun: 2,
    buffer: new Float32Array(64),
    phase: 'pretraining',
    lrOption: 'lr',
    lr: 0.1,
    order: (epoch) => {
      events.push(`order ${epoch}`);
      return Int32Array.from({ length: n }, (_, i) => i);
    },
    ...over,
  };
  return { loop, calls, events };
}

test('epochs: full batches in calls of stepsPerRun, then the remainder alone; the losses reported per epoch', async () => {
  const { loop, calls, events } = setup({ epochs: 2, hooks: { afterEpoch: (e, l) => events.push(`epoch ${e} ${JSON.stringify(l)}`) } });
  assert.deepEqual(await runLoop(loop), { ite: 6, stopped: false });
  assert.deepEqual(calls, ['2x4x1:0,1,2,3,4,5,6,7', '1x2x1:8,9', '2x4x1:0,1,2,3,4,5,6,7', '1x2x1:8,9']);
  assert.deepEqual(events, ['order 0', 'epoch 0 {"loss":2}', 'order 1', 'epoch 1 {"loss":2}']);
});

test('a remainder smaller than minRemainder is skipped (its rows come again next epoch)', async () => {
  const { loop, calls } = setup({ epochs: 2, minRemainder: 3, stepsPerRun: 1 });
  await runLoop(loop);
  assert.deepEqual(calls, ['1x4x1:0,1,2,3', '1x4x1:4,5,6,7', '1x4x1:0,1,2,3', '1x4x1:4,5,6,7']);
});

test('refreshes every T steps: no call crosses a refresh; the remainder counts as a step; maxSteps ends it', async () => {
  const refreshes: number[] = [];
  const { loop, calls } = setup({ stepsPerRun: 5, maxSteps: 7, refreshEvery: 3, hooks: { onRefresh: (at) => (refreshes.push(at.ite), false) } });
  assert.deepEqual(await runLoop(loop), { ite: 7, stopped: false });
  assert.deepEqual(refreshes, [0, 3, 6]);
  assert.deepEqual(calls, ['2x4x1:0,1,2,3,4,5,6,7', '1x2x1:8,9', '2x4x1:0,1,2,3,4,5,6,7', '1x2x1:8,9', '1x4x1:0,1,2,3']);
});

test('the stop test ends the loop at a refresh', async () => {
  const { loop, calls } = setup({ stepsPerRun: 5, maxSteps: 100, refreshEvery: 3, hooks: { onRefresh: (at, losses) => at.ite === 3 && losses.loss === 2 } });
  assert.deepEqual(await runLoop(loop), { ite: 3, stopped: true });
  assert.equal(calls.length, 2);
});

test('resuming from a safe point makes the calls the uninterrupted loop made after it', async () => {
  const whole = setup({ stepsPerRun: 1, maxSteps: 9, refreshEvery: 4, hooks: {} });
  const saved: LoopPosition[] = [];
  whole.loop.hooks!.beforeChunk = (at) => void saved.push({ ...at, sums: { ...at.sums } });
  await runLoop(whole.loop);
  const at = saved[4]!;
  const resumed = setup({ stepsPerRun: 1, maxSteps: 9, refreshEvery: 4, start: at });
  await runLoop(resumed.loop);
  assert.deepEqual(resumed.calls, whole.calls.slice(whole.calls.length - resumed.calls.length));
  assert.equal(resumed.calls.length, 9 - at.ite);
});

test('checkEvery: no call crosses a check; a check that stops reports the epoch so far as partial', async () => {
  const checks: number[] = [];
  const events: string[] = [];
  const { loop, calls } = setup({
    epochs: 5,
    stepsPerRun: 5,
    checkEvery: 2,
    hooks: {
      afterCall: (c, l) => events.push(`call ${c.ite}+${l.loss!.length}`),
      afterEpoch: (e, l, partial) => events.push(`epoch ${e}${partial ? ' partial' : ''} ${l.loss}`),
      onCheck: (ite) => (checks.push(ite), ite === 4),
    },
  });
  // 10 rows, batch 4: an epoch is 2 full batches and a remainder of 2 rows (3 steps)
  assert.deepEqual(await runLoop(loop), { ite: 4, stopped: true });
  assert.deepEqual(checks, [2, 4]);
  assert.deepEqual(calls, ['2x4x1:0,1,2,3,4,5,6,7', '1x2x1:8,9', '1x4x1:0,1,2,3']);
  assert.deepEqual(events, ['call 0+2', 'call 2+1', 'epoch 0 2', 'call 3+1', 'epoch 1 partial 2']);
});
