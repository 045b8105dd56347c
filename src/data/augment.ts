/**
 * Random affine augmentation of image rows (Guo et al., "Deep Embedded Clustering with Data
 * Augmentation", ACML 2018): each image is rotated by a uniform angle in [−rotate, rotate] degrees
 * and shifted by a uniform offset in [−shift, shift] of its width and height, about its centre,
 * with bilinear interpolation — the transform of Keras' ImageDataGenerator (rotation_range,
 * width/height_shift_range) in the authors' code, except that pixels from outside the image are 0
 * (Keras repeats the nearest edge pixel; the same for digits on a black background).
 */
import { type Rng, stream } from '../random.ts';

/** How much to move each image. */
export interface AugmentOptions {
  /** Largest rotation in degrees (uniform in [−rotate, rotate]). */
  readonly rotate: number;
  /** Largest shift as a fraction of the width (x) and height (y): uniform in [−shift, shift], not rounded to pixels. */
  readonly shift: number;
}

/**
 * Augments `rows` images in place.
 * @param buf - row-major `[rows, c·h·w]`, each row a channel-first image
 * @param rows - number of images in `buf` to transform
 * @param shape - `[c, h, w]`
 * @param rng - the draws (3 per image: angle, shift x, shift y)
 * @param scratch - at least `c·h·w` floats (reused between calls to avoid allocation)
 */
export function augmentImages(buf: Float32Array, rows: number, shape: readonly [number, number, number], opts: AugmentOptions, rng: Rng, scratch: Float32Array): void {
  const [c, h, w] = shape;
  const size = c * h * w;
  if (scratch.length < size) throw new RangeError(`augmentImages: scratch holds ${scratch.length} floats, needs ${size}`);
  for (let r = 0; r < rows; r++) {
    const angle = ((rng.random() * 2 - 1) * opts.rotate * Math.PI) / 180;
    const tx = (rng.random() * 2 - 1) * opts.shift * w;
    const ty = (rng.random() * 2 - 1) * opts.shift * h;
    const img = buf.subarray(r * size, (r + 1) * size);
    scratch.set(img);
    affineWarp(scratch, img, shape, angle, tx, ty);
  }
}

/**
 * Rotates one channel-first image by `angle` radians about its centre — clockwise as displayed
 * (rows run downwards): at π/2 the top row becomes the right column — then shifts it by tx
 * pixels right and ty pixels down, bilinearly; pixels from outside the source are 0.
 * @param src - `c·h·w` source pixels
 * @param dst - `c·h·w` output pixels (not `src`)
 */
export function affineWarp(src: Float32Array, dst: Float32Array, shape: readonly [number, number, number], angle: number, tx: number, ty: number): void {
  const [c, h, w] = shape;
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // output pixel (y, x) reads the source at the inverse transform: rotate back (x − cx − tx, y − cy − ty)
  for (let y = 0; y < h; y++) {
    const dy = y - cy - ty;
    for (let x = 0; x < w; x++) {
      const dx = x - cx - tx;
      const sx = cos * dx + sin * dy + cx;
      const sy = -sin * dx + cos * dy + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      // bilinear weights of the four neighbours; a neighbour outside the image counts as 0
      const inX0 = x0 >= 0 && x0 < w;
      const inX1 = x0 + 1 >= 0 && x0 + 1 < w;
      const inY0 = y0 >= 0 && y0 < h;
      const inY1 = y0 + 1 >= 0 && y0 + 1 < h;
      const w00 = inY0 && inX0 ? (1 - fy) * (1 - fx) : 0;
      const w01 = inY0 && inX1 ? (1 - fy) * fx : 0;
      const w10 = inY1 && inX0 ? fy * (1 - fx) : 0;
      const w11 = inY1 && inX1 ? fy * fx : 0;
      const o00 = inY0 && inX0 ? y0 * w + x0 : 0;
      const o01 = inY0 && inX1 ? y0 * w + x0 + 1 : 0;
      const o10 = inY1 && inX0 ? (y0 + 1) * w + x0 : 0;
      const o11 = inY1 && inX1 ? (y0 + 1) * w + x0 + 1 : 0;
      for (let ch = 0, base = 0; ch < c; ch++, base += h * w)
        dst[base + y * w + x] = w00 * src[base + o00]! + w01 * src[base + o01]! + w10 * src[base + o10]! + w11 * src[base + o11]!;
    }
  }
}

/** The generator for one run of batches: the stream named by phase, epoch and position of `seed`, so a resumed run draws the same. */
export function augmentRng(seed: number, phase: string, epoch: number, from: number): Rng {
  return stream(seed, phase, epoch, from);
}
