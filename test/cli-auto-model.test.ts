// `deepclust fit` without --method (auto) writes a model: `predict --model` on any subset or
// permutation of the training rows returns exactly their labels.csv rows, on every auto path
// (features + k-means, features + GMM, PCA + UMAP + k-means through the CLI; UMAP + GMM saved by
// the library); `embed` and `export` work on auto models (export refuses UMAP with one line);
// tampered models, wrong columns and NaN are one-line errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { AutoClustering } from '../src/auto/index.ts';
import { Rng } from '../src/random.ts';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deepclust-cli-auto-model-'));
const cli = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

/** Rows of `k` blobs in `d` columns on unequal scales; cluster 0 is larger. */
function blobRows(n: number, d: number, k: number, seed: number): number[][] {
  const rng = new Rng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.normal() * 4));
  return Array.from({ length: n }, (_, i) => {
    const c = i % 5 === 0 ? 0 : i % k;
    return Array.from({ length: d }, (_, j) => Number(((centres[c]![j]! + rng.normal()) * 10 ** ((j % 3) - 1)).toFixed(5)));
  });
}

/** Four elongated clusters of unequal sizes in 6-D. */
function anisoRows(seed: number): number[][] {
  const rng = new Rng(seed);
  const rows: number[][] = [];
  for (const size of [600, 300, 180, 120]) {
    const centre = Array.from({ length: 6 }, () => (rng.random() * 2 - 1) * 8);
    const dirv = Array.from({ length: 6 }, () => rng.normal());
    const norm = Math.hypot(...dirv);
    for (let i = 0; i < size; i++) {
      const along = rng.normal() * 2.8;
      rows.push(centre.map((m, j) => Number((m + rng.normal() * 0.7 + (along * dirv[j]!) / norm).toFixed(5))));
    }
  }
  return rows;
}

function csv(name: string, rows: readonly (readonly number[])[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${[rows[0]!.map((_, j) => `f${j}`).join(','), ...rows.map((r) => r.join(','))].join('\n')}\n`);
  return path;
}

const labelsOf = (text: string) => text.trim().split('\n').slice(1).map(Number); // after the 'label' header
const oneLine = (stderr: string) => stderr.trim().split('\n').length === 1;

/** Row indices: duplicates, the ends, and a permutation of a third of the rows. */
function picks(n: number, seed: number): number[] {
  const rng = new Rng(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.random() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return [n - 1, 0, 0, 7, ...p.slice(0, Math.floor(n / 3))];
}

const paths = [
  { name: 'features-kmeans', rows: blobRows(150, 5, 3, 1), args: [] as string[], plan: /standardize \(or center\) → kmeans, k by gap/ },
  { name: 'features-gmm', rows: anisoRows(5), args: ['--k', '2..8'], plan: /standardize \(or center\) → gmm, k by bic in 2\.\.8/ },
  // count-like rows (integers 0..255): auto keeps UMAP for those; real-valued tables stay on their features
  { name: 'pca-umap-kmeans', rows: blobRows(520, 110, 4, 2).map((r) => r.map((v) => Math.min(255, Math.max(0, Math.round(v + 100))))), args: ['--k', '4'], plan: /scale255 → pca\(50\) → umap\(10d\) → kmeans, k = 4/ },
];

for (const p of paths)
  test(`${p.name}: fit --out writes a model; predict --model on subsets and permutations of the training rows returns their labels.csv rows`, () => {
    const data = csv(`${p.name}.csv`, p.rows);
    const out = join(dir, `run-${p.name}`);
    const fit = cli(['fit', '--data', data, '--out', out, '--quiet', ...p.args]);
    assert.equal(fit.status, 0, fit.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['charts', 'labels.csv', 'model', 'report-data.json', 'report.html', 'result.json', 'run-manifest.json'], 'the run directory, report included');
    const meta = JSON.parse(readFileSync(join(out, 'model', 'model.json'), 'utf8')) as { kind: string; version: number; integrity: unknown; preprocessing: { steps: unknown[] }; plan: { clustering: { reason: string } }; summary: string };
    assert.deepEqual([meta.kind, meta.version], ['auto', 1]);
    assert.ok(meta.integrity && meta.preprocessing.steps.length >= 1 && meta.plan.clustering.reason.length > 10);
    assert.match(meta.summary, p.plan);
    const fitted = labelsOf(readFileSync(join(out, 'labels.csv'), 'utf8'));
    assert.equal(fitted.length, p.rows.length);
    const idx = picks(p.rows.length, 3);
    const part = csv(`${p.name}-part.csv`, idx.map((r) => p.rows[r]!));
    const pred = cli(['predict', '--model', out, '--data', part]);
    assert.equal(pred.status, 0, pred.stderr);
    assert.deepEqual(labelsOf(pred.stdout), idx.map((r) => fitted[r]!));
    const inner = cli(['predict', '--model', join(out, 'model'), '--data', part, '--json']);
    assert.equal(inner.status, 0, inner.stderr);
    assert.equal((JSON.parse(inner.stdout.trim().split('\n').pop()!) as { n: number }).n, idx.length);
    const npy = join(dir, `${p.name}.npy`);
    const emb = cli(['embed', '--model', out, '--data', part, '--out', npy, '--quiet']);
    assert.equal(emb.status, 0, emb.stderr);
    assert.ok(existsSync(npy));
  });

test('export --model: raw features in, the same labels out (k-means, GMM); a UMAP pipeline is refused with one line, --preprocessing-only exports its preprocessing', async () => {
  for (const p of paths.slice(0, 2)) {
    const out = join(dir, `run-${p.name}`);
    const onnx = join(dir, `${p.name}.onnx`);
    const ex = cli(['export', '--model', out, '--onnx', onnx]);
    assert.equal(ex.status, 0, ex.stderr);
    assert.match(ex.stderr, /input: raw rows of \d+ features; preprocessing standardize inside; outputs features, (distances|q), label/);
    const session = await ort.InferenceSession.create(onnx);
    const d = p.rows[0]!.length;
    const res = await session.run({ x: new ort.Tensor('float32', Float32Array.from(p.rows.flat()), [p.rows.length, d]) });
    assert.deepEqual(Array.from(res.label!.data as BigInt64Array, Number), labelsOf(readFileSync(join(out, 'labels.csv'), 'utf8')), p.name);
  }
  const umap = join(dir, 'run-pca-umap-kmeans');
  const refused = cli(['export', '--model', umap, '--onnx', join(dir, 'umap.onnx')]);
  assert.equal(refused.status, 2);
  assert.ok(oneLine(refused.stderr), refused.stderr);
  assert.match(refused.stderr, /clusters a UMAP embedding.*deepclust predict --model.*--preprocessing-only/);
  assert.ok(!existsSync(join(dir, 'umap.onnx')));
  const pre = cli(['export', '--model', umap, '--onnx', join(dir, 'umap-pre.onnx'), '--preprocessing-only']);
  assert.equal(pre.status, 0, pre.stderr);
  assert.match(pre.stderr, /outputs features\)/);
});

test('umap + gmm (a plan the library can adjust): saved by the library, predict --model returns the fitted labels', async () => {
  const rows = blobRows(520, 40, 4, 3);
  const f = await new AutoClustering({ seed: 0, threads: 1, nClusters: 4, maxStored: 200, adjustPlan: (plan) => ({ ...plan, representation: { value: { kind: 'umap', nComponents: 10, nNeighbors: 15, minDist: 0 }, reason: 'test' }, clustering: { value: 'gmm', reason: 'test' } }) }).fit(rows);
  assert.match(f.summary, /standardize → umap\(10d\) → gmm, k = 4/);
  const folder = join(dir, 'umap-gmm-model');
  f.save(folder);
  const idx = picks(rows.length, 4);
  const pred = cli(['predict', '--model', folder, '--data', csv('umap-gmm-part.csv', idx.map((r) => rows[r]!))]);
  assert.equal(pred.status, 0, pred.stderr);
  assert.deepEqual(labelsOf(pred.stdout), idx.map((r) => f.labels[r]!));
});

test('bad inputs: tampered model, wrong column count, NaN, k > n are one-line errors; a refused fit leaves no folder', () => {
  const out = join(dir, 'run-features-kmeans');
  const rows = paths[0]!.rows;
  const narrow = csv('narrow.csv', rows.slice(0, 5).map((r) => r.slice(0, 4)));
  const wrong = cli(['predict', '--model', out, '--data', narrow]);
  assert.equal(wrong.status, 2);
  assert.ok(oneLine(wrong.stderr), wrong.stderr);
  assert.match(wrong.stderr, /fitted on rows of 5 features, but .* has 4/);
  writeFileSync(join(dir, 'nan.csv'), `f0,f1,f2,f3,f4\n1,2,3,4,5\n1,NaN,3,4,5\n`);
  const nan = cli(['predict', '--model', out, '--data', join(dir, 'nan.csv')]);
  assert.equal(nan.status, 2);
  assert.ok(oneLine(nan.stderr), nan.stderr);
  assert.match(nan.stderr, /not finite|non-finite/);
  // a model folder edited after saving: the seal refuses it (the run's manifest refuses the run)
  const json = join(out, 'model', 'model.json');
  const meta = JSON.parse(readFileSync(json, 'utf8')) as { k: number };
  meta.k += 1;
  writeFileSync(json, JSON.stringify(meta, null, 2));
  for (const model of [out, join(out, 'model')]) {
    const r = cli(['predict', '--model', model, '--data', narrow]);
    assert.equal(r.status, 2);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, model === out ? /does not match the manifest/ : /was edited after the model was saved/);
  }
  const never = join(dir, 'never');
  const big = cli(['fit', '--data', csv('small.csv', rows), '--k', '500', '--out', never, '--quiet']);
  assert.equal(big.status, 2);
  assert.ok(oneLine(big.stderr), big.stderr);
  assert.ok(!existsSync(never), 'no output directory for refused input');
});
