/**
 * Matrix products. 2-D gradients are single Gemm nodes with transpose flags (no Transpose copies);
 * batched products broadcast their leading dims like numpy.matmul.
 */
import { GraphError } from '../../errors.ts';
import { type Dim, type Tensor, broadcastShapes, checkSameDtype, fmtShape } from '../graph.ts';
import { add } from './elementwise.ts';
import { transpose, unbroadcast } from './shape.ts';

function innerCheck(op: string, a: Tensor, b: Tensor, ka: Dim, kb: Dim): void {
  if (typeof ka === 'number' && typeof kb === 'number' && ka !== kb)
    throw new GraphError(`${op}: inner dimensions differ: ${a} × ${b} (${ka} vs ${kb})`);
}

/**
 * Matrix product `a @ b`. Both must have rank >= 2; leading dims broadcast.
 * @param a - `[..., n, k]`
 * @param b - `[..., k, m]`
 * @returns `[..., n, m]`
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkSameDtype('matmul', a, b);
  if (a.rank < 2 || b.rank < 2) throw new GraphError(`matmul: both operands need rank >= 2, got ${a} and ${b}`);
  innerCheck('matmul', a, b, a.shape[a.rank - 1]!, b.shape[b.rank - 2]!);
  if (a.rank === 2 && b.rank === 2) {
    return a.graph.node1('MatMul', [a, b], [a.shape[0]!, b.shape[1]!], a.dtype, {
      backward: (gy, _y, n) => [n[0] ? gemm(gy, b, { transB: true }) : null, n[1] ? gemm(a, gy, { transA: true }) : null],
    });
  }
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'matmul');
  const out = [...batch, a.shape[a.rank - 2]!, b.shape[b.rank - 1]!];
  return a.graph.node1('MatMul', [a, b], out, a.dtype, {
    backward: (gy, _y, n) => [
      n[0] ? unbroadcast(matmul(gy, swapLast(b)), a.shape) : null,
      n[1] ? unbroadcast(matmul(swapLast(a), gy), b.shape) : null,
    ],
  });
}

function swapLast(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return transpose(x, perm);
}

/** Options of {@link gemm}. */
export interface GemmOptions {
  /** Use `aᵀ`. @defaultValue false */
  transA?: boolean;
  /** Use `bᵀ`. @defaultValue false */
  transB?: boolean;
  /** Scale of the product. @defaultValue 1 */
  alpha?: number;
}

/**
 * General 2-D product `alpha · op(a) @ op(b)` (ONNX Gemm), where op transposes when asked.
 * Gradients are Gemm nodes too.
 */
export function gemm(a: Tensor, b: Tensor, options: GemmOptions = {}): Tensor {
  checkSameDtype('gemm', a, b);
  if (a.rank !== 2 || b.rank !== 2) throw new GraphError(`gemm: both operands must be 2-D, got ${a} and ${b}`);
  const { transA = false, transB = false, alpha = 1 } = options;
  const [n, ka] = transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [kb, m] = transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  innerCheck(`gemm(transA=${transA}, transB=${transB})`, a, b, ka, kb);
  const attrs: Record<string, number | { float: number }> = {};
  if (transA) attrs.transA = 1;
  if (transB) attrs.transB = 1;
  if (alpha !== 1) attrs.alpha = { float: alpha };
  return a.graph.node1('Gemm', [a, b], [n, m], a.dtype, {
    attrs,
    backward: (gy, _y, need) => {
      // y = α A' B' with A' = op(a), B' = op(b): dA' = α gy B'ᵀ, dB' = α A'ᵀ gy, then undo op.
      const o = alpha === 1 ? {} : { alpha };
      const da = !need[0] ? null : transA ? gemm(b, gy, { ...o, transA: transB, transB: true }) : gemm(gy, b, { ...o, transB: !transB });
      const db = !need[1] ? null : transB ? gemm(gy, a, { ...o, transA: true, transB: transA }) : gemm(a, gy, { ...o, transA: !transA });
      return [da, db];
    },
  });
}

/**
 * Dense layer `x @ w + b` (ONNX Runtime fuses it into one Gemm).
 * @param x - `[n, in]`; @param w - `[in, out]`; @param b - `[out]`
 */
export function linear(x: Tensor, w: Tensor, b?: Tensor): Tensor {
  const y = matmul(x, w);
  if (!b) return y;
  if (b.rank !== 1 || b.shape[0] !== w.shape[1]) throw new GraphError(`linear: bias ${b} must be [${w.shape[1]}] to match weight ${w}, got ${fmtShape(b.shape)}`);
  return add(y, b);
}
