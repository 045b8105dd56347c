// fit --labelled N (a stratified labelled subset, the SNNL protocol) and --eval <spec> (assign another set).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/random.ts';
import { readNpy } from '../src/data/npy.ts';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deepclust-fit-eval-'));
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

function blobsCsv(name: string, n: number, seed: number): string {
  const rng = new Rng(seed);
  const rows = ['a,b,c,d,e,f,g,h,label'];
  for (let i = 0; i < n; i++) rows.push([...Array.from({ length: 8 }, (_, j) => ((i % 3) * 2 + (j % 2) + 0.1 * rng.normal()).toFixed(4)), String(i % 3)].join(','));
  const path = join(dir, name);
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}
const train = blobsCsv('train.csv', 90, 1);
const held = blobsCsv('test.csv', 45, 2);

test('fit --labelled trains on n stratified rows; --eval reports the metrics of another set', () => {
  const r = run(['fit', '--data', train, '--label-column', 'label', '--labelled', '30', '--eval', held, '--preprocess', 'minmax', '--method', 'snnl-5', '--pretrain-epochs', '5', '--batch-size', '10', '--json', '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as { dataset: { n: number }; usedLabels: boolean; evaluation: { dataset: { n: number }; metrics: { acc: number } } };
  assert.equal(res.dataset.n, 30);
  assert.equal(res.usedLabels, true);
  assert.equal(res.evaluation.dataset.n, 45);
  assert.ok(res.evaluation.metrics.acc > 0.6, `held-out ACC ${res.evaluation.metrics.acc}`);
});

test('fit --labelled / --eval bad inputs', () => {
  const tooMany = run(['fit', '--data', train, '--label-column', 'label', '--method', 'idec', '--labelled', '500', '--quiet']);
  assert.equal(tooMany.status, 2);
  assert.match(tooMany.stderr, /'--labelled 500' asks for more rows than the 90/);
  const both = run(['fit', '--data', train, '--label-column', 'label', '--method', 'idec', '--labelled', '10', '--limit', '20', '--quiet']);
  assert.match(both.stderr, /either '--labelled' or '--limit'/);
  const noLabels = run(['fit', '--data', train, '--method', 'idec', '--labelled', '10', '--k', '3', '--quiet']);
  assert.match(noLabels.stderr, /needs a labelled data set/);
  assert.equal(noLabels.stderr.trim().split('\n').length, 1);
});

test('predict and embed preprocess the data as the model was trained, and refuse other explicit steps', () => {
  const out = join(dir, 'minmax-model');
  // minmax maps these blobs to [0, 1]; raw values (up to ~3) would land elsewhere in the code
  const fit = run(['fit', '--data', train, '--label-column', 'label', '--preprocess', 'minmax', '--method', 'ae-kmeans', '--pretrain-epochs', '5', '--batch-size', '10', '--out', out, '--quiet', '--no-report']);
  assert.equal(fit.status, 0, fit.stderr);
  const trained = readFileSync(join(out, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  const pred = run(['predict', '--model', out, '--data', train, '--label-column', 'label']);
  assert.equal(pred.status, 0, pred.stderr);
  assert.deepEqual(pred.stdout.trim().split('\n').slice(1), trained); // the label format: a 'label' header
  const explicit = run(['predict', '--model', out, '--data', train, '--label-column', 'label', '--preprocess', 'minmax']);
  assert.deepEqual(explicit.stdout.trim().split('\n').slice(1), trained);
  const other = run(['predict', '--model', out, '--data', train, '--label-column', 'label', '--preprocess', 'standardize']);
  assert.equal(other.status, 2);
  assert.match(other.stderr, /trained on data preprocessed with 'minmax', but --preprocess gives 'standardize'; omit --preprocess/);
  const embed = run(['embed', '--model', out, '--data', train, '--label-column', 'label', '--preprocess', 'none', '--out', join(dir, 'z.npy')]);
  assert.equal(embed.status, 2);
  assert.match(embed.stderr, /preprocessed with 'minmax', but --preprocess gives 'none'/);

  // --limit draws a seeded subset: the same seed, the same rows; --quiet leaves stderr empty
  const subset = (seed: string) => {
    const r = run(['predict', '--model', out, '--data', train, '--label-column', 'label', '--limit', '20', '--seed', seed, '--json', '--quiet']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { n: number; metrics: { acc: number } };
  };
  assert.equal(subset('3').n, 20);
  assert.deepEqual(subset('3'), subset('3'));
  const z = join(dir, 'z20.npy');
  const quietEmbed = run(['embed', '--model', out, '--data', train, '--label-column', 'label', '--limit', '20', '--seed', '3', '--out', z, '--quiet']);
  assert.equal(quietEmbed.status, 0, quietEmbed.stderr);
  assert.equal(quietEmbed.stderr, '');
  assert.deepEqual(readNpy(z).shape, [20, 10]); // 20 rows of the 10-d code
});

test('fit loads MNIST digits as the method’s paper did (DEC/IDEC: ×0.02) unless --preprocess says otherwise', () => {
  const base = ['fit', '--data', 'mnist-10k', '--limit', '300', '--pretrain-epochs', '1', '--max-iter', '2', '--batch-size', '100', '--json', '--quiet'];
  const pre = (args: string[]) => {
    const r = run([...base, ...args]);
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { dataset: { preprocessing: string[] } }).dataset.preprocessing.filter((s) => !s.startsWith('limit('));
  };
  assert.deepEqual(pre(['--method', 'idec']), ['dec-mnist']);
  assert.deepEqual(pre(['--method', 'idec', '--preprocess', 'scale255']), ['scale255']);
  assert.deepEqual(pre(['--method', 'dcn']), ['scale255']);
});
