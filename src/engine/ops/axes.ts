/** Axis bookkeeping shared by the reductions (shape.ts's reduceSum and reduce.ts). Not exported from the engine. */
import { type Dim, type Tensor, normAxis } from '../graph.ts';

/** The sorted, de-duplicated, non-negative axes a reduction named `op` reduces (default: all). */
export function resolveAxes(x: Tensor, axes: readonly number[] | undefined, op: string): number[] {
  const ax = (axes ?? x.shape.map((_, i) => i)).map((a) => normAxis(a, x.rank, op));
  return [...new Set(ax)].sort((a, b) => a - b);
}

/** The shape of `x` reduced over `axes`, with or without the kept size-1 dims. */
export function reducedShape(x: Tensor, axes: number[], keepdims: boolean): Dim[] {
  return keepdims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
}
