/** Raw nodes compilers insert around user graphs (not differentiable, no shape inference). */
import type { NodeSpec } from '../graph.ts';

/** `out = stacked[iter]` along axis 0: one step's slice of a `[K, ...]` stacked input. */
export function gatherStep(stacked: string, iter: string, out: string): NodeSpec {
  return { opType: 'Gather', domain: '', inputs: [stacked, iter], outputs: [out], attrs: { axis: 0 }, name: out };
}
