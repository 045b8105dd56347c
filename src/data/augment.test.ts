// Image augmentation (DEC-DA): exact warps on tiny images, determinism, channels moved together.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { affineWarp, augmentImages, augmentRng } from './augment.ts';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `index ${i}: ${a[i]} vs ${b[i]}`);
};
const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => i + 1);

test('affineWarp: no rotation and no shift is the identity', () => {
  const src = ramp(12);
  const dst = new Float32Array(12);
  affineWarp(src, dst, [1, 3, 4], 0, 0, 0);
  close(dst, src);
});

test('affineWarp: a whole-pixel shift moves columns right and rows down, zeros coming in', () => {
  const src = ramp(9); // 3×3: rows [1 2 3] [4 5 6] [7 8 9]
  const dst = new Float32Array(9);
  affineWarp(src, dst, [1, 3, 3], 0, 1, 0);
  close(dst, [0, 1, 2, 0, 4, 5, 0, 7, 8]);
  affineWarp(src, dst, [1, 3, 3], 0, 0, -1);
  close(dst, [4, 5, 6, 7, 8, 9, 0, 0, 0]);
});

test('affineWarp: a half-pixel shift averages neighbours (bilinear)', () => {
  const src = Float32Array.from([0, 2, 4, 6]); // 1×4
  const dst = new Float32Array(4);
  affineWarp(src, dst, [1, 1, 4], 0, 0.5, 0);
  close(dst, [0, 1, 3, 5]);
});

test('affineWarp: a quarter turn takes the top row to the right column', () => {
  const src = new Float32Array(25);
  src[0 * 5 + 2] = 1; // top middle
  const dst = new Float32Array(25);
  affineWarp(src, dst, [1, 5, 5], Math.PI / 2, 0, 0);
  const expected = new Float32Array(25);
  expected[2 * 5 + 4] = 1; // right middle
  close(dst, expected);
});

test('augmentImages: the same generator gives the same images, every channel moved alike', () => {
  const shape = [2, 8, 8] as const;
  const rows = 3;
  const base = Float32Array.from({ length: rows * 128 }, (_, i) => ((i * 37) % 11) / 10);
  // channel 1 is twice channel 0 in every image, before and after
  for (let r = 0; r < rows; r++) for (let p = 0; p < 64; p++) base[r * 128 + 64 + p] = 2 * base[r * 128 + p]!;
  const a = base.slice();
  const b = base.slice();
  const scratch = new Float32Array(128);
  augmentImages(a, rows, shape, { rotate: 10, shift: 0.1 }, augmentRng(7, 'pretrain', 3, 512), scratch);
  augmentImages(b, rows, shape, { rotate: 10, shift: 0.1 }, augmentRng(7, 'pretrain', 3, 512), scratch);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, base);
  for (let r = 0; r < rows; r++) close(a.subarray(r * 128 + 64, r * 128 + 128), a.subarray(r * 128, r * 128 + 64).map((v) => 2 * v), 1e-5);
  const c = base.slice();
  augmentImages(c, rows, shape, { rotate: 10, shift: 0.1 }, augmentRng(7, 'pretrain', 3, 768), scratch);
  assert.notDeepEqual(c, a, 'another position in the epoch draws other transforms');
});

test('augmentImages: zero ranges leave images unchanged; a short scratch buffer is refused', () => {
  const x = ramp(2 * 16);
  augmentImages(x, 2, [1, 4, 4], { rotate: 0, shift: 0 }, augmentRng(0, 'cluster', 0, 0), new Float32Array(16));
  close(x, ramp(32));
  assert.throws(() => augmentImages(x, 2, [1, 4, 4], { rotate: 5, shift: 0 }, augmentRng(0, 'cluster', 0, 0), new Float32Array(8)), /scratch holds 8 floats, needs 16/);
});
