// Users' files in every container format: NPY (dtypes, orders, pickled dicts), NPZ, MAT v5/v7.3, HDF5 — good and malformed.
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { zipSync } from 'fflate';
import { DataError } from '../errors.ts';
import { FIXTURES, tempDir } from './_test/fixtures.ts';
import { encodeNpy, loadDataset, parseNpy, readMat, readNpy, unpickle, writeNpy } from './index.ts';

const dir = tempDir();
const isData = (re: RegExp) => (e: unknown) => e instanceof DataError && re.test((e as Error).message);

/** A .npy file with a hand-written header (to cover what encodeNpy never writes). */
function npy(descr: string, shape: number[], body: Uint8Array, fortran = false): Uint8Array {
  let h = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  h += ' '.repeat(63 - ((10 + h.length) % 64)) + '\n';
  const out = new Uint8Array(10 + h.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, h.length, true);
  out.set(Buffer.from(h, 'latin1'), 10);
  out.set(body, 10 + h.length);
  return out;
}

test('NPY: float32/float64/int/bool dtypes, big-endian, Fortran order, float16, 3-D image stacks and channels-last', async () => {
  const f64 = new Float64Array([1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(parseNpy(npy('<f8', [2, 3], new Uint8Array(f64.buffer)), 'a').data as Float64Array), [1, 2, 3, 4, 5, 6]);
  // Fortran order: column-major bytes of [[1,2,3],[4,5,6]]
  const col = new Float64Array([1, 4, 2, 5, 3, 6]);
  assert.deepEqual(Array.from(parseNpy(npy('<f8', [2, 3], new Uint8Array(col.buffer), true), 'b').data as Float64Array), [1, 2, 3, 4, 5, 6]);
  const be = new Uint8Array([0xff, 0xfe, 0x01, 0x00]); // >i2: -2, 256
  assert.deepEqual(Array.from(parseNpy(npy('>i2', [2], be), 'c').data as Int16Array), [-2, 256]);
  const i8 = new BigInt64Array([-5n, 9007199254740991n]);
  assert.deepEqual(Array.from(parseNpy(npy('<i8', [2], new Uint8Array(i8.buffer)), 'd').data as Float64Array), [-5, 9007199254740991]);
  assert.deepEqual(Array.from(parseNpy(npy('|b1', [3], new Uint8Array([1, 0, 1])), 'e').data as Uint8Array), [1, 0, 1]);
  const half = new Uint16Array([0x3c00, 0xc000, 0x3800]); // 1, -2, 0.5
  assert.deepEqual(Array.from(parseNpy(npy('<f2', [3], new Uint8Array(half.buffer)), 'f').data as Float32Array), [1, -2, 0.5]);
  // a stack of 2 images 2×3 as uint8 → rows of 6 features and imageShape [1, 2, 3]
  writeFileSync(join(dir, 'imgs.npy'), npy('|u1', [2, 2, 3], Uint8Array.from({ length: 12 }, (_, i) => i * 10)));
  const imgs = await loadDataset(join(dir, 'imgs.npy'));
  assert.deepEqual([imgs.x.rows, imgs.x.cols, ...imgs.imageShape!], [2, 6, 1, 2, 3]);
  assert.equal(imgs.labels, undefined);
  // channels last [n, h, w, c=3] → channels first
  const nhwc = Float32Array.from({ length: 2 * 5 * 5 * 3 }, (_, i) => i);
  writeFileSync(join(dir, 'nhwc.npy'), encodeNpy(nhwc, [2, 5, 5, 3]));
  const c = await loadDataset(join(dir, 'nhwc.npy'));
  assert.deepEqual(c.imageShape, [3, 5, 5]);
  assert.equal(c.x.data[25], 1); // channel 1 of pixel 0 of image 0
  assert.equal(c.x.data[75 + 26], 75 + 3 + 1); // image 1, channel 1, pixel 1
});

test('NPY: writeNpy round trip (float32, numpy layout), atomically, no temporary file left', () => {
  const m = { data: Float32Array.from({ length: 12 }, (_, i) => i / 3), rows: 4, cols: 3 };
  const p = join(dir, 'out', 'z.npy');
  writeNpy(p, m);
  const bytes = readFileSync(p);
  assert.equal((10 + bytes.readUInt16LE(8)) % 64, 0, 'data starts 64-byte aligned');
  assert.match(bytes.subarray(10, 80).toString('latin1'), /\{'descr': '<f4', 'fortran_order': False, 'shape': \(4, 3\), \}/);
  const back = readNpy(p);
  assert.deepEqual(back.shape, [4, 3]);
  assert.deepEqual(Array.from(back.data as Float32Array), Array.from(m.data));
  writeNpy(p, { data: Float64Array.from([1.5, 2]), rows: 2, cols: 1 });
  assert.deepEqual(Array.from(readNpy(p).data as Float32Array), [1.5, 2]);
  assert.deepEqual(readdirSync(join(dir, 'out')), ['z.npy']);
  assert.throws(() => writeNpy('/proc/deepclust-no/z.npy', m), isData(/cannot write '\/proc\/deepclust-no\/z\.npy'/));
});

test('NPY: malformed files (magic, header, truncated data, unsupported dtype, empty)', async () => {
  const cases: Array<[Uint8Array, RegExp]> = [
    [Buffer.from('PK\x03\x04 not numpy'), /is not a NumPy \.npy file \(wrong magic string\)/],
    [npy('<f4', [4, 4], new Uint8Array(20)), /is truncated: 20 data bytes, shape \(4, 4\) of float32 needs 64/],
    [npy('<c16', [1], new Uint8Array(16)), /NumPy dtype '<c16' is not supported/],
    [npy('<U3', [1], new Uint8Array(12)), /NumPy dtype '<U3' is not supported/],
    [new Uint8Array(0), /is empty \(0 bytes\)/],
  ];
  for (const [bytes, re] of cases) {
    writeFileSync(join(dir, 'bad.npy'), bytes);
    await assert.rejects(loadDataset(join(dir, 'bad.npy')), isData(re), String(re));
  }
  writeFileSync(join(dir, 'nan.npy'), encodeNpy(new Float32Array([1, 2, NaN, 4]), [2, 2]));
  await assert.rejects(loadDataset(join(dir, 'nan.npy')), isData(/non-finite value \(NaN\) at row 2, column 1/));
  writeFileSync(join(dir, 'inf.npy'), encodeNpy(new Float64Array([1, -Infinity]), [1, 2]));
  await assert.rejects(loadDataset(join(dir, 'inf.npy')), isData(/non-finite value \(-Infinity\) at row 1, column 2/));
});

test('pickled dicts (DEC reutersidf10k.npy style) in pickle protocols 2, 3, 4 and 5; Fortran float32 inside', async () => {
  for (const p of [2, 3, 4, 5]) {
    const ds = await loadDataset(join(FIXTURES, `dict-protocol${p}.npy`));
    assert.deepEqual([ds.x.rows, ds.x.cols], [4, 3], `protocol ${p}`);
    assert.deepEqual(Array.from(ds.x.data), [0.5, -1, 2, 3.25, 0, -0.125, Math.fround(1e-3), 7, 8, 9, 10, 11.5]);
    assert.deepEqual(Array.from(ds.labels!), [2, 0, 1, 2]);
  }
  const f = await loadDataset(join(FIXTURES, 'dict-fortran.npy'));
  assert.deepEqual(Array.from(f.x.data.subarray(0, 6)), [0.5, -1, 2, 3.25, 0, -0.125]);
  assert.deepEqual(Array.from(f.labels!), [2, 0, 1, 2]); // Y = y + 1 as floats: 3,1,2,3 → encoded 0..C-1
  assert.deepEqual(f.classNames, ['1', '2', '3']);
  // a truncated pickle and an unknown class are clear errors, never code execution
  const good = readFileSync(join(FIXTURES, 'dict-protocol3.npy'));
  writeFileSync(join(dir, 'cut.npy'), good.subarray(0, good.length - 30));
  await assert.rejects(loadDataset(join(dir, 'cut.npy')), isData(/cannot read the pickled data \(truncated pickle\)/));
  const evil = Buffer.concat([Buffer.from([0x80, 2]), Buffer.from('cos\nsystem\n'), Buffer.from([0x58, 2, 0, 0, 0]), Buffer.from('ls'), Buffer.from([0x85, 0x52, 0x2e])]);
  assert.throws(() => unpickle(evil, 'evil.pkl'), isData(/the Python class os\.system is not supported/));
  // Python 2 str (BINSTRING) keys and raw data, as DEC's original Python 2 code wrote
  const py2 = Buffer.concat([Buffer.from([0x80, 2, 0x7d, 0x55, 4]), Buffer.from('name'), Buffer.from([0x55, 3]), Buffer.from('dec'), Buffer.from([0x73, 0x2e])]);
  assert.equal((unpickle(py2, 'py2') as Map<string, unknown>).get('name'), 'dec');
});

test('NPZ: stored and deflated members, auto-picked x/y, file.npz#name, label array by --label-column, ambiguity error', async () => {
  const x = encodeNpy(Float32Array.from({ length: 6 }, (_, i) => i), [3, 2]);
  const y = encodeNpy(new Int32Array([5, 7, 5]), [3]);
  const other = encodeNpy(new Float64Array([9, 8, 7, 6, 5, 4, 3, 2, 1]), [3, 3]);
  writeFileSync(join(dir, 'a.npz'), zipSync({ 'x.npy': x, 'y.npy': y }, { level: 0 }));
  const a = await loadDataset(join(dir, 'a.npz'));
  assert.deepEqual(Array.from(a.labels!), [0, 1, 0]);
  assert.deepEqual(a.classNames, ['5', '7']);
  writeFileSync(join(dir, 'b.npz'), zipSync({ 'feats_a.npy': x, 'emb.npy': other, 'truth.npy': y }, { level: 6 }));
  await assert.rejects(loadDataset(join(dir, 'b.npz')), isData(/holds several arrays \(feats_a \(3, 2\), emb \(3, 3\), truth \(3,\)\); choose the features with '.*b\.npz#<name>'/));
  const b = await loadDataset(`${join(dir, 'b.npz')}#emb`, { labelColumn: 'truth' });
  assert.deepEqual([b.x.rows, b.x.cols, b.x.data[0]], [3, 3, 9]);
  assert.deepEqual(Array.from(b.labels!), [0, 1, 0]);
  const feat = await loadDataset(`features:${join(dir, 'b.npz')}#feats_a`);
  assert.equal(feat.name, `features:${join(dir, 'b.npz')}#feats_a`);
  assert.equal(feat.labels?.length, 3); // 'truth' is a known label name
  await assert.rejects(loadDataset(`${join(dir, 'b.npz')}#nope`), isData(/has no numeric array named 'nope'; it holds: feats_a \(3, 2\), emb \(3, 3\), truth \(3,\)/));
  writeFileSync(join(dir, 'c.npz'), zipSync({ 'x.npy': x, 'y.npy': encodeNpy(new Int32Array([1, 2]), [2]) }));
  await assert.rejects(loadDataset(join(dir, 'c.npz'), { labelColumn: 'y' }), isData(/labels 'y' have 2 entries but the data has 3 rows/));
  writeFileSync(join(dir, 'd.npz'), 'not a zip');
  await assert.rejects(loadDataset(join(dir, 'd.npz')), isData(/is not a valid \.npz \(zip\) archive/));
});

test('MAT v5 (scipy savemat, plain and compressed): fea/labels picked, strings/cells skipped, sparse densified', async () => {
  const m = await readMat(join(FIXTURES, 'user-v5.mat'));
  assert.equal(m.version, 5);
  assert.deepEqual(m.skipped.sort(), ['meta', 'title']);
  const sp = m.entries.find((e) => e.name === 'sp')!.read();
  assert.deepEqual(Array.from(sp.data as Float64Array), [0, 2.5, 0, 1, 0, 0, 0, 0, 0, 0, 0, -4, 0, 0, 0]);
  const ds = await loadDataset(join(FIXTURES, 'user-v5.mat'));
  assert.deepEqual([ds.x.rows, ds.x.cols], [5, 3]);
  assert.deepEqual(Array.from(ds.x.data.subarray(0, 4)), [0, 0.25, 0.5, 0.75]);
  assert.deepEqual(Array.from(ds.labels!), [0, 0, 1, 2, 2]);
  const sparse = await loadDataset(`${join(FIXTURES, 'user-v5.mat')}#sp`);
  assert.equal(sparse.x.data[1], 2.5);
  const c = await loadDataset(join(FIXTURES, 'user-v5-compressed.mat'));
  assert.deepEqual(Array.from(c.labels!), [0, 1, 0, 1, 1]);
  // truncated and non-MAT files
  const bytes = readFileSync(join(FIXTURES, 'user-v5.mat'));
  writeFileSync(join(dir, 'cut.mat'), bytes.subarray(0, 300));
  await assert.rejects(loadDataset(join(dir, 'cut.mat')), isData(/is a corrupt or truncated MAT file/));
  writeFileSync(join(dir, 'text.mat'), 'hello, this is not matlab at all, but it is long enough to have a header of 128 bytes...........................................................');
  await assert.rejects(loadDataset(join(dir, 'text.mat')), isData(/is not a MATLAB Level 5 or v7\.3 file/));
});

test('HDF5 (h5wasm) and MAT v7.3 (HDF5 after a 512-byte header, column-major): nested datasets, #path, errors', async () => {
  const h5wasm = (await import('h5wasm/node')).default;
  await h5wasm.ready;
  const p = join(dir, 'feat.h5');
  const f = new h5wasm.File(p, 'w');
  f.create_group('emb');
  (f.get('emb') as InstanceType<typeof h5wasm.Group>).create_dataset({ name: 'features', data: Float32Array.from({ length: 8 }, (_, i) => i / 2), shape: [4, 2] });
  f.create_dataset({ name: 'labels', data: new Int32Array([3, 1, 3, 1]) });
  f.create_dataset({ name: 'title', data: 'not numeric' });
  f.close();
  const ds = await loadDataset(p);
  assert.deepEqual([ds.x.rows, ds.x.cols], [4, 2]);
  assert.deepEqual(Array.from(ds.x.data), [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
  assert.deepEqual(Array.from(ds.labels!), [1, 0, 1, 0]);
  assert.deepEqual((await loadDataset(`${p}#/emb/features`)).x.rows, 4);
  await assert.rejects(loadDataset(`${p}#missing`), isData(/has no numeric array named 'missing'; it holds: emb\/features \(4, 2\), labels \(4,\)/));
  // MAT v7.3: MATLAB A (3×2) = [[1,2],[3,4],[5,6]] is stored as HDF5 shape [2, 3] holding A column-major
  const h = join(dir, 'v73.h5');
  const g = new h5wasm.File(h, 'w');
  g.create_dataset({ name: 'fea', data: new Float64Array([1, 3, 5, 2, 4, 6]), shape: [2, 3] });
  g.create_dataset({ name: 'gnd', data: new Float64Array([1, 2, 2]), shape: [1, 3] });
  (g.get('fea') as InstanceType<typeof h5wasm.Dataset>).create_attribute('MATLAB_class', 'double');
  g.close();
  const header = Buffer.alloc(512);
  header.write('MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Sun Nov 22 12:00:00 2026 HDF5 schema 1.00 .');
  header.writeUInt16LE(0x0200, 124);
  header.write('IM', 126);
  writeFileSync(join(dir, 'v73.mat'), Buffer.concat([header, readFileSync(h)]));
  const m = await loadDataset(join(dir, 'v73.mat'));
  assert.deepEqual([m.x.rows, m.x.cols], [3, 2]);
  assert.deepEqual(Array.from(m.x.data), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(m.labels!), [0, 1, 1]);
  // not HDF5, truncated HDF5: a clear error and nothing printed by the HDF5 library
  writeFileSync(join(dir, 'fake.h5'), 'definitely not hdf5');
  await assert.rejects(loadDataset(join(dir, 'fake.h5')), isData(/'.*fake\.h5' is not a readable HDF5 file \(file signature not found\)/));
  const whole = readFileSync(p);
  writeFileSync(join(dir, 'cut.h5'), whole.subarray(0, whole.length - 100));
  await assert.rejects(loadDataset(join(dir, 'cut.h5')), isData(/is not a readable HDF5 file \(truncated file/));
  copyFileSync(p, join(dir, 'copy.hdf5'));
  assert.equal((await loadDataset(join(dir, 'copy.hdf5'))).x.rows, 4);
});
