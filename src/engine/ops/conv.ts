/**
 * 2-D convolution, transposed convolution, max pooling and nearest-neighbour upsampling on
 * NCHW tensors. Spatial dims must be static; the batch dim may be symbolic.
 * Gradients are built from Conv / ConvTranspose / ScatterElements, so they are ONNX nodes too.
 * float64 graphs lower conv and transposed conv to GEMMs with an unfolding matrix (ONNX Runtime
 * has no double Conv kernel): exact, and used to check the float32 rules, but slow for big images.
 */
import { GraphError } from '../../errors.ts';
import { type Dim, type Tensor, checkSameDtype } from '../graph.ts';
import { add, equal, mul } from './elementwise.ts';
import { gemm, matmul } from './matmul.ts';
import { cast, expand, reduceSum, reshape, reshapeLike, slice, stopGradient, transpose, zerosLike } from './shape.ts';

/** Options of {@link conv2d} and {@link convTranspose2d}. */
export interface ConvOptions {
  /** Stride in both spatial dims. @defaultValue 1 */
  stride?: number;
  /** Zero padding on every side. @defaultValue 0 */
  padding?: number;
}

function spatial(x: Tensor, op: string): [number, number] {
  if (x.rank !== 4) throw new GraphError(`${op}: expects NCHW input of rank 4, got ${x}`);
  const [h, w] = [x.shape[2], x.shape[3]];
  if (typeof h !== 'number' || typeof w !== 'number') throw new GraphError(`${op}: spatial dims of ${x} must be static`);
  return [h, w];
}

function checkOpts(op: string, stride: number, padding: number): void {
  if (!Number.isInteger(stride) || stride < 1) throw new GraphError(`${op}: stride must be an integer >= 1, got ${stride}`);
  if (!Number.isInteger(padding) || padding < 0) throw new GraphError(`${op}: padding must be an integer >= 0, got ${padding}`);
}

/**
 * 2-D cross-correlation (ONNX Conv, group 1, dilation 1).
 * @param x - `[N, C, H, W]`; @param w - `[O, C, kh, kw]`; @param b - optional `[O]`
 * @returns `[N, O, ⌊(H + 2p − kh)/s⌋ + 1, ⌊(W + 2p − kw)/s⌋ + 1]`
 */
export function conv2d(x: Tensor, w: Tensor, b?: Tensor, options: ConvOptions = {}): Tensor {
  const { stride = 1, padding = 0 } = options;
  checkOpts('conv2d', stride, padding);
  checkSameDtype('conv2d', x, w);
  const [h, wd] = spatial(x, 'conv2d');
  if (w.rank !== 4 || w.shape[1] !== x.shape[1]) throw new GraphError(`conv2d: weight ${w} must be [O, ${x.shape[1]}, kh, kw] for input ${x}`);
  const [o, , kh, kw] = w.shape as number[];
  if (b && (b.rank !== 1 || b.shape[0] !== o)) throw new GraphError(`conv2d: bias ${b} must be [${o}]`);
  const ho = Math.floor((h + 2 * padding - kh!) / stride) + 1;
  const wo = Math.floor((wd + 2 * padding - kw!) / stride) + 1;
  if (ho < 1 || wo < 1) throw new GraphError(`conv2d: kernel ${kh}×${kw} is larger than the padded input ${h}×${wd}`);
  if (x.dtype === 'float64') return conv2dUnfolded(x, w, b, h, wd, stride, padding, ho, wo);
  const attrs = { strides: [stride, stride], pads: [padding, padding, padding, padding], kernel_shape: [kh!, kw!] };
  const g = x.graph;
  return g.node1('Conv', b ? [x, w, b] : [x, w], [x.shape[0]!, o!, ho, wo], x.dtype, {
    attrs,
    backward: (gy, _y, need) => {
      // dx: the adjoint of a strided conv is a transposed conv; output_padding restores H×W exactly.
      const dx = !need[0]
        ? null
        : g.node1('ConvTranspose', [gy, w], x.shape, x.dtype, {
            attrs: { ...attrs, output_padding: [h + 2 * padding - kh! - stride * (ho - 1), wd + 2 * padding - kw! - stride * (wo - 1)] },
          });
      // dw: correlate x (channels as batch) with gy (as kernels, dilated by the stride).
      let dw: Tensor | null = null;
      if (need[1]) {
        const xt = transpose(x, [1, 0, 2, 3]);
        const gt = transpose(gy, [1, 0, 2, 3]);
        const fh = h + 2 * padding - stride * (ho - 1);
        const fw = wd + 2 * padding - stride * (wo - 1);
        let full = g.node1('Conv', [xt, gt], [x.shape[1]!, o!, fh, fw], x.dtype, {
          attrs: { dilations: [stride, stride], pads: [padding, padding, padding, padding], kernel_shape: [ho, wo] },
        });
        if (fh !== kh) full = slice(full, 2, 0, kh!);
        if (fw !== kw) full = slice(full, 3, 0, kw!);
        dw = transpose(full, [1, 0, 2, 3]);
      }
      const db = b && need[2] ? reduceSum(gy, [0, 2, 3]) : null;
      return b ? [dx, dw, db] : [dx, dw];
    },
  });
}

/** Options of {@link convTranspose2d}. */
export interface ConvTransposeOptions extends ConvOptions {
  /** Extra rows/columns added to one side of the output (< stride). @defaultValue 0 */
  outputPadding?: number;
}

/**
 * 2-D transposed convolution (ONNX ConvTranspose, group 1).
 * @param x - `[N, Cin, H, W]`; @param w - `[Cin, Cout, kh, kw]`; @param b - optional `[Cout]`
 * @returns `[N, Cout, s(H−1) + op + kh − 2p, s(W−1) + op + kw − 2p]`
 */
export function convTranspose2d(x: Tensor, w: Tensor, b?: Tensor, options: ConvTransposeOptions = {}): Tensor {
  const { stride = 1, padding = 0, outputPadding = 0 } = options;
  checkOpts('convTranspose2d', stride, padding);
  if (!Number.isInteger(outputPadding) || outputPadding < 0 || outputPadding >= stride)
    throw new GraphError(`convTranspose2d: outputPadding must be an integer in [0, stride), got ${outputPadding}`);
  checkSameDtype('convTranspose2d', x, w);
  const [h, wd] = spatial(x, 'convTranspose2d');
  if (w.rank !== 4 || w.shape[0] !== x.shape[1]) throw new GraphError(`convTranspose2d: weight ${w} must be [${x.shape[1]}, Cout, kh, kw] for input ${x}`);
  const [, co, kh, kw] = w.shape as number[];
  if (b && (b.rank !== 1 || b.shape[0] !== co)) throw new GraphError(`convTranspose2d: bias ${b} must be [${co}]`);
  const ho = stride * (h - 1) + outputPadding + kh! - 2 * padding;
  const wo = stride * (wd - 1) + outputPadding + kw! - 2 * padding;
  if (ho < 1 || wo < 1) throw new GraphError(`convTranspose2d: padding ${padding} leaves an empty output`);
  if (x.dtype === 'float64') return convTranspose2dUnfolded(x, w, b, h, wd, stride, padding, ho, wo);
  const attrs = { strides: [stride, stride], pads: [padding, padding, padding, padding], kernel_shape: [kh!, kw!] };
  const g = x.graph;
  return g.node1('ConvTranspose', b ? [x, w, b] : [x, w], [x.shape[0]!, co!, ho, wo], x.dtype, {
    attrs: { ...attrs, output_padding: [outputPadding, outputPadding] },
    backward: (gy, _y, need) => {
      const dx = !need[0] ? null : g.node1('Conv', [gy, w], x.shape, x.dtype, { attrs });
      let dw: Tensor | null = null;
      if (need[1]) {
        const gt = transpose(gy, [1, 0, 2, 3]); // [Cout, N, Ho, Wo]
        const xt = transpose(x, [1, 0, 2, 3]); // [Cin, N, H, W] as kernels
        const fh = ho + 2 * padding - stride * (h - 1);
        const fw = wo + 2 * padding - stride * (wd - 1);
        let full = g.node1('Conv', [gt, xt], [co!, x.shape[1]!, fh, fw], x.dtype, {
          attrs: { dilations: [stride, stride], pads: [padding, padding, padding, padding], kernel_shape: [h, wd] },
        });
        if (fh !== kh) full = slice(full, 2, 0, kh!);
        if (fw !== kw) full = slice(full, 3, 0, kw!);
        dw = transpose(full, [1, 0, 2, 3]);
      }
      const db = b && need[2] ? reduceSum(gy, [0, 2, 3]) : null;
      return b ? [dx, dw, db] : [dx, dw];
    },
  });
}

/** Options of {@link maxPool2d}. */
export interface PoolOptions {
  /** Window size. */
  kernel: number;
  /** Stride. @defaultValue kernel */
  stride?: number;
  /** Padding on every side. @defaultValue 0 */
  padding?: number;
}

/**
 * 2-D max pooling. The gradient goes to the arg-max of each window (ONNX MaxPool's Indices
 * output scattered back with ScatterElements add).
 */
export function maxPool2d(x: Tensor, options: PoolOptions): Tensor {
  return maxPool2dWithIndices(x, options).y;
}

/**
 * 2-D max pooling that also returns where each maximum came from ("switches"): int64 indices
 * into the flattened input (batch included, as ONNX MaxPool gives them), for {@link maxUnpool2d}.
 */
export function maxPool2dWithIndices(
  x: Tensor,
  options: PoolOptions,
): {
  /** The pooled output. */
  y: Tensor;
  /** Int64 flat input index of each output's maximum. */
  indices: Tensor;
} {
  const { kernel, stride = kernel, padding = 0 } = options;
  checkOpts('maxPool2d', stride, padding);
  if (!Number.isInteger(kernel) || kernel < 1) throw new GraphError(`maxPool2d: kernel must be an integer >= 1, got ${kernel}`);
  const [h, w] = spatial(x, 'maxPool2d');
  const ho = Math.floor((h + 2 * padding - kernel) / stride) + 1;
  const wo = Math.floor((w + 2 * padding - kernel) / stride) + 1;
  if (ho < 1 || wo < 1) throw new GraphError(`maxPool2d: window ${kernel} is larger than the input ${h}×${w}`);
  const g = x.graph;
  const outShape: Dim[] = [x.shape[0]!, x.shape[1]!, ho, wo];
  const [y, idx] = g.node('MaxPool', [x], [{ shape: outShape, dtype: x.dtype }, { shape: outShape, dtype: 'int64' }], {
    attrs: { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [padding, padding, padding, padding] },
    backward: (gy) => [maxUnpool2d(gy, idx!, x)], // runs after idx is bound
  });
  return { y: y!, indices: idx! };
}

/**
 * Inverse max pooling (the decoder of Aljalbout et al.'s and SWWAE-style autoencoders): each
 * value of `y` goes back to the position its window's maximum had in `like` (the tensor that was
 * pooled, giving the output's shape), zeros elsewhere. The gradient gathers from those positions.
 * @param indices - the switches from {@link maxPool2dWithIndices} of `like`
 */
export function maxUnpool2d(y: Tensor, indices: Tensor, like: Tensor): Tensor {
  if (indices.dtype !== 'int64') throw new GraphError(`maxUnpool2d: indices must be int64, got ${indices}`);
  spatial(like, 'maxUnpool2d');
  checkSameDtype('maxUnpool2d', y, like);
  const g = y.graph;
  const flatZeros = reshape(zerosLike(like), [-1]);
  const flatIdx = reshape(indices, [-1]);
  const scattered = g.node1('ScatterElements', [flatZeros, flatIdx, reshape(y, [-1])], flatZeros.shape, y.dtype, {
    attrs: { axis: 0, reduction: 'add' },
    backward: (gs) => [null, null, g.node1('GatherElements', [gs, flatIdx], flatIdx.shape, gs.dtype, { attrs: { axis: 0 }, backward: (gg) => [maxUnpoolFlat(gg, flatIdx, gs), null] })],
  });
  return reshapeLike(scattered, like);
}

/**
 * Inverse max pooling with Theano's tie rule: each value of `y` goes to every position of its
 * window in `like` that equals the window's maximum (`pooled`, the max-pool output of `like`), zeros
 * elsewhere. This is what Lasagne's InverseLayer of a max-pool layer computes (the pool's gradient);
 * after a ReLU, an all-zero window passes its value to all its positions.
 * @param factor - the pooling window (= stride) that gave `pooled` from `like`
 */
export function maxUnpool2dTies(y: Tensor, pooled: Tensor, like: Tensor, factor: number): Tensor {
  checkSameDtype('maxUnpool2dTies', y, like);
  const mask = stopGradient(cast(equal(like, upsample2d(pooled, factor)), y.dtype));
  return mul(upsample2d(y, factor), mask);
}

// The scatter of a flat gradient back to a flat tensor shaped like `likeFlat` (second-order rule).
function maxUnpoolFlat(values: Tensor, flatIdx: Tensor, likeFlat: Tensor): Tensor {
  const g = values.graph;
  return g.node1('ScatterElements', [zerosLike(likeFlat), flatIdx, values], likeFlat.shape, values.dtype, { attrs: { axis: 0, reduction: 'add' } });
}

/**
 * Nearest-neighbour upsampling by an integer factor: each pixel becomes a `factor × factor` block.
 * Built as reshape → expand → reshape, so its gradient (block sums) follows from those ops.
 */
export function upsample2d(x: Tensor, factor: number): Tensor {
  if (!Number.isInteger(factor) || factor < 1) throw new GraphError(`upsample2d: factor must be an integer >= 1, got ${factor}`);
  const [h, w] = spatial(x, 'upsample2d');
  const blocks = expand(reshape(x, [0, 0, h, 1, w, 1]), [1, 1, 1, factor, 1, factor]);
  return reshape(blocks, [0, 0, h * factor, w * factor]);
}

/**
 * The 0/1 matrix mapping an `inH × inW` image to its convolution patches: column
 * `((i·kw + j)·outH + oy)·outW + ox` picks pixel `(oy·s + i − p, ox·s + j − p)` (none when padded).
 */
function unfoldMatrix(inH: number, inW: number, kh: number, kw: number, stride: number, pad: number, outH: number, outW: number): Float64Array {
  const cols = kh * kw * outH * outW;
  const m = new Float64Array(inH * inW * cols);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let oy = 0; oy < outH; oy++)
        for (let ox = 0; ox < outW; ox++) {
          const r = oy * stride + i - pad;
          const c = ox * stride + j - pad;
          if (r < 0 || r >= inH || c < 0 || c >= inW) continue;
          m[(r * inW + c) * cols + ((i * kw + j) * outH + oy) * outW + ox] = 1;
        }
  return m;
}

// float64 conv as GEMMs with an unfolding matrix: ONNX Runtime's CPU build has no double Conv.
function conv2dUnfolded(x: Tensor, w: Tensor, b: Tensor | undefined, h: number, wd: number, stride: number, padding: number, ho: number, wo: number): Tensor {
  const [o, c, kh, kw] = w.shape as number[];
  const u = x.graph.constant(unfoldMatrix(h, wd, kh!, kw!, stride, padding, ho, wo), [h * wd, kh! * kw! * ho * wo]);
  const patches = reshape(matmul(reshape(x, [-1, h * wd]), u), [-1, c! * kh! * kw!, ho * wo]);
  let y = reshape(matmul(reshape(w, [o!, -1]), patches), [-1, o!, ho, wo]);
  if (b) y = add(y, reshape(b, [1, o!, 1, 1]));
  return y;
}

function convTranspose2dUnfolded(x: Tensor, w: Tensor, b: Tensor | undefined, h: number, wd: number, stride: number, padding: number, ho: number, wo: number): Tensor {
  const [ci, co, kh, kw] = w.shape as number[];
  const u = x.graph.constant(unfoldMatrix(ho, wo, kh!, kw!, stride, padding, h, wd), [ho * wo, kh! * kw! * h * wd]);
  const cols = matmul(transpose(reshape(w, [ci!, -1])), reshape(x, [-1, ci!, h * wd])); // [N, co·kh·kw, h·wd]
  let y = reshape(gemm(reshape(cols, [-1, kh! * kw! * h * wd]), u, { transB: true }), [-1, co!, ho, wo]);
  if (b) y = add(y, reshape(b, [1, co!, 1, 1]));
  return y;
}
