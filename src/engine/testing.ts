/**
 * Gradient checking: compares the engine's analytic gradients with float64 central differences,
 * running both through the real onnxruntime sessions. Used by the engine's tests and available
 * to anyone adding an op or a loss.
 */
import { Rng } from '../random.ts';
import { grad } from './autodiff.ts';
import { Graph, type Tensor } from './graph.ts';
import { mul } from './ops/elementwise.ts';
import { reduceSum } from './ops/shape.ts';
import { ParameterStore } from './params.ts';
import { compileFunction } from './runner.ts';

/** One differentiable argument of a checked function. */
export interface CheckedArg {
  readonly shape: readonly number[];
  /** Values (default: uniform in [-1, 1] from the check's seed). */
  readonly values?: ArrayLike<number>;
}

/** Result of {@link gradCheck}. */
export interface GradCheckResult {
  /** Largest element-wise relative error `|a − n| / max(|a|, |n|, floor)` over all arguments. */
  readonly maxRelError: number;
  /** Where it occurred. */
  readonly worst: { arg: number; index: number; analytic: number; numeric: number };
  /** The scalar value at the unperturbed point. */
  readonly value: number;
}

/**
 * Checks the gradients of `build(args)` w.r.t. every argument in float64.
 * A non-scalar result `y` is reduced to `Σ y ⊙ R` with a fixed random R, so every output element
 * contributes with a different weight.
 * @param h - finite-difference step
 * @param floor - denominator floor of the relative error (guards near-zero gradients)
 */
export async function gradCheck(
  build: (g: Graph, args: Tensor[]) => Tensor,
  args: readonly CheckedArg[],
  options: { seed?: number; h?: number; floor?: number } = {},
): Promise<GradCheckResult> {
  const { seed = 1, h = 1e-6, floor = 1e-6 } = options;
  const rng = new Rng(seed);
  const g = new Graph({ dtype: 'float64' });
  const store = new ParameterStore();
  const params = args.map((a, i) => {
    const n = a.shape.reduce((x, y) => x * y, 1);
    const values = a.values ? Float64Array.from(a.values) : Float64Array.from({ length: n }, () => 2 * rng.random() - 1);
    store.add(`arg${i}`, a.shape, values);
    return g.param(`arg${i}`, a.shape);
  });
  const y = build(g, params);
  for (const b of g.buffers) if (!store.has(b.name)) store.add(b.name, b.shape as number[], new Float64Array(b.shape.reduce<number>((a, d) => a * (d as number), 1)), false);
  let loss = y;
  if (y.rank > 0) {
    const n = y.shape.reduce<number>((a, d) => a * (d as number), 1);
    const weights = g.constant(Float64Array.from({ length: n }, () => 0.5 + rng.random()), y.shape as number[]);
    loss = reduceSum(mul(y, weights));
  }
  const grads = grad(loss, params);
  const outputs: Record<string, Tensor> = { loss };
  grads.forEach((t, i) => (outputs[`g${i}`] = t));
  const fn = await compileFunction(g, { outputs, store, runtime: { threads: 1 } });
  try {
    const base = await fn.run({});
    let worst = { arg: -1, index: -1, analytic: 0, numeric: 0 };
    let maxRel = 0;
    for (let i = 0; i < params.length; i++) {
      const data = store.get(`arg${i}`).data;
      const analytic = base[`g${i}`]!.data as Float64Array;
      for (let j = 0; j < data.length; j++) {
        const x0 = data[j]!;
        data[j] = x0 + h;
        const lp = ((await fn.run({})).loss!.data as Float64Array)[0]!;
        data[j] = x0 - h;
        const lm = ((await fn.run({})).loss!.data as Float64Array)[0]!;
        data[j] = x0;
        const numeric = (lp - lm) / (2 * h);
        const a = analytic[j]!;
        const rel = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), floor);
        if (!(rel <= maxRel)) {
          maxRel = Number.isNaN(rel) ? Infinity : rel;
          worst = { arg: i, index: j, analytic: a, numeric };
        }
      }
    }
    return { maxRelError: maxRel, worst, value: (base.loss!.data as Float64Array)[0]! };
  } finally {
    await fn.dispose();
  }
}
