/**
 * Element-wise ops with numpy broadcasting: arithmetic, exp/log/pow/sqrt, clip, and the
 * non-differentiable comparisons and `where` used for masks. Binary gradients un-broadcast.
 */
import { GraphError } from '../../errors.ts';
import { type Tensor, type DType, broadcastShapes, checkFloat } from '../graph.ts';
import { cast, unbroadcast } from './shape.ts';

/** A tensor, or a number that becomes a scalar constant of the other operand's dtype. */
export type TensorLike = Tensor | number;

function pair(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (typeof a === 'number' && typeof b === 'number') throw new GraphError(`${op}: at least one operand must be a tensor`);
  const ta = typeof a === 'number' ? (b as Tensor).graph.scalar(a, (b as Tensor).dtype) : a;
  const tb = typeof b === 'number' ? ta.graph.scalar(b, ta.dtype) : b;
  if (ta.graph !== tb.graph) throw new GraphError(`${op}: operands belong to different graphs`);
  if (ta.dtype !== tb.dtype) throw new GraphError(`${op}: dtype mismatch: ${ta} vs ${tb}`);
  return [ta, tb];
}

function binary(op: string, a: TensorLike, b: TensorLike, backward?: (gy: Tensor, y: Tensor, ta: Tensor, tb: Tensor, needs: readonly boolean[]) => Array<Tensor | null>, outDtype?: DType): Tensor {
  const [ta, tb] = pair(op, a, b);
  const shape = broadcastShapes(ta.shape, tb.shape, op);
  return ta.graph.node1(op, [ta, tb], shape, outDtype ?? ta.dtype, {
    backward: backward ? (gy, y, needs) => backward(gy, y, ta, tb, needs) : undefined,
  });
}

/** `a + b` with broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binary('Add', a, b, (gy, _y, ta, tb, n) => [n[0] ? unbroadcast(gy, ta.shape) : null, n[1] ? unbroadcast(gy, tb.shape) : null]);
}

/** `a - b` with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binary('Sub', a, b, (gy, _y, ta, tb, n) => [n[0] ? unbroadcast(gy, ta.shape) : null, n[1] ? unbroadcast(neg(gy), tb.shape) : null]);
}

/** `a * b` with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binary('Mul', a, b, (gy, _y, ta, tb, n) => [
    n[0] ? unbroadcast(mul(gy, tb), ta.shape) : null,
    n[1] ? unbroadcast(mul(gy, ta), tb.shape) : null,
  ]);
}

/** `a / b` with broadcasting. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binary('Div', a, b, (gy, y, ta, tb, n) => [
    n[0] ? unbroadcast(div(gy, tb), ta.shape) : null,
    n[1] ? unbroadcast(neg(div(mul(gy, y), tb)), tb.shape) : null, // d(a/b)/db = -y/b
  ]);
}

/**
 * `a ** b` with broadcasting. With a constant exponent only `a` gets a gradient.
 * @remarks The gradient w.r.t. `b` uses log(a), so it is NaN for a <= 0 (as in PyTorch).
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binary('Pow', a, b, (gy, y, ta, tb, n) => [
    n[0] ? unbroadcast(mul(gy, mul(tb, pow(ta, sub(tb, 1)))), ta.shape) : null,
    n[1] ? unbroadcast(mul(gy, mul(y, log(ta))), tb.shape) : null,
  ]);
}

/** Element-wise maximum (gradient to the larger operand; ties split evenly). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binary('Max', a, b, (gy, _y, ta, tb, n) => minMaxGrad(gy, ta, tb, n, greater));
}

/** Element-wise minimum (gradient to the smaller operand; ties split evenly). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binary('Min', a, b, (gy, _y, ta, tb, n) => minMaxGrad(gy, ta, tb, n, less));
}

function minMaxGrad(gy: Tensor, ta: Tensor, tb: Tensor, n: readonly boolean[], wins: (a: Tensor, b: Tensor) => Tensor): Array<Tensor | null> {
  const aWins = cast(wins(ta, tb), gy.dtype);
  const tie = cast(equal(ta, tb), gy.dtype);
  const wa = add(aWins, mul(tie, 0.5));
  return [n[0] ? unbroadcast(mul(gy, wa), ta.shape) : null, n[1] ? unbroadcast(mul(gy, sub(1, wa)), tb.shape) : null];
}

function unary(op: string, x: Tensor, backward: (gy: Tensor, y: Tensor) => Tensor, attrs?: Record<string, number>): Tensor {
  checkFloat(op, x);
  return x.graph.node1(op, [x], x.shape, x.dtype, { attrs, backward: (gy, y) => [backward(gy, y)] });
}

/** `-x`. */
export function neg(x: Tensor): Tensor {
  return unary('Neg', x, (gy) => neg(gy));
}

/** `|x|` (gradient sign(x), 0 at 0). */
export function abs(x: Tensor): Tensor {
  return unary('Abs', x, (gy) => mul(gy, x.graph.node1('Sign', [x], x.shape, x.dtype)));
}

/** `e^x`. */
export function exp(x: Tensor): Tensor {
  return unary('Exp', x, (gy, y) => mul(gy, y));
}

/** Natural logarithm. */
export function log(x: Tensor): Tensor {
  return unary('Log', x, (gy) => div(gy, x));
}

/** Square root (gradient infinite at 0). */
export function sqrt(x: Tensor): Tensor {
  return unary('Sqrt', x, (gy, y) => div(gy, mul(y, 2)));
}

/** `1 / x`. */
export function reciprocal(x: Tensor): Tensor {
  return unary('Reciprocal', x, (gy, y) => neg(mul(gy, mul(y, y))));
}

/** `x * x` (one Mul; gradient 2·x·gy). */
export function square(x: Tensor): Tensor {
  checkFloat('square', x);
  // Both inputs are x: the whole gradient goes through the first one.
  return x.graph.node1('Mul', [x, x], x.shape, x.dtype, { backward: (gy) => [mul(gy, mul(x, 2)), null] });
}

/**
 * Clamps to `[min, max]` (either may be omitted). The gradient passes where min <= x <= max.
 */
export function clip(x: Tensor, min?: number, max?: number): Tensor {
  checkFloat('clip', x);
  const g = x.graph;
  const lo = min === undefined ? null : g.scalar(min, x.dtype);
  const hi = max === undefined ? null : g.scalar(max, x.dtype);
  return g.node1('Clip', [x, lo, hi], x.shape, x.dtype, {
    backward: (gy) => {
      let mask: Tensor | undefined;
      const both = (m: Tensor) => (mask ? g.node1('And', [mask, m], x.shape, 'bool') : m);
      if (lo) mask = both(g.node1('GreaterOrEqual', [x, lo], x.shape, 'bool'));
      if (hi) mask = both(g.node1('LessOrEqual', [x, hi], x.shape, 'bool'));
      const bounds = [lo, hi].filter((t) => t !== null).map(() => null);
      return [mask ? mul(gy, cast(mask, x.dtype)) : gy, ...bounds];
    },
  });
}

/** `a == b` as a bool mask (not differentiable). */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return binary('Equal', a, b, undefined, 'bool');
}

/** `a > b` as a bool mask (not differentiable). */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return binary('Greater', a, b, undefined, 'bool');
}

/** `a < b` as a bool mask (not differentiable). */
export function less(a: TensorLike, b: TensorLike): Tensor {
  return binary('Less', a, b, undefined, 'bool');
}

/** Logical not of a bool mask. */
export function not(x: Tensor): Tensor {
  if (x.dtype !== 'bool') throw new GraphError(`not: expects a bool tensor, got ${x}`);
  return x.graph.node1('Not', [x], x.shape, 'bool');
}

/** Logical and of two bool masks (with broadcasting). */
export function and(a: Tensor, b: Tensor): Tensor {
  if (a.dtype !== 'bool' || b.dtype !== 'bool') throw new GraphError(`and: expects bool tensors, got ${a} and ${b}`);
  return a.graph.node1('And', [a, b], broadcastShapes(a.shape, b.shape, 'and'), 'bool');
}

/**
 * `cond ? a : b` element-wise with broadcasting; `cond` is a bool mask and gets no gradient.
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (cond.dtype !== 'bool') throw new GraphError(`where: condition must be bool, got ${cond}`);
  const [ta, tb] = pair('where', a, b);
  const shape = broadcastShapes(cond.shape, broadcastShapes(ta.shape, tb.shape, 'where'), 'where');
  const g = cond.graph;
  return g.node1('Where', [cond, ta, tb], shape, ta.dtype, {
    backward: (gy, _y, n) => {
      const zero = g.scalar(0, gy.dtype);
      return [
        null,
        n[1] ? unbroadcast(where(cond, gy, zero), ta.shape) : null,
        n[2] ? unbroadcast(where(cond, zero, gy), tb.shape) : null,
      ];
    },
  });
}
