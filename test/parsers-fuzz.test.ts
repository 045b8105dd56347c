// Fuzzing the data parsers (issue 8): random bytes, and valid small files with bytes flipped,
// cut short or appended, never crash deep inside a reader. Each either parses into a sane
// result or throws the project's own error (DataError / ParamError) with a message naming the
// file; a TypeError or RangeError from inside a parser is a failure. Seeded and bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { DeepclustError } from '../src/errors.ts';
import { decodeIdx, encodeIdx } from '../src/data/idx.ts';
import { encodeNpy, parseNpy } from '../src/data/npy.ts';
import { unpickle } from '../src/data/pickle.ts';
import { parseDelimited } from '../src/data/csv.ts';
import { gunzip } from '../src/data/io.ts';
import { parseLabelsFile, readLabelsEncoded } from '../src/data/labels.ts';
import { loadDataset } from '../src/data/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'deepclust-fuzz-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const FIXTURES = new URL('./fixtures/data/', import.meta.url).pathname;

/** Bytes derived from a valid file: random, cut short, bytes overwritten, or bytes appended. */
function mutations(valid: Uint8Array, magic: Uint8Array = new Uint8Array(0)): fc.Arbitrary<Uint8Array> {
  const flips = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 });
  const flip = (b: Uint8Array, f: Array<[number, number]>) => {
    const c = b.slice();
    for (const [p, v] of f) if (c.length) c[p % c.length] = v;
    return c;
  };
  return fc.oneof(
    fc.uint8Array({ maxLength: 256 }),
    fc.uint8Array({ maxLength: 256 }).map((r) => Uint8Array.from([...magic, ...r])), // past the magic check
    fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
    flips.map((f) => flip(valid, f)),
    fc.tuple(flips, fc.nat({ max: valid.length })).map(([f, n]) => flip(valid, f).slice(0, n)),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((r) => Uint8Array.from([...valid, ...r])),
  );
}

/** Asserts `err` is one of the project's errors with a one-line message. */
function projectError(err: unknown, what: string): void {
  if (err instanceof DeepclustError) {
    assert.ok(err.message.length > 0 && !err.message.includes('\n'), `${what}: multi-line message ${JSON.stringify(err.message)}`);
    return;
  }
  assert.fail(`${what}: ${(err as Error)?.constructor?.name ?? typeof err} from inside the parser: ${(err as Error)?.message ?? String(err)}\n${(err as Error)?.stack ?? ''}`);
}

/** Runs `parse` on each generated input; it must return or throw a project error. */
function fuzzSync(what: string, arb: fc.Arbitrary<Uint8Array>, parse: (b: Uint8Array) => unknown, numRuns = 200, seed = 8): void {
  fc.assert(
    fc.property(arb, (bytes) => {
      try {
        parse(bytes);
      } catch (err) {
        projectError(err, what);
      }
    }),
    { numRuns, seed, includeErrorInReport: true },
  );
}

/** Writes each input to `name` and loads it with `load`; a loaded data set must be consistent. */
async function fuzzFile(name: string, arb: fc.Arbitrary<Uint8Array>, load: (path: string) => Promise<unknown>, numRuns = 100, seed = 8): Promise<void> {
  const path = join(dir, name);
  await fc.assert(
    fc.asyncProperty(arb, async (bytes) => {
      writeFileSync(path, bytes);
      let out: unknown;
      try {
        out = await load(path);
      } catch (err) {
        projectError(err, name);
        return;
      }
      const ds = out as { x?: { data: Float32Array; rows: number; cols: number } };
      if (ds?.x) {
        assert.equal(ds.x.data.length, ds.x.rows * ds.x.cols, `${name}: rows × cols`);
        assert.ok(ds.x.rows > 0 && ds.x.cols > 0, `${name}: empty data set returned`);
        assert.ok(ds.x.data.every(Number.isFinite), `${name}: non-finite value returned`);
      }
    }),
    { numRuns, seed, includeErrorInReport: true },
  );
}

// ---- valid seeds
const csv = new TextEncoder().encode('a,b,label\n0.5,1,x\n2,-3e2,y\n4,5,x\n');
const idx = encodeIdx([3, 2, 2], Uint8Array.from({ length: 12 }, (_, i) => i * 20));
const idxF32 = encodeIdx([3, 2], Float32Array.from([0.5, 1, 2, 3, -1, 7]));
const npy = encodeNpy(Float32Array.from({ length: 12 }, (_, i) => i / 4), [4, 3]);
const npyI64 = (() => {
  // a little-endian int64 matrix (the widening path) from a hand-made header
  const b = encodeNpy(Float64Array.from([1, 2, 3, 4]), [2, 2]);
  const h = new TextDecoder('latin1').decode(b.subarray(10, 10 + new DataView(b.buffer).getUint16(8, true)));
  const out = b.slice();
  out.set(new TextEncoder().encode(h.replace("'<f8'", "'<i8'")), 10);
  new DataView(out.buffer).setBigInt64(out.length - 32, 5n, true);
  return out;
})();
const pickled = new Uint8Array(readFileSync(join(FIXTURES, 'dict-protocol3.npy')));
const pickleBody = pickled.subarray(10 + new DataView(pickled.buffer, pickled.byteOffset).getUint16(8, true));
const npz = zipSync({ 'x.npy': npy, 'y.npy': encodeNpy(Int32Array.from([0, 1, 0, 1]), [4]) });
const mat = new Uint8Array(readFileSync(join(FIXTURES, 'user-v5.mat')));
const MAGIC = { npy: Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00]), idx: Uint8Array.from([0, 0, 0x08, 0x02]), gzip: Uint8Array.from([0x1f, 0x8b, 0x08, 0x00]), pickle: Uint8Array.from([0x80, 0x03]), mat: new TextEncoder().encode('MATLAB 5.0 MAT-file'.padEnd(116, ' ')) };

// pickle programs: valid opcodes in random order with random operands (to reach every opcode's code)
const OPCODES = [0x80, 0x95, 0x2e, 0x28, 0x30, 0x31, 0x32, 0x4e, 0x88, 0x89, 0x4a, 0x4b, 0x4d, 0x8a, 0x8b, 0x47, 0x49, 0x4c, 0x46, 0x54, 0x55, 0x58, 0x8c, 0x8d, 0x42, 0x43, 0x8e, 0x96, 0x29, 0x74, 0x85, 0x86, 0x87, 0x5d, 0x6c, 0x61, 0x65, 0x7d, 0x64, 0x73, 0x75, 0x8f, 0x90, 0x91, 0x63, 0x93, 0x52, 0x81, 0x92, 0x62, 0x71, 0x72, 0x94, 0x70, 0x68, 0x6a, 0x67];
const picklePrograms = fc
  .array(fc.tuple(fc.constantFrom(...OPCODES), fc.uint8Array({ maxLength: 3 })), { maxLength: 40 })
  .map((ops) => Uint8Array.from([0x80, 0x04, ...ops.flatMap(([op, arg]) => [op, ...arg]), 0x2e]));

test('fuzz: IDX decoder (uint8 and float32 files)', () => {
  fuzzSync('IDX', mutations(idx, MAGIC.idx), (b) => decodeIdx(b, 'fuzz-idx3-ubyte'));
  fuzzSync('IDX float32', mutations(idxF32, Uint8Array.from([0, 0, 0x0d, 0x02])), (b) => decodeIdx(b, 'fuzz.idx'), 100);
});

test('fuzz: NPY parser (float32, int64, pickled dict)', () => {
  fuzzSync('NPY', mutations(npy, MAGIC.npy), (b) => parseNpy(b, 'fuzz.npy'));
  fuzzSync('NPY int64', mutations(npyI64, MAGIC.npy), (b) => parseNpy(b, 'fuzz.npy'), 100);
  fuzzSync('NPY pickled dict', mutations(pickled, MAGIC.npy), (b) => parseNpy(b, 'fuzz.npy'), 150);
});

test('fuzz: pickle reader (mutated NumPy dict pickles, random opcode programs)', () => {
  fuzzSync('pickle', mutations(pickleBody, MAGIC.pickle), (b) => unpickle(b, 'fuzz.pkl'), 200);
  fuzzSync('pickle program', picklePrograms, (b) => unpickle(b, 'fuzz.pkl'), 300);
});

test('fuzz: delimited text parser and gunzip', () => {
  fuzzSync('CSV', mutations(csv), (b) => parseDelimited(new TextDecoder().decode(b), 'fuzz.csv', { labelColumn: 'label' }));
  fuzzSync('CSV by index', mutations(csv), (b) => parseDelimited(new TextDecoder('latin1').decode(b), 'fuzz.tsv', { labelColumn: -1 }), 100);
  fuzzSync('gzip', mutations(gzipSync(csv), MAGIC.gzip), (b) => gunzip(b, 'fuzz.csv.gz'), 100);
});

test('fuzz: loading files end to end (.csv.gz, -ubyte, .npy, .npz, labels files)', async () => {
  await fuzzFile('fuzz.csv', mutations(csv), (p) => loadDataset(p, { labelColumn: 'label' }));
  await fuzzFile('fuzz.csv.gz', mutations(gzipSync(csv), MAGIC.gzip), (p) => loadDataset(p));
  await fuzzFile('fuzz-idx3-ubyte', mutations(idx, MAGIC.idx), (p) => loadDataset(p));
  await fuzzFile('fuzz-idx3-ubyte.gz', mutations(gzipSync(idx), MAGIC.gzip), (p) => loadDataset(p), 50);
  await fuzzFile('fuzz.npy', mutations(npy, MAGIC.npy), (p) => loadDataset(p));
  await fuzzFile('dict.npy', mutations(pickled, MAGIC.npy), (p) => loadDataset(p));
  await fuzzFile('fuzz.npz', mutations(npz, Uint8Array.from([0x50, 0x4b, 0x03, 0x04])), (p) => loadDataset(p));
  await fuzzFile('labels.txt', mutations(new TextEncoder().encode('label\n0\n1\n2\n')), async (p) => parseLabelsFile(p), 100);
  await fuzzFile('labels.csv', mutations(new TextEncoder().encode('id,cls\n1,cat\n2,dog\n')), async (p) => readLabelsEncoded(p, 'cls'), 100);
  await fuzzFile('labels-idx1-ubyte', mutations(encodeIdx([4], Uint8Array.from([0, 1, 2, 1])), Uint8Array.from([0, 0, 0x08, 0x01])), async (p) => parseLabelsFile(p), 100);
});

test('fuzz: MATLAB v5 files', async () => {
  await fuzzFile('fuzz.mat', mutations(mat, MAGIC.mat), (p) => loadDataset(p), 100);
});

test('MAT files that sent mat-for-js into minutes of work or out of memory are refused at once', async () => {
  // each found by the fuzzer above (other seeds): byte patches of user-v5.mat, then what the error says
  const patch = (edits: Array<[number, number]>, length = mat.length) => {
    const b = mat.slice(0, length);
    for (const [at, v] of edits) b[at] = v;
    return b;
  };
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['a char array of 1644167169×12', patch([[379, 0x62]]), /an array declares 1644167169×12 elements in 72 bytes/],
    ['sparse column starts past the row indices', patch([[519, 11]]), /a sparse matrix has column starts outside its 3 row indices/],
    ['cut inside a struct', patch([], 652), /a data element of 160 bytes at byte 552 runs past the end of the file/],
    ['a small element claiming 131 bytes', patch([[498, 131]]), /a data element at byte 496 has the bad tag/],
    ['dims of 17 bytes', patch([[156, 17]]), /an int32 element at byte 152 holds 17 bytes/],
    ['12 dims ending in 0', patch([[372, 48]]), /an array declares 1×12×1×5×\d+(×\d+)*×0 elements in 72 bytes/],
  ];
  for (const [what, bytes, re] of cases) {
    const path = join(dir, 'patched.mat');
    writeFileSync(path, bytes);
    const t0 = performance.now();
    await assert.rejects(loadDataset(path), (e: unknown) => e instanceof DeepclustError && /is a corrupt or truncated MAT file: .*; copy it again/.test((e as Error).message) && re.test((e as Error).message), what);
    assert.ok(performance.now() - t0 < 2000, `${what}: took ${(performance.now() - t0).toFixed(0)} ms`);
  }
});

test('fuzz: HDF5 files (h5wasm)', async () => {
  const h5wasm = (await import('h5wasm/node')).default;
  await h5wasm.ready;
  const seedFile = join(dir, 'seed.h5');
  const f = new h5wasm.File(seedFile, 'w');
  f.create_dataset({ name: 'x', data: Float32Array.from({ length: 12 }, (_, i) => i / 2), shape: [4, 3] });
  f.create_dataset({ name: 'y', data: Int32Array.from([0, 1, 0, 1]), shape: [4] });
  f.close();
  const h5 = new Uint8Array(readFileSync(seedFile));
  await fuzzFile('fuzz.h5', mutations(h5, Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])), (p) => loadDataset(p), 100);
});
