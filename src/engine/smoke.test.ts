import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph, linear, relu, reduceMean, square, sub, adam, compileTrainingStep, compileFunction, initParameters, heNormal, zeros, type ParamInit } from './index.ts';

test('a tiny MLP trains and its loss goes down', async () => {
  const g = new Graph();
  const x = g.input('x', ['batch', 4]);
  const w1 = g.param('w1', [4, 8]);
  const b1 = g.param('b1', [8]);
  const w2 = g.param('w2', [8, 4]);
  const b2 = g.param('b2', [4]);
  const y = linear(relu(linear(x, w1, b1)), w2, b2);
  const loss = reduceMean(square(sub(y, x)));
  const plan = new Map<string, ParamInit>([['w1', { init: heNormal(), layout: 'dense' }], ['w2', { init: heNormal(), layout: 'dense' }], ['b1', { init: zeros(), layout: 'vector' }], ['b2', { init: zeros(), layout: 'vector' }]]);
  const store = initParameters(g.paramSpecs(), plan, 1);
  const step = await compileTrainingStep({ graph: g, loss, optimizer: adam({ lr: 1e-2 }), store });
  const K = 50, B = 16;
  const data = new Float32Array(K * B * 4).map((_, i) => Math.sin(i));
  const out = await step.run({ x: data }, { steps: K });
  const l = out.loss!.data as Float32Array;
  assert.equal(l.length, K);
  assert.ok(l[K - 1]! < l[0]! * 0.5, `loss ${l[0]} -> ${l[K - 1]}`);
  const g2 = new Graph();
  const x2 = g2.input('x', ['batch', 4]);
  const h = relu(linear(x2, g2.param('w1', [4, 8]), g2.param('b1', [8])));
  const fn = await compileFunction(g2, { outputs: { h }, store });
  const r = await fn.run({ x: data.subarray(0, 20) });
  assert.deepEqual(r.h!.dims, [5, 8]);
});
