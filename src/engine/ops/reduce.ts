/**
 * Reductions over axes, with or without kept dims. Gradients broadcast back (with runtime
 * shapes, so symbolic batch dims work).
 */
import { type Dim, type Tensor, checkFloat, normAxis } from '../graph.ts';
import { div, equal, mul } from './elementwise.ts';
import { cast, expandLike, sizeOf, unsqueeze } from './shape.ts';

function resolveAxes(x: Tensor, axes: readonly number[] | undefined, op: string): number[] {
  const ax = (axes ?? x.shape.map((_, i) => i)).map((a) => normAxis(a, x.rank, op));
  return [...new Set(ax)].sort((a, b) => a - b);
}

function reducedShape(x: Tensor, axes: number[], keepdims: boolean): Dim[] {
  return keepdims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
}

// gy (shape of the reduction's output) broadcast back to the input's shape.
function spread(gy: Tensor, x: Tensor, axes: number[], keepdims: boolean): Tensor {
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
    backward: (gy) => [spread(gy, x, ax, keepdims), null],
  });
}

/** Mean over `axes` (default: all). */
export function reduceMean(x: Tensor, axes?: readonly number[], keepdims = false): Tensor {
  checkFloat('reduceMean', x);
  const ax = resolveAxes(x, axes, 'reduceMean');
  return x.graph.node1('ReduceMean', [x], reducedShape(x, ax, keepdims), x.dtype, {
    attrs: { axes: ax, keepdims: keepdims ? 1 : 0 },
    backward: (gy, y) => [mul(spread(gy, x, ax, keepdims), div(sizeOf(y), sizeOf(x)))],
  });
}

function extremum(op: 'ReduceMax' | 'ReduceMin', x: Tensor, axes: readonly number[] | undefined, keepdims: boolean): Tensor {
  checkFloat(op, x);
  const ax = resolveAxes(x, axes, op);
  return x.graph.node1(op, [x], reducedShape(x, ax, keepdims), x.dtype, {
    attrs: { axes: ax, keepdims: keepdims ? 1 : 0 },
    // Ties share the gradient evenly: mask / count.
    backward: (gy, y) => {
      const yk = keepdims ? y : unsqueeze(y, ax);
      const mask = cast(equal(x, yk), x.dtype);
      const count = reduceSum(mask, ax, true);
      const gk = keepdims ? gy : unsqueeze(gy, ax);
      return [mul(expandLike(div(gk, count), x), mask)];
    },
  });
}

/** Maximum over `axes` (default: all); ties split the gradient evenly. */
export function reduceMax(x: Tensor, axes?: readonly number[], keepdims = false): Tensor {
  return extremum('ReduceMax', x, axes, keepdims);
}

/** Minimum over `axes` (default: all); ties split the gradient evenly. */
export function reduceMin(x: Tensor, axes?: readonly number[], keepdims = false): Tensor {
  return extremum('ReduceMin', x, axes, keepdims);
}

/** Index of the maximum along `axis` as int64 (not differentiable). */
export function argMax(x: Tensor, axis = -1, keepdims = false): Tensor {
  const ax = normAxis(axis, x.rank, 'argMax');
  return x.graph.node1('ArgMax', [x], reducedShape(x, [ax], keepdims), 'int64', { attrs: { axis: ax, keepdims: keepdims ? 1 : 0 } });
}

/** Index of the minimum along `axis` as int64 (not differentiable). */
export function argMin(x: Tensor, axis = -1, keepdims = false): Tensor {
  const ax = normAxis(axis, x.rank, 'argMin');
  return x.graph.node1('ArgMin', [x], reducedShape(x, [ax], keepdims), 'int64', { attrs: { axis: ax, keepdims: keepdims ? 1 : 0 } });
}
