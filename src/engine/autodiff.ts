/**
 * Reverse-mode automatic differentiation over a recorded {@link Graph}: appends the backward
 * graph as ordinary ONNX nodes and returns one gradient tensor per requested tensor.
 */
import { GraphError } from '../errors.ts';
import { type Tensor, fmtShape } from './graph.ts';
import { add } from './ops/elementwise.ts';
import { zerosLike } from './ops/shape.ts';

/** Options of {@link grad}. */
export interface GradOptions {
  /** Gradient of the loss itself (dL/dL); a scalar tensor lets a caller scale every gradient. Default 1. */
  seed?: Tensor;
}

/**
 * Gradients of a scalar `loss` with respect to each tensor in `wrt` (parameters, inputs or any
 * intermediate value).
 *
 * @remarks
 * - The walk is iterative, pruned to the ops between `wrt` and `loss`; it stops at
 *   non-differentiable ops (masks, `stopGradient`).
 * - A value used by several ops gets the sum of their gradients.
 * - A tensor the loss does not depend on gets zeros of its shape (no error).
 * @throws GraphError if `loss` is not a scalar, or a rule returns a gradient of the wrong shape.
 */
export function grad(loss: Tensor, wrt: readonly Tensor[], options: GradOptions = {}): Tensor[] {
  const g = loss.graph;
  if (loss.rank !== 0) throw new GraphError(`grad: the loss must be a scalar, got ${loss}`);
  if (loss.dtype !== 'float32' && loss.dtype !== 'float64') throw new GraphError(`grad: the loss must be float, got ${loss}`);
  for (const t of wrt) if (t.graph !== g) throw new GraphError(`grad: ${t} belongs to another graph`);

  const order = topoOrder(loss); // inputs before consumers
  const targets = new Set(wrt.map((t) => t.name));
  // Which tensors depend on a target (only those need gradients).
  const dependsOnTarget = new Set<string>();
  for (const t of order) {
    if (targets.has(t.name)) dependsOnTarget.add(t.name);
    else if (t.origin.kind === 'op' && t.origin.backward && t.origin.inputs.some((i) => dependsOnTarget.has(i.name))) dependsOnTarget.add(t.name);
  }

  const grads = new Map<string, Tensor>();
  if (dependsOnTarget.has(loss.name)) grads.set(loss.name, options.seed ?? g.scalar(1, loss.dtype));
  for (let k = order.length - 1; k >= 0; k--) {
    const y = order[k]!;
    const gy = grads.get(y.name);
    if (!gy || y.origin.kind !== 'op' || !y.origin.backward) continue;
    const { inputs, backward, op } = y.origin;
    const needs = inputs.map((i) => dependsOnTarget.has(i.name));
    if (!needs.some(Boolean)) continue;
    const gs = backward(gy, y, needs);
    // Rules may leave out trailing integer/bool inputs (shapes, axes, indices); never a float one.
    if (gs.length > inputs.length || inputs.slice(gs.length).some((t) => t.dtype === 'float32' || t.dtype === 'float64'))
      throw new GraphError(`grad: the rule of ${op} (${y.name}) returned ${gs.length} gradients for ${inputs.length} inputs`);
    inputs.forEach((x, i) => {
      const gx = gs[i];
      if (!needs[i] || !gx) return;
      if (!compatibleShapes(gx.shape, x.shape) || gx.dtype !== x.dtype)
        throw new GraphError(`grad: the rule of ${op} (${y.name}) gave a gradient ${gx} for input ${x}: shape ${fmtShape(gx.shape)} vs ${fmtShape(x.shape)}`);
      const prev = grads.get(x.name);
      grads.set(x.name, prev ? add(prev, gx) : gx);
    });
  }
  return wrt.map((t) => grads.get(t.name) ?? zerosLike(t));
}

function compatibleShapes(a: readonly (number | string)[], b: readonly (number | string)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i] || typeof d === 'string' || typeof b[i] === 'string');
}

/** Tensors that `root` depends on, in an order where every tensor comes after its inputs. */
export function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const state = new Map<string, 1 | 2>(); // 1 = on stack, 2 = done
  const stack: Array<{ t: Tensor; next: number }> = [{ t: root, next: 0 }];
  state.set(root.name, 1);
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const inputs = top.t.origin.kind === 'op' ? top.t.origin.inputs : [];
    if (top.next < inputs.length) {
      const child = inputs[top.next++]!;
      if (!state.has(child.name)) {
        state.set(child.name, 1);
        stack.push({ t: child, next: 0 });
      }
    } else {
      state.set(top.t.name, 2);
      order.push(top.t);
      stack.pop();
    }
  }
  return order;
}
