// DEC's greedy layer-wise pretraining: each layer pair trained as a denoising AE, then end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeepClustering, resolveMethod } from './deep-clustering.ts';
import type { DeepPartial, MethodConfig } from './config.ts';
import { ParamError } from '../errors.ts';
import { Rng } from '../random.ts';

function blobs(n = 90, d = 12, seed = 2) {
  const rng = new Rng(seed);
  const c = Array.from({ length: 3 }, () => Array.from({ length: d }, () => 2 * rng.random()));
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = c[i % 3]![j]! + 0.05 * rng.normal();
  return { data: x, rows: n, cols: d };
}
const x = blobs();
const over = (greedy: unknown, epochs = 2): DeepPartial<MethodConfig> =>
  ({ architecture: { hidden: [16, 8], embeddingDim: 3 }, pretrain: { epochs, batchSize: 15, greedy }, train: { maxIter: 12, batchSize: 15 }, clusterUpdate: { updateInterval: 6 }, initNInit: 2 }) as never;

test('greedy pretraining trains every layer pair (loss falls per pair), then end to end; same seed, same result', async () => {
  const greedy = { epochs: 15, corruption: 0.2, optimizer: { name: 'adam', lr: 0.01 } };
  const fit = () => new DeepClustering({ method: 'dec', nClusters: 3, seed: 4, overrides: over(greedy) }).fit(x);
  const a = await fit();
  const rows = a.history.filter((r) => r.phase === 'greedy');
  assert.equal(rows.length, 3 * 15); // 3 layer pairs (12→16, 16→8, 8→3)
  for (let i = 0; i < 3; i++) {
    const mine = rows.filter((r) => `layer${i}` in r.losses).map((r) => r.losses[`layer${i}`]!);
    assert.equal(mine.length, 15);
    assert.ok(mine.at(-1)! < mine[0]!, `layer ${i}: ${mine[0]} → ${mine.at(-1)}`);
  }
  assert.equal(a.history.filter((r) => r.phase === 'pretrain').length, 2);
  const b = await fit();
  assert.deepEqual(b.labels, a.labels);
  assert.deepEqual(b.clusterCenters, a.clusterCenters);
  // greedy pretraining changes the network the clustering starts from
  const plain = await new DeepClustering({ method: 'dec', nClusters: 3, seed: 4, overrides: over(undefined) }).fit(x);
  assert.notDeepEqual(plain.pretrainedParameters!.get('ae.enc0.weight').data, a.pretrainedParameters!.get('ae.enc0.weight').data);
});

test('greedy pretraining alone (no end-to-end epochs) still gives a pretrained network', async () => {
  const fitted = await new DeepClustering({ method: 'ae-kmeans', nClusters: 3, seed: 1, overrides: over({ epochs: 5 }, 0) }).fit(x);
  assert.equal(fitted.history.filter((r) => r.phase === 'greedy').length, 15);
  assert.ok(fitted.pretrainedParameters);
  assert.equal(new Set(fitted.labels).size, 3);
});

test('greedy pretraining options are validated', () => {
  assert.throws(() => resolveMethod('conv-dec', { pretrain: { greedy: { epochs: 2 } } } as never), (e: Error) => e instanceof ParamError && /greedy needs an MLP autoencoder/.test(e.message));
  assert.throws(() => resolveMethod('dec', { pretrain: { greedy: { epochs: 2, corruption: 1 } } } as never), /greedy\.corruption must be a dropout rate in \[0, 1\)/);
  assert.throws(() => resolveMethod('dec', { pretrain: { greedy: { epochs: -1 } } } as never), /greedy\.epochs must be an integer >= 0/);
  assert.throws(() => resolveMethod('dec', { pretrain: { greedy: { epoch: 3 } } } as never), /greedy\.epoch is not a method option \(did you mean 'epochs'\?\)/);
});
