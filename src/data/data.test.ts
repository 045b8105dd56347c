// Data layer on small fixtures made here (never the real data sets), including malformed ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { loadDataset, preprocess, readLabels, subset } from './index.ts';
import { DataError, ParamError } from '../errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'deepclust-data-'));

function idx(dims: number[], data: number[]): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  const v = new DataView(head.buffer);
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

function writeMnistLike(folder: string, nTrain: number, nTest: number): void {
  mkdirSync(folder, { recursive: true });
  const img = (n: number) => idx([n, 28, 28], Array.from({ length: n * 784 }, (_, i) => (i * 7) % 256));
  const lab = (n: number) => idx([n], Array.from({ length: n }, (_, i) => i % 10));
  writeFileSync(join(folder, 'train-images-idx3-ubyte.gz'), gzipSync(img(nTrain)));
  writeFileSync(join(folder, 'train-labels-idx1-ubyte.gz'), gzipSync(lab(nTrain)));
  writeFileSync(join(folder, 't10k-images-idx3-ubyte.gz'), gzipSync(img(nTest)));
  writeFileSync(join(folder, 't10k-labels-idx1-ubyte.gz'), gzipSync(lab(nTest)));
}

test('named IDX data sets: splits, scaling to [0,1], image shape, lookup in a sub-folder', async () => {
  writeMnistLike(join(dir, 'root', 'mnist'), 30, 20);
  const all = await loadDataset('mnist', { dataDir: join(dir, 'root') });
  assert.equal(all.x.rows, 50);
  assert.equal(all.x.cols, 784);
  assert.deepEqual(all.imageShape, [1, 28, 28]);
  assert.equal(all.x.data[1], Math.fround(7 / 255));
  assert.deepEqual(Array.from(all.labels!.subarray(28, 33)), [8, 9, 0, 1, 2]);
  const t = await loadDataset('mnist:test', { dataDir: join(dir, 'root', 'mnist') });
  assert.equal(t.x.rows, 20);
  assert.deepEqual(t.preprocessing, ['scale255']);
  await assert.rejects(loadDataset('mnist:valid', { dataDir: join(dir, 'root') }), /split must be train, test or all/);
});

test('embedded mnist-10k: 10,000 digits, 784 features in [0,1], labels 0..9', async () => {
  const ds = await loadDataset('mnist-10k');
  assert.equal(ds.x.cols, 784);
  assert.ok(ds.x.rows >= 9000 && ds.x.rows <= 10000, `${ds.x.rows} rows`);
  assert.deepEqual([...new Set(ds.labels)].sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  let lo = Infinity, hi = -Infinity;
  for (const v of ds.x.data) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  assert.ok(lo >= 0 && hi <= 1);
});

test('malformed IDX files: wrong magic, truncated gzip, truncated data, label/image count mismatch', async () => {
  const f = join(dir, 'bad');
  writeMnistLike(f, 10, 10);
  writeFileSync(join(f, 't10k-images-idx3-ubyte.gz'), gzipSync(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])));
  await assert.rejects(loadDataset('mnist:test', { dataDir: f }), (e: unknown) => e instanceof DataError && /wrong magic number/.test((e as Error).message));
  const good = gzipSync(idx([10, 28, 28], new Array(7840).fill(1)));
  writeFileSync(join(f, 't10k-images-idx3-ubyte.gz'), good.subarray(0, good.length - 30));
  await assert.rejects(loadDataset('mnist:test', { dataDir: f }), /corrupt or truncated gzip/);
  writeFileSync(join(f, 't10k-images-idx3-ubyte.gz'), gzipSync(idx([10, 28, 28], new Array(700).fill(1))));
  await assert.rejects(loadDataset('mnist:test', { dataDir: f }), /is truncated: 700 data bytes/);
  writeFileSync(join(f, 't10k-images-idx3-ubyte.gz'), gzipSync(idx([9, 28, 28], new Array(9 * 784).fill(1))));
  await assert.rejects(loadDataset('mnist:test', { dataDir: f }), /has 10 labels for 9 images/);
  await assert.rejects(loadDataset('fashion-mnist', { dataDir: join(dir, 'empty') }), /not found: place train-images-idx3-ubyte.gz/);
});

test('CSV/TSV: header, label column by name or index, separate labels file', async () => {
  writeFileSync(join(dir, 'a.csv'), 'f1,f2,label\n1,2,0\n3,4,1\n\n5,6,1\n');
  const a = await loadDataset(join(dir, 'a.csv'), { labelColumn: 'label' });
  assert.deepEqual([a.x.rows, a.x.cols], [3, 2]);
  assert.deepEqual(Array.from(a.x.data), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(a.labels!), [0, 1, 1]);
  writeFileSync(join(dir, 'b.tsv'), '1\t2\n3\t4\n');
  writeFileSync(join(dir, 'b.labels'), '5\n7\n');
  const b = await loadDataset(join(dir, 'b.tsv'), { labels: join(dir, 'b.labels') });
  assert.deepEqual(Array.from(b.labels!), [5, 7]);
  const c = await loadDataset(join(dir, 'a.csv'), { labelColumn: '2' });
  assert.deepEqual(Array.from(c.labels!), [0, 1, 1]);
  writeFileSync(join(dir, 'pred.csv'), 'id,cluster\n0,3\n1,4\n');
  assert.deepEqual(Array.from(readLabels(join(dir, 'pred.csv'), 'cluster')), [3, 4]);
});

test('bad CSV input: ragged rows, non-numeric cells, NaN/Inf, empty file, label count mismatch, unknown names', async () => {
  const cases: Array<[string, RegExp]> = [
    ['1,2\n3\n', /line 2: 1 columns, expected 2 \(ragged rows\)/],
    ['1,2\n3,x\n', /line 2, column 2: non-numeric value "x"/],
    ['1,2\n3,NaN\n', /line 2, column 2: value NaN is not finite/],
    ['1,2\n3,Infinity\n', /not finite/],
    ['', /is empty/],
  ];
  for (const [text, re] of cases) {
    writeFileSync(join(dir, 'bad.csv'), text);
    await assert.rejects(loadDataset(join(dir, 'bad.csv')), (e: unknown) => e instanceof DataError && re.test((e as Error).message), `${JSON.stringify(text)} → ${re}`);
  }
  writeFileSync(join(dir, 'ok.csv'), '1,2\n3,4\n');
  writeFileSync(join(dir, 'three.labels'), '1\n2\n3\n');
  await assert.rejects(loadDataset(join(dir, 'ok.csv'), { labels: join(dir, 'three.labels') }), /has 3 labels but the data has 2 rows/);
  await assert.rejects(loadDataset('mnsit'), (e: unknown) => e instanceof ParamError && /unknown data set 'mnsit' \(did you mean 'mnist'\?\)/.test((e as Error).message));
  await assert.rejects(loadDataset(join(dir, 'missing.csv')), /does not exist/);
  await assert.rejects(loadDataset(join(dir, 'ok.csv'), { labelColumn: 'nope' }), /label column "nope" not found/);
});

test('subsetting is seeded and stratified; preprocessing is recorded', async () => {
  const ds = await loadDataset('mnist-10k');
  const a = subset(ds, 500, true, 3);
  const b = subset(ds, 500, true, 3);
  assert.deepEqual(Array.from(a.labels!), Array.from(b.labels!));
  const counts = new Array(10).fill(0);
  for (const l of a.labels!) counts[l]++;
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 25, `stratified counts ${counts}`);
  const s = preprocess(a, 'standardize');
  assert.deepEqual(s.preprocessing, ['scale01', 'limit(500,stratified,seed=3)', 'standardize']);
  const l2 = preprocess(a, 'l2');
  let norm = 0;
  for (let j = 0; j < 784; j++) norm += l2.x.data[j]! ** 2;
  assert.ok(Math.abs(norm - 1) < 1e-5);
  assert.throws(() => preprocess(a, 'whiten'), /unknown preprocessing step 'whiten'/);
});
