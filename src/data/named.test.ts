// USPS (ESL and DEC/N2D .jf files), Reuters-10k (DEC's pickled dict) and COIL-20 (Deng Cai's .mat) from small fixtures.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DataError } from '../errors.ts';
import { FIXTURES, eslText, tempDir } from './_test/fixtures.ts';
import { listDatasets, loadDataset, summarizeDataset } from './index.ts';

const dir = tempDir();
const off = { download: false, cacheDir: join(dir, 'no-cache') } as const;

test('usps from the ESL files: labels 0..9, 16×16 images, default pm1-to-01 maps [-1, 1] to [0, 1], splits', async () => {
  const f = join(dir, 'esl', 'usps');
  mkdirSync(f, { recursive: true });
  writeFileSync(join(f, 'zip.train.gz'), gzipSync(eslText(12)));
  writeFileSync(join(f, 'zip.test.gz'), gzipSync(eslText(5)));
  const ds = await loadDataset('usps', { dataDir: join(dir, 'esl'), ...off });
  assert.deepEqual([ds.x.rows, ds.x.cols, ...ds.imageShape!], [17, 256, 1, 16, 16]);
  assert.deepEqual(ds.preprocessing, ['pm1-to-01']);
  assert.deepEqual(Array.from(ds.labels!.subarray(9, 14)), [9, 0, 1, 0, 1]);
  assert.equal(ds.x.data[1], (1 / 4 - 1 + 1) / 2);
  assert.deepEqual([ds.splits!.train!.length, ds.splits!.test!.length], [12, 5]);
  const raw = await loadDataset('usps:test', { dataDir: f, preprocess: 'none', ...off });
  assert.equal(raw.x.data[0], -1);
  assert.equal(listDatasets({ dataDir: join(dir, 'esl'), cacheDir: off.cacheDir }).find((d) => d.name === 'usps')!.variant, 'esl');
});

test('usps from the .jf files (header line, -1 terminator, gzip or not): default div2', async () => {
  const f = join(dir, 'jf');
  mkdirSync(f, { recursive: true });
  // .jf values are in [0, 2] (what div2 assumes, and checks)
  const jf = (n: number) => `10 256\n${Array.from({ length: n }, (_, i) => [String((i + 3) % 10), ...Array.from({ length: 256 }, (_, j) => String(((i + j) % 9) / 4))].join(' ')).join('\n')}\n-1\n`;
  writeFileSync(join(f, 'usps_train.jf'), jf(4));
  writeFileSync(join(f, 'usps_test.jf.gz'), gzipSync(jf(2)));
  const ds = await loadDataset('usps', { dataDir: f, ...off });
  assert.deepEqual([ds.x.rows, ...ds.labels!], [6, 3, 4, 5, 6, 3, 4]);
  assert.deepEqual(ds.preprocessing, ['div2']);
  writeFileSync(join(f, 'usps_train.jf'), '10 256\n1 2 3\n-1\n');
  await assert.rejects(loadDataset('usps:train', { dataDir: f, ...off }), (e: unknown) => e instanceof DataError && /usps_train\.jf' line 2: 3 values, expected a label and 256 pixels/.test((e as Error).message));
});

test('usps not found: either file set is named', async () => {
  await assert.rejects(loadDataset('usps', { dataDir: join(dir, 'none'), ...off }), /place either zip\.train\.gz, zip\.test\.gz \(esl\) or usps_train\.jf, usps_test\.jf \(jf\) in one of/);
});

test("reuters-10k from DEC's reutersidf10k.npy (pickled dict, gzip here): 2000 tf-idf features, ‖x‖²/d = 1 per row", async () => {
  const ds = await loadDataset('reuters-10k', { dataDir: FIXTURES, ...off });
  const s = summarizeDataset(ds);
  assert.deepEqual([s.n, s.d, s.classes, ...s.histogram], [3, 2000, 4, 1, 1, 0, 1]);
  assert.deepEqual(Array.from(ds.labels!), [3, 0, 1]);
  assert.deepEqual(ds.preprocessing, []);
  for (let r = 0; r < 3; r++) {
    let e = 0;
    for (let j = 0; j < 2000; j++) e += ds.x.data[r * 2000 + j]! ** 2;
    assert.ok(Math.abs(e / 2000 - 1) < 1e-5, `row ${r}: ${e / 2000}`);
  }
  await assert.rejects(loadDataset('reuters-10k', { dataDir: join(dir, 'none'), ...off }), /place either reutersidf10k\.npy \(npy\) or reuters10k\.mat \(mat\) in one of: .* There is no download: it is built from RCV1 by DEC's make_reuters_data/);
});

test('coil-20 from COIL20.mat: column-major images turned row-major, labels 1..20 → 0..19, default scale255', async () => {
  const ds = await loadDataset('coil-20', { dataDir: FIXTURES, ...off });
  assert.deepEqual([ds.x.rows, ds.x.cols, ...ds.imageShape!], [4, 1024, 1, 32, 32]);
  assert.deepEqual(Array.from(ds.labels!), [0, 1, 19, 2]);
  assert.deepEqual(ds.preprocessing, ['scale255']);
  // pixel (r, c) of image i was written as 4r + c % 4 + 10i
  const px = (i: number, r: number, c: number) => Math.round(ds.x.data[i * 1024 + r * 32 + c]! * 255);
  assert.deepEqual([px(0, 0, 0), px(0, 0, 3), px(0, 1, 0), px(0, 5, 6), px(2, 3, 1)], [0, 3, 4, 22, 33]);
  // the same file under the data set's sub-folder of another root
  cpSync(join(FIXTURES, 'coil-20'), join(dir, 'r', 'COIL20'), { recursive: true });
  assert.equal((await loadDataset('coil-20', { dataDir: join(dir, 'r'), ...off })).x.rows, 4);
});
