/**
 * The GEMM kernels of the Gaussian mixture (float64, onnxruntime through the engine): the
 * Mahalanobis terms of the E-step and the responsibility-weighted sums of the M-step. Sessions
 * are cached per (kernel, k, d, threads) for the life of the process.
 */
import { type CompiledFunction, type Tensor, Graph, add, compileFunction, gemm, matmul, mul, reduceSum, reshape, square, sub, transpose, unsqueeze } from '../../engine/index.ts';
import type { KernelRuntime } from './kernels.ts';

const cache = new Map<string, Promise<CompiledFunction>>();

function compiled(key: string, runtime: KernelRuntime, build: (g: Graph) => Record<string, Tensor>): Promise<CompiledFunction> {
  const full = `${key}|${runtime.threads ?? 'default'}`;
  let f = cache.get(full);
  if (!f) {
    const g = new Graph({ dtype: 'float64', namePrefix: `${key.replace(/\W/g, '_')}_` });
    const outputs = build(g);
    f = compileFunction(g, { outputs, runtime: { ...(runtime.threads === undefined ? {} : { threads: runtime.threads }), spinning: false } });
    cache.set(full, f);
    f.catch(() => cache.delete(full));
  }
  return f;
}

/**
 * `‖(x − μ_j)ᵀ P_j‖²` for every row and component (full and tied covariances): `x` `[n, d]`,
 * `w` `[d, k·d]` the precision Cholesky factors side by side, `b` `[k·d]` the products `μ_j P_j`.
 * @returns `[n, k]` row-major
 */
export async function mahalanobisFull(x: Float64Array, n: number, d: number, w: Float64Array, b: Float64Array, k: number, runtime: KernelRuntime): Promise<Float64Array> {
  const f = await compiled(`gmmMahaFull_k${k}_d${d}`, runtime, (g) => {
    const xt = g.input('x', ['n', d]);
    const wt = g.input('w', [d, k * d]);
    const bt = g.input('b', [1, k * d]);
    const y = square(sub(gemm(xt, wt), bt));
    return { maha: reduceSum(reshape(y, [0, k, d]), [2]) };
  });
  const res = await f.run({ x: { data: x, dims: [n, d] }, w: { data: w, dims: [d, k * d] }, b: { data: b, dims: [1, k * d] } });
  return res.maha!.data as Float64Array;
}

/**
 * `Σ_t p_jt (x_t − μ_jt)²` (diagonal and spherical covariances) as `x²·pᵀ − 2 x·(μp)ᵀ + Σ μ²p`:
 * `p` `[k, d]` precisions, `mp` `[k, d]` = μ·p, `c` `[k]` = Σ_t μ²p.
 * @returns `[n, k]` row-major
 */
export async function mahalanobisDiag(x: Float64Array, n: number, d: number, p: Float64Array, mp: Float64Array, c: Float64Array, k: number, runtime: KernelRuntime): Promise<Float64Array> {
  const f = await compiled('gmmMahaDiag', runtime, (g) => {
    const xt = g.input('x', ['n', 'd']);
    const pt = g.input('p', ['k', 'd']);
    const mpt = g.input('mp', ['k', 'd']);
    const ct = g.input('c', [1, 'k']);
    return { maha: add(sub(gemm(square(xt), pt, { transB: true }), gemm(xt, mpt, { transB: true, alpha: 2 })), ct) };
  });
  const res = await f.run({ x: { data: x, dims: [n, d] }, p: { data: p, dims: [k, d] }, mp: { data: mp, dims: [k, d] }, c: { data: c, dims: [1, k] } });
  return res.maha!.data as Float64Array;
}

/**
 * Responsibility-weighted sums of one chunk: `sx = rᵀx` `[k, d]` and, for full covariances,
 * `sxx_j = xᵀ diag(r_j) x` `[k, d, d]`, or for diagonal ones `rᵀ x²` `[k, d]`.
 */
export async function weightedSums(x: Float64Array, n: number, d: number, r: Float64Array, k: number, second: 'full' | 'diag' | 'none', runtime: KernelRuntime): Promise<{ sx: Float64Array; sxx?: Float64Array }> {
  const f = await compiled(`gmmStats_${second}`, runtime, (g) => {
    const xt = g.input('x', ['n', 'd']);
    const rt = g.input('r', ['n', 'k']);
    const out: Record<string, Tensor> = { sx: gemm(rt, xt, { transA: true }) };
    if (second === 'diag') out.sxx = gemm(rt, square(xt), { transA: true });
    if (second === 'full') {
      const xw = mul(unsqueeze(transpose(rt, [1, 0]), [2]), xt); // [k, n, d]
      out.sxx = matmul(transpose(xw, [0, 2, 1]), xt); // [k, d, d]
    }
    return out;
  });
  const res = await f.run({ x: { data: x, dims: [n, d] }, r: { data: r, dims: [n, k] } });
  return { sx: res.sx!.data as Float64Array, sxx: res.sxx?.data as Float64Array | undefined };
}
