// The model stores its fitted preprocessing: predict/embed on any subset of the training rows give
// exactly those rows' fitted labels / embedding, for every preprocessing and several presets;
// export bakes the preprocessing into the ONNX graph; fit's --hidden/--embedding-dim, batch size
// on small tables, labels without --out, and no --out folder before validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import * as ort from 'onnxruntime-node';
import { Rng } from '../src/random.ts';
import { runFit } from '../src/cli/commands/fit.ts';
import { loadDataLikeTraining, loadModel } from '../src/cli/commands/model.ts';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deepclust-fitted-pre-'));
const cli = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

// three blobs in 8 positive features on very different scales (0.01 … 1000), 120 rows
function blobs(path: string, rows: number[] | null, n = 120): string {
  const rng = new Rng(7);
  const lines = ['a,b,c,d,e,f,g,h,label'];
  const all: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    all.push([...Array.from({ length: 8 }, (_, j) => ((c * 2 + (j % 3) + 1 + 0.3 * rng.normal()) * 10 ** ((j % 4) - 1)).toFixed(5)), String(c)].join(','));
  }
  for (const r of rows ?? all.map((_, i) => i)) lines.push(all[r]!);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
const train = blobs(join(dir, 'train.csv'), null);
const pick = [3, 0, 117, 42, 42, 5, 88, 61, 19, 100];
const part = blobs(join(dir, 'part.csv'), pick);

const base = { seed: '0', budget: 'full' as const, device: 'cpu' as const, quiet: true, report: false, labelColumn: 'label', pretrainEpochs: '3', maxIter: '30', updateInterval: '10', batchSize: '16' };

async function fitAndPredict(method: string, preprocess: string): Promise<{ out: string; fitted: number[]; predicted: number[] }> {
  const out = join(dir, `${method}-${preprocess.replace(/[^a-z0-9]/gi, '_')}`);
  await runFit({ ...base, method, data: train, preprocess, out });
  const fitted = readFileSync(join(out, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map(Number);
  const model = loadModel(out);
  const data = await loadDataLikeTraining(out, { data: part, labelColumn: 'label', quiet: true });
  const predicted = Array.from(await model.predict(data.x));
  return { out, fitted, predicted };
}

test('predict on a subset of the training rows returns exactly their fitted labels: every preprocessing (ae-kmeans)', async () => {
  for (const pre of ['none', 'standardize', 'center', 'minmax', 'log1p,standardize', 'unit-energy', 'l2', 'row-unit-energy', 'pca:4', 'standardize,pca-whiten:3']) {
    const { out, fitted, predicted } = await fitAndPredict('ae-kmeans', pre);
    assert.deepEqual(predicted, pick.map((r) => fitted[r]!), pre);
    const meta = JSON.parse(readFileSync(join(out, 'model', 'model.json'), 'utf8')) as { preprocessing: { format: string; steps: unknown[] } };
    assert.equal(meta.preprocessing.format, 'deepclust-preprocessing-1');
    assert.equal(meta.preprocessing.steps.length, pre === 'none' ? 0 : pre.split(',').length, pre);
  }
});

test('predict on a subset of the training rows returns exactly their fitted labels: several presets (standardize)', async () => {
  for (const method of ['idec', 'dec', 'dcn']) {
    const { fitted, predicted } = await fitAndPredict(method, 'standardize');
    assert.deepEqual(predicted, pick.map((r) => fitted[r]!), method);
  }
});

test('the CLI: predict and embed apply the stored statistics; export takes raw features (or not, with --no-preprocessing)', async () => {
  const out = join(dir, 'ae-kmeans-standardize');
  const fitted = readFileSync(join(out, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  const pred = cli(['predict', '--model', out, '--data', part, '--label-column', 'label']);
  assert.equal(pred.status, 0, pred.stderr);
  assert.deepEqual(pred.stdout.trim().split('\n').slice(1), pick.map((r) => fitted[r]!)); // after the 'label' header
  const other = cli(['predict', '--model', out, '--data', part, '--label-column', 'label', '--preprocess', 'minmax']);
  assert.equal(other.status, 2);
  assert.match(other.stderr, /trained on data preprocessed with 'standardize', but --preprocess gives 'minmax'/);
  const onnx = join(dir, 'm.onnx');
  const ex = cli(['export', '--model', out, '--onnx', onnx]);
  assert.equal(ex.status, 0, ex.stderr);
  assert.match(ex.stderr, /input: raw rows of 8 features; preprocessing standardize inside/);
  const rawRows = readFileSync(part, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 8).map(Number));
  const session = await ort.InferenceSession.create(onnx);
  const res = await session.run({ x: new ort.Tensor('float32', Float32Array.from(rawRows.flat()), [rawRows.length, 8]) });
  assert.deepEqual(Array.from(res.label!.data as BigInt64Array, Number), pick.map((r) => Number(fitted[r]!)));
  const plain = cli(['export', '--model', out, '--onnx', join(dir, 'plain.onnx'), '--no-preprocessing']);
  assert.equal(plain.status, 0, plain.stderr);
  assert.doesNotMatch(plain.stderr, /inside/);
});

test('fit: --hidden/--embedding-dim, small tables get a smaller batch, labels without --out, nothing on disk before validation', async () => {
  const res = await runFit({ ...base, batchSize: undefined, method: 'ae-kmeans', data: train, preprocess: 'standardize', hidden: '16,8', embeddingDim: '3', json: true });
  const cfg = res.config as { architecture: { hidden: number[]; embeddingDim: number }; pretrain: { batchSize: number } };
  assert.deepEqual([cfg.architecture.hidden, cfg.architecture.embeddingDim], [[16, 8], 3]);
  assert.equal(cfg.pretrain.batchSize, 16, '256 > 120 rows → largest power of two <= 120/4');
  assert.match((res.adjustments as string[])[0]!, /batch size 256 > 120 rows: lowered to 16/);
  assert.equal((res.labels as number[]).length, 120, 'labels in the --json result when there is no --out');
  const bad = join(dir, 'never-created');
  for (const args of [['--hidden', '16,0'], ['--embedding-dim', '0'], ['--batch-size', '500'], ['--hidden', '8', '--method', 'conv-dec']]) {
    const r = cli(['fit', '--data', train, '--label-column', 'label', '--method', 'ae-kmeans', '--out', bad, '--quiet', ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(existsSync(bad), false, `${args.join(' ')} left ${bad}`);
  }
  assert.match(cli(['fit', '--data', train, '--label-column', 'label', '--method', 'idec', '--hidden', '16,x']).stderr, /'--hidden' must be 1 to 8 comma-separated layer widths/);
  assert.match(cli(['fit', '--data', train, '--label-column', 'label', '--method', 'idec', '--batch-size', '500']).stderr, /the batch size 500 is larger than the 120 samples/);
  const noOut = cli(['fit', '--data', train, '--label-column', 'label', '--method', 'ae-kmeans', '--pretrain-epochs', '2', '--quiet']);
  assert.equal(noOut.status, 0, noOut.stderr);
  const lines = noOut.stdout.trim().split('\n');
  assert.equal(lines[0], 'label', 'the one label format: a header');
  assert.equal(lines.length, 121, 'then one label per row on stdout');
});
