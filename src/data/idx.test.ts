// IDX reading and the IDX-based named data sets (MNIST family, EMNIST) on generated fixtures.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DataError, ParamError } from '../errors.ts';
import { images, pixel, tempDir, writeIdxSet } from './_test/fixtures.ts';
import { decodeIdx, encodeIdx, readIdx } from './idx.ts';
import { listDatasets, loadDataset, selectSplit } from './index.ts';

const dir = tempDir();
const off = { download: false } as const;

test('IDX round trip for every element type, gzip or not', () => {
  const cases = [new Uint8Array([0, 7, 255, 1, 2, 3]), new Int8Array([-128, 0, 127, 1, -1, 5]), new Int16Array([-300, 2, 30000, 4, 5, 6]), new Int32Array([-70000, 1, 2, 3, 4, 2 ** 30]), new Float32Array([0.5, -1.25, 3, 4, 5, 6]), new Float64Array([Math.PI, -2, 1e-300, 4, 5, 6])];
  for (const data of cases) {
    const bytes = encodeIdx([2, 3], data);
    const a = decodeIdx(bytes, 'x');
    assert.deepEqual(a.dims, [2, 3]);
    assert.deepEqual(Array.from(a.data), Array.from(data), data.constructor.name);
    const p = join(dir, `rt-${data.constructor.name}.idx.gz`);
    writeFileSync(p, gzipSync(bytes));
    assert.deepEqual(Array.from(readIdx(p).data), Array.from(data));
  }
});

test('malformed IDX: wrong magic, truncated header, truncated data, truncated gzip, empty file', () => {
  const err = (re: RegExp) => (e: unknown) => e instanceof DataError && re.test((e as Error).message);
  assert.throws(() => decodeIdx(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 1]), 'a.idx'), err(/'a\.idx' is not an IDX file \(wrong magic number 50 4b 03 04\)/));
  assert.throws(() => decodeIdx(new Uint8Array([0, 0, 0x08, 3, 0, 0]), 'b.idx'), err(/truncated: the IDX header promises 3 dimensions/));
  assert.throws(() => decodeIdx(encodeIdx([4, 2], new Uint8Array(8)).subarray(0, 14), 'c.idx'), err(/truncated: 2 data bytes, the header promises 8 \(4×2 uint8\)/));
  const good = gzipSync(encodeIdx([10, 28, 28], images(10)));
  writeFileSync(join(dir, 'trunc.gz'), good.subarray(0, good.length - 40));
  assert.throws(() => readIdx(join(dir, 'trunc.gz')), err(/'.*trunc\.gz' is a corrupt or truncated gzip file/));
  writeFileSync(join(dir, 'empty.idx'), '');
  assert.throws(() => readIdx(join(dir, 'empty.idx')), err(/is empty \(0 bytes\)/));
  assert.throws(() => readIdx(join(dir, 'none.idx')), err(/does not exist/));
});

test('mnist from a root folder (sub-folder mnist/) or the folder itself; splits, scaling, labels, image shape', async () => {
  writeIdxSet(join(dir, 'root', 'mnist'), { train: 30, test: 20 });
  const all = await loadDataset('mnist', { dataDir: join(dir, 'root'), ...off });
  assert.equal(all.name, 'mnist');
  assert.deepEqual([all.x.rows, all.x.cols], [50, 784]);
  assert.ok(all.x.data instanceof Float32Array);
  assert.ok(all.labels instanceof Int32Array);
  assert.deepEqual(all.imageShape, [1, 28, 28]);
  assert.deepEqual(all.preprocessing, ['scale255']);
  assert.equal(all.x.data[784 * 3 + 28 * 2 + 5], Math.fround(pixel(3, 2, 5) / 255));
  assert.equal(all.x.data[784 * 31 + 1], Math.fround(pixel(1, 0, 1) / 255)); // test image 1 follows the 30 training images
  assert.deepEqual(Array.from(all.labels!.subarray(28, 33)), [8, 9, 0, 1, 2]);
  assert.deepEqual([all.splits!.train!.length, all.splits!.test![0]], [30, 30]);
  assert.equal(all.sources.length, 4);
  const t = await loadDataset('mnist:test', { dataDir: join(dir, 'root', 'mnist'), ...off });
  assert.equal(t.name, 'mnist:test');
  assert.equal(t.x.rows, 20);
  assert.equal(t.splits, undefined);
  const fromAll = selectSplit(all, 'test');
  assert.equal(fromAll.name, 'mnist:test');
  assert.deepEqual(Array.from(fromAll.x.data), Array.from(t.x.data));
  const raw = await loadDataset('mnist:train', { dataDir: join(dir, 'root'), preprocess: ['none'], ...off });
  assert.equal(raw.x.data[784 * 3 + 28 * 2 + 5], pixel(3, 2, 5));
  assert.deepEqual(raw.preprocessing, []);
});

test('uncompressed IDX files and the torchvision layout (MNIST/raw) are found too', async () => {
  writeIdxSet(join(dir, 'tv', 'MNIST', 'raw'), { train: 3, test: 2, gzip: false });
  const ds = await loadDataset('mnist', { dataDir: join(dir, 'tv'), ...off });
  assert.equal(ds.x.rows, 5);
  assert.match(ds.sources[0]!, /MNIST\/raw\/train-images-idx3-ubyte$/);
});

test('a folder named after another data set is not used for this one (no MNIST served as Fashion-MNIST)', async () => {
  writeIdxSet(join(dir, 'shared', 'mnist'), { train: 3, test: 2 });
  await assert.rejects(loadDataset('fashion-mnist', { dataDir: join(dir, 'shared', 'mnist'), cacheDir: join(dir, 'nocache'), ...off }), /data set 'fashion-mnist' not found/);
  const info = listDatasets({ dataDir: join(dir, 'shared'), cacheDir: join(dir, 'nocache') });
  const m = info.find((d) => d.name === 'mnist')!;
  assert.equal(m.found, true);
  assert.equal(m.where, join(dir, 'shared', 'mnist'));
  assert.equal(info.find((d) => d.name === 'fashion-mnist')!.found, false);
});

test('EMNIST: transposed images are turned upright, letters labels 1..26 become 0..25, only the asked split is needed', async () => {
  writeIdxSet(join(dir, 'e', 'emnist'), { train: 4, test: 3, prefix: 'emnist-letters-', testWord: 'test', classes: 26, shift: 1, transposed: true });
  const ds = await loadDataset('emnist-letters:test', { dataDir: join(dir, 'e'), ...off });
  assert.equal(ds.name, 'emnist-letters:test');
  assert.deepEqual(Array.from(ds.labels!), [0, 1, 2]);
  assert.equal(ds.classNames![0], 'A/a');
  assert.equal(ds.x.data[784 * 2 + 28 * 5 + 9], Math.fround(pixel(2, 5, 9) / 255));
  await assert.rejects(loadDataset('emnist-balanced:test', { dataDir: join(dir, 'e'), cacheDir: join(dir, 'nocache'), ...off }), /place emnist-balanced-test-images-idx3-ubyte\.gz, emnist-balanced-test-labels-idx1-ubyte\.gz in one of/);
});

test('files that do not belong together: label/image count mismatch, labels out of range, wrong image size', async () => {
  const f = join(dir, 'bad', 'mnist');
  writeIdxSet(f, { train: 5, test: 4 });
  writeFileSync(join(f, 't10k-labels-idx1-ubyte.gz'), gzipSync(encodeIdx([3], new Uint8Array([1, 2, 3]))));
  await assert.rejects(loadDataset('mnist:test', { dataDir: f, ...off }), /has 3 labels for 4 images/);
  writeFileSync(join(f, 't10k-labels-idx1-ubyte.gz'), gzipSync(encodeIdx([4], new Uint8Array([1, 2, 12, 3]))));
  await assert.rejects(loadDataset('mnist:test', { dataDir: f, ...off }), /has label 12 at entry 2, expected 0\.\.9 for mnist/);
  writeFileSync(join(f, 't10k-images-idx3-ubyte.gz'), gzipSync(encodeIdx([4, 16, 16], new Uint8Array(1024))));
  writeFileSync(join(f, 't10k-labels-idx1-ubyte.gz'), gzipSync(encodeIdx([4], new Uint8Array(4))));
  await assert.rejects(loadDataset('mnist:test', { dataDir: f, ...off }), /has 256 features per sample, mnist has 784/);
  writeFileSync(join(f, 't10k-images-idx3-ubyte.gz'), gzipSync(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])));
  await assert.rejects(loadDataset('mnist:test', { dataDir: f, ...off }), /wrong magic number/);
});

test('missing named data set offline: the error names every file and every folder; bad names and splits', async () => {
  const err = await loadDataset('fashion-mnist', { dataDir: join(dir, 'nothing'), cacheDir: join(dir, 'cache0'), ...off }).catch((e: unknown) => e);
  assert.ok(err instanceof DataError);
  const msg = (err as Error).message;
  for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) assert.ok(msg.includes(f), f);
  assert.ok(msg.includes(join(dir, 'nothing', 'fashion-mnist')) && msg.includes(join(dir, 'cache0')), msg);
  assert.match(msg, /Official location: http:\/\/fashion-mnist/);
  assert.match(msg, /Downloading is off/);
  await assert.rejects(loadDataset('mnsit'), (e: unknown) => e instanceof ParamError && /unknown data set 'mnsit' \(did you mean 'mnist'\?\)/.test((e as Error).message));
  await assert.rejects(loadDataset('fashion-mnst:test'), /did you mean 'fashion-mnist:test'/);
  await assert.rejects(loadDataset('mnist:valid'), (e: unknown) => e instanceof ParamError && /split must be train, test or all, got 'valid'/.test((e as Error).message));
  await assert.rejects(loadDataset('coil-20:train'), /has no official train split/);
  await assert.rejects(loadDataset('mnist', { labels: 'x.txt' }), /--labels and --label-column are for your own data files/);
});
