/**
 * Reductions over axes, with or without kept dims (`reduceSum` lives in shape.ts, beside the
 * expand it inverts, so that the two families import each other in one direction only). Gradients broadcast back (with runtime
 * shapes, so symbolic batch dims work).
 */
import { type Tensor, checkFloat, normAxis } from '../graph.ts';
import { reducedShape, resolveAxes } from './axes.ts';
import { div, equal, mul } from './elementwise.ts';
import { cast, expandLike, reduceSum, sizeOf, spreadReduced, unsqueeze } from './shape.ts';

/** Mean over `axes` (default: all). */
export function reduceMean(x: Tensor, axes?: readonly number[], keepdims = false): Tensor {
  checkFloat('reduceMean', x);
  const ax = resolveAxes(x, axes, 'reduceMean');
  return x.graph.node1('ReduceMean', [x], reducedShape(x, ax, keepdims), x.dtype, {
    attrs: { axes: ax, keepdims: keepdims ? 1 : 0 },
    backward: (gy, y) => [mul(spreadReduced(gy, x, ax, keepdims), div(sizeOf(y), sizeOf(x)))],
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
