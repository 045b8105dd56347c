// 50 Adam steps of the reference autoencoder against committed PyTorch losses
// (test/fixtures/make_engine_reference.py made them with Debian's python3-torch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Graph, adam, compileTrainingStep, reduceMean, square, sub } from '../src/engine/index.ts';
import { MlpAutoencoder } from '../src/nn/mlp-autoencoder.ts';
import { hashUniform } from './fixtures/hash-values.ts';

const ref = JSON.parse(readFileSync(new URL('./fixtures/engine-trajectory.json', import.meta.url), 'utf8')) as { losses: number[]; steps: number; batch: number };

test('reference autoencoder: 50-step Adam loss trajectory matches PyTorch within 1e-4', async () => {
  const ae = new MlpAutoencoder({ inputDim: 784 });
  const store = ae.initParameters(0);
  const layers = [...ae.encoder, ...ae.decoder];
  layers.forEach((l, i) => {
    const limit = Math.sqrt(6 / (l.inDim + l.outDim));
    store.set(`${l.name}.weight`, Float32Array.from(hashUniform(2 * i + 1, l.inDim * l.outDim), (u) => (u * 2 - 1) * limit));
    store.set(`${l.name}.bias`, Float32Array.from(hashUniform(2 * i + 2, l.outDim), (u) => (u * 2 - 1) * 0.01));
  });
  const g = new Graph();
  const x = g.input('x', ['batch', 784]);
  const { output } = ae.decode(g, ae.encode(g, x).code);
  const loss = reduceMean(square(sub(output, x)));
  const step = await compileTrainingStep({ graph: g, loss, optimizer: adam({ lr: 1e-3 }), store, runtime: { threads: 2 } });
  const data = Float32Array.from(hashUniform(1000, ref.steps * ref.batch * 784));
  const half = (ref.steps / 2) * ref.batch * 784;
  const a = await step.run({ x: data.subarray(0, half) }, { steps: ref.steps / 2 });
  const b = await step.run({ x: data.subarray(half) }, { steps: ref.steps / 2 });
  const ours = [...(a.loss!.data as Float32Array), ...(b.loss!.data as Float32Array)];
  let worst = 0;
  ours.forEach((l, i) => (worst = Math.max(worst, Math.abs(l - ref.losses[i]!) / ref.losses[i]!)));
  assert.ok(worst <= 1e-4, `max relative error ${worst}`);
  if (process.env.DEEPCLUST_REPORT) console.log(`trajectory max relative error ${worst}`);
  assert.equal(step.step, ref.steps);
  await step.dispose();
});
