/**
 * Movement and shape ops: reshape, transpose, concat, slice, gather, expand, squeeze/unsqueeze,
 * cast, stop-gradient, and the runtime-shape helpers gradient rules use with symbolic dims. `reduceSum`
 * lives here, not in reduce.ts: it and expand are each other's gradient, and the elementwise
 * gradients need both, so keeping them in one file keeps the op families free of import cycles.
 */
import { GraphError } from '../../errors.ts';
import { type DType, type Dim, type Shape, type Tensor, broadcastShapes, checkFloat, fmtShape, normAxis, staticSize } from '../graph.ts';
import { reducedShape, resolveAxes } from './axes.ts';

/** Runtime shape of `x` as an int64 1-D tensor (the ONNX `Shape` op). Not differentiable. */
export function shapeOf(x: Tensor): Tensor {
  return x.graph.node1('Shape', [x], [x.rank], 'int64');
}

/** Number of elements of `x` at run time, as a scalar of the graph's float dtype. */
export function sizeOf(x: Tensor): Tensor {
  const g = x.graph;
  const n = staticSize(x.shape);
  if (n !== undefined) return g.scalar(n);
  const size = g.node1('Size', [x], [], 'int64');
  return cast(size, g.dtype);
}

/** Converts `x` to another dtype. Float→float casts pass gradients through; others are not differentiable. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const isFloat = (d: DType) => d === 'float32' || d === 'float64';
  return x.graph.node1('Cast', [x], x.shape, dtype, {
    attrs: { to: onnxCode(dtype) },
    backward: isFloat(x.dtype) && isFloat(dtype) ? (gy) => [cast(gy, x.dtype)] : undefined,
  });
}

function onnxCode(dtype: DType): number {
  return { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 }[dtype];
}

/** Identity in the forward pass, zero gradient in the backward pass. */
export function stopGradient(x: Tensor): Tensor {
  return x.graph.node1('Identity', [x], x.shape, x.dtype);
}

/**
 * Reshapes `x` to `shape`. Static entries are sizes; one entry may be -1 (inferred); 0 copies the
 * input dim (ONNX semantics). Symbolic dims in the result are inferred from those rules.
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const out: Dim[] = shape.map((d, i) => {
    if (d === 0) {
      if (i >= x.rank) throw new GraphError(`reshape: 0 at position ${i} but input ${x} has rank ${x.rank}`);
      return x.shape[i]!;
    }
    return d;
  });
  const minus = shape.filter((d) => d === -1).length;
  if (minus > 1) throw new GraphError(`reshape: at most one -1 in ${fmtShape(shape)}`);
  if (minus === 1) {
    const total = staticSize(x.shape);
    const known = staticSize(out.filter((d) => d !== -1));
    const i = shape.indexOf(-1);
    if (total !== undefined && known !== undefined) {
      if (total % known !== 0) throw new GraphError(`reshape: cannot reshape ${x} to ${fmtShape(shape)}`);
      out[i] = total / known;
    } else {
      out[i] = inferSymbolic(x.shape, out.filter((_, j) => j !== i));
    }
  } else {
    const a = staticSize(x.shape);
    const b = staticSize(out);
    if (a !== undefined && b !== undefined && a !== b) throw new GraphError(`reshape: cannot reshape ${x} (${a} elements) to ${fmtShape(shape)} (${b} elements)`);
  }
  const g = x.graph;
  return g.node1('Reshape', [x, g.ints([...shape])], out, x.dtype, {
    backward: (gy) => [reshapeLike(gy, x)],
  });
}

// The -1 of a reshape of a tensor with symbolic dims: the symbolic dim that is not carried over.
function inferSymbolic(inShape: Shape, others: Dim[]): Dim {
  const syms = inShape.filter((d) => typeof d === 'string');
  const kept = others.filter((d) => typeof d === 'string');
  const left = syms.filter((s) => !kept.includes(s));
  return left.length === 1 ? left[0]! : `reshape_${syms.join('_')}`;
}

/** Reshapes `x` to the runtime shape of `like` (works with symbolic dims). */
export function reshapeLike(x: Tensor, like: Tensor): Tensor {
  const g = x.graph;
  const st = staticSize(like.shape) !== undefined;
  const shapeT = st ? g.ints(like.shape as number[]) : shapeOf(like);
  return g.node1('Reshape', [x, shapeT], like.shape, x.dtype, { backward: (gy) => [reshapeLike(gy, x)] });
}

/** Broadcasts `x` to the runtime shape of `like` (ONNX Expand); the gradient sums back. */
export function expandLike(x: Tensor, like: Tensor): Tensor {
  const g = x.graph;
  const st = staticSize(like.shape) !== undefined;
  const shapeT = st ? g.ints(like.shape as number[]) : shapeOf(like);
  return g.node1('Expand', [x, shapeT], like.shape, x.dtype, { backward: (gy) => [unbroadcast(gy, x.shape)] });
}

/**
 * Broadcasts `x` against a static `shape` (ONNX Expand: both ways, so a 1 in `shape` keeps x's dim).
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const g = x.graph;
  const out = broadcastShapes(x.shape, shape, 'expand');
  return g.node1('Expand', [x, g.ints([...shape])], out, x.dtype, { backward: (gy) => [unbroadcast(gy, x.shape)] });
}

/**
 * Sums `g` over the axes that broadcasting added or stretched, so it gets `target`'s shape.
 * Every binary-op gradient rule ends with this.
 */
export function unbroadcast(g: Tensor, target: Shape): Tensor {
  if (g.rank === target.length && g.shape.every((d, i) => d === target[i])) return g;
  const lead = g.rank - target.length;
  if (lead < 0) throw new GraphError(`unbroadcast: gradient ${g} has lower rank than ${fmtShape(target)}`);
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead) axes.push(i);
    else if (target[i - lead] === 1 && g.shape[i] !== 1) axes.push(i);
  }
  let r = axes.length ? reduceSum(g, axes, true) : g;
  if (lead > 0) r = squeeze(r, Array.from({ length: lead }, (_, i) => i));
  return r;
}

/**
 * A reduction's output gradient `gy` broadcast back to the shape of its input `x` (the gradient
 * rule of reduceSum and reduceMean).
 */
export function spreadReduced(gy: Tensor, x: Tensor, axes: number[], keepdims: boolean): Tensor {
  const kept = keepdims || axes.length === 0 ? gy : unsqueeze(gy, axes);
  return expandLike(kept, x);
}

/** Sum over `axes` (default: all). */
export function reduceSum(x: Tensor, axes?: readonly number[], keepdims = false): Tensor {
  checkFloat('reduceSum', x);
  const ax = resolveAxes(x, axes, 'reduceSum');
  const g = x.graph;
  return g.node1('ReduceSum', [x, g.ints(ax)], reducedShape(x, ax, keepdims), x.dtype, {
    attrs: { keepdims: keepdims ? 1 : 0 },
    backward: (gy) => [spreadReduced(gy, x, ax, keepdims), null],
  });
}

/** Removes size-1 axes. */
export function squeeze(x: Tensor, axes: readonly number[]): Tensor {
  const ax = axes.map((a) => normAxis(a, x.rank, 'squeeze'));
  for (const a of ax)
    if (x.shape[a] !== 1 && typeof x.shape[a] === 'number') throw new GraphError(`squeeze: axis ${a} of ${x} is not 1`);
  const out = x.shape.filter((_, i) => !ax.includes(i));
  const g = x.graph;
  return g.node1('Squeeze', [x, g.ints(ax)], out, x.dtype, { backward: (gy) => [unsqueeze(gy, ax)] });
}

/** Inserts size-1 axes at the given positions of the output. */
export function unsqueeze(x: Tensor, axes: readonly number[]): Tensor {
  const rank = x.rank + axes.length;
  const ax = axes.map((a) => normAxis(a, rank, 'unsqueeze')).sort((a, b) => a - b);
  const out: Dim[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(ax.includes(i) ? 1 : x.shape[j++]!);
  const g = x.graph;
  return g.node1('Unsqueeze', [x, g.ints(ax)], out, x.dtype, { backward: (gy) => [squeeze(gy, ax)] });
}

/** Permutes axes (default: reverse them). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ? perm.map((a) => normAxis(a, x.rank, 'transpose')) : x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || new Set(p).size !== p.length) throw new GraphError(`transpose: perm [${perm}] is not a permutation of ${x.rank} axes`);
  const inverse = new Array<number>(p.length);
  p.forEach((a, i) => (inverse[a] = i));
  return x.graph.node1('Transpose', [x], p.map((a) => x.shape[a]!), x.dtype, {
    attrs: { perm: p },
    backward: (gy) => [transpose(gy, inverse)],
  });
}

/** Concatenates tensors along `axis`; all other dims must agree. */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (xs.length === 0) throw new GraphError('concat: needs at least one tensor');
  const first = xs[0]!;
  const ax = normAxis(axis, first.rank, 'concat');
  let total: Dim = 0;
  for (const t of xs) {
    if (t.rank !== first.rank || t.dtype !== first.dtype) throw new GraphError(`concat: ${t} does not match ${first}`);
    t.shape.forEach((d, i) => {
      if (i !== ax && d !== first.shape[i] && typeof d === 'number' && typeof first.shape[i] === 'number')
        throw new GraphError(`concat: ${t} and ${first} differ in dim ${i}`);
    });
    const d = t.shape[ax]!;
    total = typeof total === 'number' && typeof d === 'number' ? total + d : `concat_${ax}`;
  }
  const out = first.shape.map((d, i) => (i === ax ? total : d));
  if (typeof total !== 'number') throw new GraphError(`concat: axis ${ax} must be static in every input (gradients slice it back)`);
  return first.graph.node1('Concat', xs, out, first.dtype, {
    attrs: { axis: ax },
    backward: (gy, _y, needs) => {
      let start = 0;
      return xs.map((t, i) => {
        const len = t.shape[ax] as number;
        const r = needs[i] ? slice(gy, ax, start, start + len) : null;
        start += len;
        return r;
      });
    },
  });
}

/**
 * Slices `x[start:end]` along `axis` (step 1). The sliced axis must be static; negative indices
 * count from the end.
 */
export function slice(x: Tensor, axis: number, start: number, end: number): Tensor {
  const ax = normAxis(axis, x.rank, 'slice');
  const n = x.shape[ax];
  if (typeof n !== 'number') throw new GraphError(`slice: axis ${ax} of ${x} must be static`);
  const s = Math.max(0, Math.min(n, start < 0 ? start + n : start));
  const e = Math.max(s, Math.min(n, end < 0 ? end + n : end));
  if (e <= s) throw new GraphError(`slice: empty slice [${start}:${end}] of axis ${ax} of ${x}`);
  const g = x.graph;
  const out = x.shape.map((d, i) => (i === ax ? e - s : d));
  return g.node1('Slice', [x, g.ints([s]), g.ints([e]), g.ints([ax])], out, x.dtype, {
    backward: (gy) => {
      const pads = new Array<number>(2 * x.rank).fill(0);
      pads[ax] = s;
      pads[x.rank + ax] = n - e;
      return [gy.graph.node1('Pad', [gy, gy.graph.ints(pads)], x.shape, gy.dtype, { backward: (gg) => [slice(gg, ax, s, e)] })];
    },
  });
}

/**
 * Gathers rows: `out[i] = x[indices[i]]` along axis 0 (`indices`: int64 `[n]`). Repeated indices
 * accumulate in the gradient (ScatterND with add).
 */
export function gatherRows(x: Tensor, indices: Tensor): Tensor {
  if (indices.dtype !== 'int64' || indices.rank !== 1) throw new GraphError(`gatherRows: indices must be int64 [n], got ${indices}`);
  if (x.rank < 1) throw new GraphError(`gatherRows: x must have rank >= 1, got ${x}`);
  const g = x.graph;
  return g.node1('Gather', [x, indices], [indices.shape[0]!, ...x.shape.slice(1)], x.dtype, {
    attrs: { axis: 0 },
    backward: (gy) => {
      const zeros = zerosLike(x);
      const idx = unsqueeze(indices, [1]);
      return [g.node1('ScatterND', [zeros, idx, gy], x.shape, x.dtype, { attrs: { reduction: 'add' } }), null];
    },
  });
}

/** A tensor of zeros with the runtime shape of `like`. */
export function zerosLike(like: Tensor): Tensor {
  const g = like.graph;
  return expandLike(g.scalar(0, like.dtype), like);
}

/** A tensor of ones with the runtime shape of `like`. */
export function onesLike(like: Tensor): Tensor {
  const g = like.graph;
  return expandLike(g.scalar(1, like.dtype), like);
}
