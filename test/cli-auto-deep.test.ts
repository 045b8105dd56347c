// `deepclust fit` without --method on many rows of many features: auto trains a (here tiny)
// autoencoder, writes a model run directory whose `predict` on the training rows equals
// labels.csv and whose result.json keeps every choice with its reason; network flags are applied
// when the plan trains a network and refused (one line, nothing on disk) when it does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Rng } from '../src/random.ts';
import { FittedAutoClustering } from '../src/auto/index.ts';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deepclust-auto-deep-'));
const cli = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

// 1,000 rows × 256 features (the smallest profile the plan trains a network for): 3 noisy
// prototypes, the label in the last column
function table(path: string, n: number, d: number): string {
  const rng = new Rng(3);
  const protos = Array.from({ length: 3 }, () => Array.from({ length: d }, () => rng.normal()));
  const lines = [[...Array.from({ length: d }, (_, j) => `f${j}`), 'label'].join(',')];
  for (let i = 0; i < n; i++) lines.push([...protos[i % 3]!.map((v) => (v + 0.5 * rng.normal()).toFixed(3)), String(i % 3)].join(','));
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
const data = table(join(dir, 'wide.csv'), 1000, 256);
const small = table(join(dir, 'small.csv'), 200, 8);
const tiny = ['--hidden', '16', '--embedding-dim', '3', '--pretrain-epochs', '2', '--batch-size', '64', '--threads', '1'];

test('auto trains a network on 1,000 × 256 rows: the run directory predicts its own labels; result.json keeps every choice and reason', async () => {
  const out = join(dir, 'run');
  const r = cli(['fit', '--data', data, '--label-column', 'label', '--k', '3', '--out', out, '--quiet', '--json', ...tiny]);
  assert.equal(r.status, 0, r.stderr);
  type Choice = { value: Record<string, unknown> & { hidden?: number[] }; reason: string };
  const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
    method: string;
    k: number;
    clustering: string;
    plan: Record<string, Choice>;
    config: { architecture: { hidden: number[] }; finalClustering: { kind: string } };
    metrics: { acc: number };
  };
  assert.equal(result.method, 'auto');
  assert.equal(result.k, 3);
  assert.equal(result.clustering, 'umap+gmm');
  for (const key of ['preprocessing', 'representation', 'network', 'clustering', 'k']) assert.equal(typeof result.plan[key]!.reason, 'string', key);
  const network = result.plan.network!;
  assert.deepEqual(network.value.hidden, [16], '--hidden applied');
  assert.equal(network.value.embeddingDim, 3);
  assert.equal(network.value.batchSize, 64);
  assert.equal(network.value.pretrainSteps, 2 * Math.ceil(1000 / 64), '--pretrain-epochs turned into steps');
  assert.match(network.reason, /given: --hidden, --embedding-dim, --batch-size, --pretrain-epochs/);
  assert.deepEqual(result.config.architecture.hidden, [16]);
  assert.equal(result.config.finalClustering.kind, 'umap-gmm');
  assert.ok(result.metrics.acc > 0.9, `ACC ${result.metrics.acc} on 3 separated prototypes`);
  assert.ok(existsSync(join(out, 'run-manifest.json')), 'the manifest is written last');
  const labels = readFileSync(join(out, 'labels.csv'), 'utf8').trim().split('\n');
  assert.equal(labels.length, 1001);
  const pred = cli(['predict', '--model', out, '--data', data, '--label-column', 'label']);
  assert.equal(pred.status, 0, pred.stderr);
  assert.deepEqual(pred.stdout.trim().split('\n'), labels, 'predict on the training rows = labels.csv');
  const emb = cli(['embed', '--model', out, '--data', data, '--label-column', 'label', '--out', join(dir, 'emb.npy')]);
  assert.equal(emb.status, 0, emb.stderr);
  assert.ok(existsSync(join(dir, 'emb.npy')), 'embed writes the code');
  // the library reads the CLI's run directory: the same model, the same labels
  const loaded = FittedAutoClustering.load(out);
  assert.equal(loaded.k, 3);
  assert.ok(loaded.deepModel, 'a deep auto model');
  const raw = readFileSync(data, 'utf8').trim().split('\n').slice(1, 21).map((line) => line.split(',').slice(0, -1).map(Number));
  assert.deepEqual(Array.from(await loaded.predict(raw)).map(String), labels.slice(1, 21), 'FittedAutoClustering.load(run dir).predict = labels.csv');
});

test('auto without a network refuses network flags in one line and creates nothing', () => {
  const out = join(dir, 'never');
  const r = cli(['fit', '--data', small, '--label-column', 'label', '--out', out, '--hidden', '16', '--quiet']);
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /'--hidden' configures a network, but auto trains none on this data/);
  assert.equal(existsSync(out), false);
  const bad = cli(['fit', '--data', data, '--label-column', 'label', '--out', out, '--batch-size', '5000', '--quiet']);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /the batch size 5000 is larger than the 1000 samples/);
  assert.equal(existsSync(out), false);
  const maxIter = cli(['fit', '--data', data, '--label-column', 'label', '--max-iter', '5', '--quiet']);
  assert.equal(maxIter.status, 2);
  assert.match(maxIter.stderr, /'--max-iter' configures a deep network, but without --method the default is auto, which does not use it/);
});
