// The MAT v5 reader on files written byte by byte here: every numeric class, compressed and not,
// both byte orders, N-d arrays, sparse, and the variables it skips by name.
import assert from 'node:assert/strict';
import test from 'node:test';
import { deflateSync } from 'node:zlib';
import { DataError } from '../errors.ts';
import { parseMat5 } from './mat5.ts';

type Endian = 'le' | 'be';

/** One data element: tag + data padded to 8 bytes (small elements packed into the tag). */
function element(type: number, data: Uint8Array, e: Endian, small = true): Uint8Array {
  const le = e === 'le';
  if (small && data.length <= 4 && type !== 14) {
    const out = new Uint8Array(8);
    const v = new DataView(out.buffer);
    v.setUint32(0, (data.length << 16) | type, le);
    out.set(data, 4);
    return out;
  }
  const padded = type === 15 ? data.length : Math.ceil(data.length / 8) * 8;
  const out = new Uint8Array(8 + padded);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, le);
  v.setUint32(4, data.length, le);
  out.set(data, 8);
  return out;
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** Typed values as bytes in the given byte order. */
function bytesOf(type: number, values: readonly number[], e: Endian): Uint8Array {
  const width = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8 }[type]!;
  const out = new Uint8Array(values.length * width);
  const v = new DataView(out.buffer);
  const le = e === 'le';
  values.forEach((x, i) => {
    const o = i * width;
    if (type === 1) v.setInt8(o, x);
    else if (type === 2) v.setUint8(o, x);
    else if (type === 3) v.setInt16(o, x, le);
    else if (type === 4) v.setUint16(o, x, le);
    else if (type === 5) v.setInt32(o, x, le);
    else if (type === 6) v.setUint32(o, x, le);
    else if (type === 7) v.setFloat32(o, x, le);
    else if (type === 9) v.setFloat64(o, x, le);
    else if (type === 12) v.setBigInt64(o, BigInt(x), le);
    else v.setBigUint64(o, BigInt(x), le);
  });
  return out;
}

/** An miMATRIX element: flags (class, logical/complex bits), dims, name, then the given parts. */
function matrix(name: string, cls: number, dims: number[], parts: Uint8Array[], e: Endian, flagBits = 0): Uint8Array {
  const body = concat([
    element(6, bytesOf(6, [cls | flagBits, 0], e), e, false),
    element(5, bytesOf(5, dims, e), e),
    element(1, new TextEncoder().encode(name), e),
    ...parts,
  ]);
  return element(14, body, e);
}

/** A numeric array given in MATLAB's column-major order, stored as element type `type`. */
const numeric = (name: string, cls: number, dims: number[], colMajor: number[], type: number, e: Endian, flagBits = 0) =>
  matrix(name, cls, dims, [element(type, bytesOf(type, colMajor, e), e)], e, flagBits);

/** A whole file: header (text, subsystem offset, version, endian indicator) then the elements. */
function matFile(elements: Uint8Array[], e: Endian = 'le', compress = false): Uint8Array {
  const header = new Uint8Array(128).fill(0x20);
  header.set(new TextEncoder().encode('MATLAB 5.0 MAT-file, written by mat5.test.ts'));
  header.fill(0, 116, 124);
  header.set(e === 'le' ? [0x00, 0x01, 0x49, 0x4d] : [0x01, 0x00, 0x4d, 0x49], 124);
  const body = compress ? elements.map((el) => element(15, deflateSync(el), e)) : elements;
  return concat([header, ...body]);
}

for (const e of ['le', 'be'] as const) {
  for (const compress of [false, true]) {
    test(`MAT v5 ${e === 'le' ? 'little' : 'big'}-endian, ${compress ? 'compressed' : 'plain'}: every numeric class in row-major order`, () => {
      // A = [1 2 3; 4 5 6] is written column-major: 1 4 2 5 3 6
      const file = matFile(
        [
          numeric('d', 6, [2, 3], [1, 4, 2, 5, 3, 6], 9, e),
          numeric('s', 7, [2, 3], [1.5, 4, 2, 5, 3, -6], 7, e),
          numeric('u8', 9, [2, 2], [0, 255, 7, 9], 2, e),
          numeric('dAsU8', 6, [1, 4], [1, 2, 3, 250], 2, e), // MATLAB stores small doubles in the smallest type
          numeric('i16', 10, [3, 1], [-3, 0, 300], 3, e),
          numeric('u16', 11, [1, 1], [65535], 4, e),
          numeric('i32', 12, [2, 1], [-7, 8], 5, e),
          numeric('u32', 13, [2, 1], [4e9, 1], 6, e),
          numeric('i64', 14, [2, 1], [-(2 ** 40), 5], 12, e),
          numeric('u64', 15, [2, 1], [2 ** 41, 6], 13, e),
          numeric('i8', 8, [2, 1], [-128, 127], 1, e),
          numeric('bool', 9, [1, 3], [1, 0, 1], 2, e, 0x0200),
        ],
        e,
        compress,
      );
      const { variables, skipped } = parseMat5(file, 'x.mat');
      assert.deepEqual(skipped, []);
      const got = Object.fromEntries(variables.map((v) => [v.name, { shape: v.value.shape, data: Array.from(v.value.data as Float64Array) }]));
      assert.deepEqual(got.d, { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
      assert.deepEqual(got.s, { shape: [2, 3], data: [1.5, 2, 3, 4, 5, -6] });
      assert.deepEqual(got.u8, { shape: [2, 2], data: [0, 7, 255, 9] });
      assert.deepEqual(got.dAsU8, { shape: [4], data: [1, 2, 3, 250] });
      assert.deepEqual(got.i16, { shape: [3], data: [-3, 0, 300] });
      assert.deepEqual(got.u16, { shape: [1], data: [65535] });
      assert.deepEqual(got.i32, { shape: [2], data: [-7, 8] });
      assert.deepEqual(got.u32, { shape: [2], data: [4e9, 1] });
      assert.deepEqual(got.i64, { shape: [2], data: [-(2 ** 40), 5] });
      assert.deepEqual(got.u64, { shape: [2], data: [2 ** 41, 6] });
      assert.deepEqual(got.i8, { shape: [2], data: [-128, 127] });
      assert.deepEqual(got.bool, { shape: [3], data: [1, 0, 1] });
      for (const v of variables) assert.equal(v.value.dtype, 'float64');
    });
  }
}

test('MAT v5: a 3-d array keeps its shape, read row-major', () => {
  // B(i,j,k) = 100i + 10j + k (1-based), 2×3×2, written column-major
  const dims = [2, 3, 2];
  const colMajor: number[] = [];
  for (let k = 1; k <= 2; k++) for (let j = 1; j <= 3; j++) for (let i = 1; i <= 2; i++) colMajor.push(100 * i + 10 * j + k);
  const { variables } = parseMat5(matFile([numeric('B', 6, dims, colMajor, 9, 'le')]), 'b.mat');
  const b = variables[0]!.value;
  assert.deepEqual(b.shape, [2, 3, 2]);
  const rowMajor: number[] = [];
  for (let i = 1; i <= 2; i++) for (let j = 1; j <= 3; j++) for (let k = 1; k <= 2; k++) rowMajor.push(100 * i + 10 * j + k);
  assert.deepEqual(Array.from(b.data as Float64Array), rowMajor);
});

test('MAT v5: sparse matrices are densified; strings, cells, structs and complex arrays are skipped by name', () => {
  // S = 3×2 with S(2,1) = 2.5 and S(1,2) = -4: ir = [1, 0], jc = [0, 1, 2]
  const sparse = matrix('S', 5, [3, 2], [element(5, bytesOf(5, [1, 0], 'le'), 'le'), element(5, bytesOf(5, [0, 1, 2], 'le'), 'le'), element(9, bytesOf(9, [2.5, -4], 'le'), 'le')], 'le');
  const text = matrix('title', 4, [1, 2], [element(4, bytesOf(4, [104, 105], 'le'), 'le')], 'le');
  const cell = matrix('c', 1, [1, 1], [numeric('', 6, [1, 1], [3], 9, 'le')], 'le');
  const names = new TextEncoder().encode('a\0\0\0\0\0\0\0');
  const struct = matrix('st', 2, [1, 1], [element(5, bytesOf(5, [8], 'le'), 'le'), element(1, names, 'le'), numeric('', 6, [1, 1], [1], 9, 'le')], 'le');
  const complex = matrix('z', 6, [1, 1], [element(9, bytesOf(9, [1], 'le'), 'le'), element(9, bytesOf(9, [2], 'le'), 'le')], 'le', 0x0800);
  const { variables, skipped } = parseMat5(matFile([sparse, text, cell, struct, complex], 'le', true), 's.mat');
  assert.deepEqual(skipped, ['title', 'c', 'st', 'z']);
  assert.equal(variables.length, 1);
  assert.deepEqual(variables[0]!.value.shape, [3, 2]);
  assert.deepEqual(Array.from(variables[0]!.value.data as Float64Array), [0, -4, 2.5, 0, 0, 0]);
});

test('MAT v5: cut and corrupt files raise one DataError naming the file', () => {
  const good = matFile([numeric('d', 6, [2, 3], [1, 4, 2, 5, 3, 6], 9, 'le')]);
  const isData = (re: RegExp) => (err: unknown) => err instanceof DataError && re.test(err.message) && /'f\.mat'/.test(err.message);
  assert.throws(() => parseMat5(good.subarray(0, good.length - 8), 'f.mat'), isData(/corrupt or truncated MAT file \(the data ends early\)/));
  const badCount = good.slice();
  badCount[128 + 8 + 16 + 8] = 7; // dims 7×3 for 6 values
  assert.throws(() => parseMat5(badCount, 'f.mat'), isData(/holds 6 values for its 7×3 shape/));
  const compressed = matFile([numeric('d', 6, [2, 3], [1, 4, 2, 5, 3, 6], 9, 'le')], 'le', true);
  const garbled = compressed.slice();
  garbled.fill(0x55, 140, 150);
  assert.throws(() => parseMat5(garbled, 'f.mat'), isData(/corrupt or truncated MAT file/));
});
