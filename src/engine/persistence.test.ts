import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Graph, adam, compileFunction, compileTrainingStep, exportOnnx, loadCheckpoint, loadSafetensors, reduceMean, saveCheckpoint, square, sub } from './index.ts';
import { DataError } from '../errors.ts';
import { MlpAutoencoder } from '../nn/mlp-autoencoder.ts';
import { Rng } from '../random.ts';

const dir = mkdtempSync(join(tmpdir(), 'deepclust-persist-'));
const ae = new MlpAutoencoder({ inputDim: 12, hidden: [8, 6], embeddingDim: 3 });
const rng = new Rng(5);
const data = Float32Array.from({ length: 4 * 10 * 12 }, () => rng.random());

function trainGraph() {
  const g = new Graph();
  const x = g.input('x', ['batch', 12]);
  const loss = reduceMean(square(sub(ae.decode(g, ae.encode(g, x).code).output, x)));
  return { g, loss };
}

test('save → load → identical outputs and identical continued training', async () => {
  const store = ae.initParameters(7);
  const { g, loss } = trainGraph();
  const step = await compileTrainingStep({ graph: g, loss, optimizer: adam({ lr: 1e-2 }), store });
  await step.run({ x: data.subarray(0, 2 * 120) }, { steps: 2 });
  const path = join(dir, 'ckpt.safetensors');
  saveCheckpoint(path, store, step.optimizerState(), { note: 'hello' });
  const cont = await step.run({ x: data.subarray(2 * 120) }, { steps: 2 });

  const loaded = loadCheckpoint(path);
  assert.equal(loaded.metadata.note, 'hello');
  assert.equal(loaded.optimizer?.step, 2);
  const b = trainGraph();
  const step2 = await compileTrainingStep({ graph: b.g, loss: b.loss, optimizer: adam({ lr: 1e-2 }), store: loaded.store });
  step2.loadOptimizerState(loaded.optimizer!);
  const cont2 = await step2.run({ x: data.subarray(2 * 120) }, { steps: 2 });
  assert.deepEqual(Array.from(cont2.loss!.data as Float32Array), Array.from(cont.loss!.data as Float32Array));
  for (const name of store.names()) assert.deepEqual(loaded.store.get(name).data.length, store.get(name).data.length);
});

test('exported encoder ONNX gives the same embedding as the engine', async () => {
  const store = ae.initParameters(3);
  const g = new Graph();
  const x = g.input('x', ['batch', 12]);
  const code = ae.encode(g, x).code;
  const fn = await compileFunction(g, { outputs: { embedding: code }, store });
  const ours = (await fn.run({ x: data.subarray(0, 5 * 12) })).embedding!;
  const path = join(dir, 'encoder.onnx');
  exportOnnx(path, g, { embedding: code }, store);
  const session = await ort.InferenceSession.create(readFileSync(path));
  assert.deepEqual(session.inputNames, ['x']);
  assert.deepEqual(session.outputNames, ['embedding']);
  const res = await session.run({ x: new ort.Tensor('float32', data.slice(0, 5 * 12), [5, 12]) });
  assert.deepEqual(Array.from(res.embedding!.data as Float32Array), Array.from(ours.data as Float32Array));
  assert.deepEqual(res.embedding!.dims, [5, 3]);
});

test('truncated and corrupt checkpoints give a DataError naming the problem', () => {
  const store = ae.initParameters(1);
  const path = join(dir, 'good.safetensors');
  saveCheckpoint(path, store);
  const bytes = readFileSync(path);
  writeFileSync(join(dir, 'trunc.safetensors'), bytes.subarray(0, bytes.length - 10));
  assert.throws(() => loadSafetensors(join(dir, 'trunc.safetensors')), (e: unknown) => e instanceof DataError && /truncated/.test((e as Error).message));
  writeFileSync(join(dir, 'tiny.safetensors'), bytes.subarray(0, 4));
  assert.throws(() => loadSafetensors(join(dir, 'tiny.safetensors')), DataError);
  const corrupt = Buffer.from(bytes);
  corrupt[10] = 0x7b; // break the JSON header
  corrupt[11] = 0x7b;
  writeFileSync(join(dir, 'corrupt.safetensors'), corrupt);
  assert.throws(() => loadSafetensors(join(dir, 'corrupt.safetensors')), DataError);
  assert.throws(() => loadSafetensors(join(dir, 'missing.safetensors')), /no such file/);
  assert.ok(!readdirSync(dir).some((f) => f.includes('.tmp-')), 'no temp files left');
  assert.ok(existsSync(path));
});
