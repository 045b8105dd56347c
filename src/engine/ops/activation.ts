/**
 * Activation functions and the numerically careful softmax family.
 */
import { type Tensor, checkFloat, normAxis } from '../graph.ts';
import { abs, add, exp, greater, log, mul, neg, sub, where } from './elementwise.ts';
import { reduceMax } from './reduce.ts';
import { cast, reduceSum, stopGradient, squeeze } from './shape.ts';

/** Largest float32; as HardSigmoid's slope it turns any positive value into exactly 1. */
const FLT_MAX = 3.4028234663852886e38;

/**
 * `max(x, 0)`.
 * @remarks The gradient is 0 at x = 0 (as in PyTorch). It is computed from the OUTPUT as
 * `gy * HardSigmoid(y, alpha=FLT_MAX, beta=0)`, an exact 0/1 mask: ONNX Runtime's Where/Sign are
 * slow scalar loops, and reading y (not the pre-activation) lets it fuse Gemm+Relu.
 */
export function relu(x: Tensor): Tensor {
  checkFloat('relu', x);
  return x.graph.node1('Relu', [x], x.shape, x.dtype, {
    backward: (gy, y) => [mul(gy, reluMask(y))],
  });
}

// 0/1 mask of y > 0. ONNX Runtime has HardSigmoid for float32 only; float64 uses Greater + Cast.
// DEEPCLUST_RELU_GRAD=where builds the old Greater+Cast mask (only for `bench engine-ab`).
function reluMask(y: Tensor): Tensor {
  if (y.dtype === 'float64' || process.env.DEEPCLUST_RELU_GRAD === 'where') return cast(greater(y, 0), y.dtype);
  return y.graph.node1('HardSigmoid', [y], y.shape, y.dtype, { attrs: { alpha: { float: FLT_MAX }, beta: { float: 0 } } });
}

/** `x > 0 ? x : alpha * x`. @param alpha - slope for negative inputs, default 0.01. */
export function leakyRelu(x: Tensor, alpha = 0.01): Tensor {
  checkFloat('leakyRelu', x);
  return x.graph.node1('LeakyRelu', [x], x.shape, x.dtype, {
    attrs: { alpha: { float: alpha } },
    backward: (gy) => [where(greater(x, 0), gy, mul(gy, alpha))],
  });
}

/** Logistic sigmoid `1 / (1 + e^-x)`; gradient `y (1 - y)`. */
export function sigmoid(x: Tensor): Tensor {
  checkFloat('sigmoid', x);
  return x.graph.node1('Sigmoid', [x], x.shape, x.dtype, {
    backward: (gy, y) => [mul(gy, mul(y, sub(1, y)))],
  });
}

/** Hyperbolic tangent; gradient `1 - y²`. */
export function tanh(x: Tensor): Tensor {
  checkFloat('tanh', x);
  return x.graph.node1('Tanh', [x], x.shape, x.dtype, {
    backward: (gy, y) => [mul(gy, sub(1, mul(y, y)))],
  });
}

/**
 * `log(1 + e^x)`; gradient sigmoid(x).
 * @remarks float32 uses ONNX Softplus; float64 (no ORT kernel) the stable `relu(x) + log(1 + e^−|x|)`.
 */
export function softplus(x: Tensor): Tensor {
  checkFloat('softplus', x);
  if (x.dtype === 'float64') return add(relu(x), log(add(exp(neg(abs(x))), 1)));
  return x.graph.node1('Softplus', [x], x.shape, x.dtype, {
    backward: (gy) => [mul(gy, sigmoid(x))],
  });
}

/** Softmax along `axis` (default last). Gradient `y ⊙ (gy − Σ gy⊙y)`. */
export function softmax(x: Tensor, axis = -1): Tensor {
  checkFloat('softmax', x);
  const ax = normAxis(axis, x.rank, 'softmax');
  return x.graph.node1('Softmax', [x], x.shape, x.dtype, {
    attrs: { axis: ax },
    backward: (gy, y) => [mul(y, sub(gy, reduceSum(mul(gy, y), [ax], true)))],
  });
}

/** Log-softmax along `axis` (default last). Gradient `gy − softmax(x) Σ gy`. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  checkFloat('logSoftmax', x);
  const ax = normAxis(axis, x.rank, 'logSoftmax');
  return x.graph.node1('LogSoftmax', [x], x.shape, x.dtype, {
    attrs: { axis: ax },
    backward: (gy, y) => [sub(gy, mul(exp(y), reduceSum(gy, [ax], true)))],
  });
}

/**
 * `log Σ exp(x)` over `axes`, stable: the max is subtracted first (and treated as a constant,
 * which leaves the value and gradient unchanged).
 */
export function logSumExp(x: Tensor, axes: readonly number[], keepdims = false): Tensor {
  const m = stopGradient(reduceMax(x, axes, true));
  const lse = add(log(reduceSum(exp(sub(x, m)), axes, true)), m);
  return keepdims ? lse : squeeze(lse, axes.map((a) => normAxis(a, x.rank, 'logSumExp')));
}
