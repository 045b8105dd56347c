// Engine behaviour beyond single-op gradients: optimizers against PyTorch, parameter groups,
// symbolic batch dims, build-time errors, divergence detection, random inputs, buffers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as E from '../src/engine/index.ts';
import { gradCheck } from '../src/engine/testing.ts';
import { DivergenceError, GraphError, ParamError } from '../src/errors.ts';
import { MlpAutoencoder } from '../src/nn/mlp-autoencoder.ts';
import { hashUniform } from './fixtures/hash-values.ts';

type Ref = Record<string, { losses: number[]; w1: number[]; b1: number[]; w2: number[] }>;
const ref = JSON.parse(readFileSync(new URL('./fixtures/optimizer-reference.json', import.meta.url), 'utf8')) as Ref;

const optimizers: Record<string, () => E.Optimizer> = {
  sgd: () => E.sgd({ lr: 0.1 }),
  sgd_momentum: () => E.sgd({ lr: 0.1, momentum: 0.9 }),
  sgd_nesterov_wd: () => E.sgd({ lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.01 }),
  adam: () => E.adam({ lr: 0.01 }),
  adam_l2: () => E.adam({ lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1 }),
  adamw: () => E.adam({ lr: 0.01, weightDecay: 0.1, decay: 'decoupled' }),
};

for (const [name, make] of Object.entries(optimizers)) {
  test(`optimizer ${name} matches PyTorch over 5 float64 steps`, async () => {
    const g = new E.Graph({ dtype: 'float64' });
    const x = g.input('x', [8, 6]);
    const t = g.input('t', [8, 4]);
    const w1 = g.param('w1', [6, 5]);
    const b1 = g.param('b1', [5]);
    const w2 = g.param('w2', [5, 4]);
    const loss = E.reduceMean(E.square(E.sub(E.matmul(E.tanh(E.add(E.matmul(x, w1), b1)), w2), t)));
    const store = new E.ParameterStore();
    store.add('w1', [6, 5], Float64Array.from(hashUniform(11, 30), (u) => u * 2 - 1));
    store.add('b1', [5], Float64Array.from(hashUniform(12, 5), (u) => u * 0.1));
    store.add('w2', [5, 4], Float64Array.from(hashUniform(13, 20), (u) => u * 2 - 1));
    const step = await E.compileTrainingStep({ graph: g, loss, optimizer: make(), store });
    // 2 + 3 steps: state must carry across runs.
    const xs = Float64Array.from(hashUniform(14, 5 * 8 * 6));
    const ts = Float64Array.from(hashUniform(15, 5 * 8 * 4));
    const a = await step.run({ x: xs.subarray(0, 2 * 48), t: ts.subarray(0, 2 * 32) }, { steps: 2 });
    const b = await step.run({ x: xs.subarray(2 * 48), t: ts.subarray(2 * 32) }, { steps: 3 });
    const losses = [...(a.loss!.data as Float64Array), ...(b.loss!.data as Float64Array)];
    const r = ref[name]!;
    losses.forEach((l, i) => assert.ok(Math.abs(l - r.losses[i]!) <= 1e-10 * Math.abs(r.losses[i]!), `loss ${i}: ${l} vs ${r.losses[i]}`));
    for (const p of ['w1', 'b1', 'w2'] as const) {
      const ours = store.get(p).data;
      r[p].forEach((v, i) => assert.ok(Math.abs(ours[i]! - v) <= 1e-10 * Math.max(1, Math.abs(v)), `${p}[${i}]: ${ours[i]} vs ${v}`));
    }
  });
}

test('parameter groups: own optimizer, own learning rate schedule, own loss', async () => {
  const g = new E.Graph({ dtype: 'float64' });
  const x = g.input('x', ['batch', 2]);
  const w = g.param('w', [2, 2]);
  const c = g.param('c', [1, 2]);
  const z = E.matmul(x, w);
  const lossW = E.reduceMean(E.square(E.sub(z, x)));
  const lossC = E.reduceSum(E.square(E.sub(E.stopGradient(E.reduceMean(z, [0], true)), c)));
  const store = new E.ParameterStore();
  store.add('w', [2, 2], Float64Array.of(1, 0.5, -0.5, 1));
  store.add('c', [1, 2], Float64Array.of(0, 0));
  const step = await E.compileTrainingStep({
    graph: g,
    groups: [
      { name: 'net', params: [w], optimizer: E.adam({ lr: 1e-3 }), loss: lossW },
      { name: 'centres', params: [c], optimizer: E.sgd({ lr: 0.25 }), loss: lossC },
    ],
    outputs: { lossW, lossC },
    store,
  });
  const xs = Float64Array.of(1, 2, 3, 4);
  const wBefore = store.get('w').data.slice();
  // z rows are [1,2]·W and [3,4]·W; their mean:
  const zr = [0, 1].map((j) => ((1 * wBefore[j]! + 2 * wBefore[2 + j]!) + (3 * wBefore[j]! + 4 * wBefore[2 + j]!)) / 2);
  const out = await step.run({ x: xs }, { steps: 1, lr: { centres: [0.5] } });
  // SGD on Σ(m − c)² with lr 0.5: c ← c + 0.5·2(m − c) = m (from c = 0).
  assert.deepEqual(Array.from(store.get('c').data).map((v) => +v.toFixed(12)), zr.map((v) => +v.toFixed(12)));
  assert.equal(out.lossC!.dims[0], 1);
  assert.notDeepEqual(Array.from(store.get('w').data), Array.from(wBefore));
});

test('small autoencoder: float64 gradients pass finite differences; symbolic and static batch agree', async () => {
  const ae = new MlpAutoencoder({ inputDim: 5, hidden: [4], embeddingDim: 2, activation: 'tanh' });
  const r = await gradCheck(
    (g, [x, w0, b0, w1, b1, w2, b2, w3, b3]) => {
      const h = E.tanh(E.linear(x!, w0!, b0!));
      const z = E.linear(h, w1!, b1!);
      const d = E.linear(E.tanh(E.linear(z, w2!, b2!)), w3!, b3!);
      return E.reduceMean(E.square(E.sub(d, x!)));
    },
    [{ shape: [3, 5] }, { shape: [5, 4] }, { shape: [4] }, { shape: [4, 2] }, { shape: [2] }, { shape: [2, 4] }, { shape: [4] }, { shape: [4, 5] }, { shape: [5] }],
  );
  assert.ok(r.maxRelError <= 1e-5, `max rel error ${r.maxRelError}`);

  const store = ae.initParameters(3, 'float64');
  const names = [...ae.encoderParamNames(), ...ae.decoderParamNames()];
  const grads = async (batch: number | string) => {
    const g = new E.Graph({ dtype: 'float64' });
    const x = g.input('x', [batch, 5]);
    const loss = E.reduceMean(E.square(E.sub(ae.decode(g, ae.encode(g, x).code).output, x)));
    const gs = E.grad(loss, names.map((n) => g.params.find((p) => p.name === n)!));
    const outputs: Record<string, E.Tensor> = {};
    gs.forEach((t, i) => (outputs[names[i]!] = t));
    const fn = await E.compileFunction(g, { outputs, store });
    return fn.run({ x: Float64Array.from(hashUniform(3, 15)) });
  };
  const a = await grads(3);
  const b = await grads('batch');
  for (const n of names) assert.deepEqual(Array.from(b[n]!.data as Float64Array), Array.from(a[n]!.data as Float64Array), n);
});

test('shape and dtype mismatches are reported at build time with the op and both shapes', () => {
  const g = new E.Graph();
  const a = g.input('a', ['batch', 3]);
  const b = g.input('b', [4, 2]);
  assert.throws(() => E.matmul(a, b), (e: unknown) => e instanceof GraphError && /matmul: inner dimensions differ: a: float32\[batch,3\] × b: float32\[4,2\]/.test((e as Error).message));
  assert.throws(() => E.add(g.input('c', [2, 3]), g.input('d', [4, 3])), /Add: shapes \[2,3\] and \[4,3\] cannot be broadcast/);
  const h = new E.Graph({ dtype: 'float64' });
  assert.throws(() => E.add(g.input('e', [3]), h.input('f', [3])), /different graphs|dtype mismatch/);
  assert.throws(() => E.conv2d(g.input('img', [1, 3, 8, 8]), g.param('k', [4, 2, 3, 3])), /conv2d: weight .* must be \[O, 3, kh, kw\]/);
  assert.throws(() => E.reshape(g.input('r', [2, 3]), [4, 2]), /cannot reshape/);
  assert.throws(() => E.grad(g.input('v', [3]), []), /loss must be a scalar/);
});

test('a parameter that does not reach the loss gets a zero gradient; shared sub-expressions sum', async () => {
  const g = new E.Graph({ dtype: 'float64' });
  const w = g.param('w', [3]);
  const unused = g.param('unused', [2]);
  const s = E.mul(w, w); // shared twice
  const loss = E.reduceSum(E.add(s, E.mul(s, 2)));
  const [gw, gu] = E.grad(loss, [w, unused]);
  const store = new E.ParameterStore();
  store.add('w', [3], Float64Array.of(1, 2, 3));
  store.add('unused', [2], Float64Array.of(5, 6));
  const r = await (await E.compileFunction(g, { outputs: { gw: gw!, gu: gu! }, store })).run({});
  assert.deepEqual(Array.from(r.gw!.data as Float64Array), [6, 12, 18]); // d(3w²)/dw = 6w
  assert.deepEqual(Array.from(r.gu!.data as Float64Array), [0, 0]);
});

test('a NaN/Inf loss stops training with the step number and the loss term', async () => {
  const g = new E.Graph();
  const x = g.input('x', ['batch', 2]);
  const w = g.param('w', [2, 2]);
  const rec = E.reduceMean(E.square(E.matmul(x, w)));
  const bad = E.reduceMean(E.log(E.sub(x, 0.5))); // log of negative values → NaN
  const store = new E.ParameterStore();
  store.add('w', [2, 2], Float32Array.of(1, 0, 0, 1));
  const step = await E.compileTrainingStep({ graph: g, loss: rec, optimizer: E.sgd({ lr: 0.1 }), store, outputs: { reconstruction: rec, clustering: bad } });
  const xs = Float32Array.of(1, 1, 1, 1, 1, 1, 0, 0); // step 2 has values below 0.5
  await assert.rejects(step.run({ x: xs }, { steps: 2 }), (e: unknown) => e instanceof DivergenceError && e.step === 2 && e.term === 'clustering' && /step 2: 'clustering' is NaN/.test((e as Error).message));
});

test('random inputs (dropout masks) are reproducible from the seed, whatever the steps per run', async () => {
  const build = async (seed: number) => {
    const g = new E.Graph();
    const x = g.input('x', ['batch', 6]);
    const mask = g.randomInput('mask', ['batch', 6], { kind: 'bernoulli', p: 0.8 });
    const w = g.param('w', [6, 6]);
    const loss = E.reduceMean(E.square(E.sub(E.matmul(E.dropout(x, mask, 0.2), w), x)));
    const store = new E.ParameterStore();
    store.add('w', [6, 6], new Float32Array(36).fill(0.1));
    return { step: await E.compileTrainingStep({ graph: g, loss, optimizer: E.sgd({ lr: 0.1 }), store, seed }), store };
  };
  const xs = Float32Array.from(hashUniform(9, 4 * 5 * 6));
  const a = await build(11);
  await a.step.run({ x: xs }, { steps: 4 });
  const b = await build(11);
  await b.step.run({ x: xs.subarray(0, 60) }, { steps: 2 });
  await b.step.run({ x: xs.subarray(60) }, { steps: 2 });
  assert.deepEqual(Array.from(b.store.get('w').data), Array.from(a.store.get('w').data));
  const c = await build(12);
  await c.step.run({ x: xs }, { steps: 4 });
  assert.notDeepEqual(Array.from(c.store.get('w').data), Array.from(a.store.get('w').data));
});

test('batch-norm running statistics are buffers updated by the training step', async () => {
  const g = new E.Graph();
  const x = g.input('x', [4, 2]);
  const gamma = g.param('gamma', [2]);
  const beta = g.param('beta', [2]);
  const y = E.batchNorm(x, gamma, beta, g.buffer('rm', [2]), g.buffer('rv', [2]), { training: true, momentum: 0.5 });
  const loss = E.reduceMean(E.square(y));
  const store = new E.ParameterStore();
  store.add('gamma', [2], Float32Array.of(1, 1));
  store.add('beta', [2], Float32Array.of(0, 0));
  store.add('rm', [2], Float32Array.of(0, 0), false);
  store.add('rv', [2], Float32Array.of(1, 1), false);
  const step = await E.compileTrainingStep({ graph: g, loss, optimizer: E.sgd({ lr: 0.1 }), store });
  await step.run({ x: Float32Array.of(1, 10, 2, 20, 3, 30, 4, 40) }, { steps: 1 });
  // mean (2.5, 25); unbiased var (1.6667, 166.67); momentum 0.5
  const rm = Array.from(store.get('rm').data);
  const rv = Array.from(store.get('rv').data);
  assert.ok(Math.abs(rm[0]! - 1.25) < 1e-5 && Math.abs(rm[1]! - 12.5) < 1e-4, `running mean ${rm}`);
  assert.ok(Math.abs(rv[0]! - (0.5 + 0.5 * 5 / 3)) < 1e-5 && Math.abs(rv[1]! - (0.5 + 0.5 * 500 / 3)) < 1e-3, `running var ${rv}`);
});

test('batch norm on one value per channel keeps the running variance finite (biased 0, not n/(n − 1) = ∞)', async () => {
  const g = new E.Graph();
  const x = g.input('x', ['batch', 2]);
  const y = E.batchNorm(x, g.param('gamma', [2]), g.param('beta', [2]), g.buffer('rm', [2]), g.buffer('rv', [2]), { training: true, momentum: 0.5 });
  const store = new E.ParameterStore();
  store.add('gamma', [2], Float32Array.of(1, 1));
  store.add('beta', [2], Float32Array.of(0, 0));
  store.add('rm', [2], Float32Array.of(0, 0), false);
  store.add('rv', [2], Float32Array.of(1, 1), false);
  const step = await E.compileTrainingStep({ graph: g, loss: E.reduceMean(E.square(y)), optimizer: E.sgd({ lr: 0.1 }), store });
  await step.run({ x: { data: Float32Array.of(3, 7), dims: [1, 1, 2] } }, { steps: 1 });
  assert.deepEqual(Array.from(store.get('rv').data), [0.5, 0.5]);
  assert.deepEqual(Array.from(store.get('rm').data), [1.5, 3.5]);
});

test("executionProvider 'cuda' without the CUDA build gives a clear error; bad runtime options are refused", async () => {
  const g = new E.Graph();
  const x = g.input('x', [2]);
  const available = await E.executionProviderAvailable('cuda');
  assert.equal(await E.executionProviderAvailable('cpu'), true);
  if (!available) await assert.rejects(E.compileFunction(g, { outputs: { y: E.neg(x) }, runtime: { executionProvider: 'cuda' } }), (e: unknown) => e instanceof ParamError && /'cuda' is not available/.test((e as Error).message));
  await assert.rejects(E.compileFunction(g, { outputs: { y: E.neg(x) }, runtime: { threads: 0 } }), /threads/);
  await assert.rejects(E.compileFunction(g, { outputs: { y: E.neg(x) }, runtime: { executionProvider: 'tpu' as never } }), /executionProvider/);
});
