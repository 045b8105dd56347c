// Lazy Adam (first-moment decay folded into the gradient seed) against the standard 10-pass form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamError } from '../../errors.ts';
import { type DType, type ParamInit, Graph, adam, compileTrainingStep, heNormal, initParameters, linear, reduceMean, relu, square, sub, zeros } from '../index.ts';
import type { AdamOptions } from './adam.ts';

async function train(opts: AdamOptions, runs: number[], dtype: DType = 'float32') {
  const g = new Graph({ dtype: dtype as 'float32' | 'float64' });
  const x = g.input('x', ['batch', 6]);
  const y = linear(relu(linear(x, g.param('w1', [6, 12]), g.param('b1', [12]))), g.param('w2', [12, 6]), g.param('b2', [6]));
  const loss = reduceMean(square(sub(y, x)));
  const plan = new Map<string, ParamInit>([['w1', { init: heNormal(), layout: 'dense' }], ['w2', { init: heNormal(), layout: 'dense' }], ['b1', { init: zeros(), layout: 'vector' }], ['b2', { init: zeros(), layout: 'vector' }]]);
  const store = initParameters(g.paramSpecs(), plan, 7);
  const step = await compileTrainingStep({ graph: g, loss, optimizer: adam(opts), store, runtime: { threads: 1 } });
  const B = 8;
  const losses: number[] = [];
  let done = 0;
  for (const K of runs) {
    const Ctor = dtype === 'float64' ? Float64Array : Float32Array;
    const o = done * B * 6;
    const data = new Ctor(K * B * 6).map((_, i) => Math.sin(0.37 * (i + o)) + 0.3 * Math.cos(0.11 * (i + o)));
    const out = await step.run({ x: data }, { steps: K });
    assert.equal(out.loss!.data.length, K);
    losses.push(...(out.loss!.data as Float32Array));
    done += K;
  }
  const state = step.optimizerState();
  const params = Object.fromEntries(['w1', 'b1', 'w2', 'b2'].map((n) => [n, Array.from(store.get(n).data)]));
  await step.dispose();
  return { losses, state, params, step: step.step };
}

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(floor, Math.abs(a[i]!)));
  return worst;
}

for (const [label, extra] of [
  ['no weight decay', {}],
  ['L2 weight decay', { weightDecay: 1e-2 }],
  ['decoupled weight decay', { weightDecay: 1e-2, decay: 'decoupled' as const }],
] as const) {
  test(`lazy Adam follows the standard form (${label}) over runs of several lengths`, async () => {
    const runs = [5, 1, 16, 8];
    const std = await train({ lr: 1e-2, lazy: false, ...extra }, runs);
    const lazy = await train({ lr: 1e-2, lazy: true, ...extra }, runs);
    assert.equal(lazy.step, 30);
    assert.ok(maxRel(std.losses, lazy.losses) < 1e-4, `losses differ by ${maxRel(std.losses, lazy.losses)}`);
    for (const n of Object.keys(std.params)) assert.ok(maxRel(std.params[n]!, lazy.params[n]!) < 1e-3, `${n} differs`);
    // Checkpoint state is in standard form after every run (the per-run renormalisation).
    for (const [k, v] of std.state.tensors) assert.ok(maxRel(v.data, lazy.state.tensors.get(k)!.data, 1e-4) < 1e-3, `state ${k} differs`);
    assert.notDeepEqual(std.losses, lazy.losses.map((l) => l + 1)); // sanity: compared real arrays
  });
}

test('lazy Adam in float64 matches the standard form to float64 rounding', async () => {
  const std = await train({ lr: 1e-2, lazy: false }, [7, 9], 'float64');
  const lazy = await train({ lr: 1e-2, lazy: true }, [7, 9], 'float64');
  assert.ok(maxRel(std.losses, lazy.losses) < 1e-12, `losses differ by ${maxRel(std.losses, lazy.losses)}`);
});

test('a run longer than lazy Adam allows is split and equals shorter runs', async () => {
  // beta1 = 0.5 allows 19 steps per session run; 45 steps run as 19 + 19 + 7.
  const whole = await train({ lr: 1e-2, beta1: 0.5, lazy: true }, [45]);
  const parts = await train({ lr: 1e-2, beta1: 0.5, lazy: true }, [19, 19, 7]);
  const std = await train({ lr: 1e-2, beta1: 0.5, lazy: false }, [45]);
  assert.equal(whole.losses.length, 45);
  assert.ok(maxRel(whole.losses, parts.losses) < 1e-5, `split run differs: ${maxRel(whole.losses, parts.losses)}`);
  assert.ok(maxRel(whole.losses, std.losses) < 1e-4);
});

test('adam rejects a non-boolean lazy option', () => {
  assert.throws(() => adam({ lazy: 'yes' as unknown as boolean }), ParamError);
  assert.equal(adam({ lazy: true }).config.lazy, true);
  assert.equal(adam({ lazy: true, beta1: 0.2 }).lazy, undefined); // too small a beta1: standard form
});
