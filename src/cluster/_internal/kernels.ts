/**
 * The GEMM-heavy kernels of `cluster` and `metrics`, compiled with the engine
 * ({@link compileFunction}) into onnxruntime sessions. This is the only file of `cluster`/`metrics`
 * that builds graphs; everything else works on plain typed arrays.
 *
 * Every kernel has symbolic sizes (rows, features, clusters), so one session per
 * (kernel, dtype, threads) serves every call; sessions are cached for the life of the process.
 *
 * Precision notes:
 * - Distances use ‖x‖² − 2x·c + ‖c‖². Callers centre the data first (as scikit-learn does) so the
 *   norms stay small, and keep the norms themselves in float64.
 * - The silhouette kernel sums distances per cluster over column blocks of at most
 *   {@link SILHOUETTE_BLOCK} points; the callers add the blocks up in float64.
 */
import { type CompiledFunction, type Tensor, Graph, add, argMin, cast, compileFunction, gemm, matmul, reduceMin, relu, reshape, sqrt } from '../../engine/index.ts';

/** Float typed arrays the kernels take. */
export type FloatArray = Float32Array | Float64Array;
/** Float dtypes of the kernels. */
export type FloatDType = 'float32' | 'float64';

/** Threads and the like, passed to the engine's runtime. */
export interface KernelRuntime {
  /** onnxruntime intra-op threads. @defaultValue the engine's default (all cores) */
  readonly threads?: number;
}

/** Columns per block of the silhouette kernel (partial sums are added in float64 by the caller). */
export const SILHOUETTE_BLOCK = 2048;

const cache = new Map<string, Promise<CompiledFunction>>();

function compiled(name: string, dtype: FloatDType, runtime: KernelRuntime, build: (g: Graph) => Record<string, Tensor>): Promise<CompiledFunction> {
  const key = `${name}|${dtype}|${runtime.threads ?? 'default'}`;
  let f = cache.get(key);
  if (!f) {
    const g = new Graph({ dtype, namePrefix: `${name}_` });
    const outputs = build(g);
    // No spinning: the kernels run in loops with JavaScript work in between, often on shared machines.
    f = compileFunction(g, { outputs, runtime: { ...(runtime.threads === undefined ? {} : { threads: runtime.threads }), spinning: false } });
    cache.set(key, f);
    f.catch(() => cache.delete(key));
  }
  return f;
}

/** The dtype of a float typed array. */
export function dtypeOf(a: FloatArray): FloatDType {
  return a instanceof Float64Array ? 'float64' : 'float32';
}

// ---------------------------------------------------------------- nearest centre (Lloyd step)

/** Result of {@link assignNearest}. */
export interface Assignment {
  /** Nearest centre of each row (first one on ties), `[rows]`. */
  readonly labels: Int32Array;
  /** `min_j (‖c_j‖² − 2 x·c_j)` per row; add ‖x‖² to get the squared distance. `[rows]` */
  readonly minPartial: FloatArray;
  /** Per-centre sums of the rows assigned to it, `[k, d]` (only when asked). */
  readonly sums?: FloatArray;
}

/**
 * Assigns each row of `x` (`[rows, d]`) to its nearest centre among `centers` (`[k, d]`, same
 * dtype), given `centerNorms` = ‖c_j‖² (`[k]`), and optionally sums the rows per centre.
 */
export async function assignNearest(
  x: FloatArray,
  rows: number,
  d: number,
  centers: FloatArray,
  centerNorms: FloatArray,
  k: number,
  options: KernelRuntime & { sums?: boolean } = {},
): Promise<Assignment> {
  const dtype = dtypeOf(x);
  const f = await compiled('assign', dtype, options, (g) => {
    const xt = g.input('x', ['n', 'd']);
    const c = g.input('c', ['k', 'd']);
    const cn = g.input('cn', [1, 'k']);
    const partial = add(gemm(xt, c, { transB: true, alpha: -2 }), cn);
    return { labels: argMin(partial, 1), minPartial: reduceMin(partial, [1]) };
  });
  const xs = x.length === rows * d ? x : x.subarray(0, rows * d);
  const res = await f.run({ x: { data: xs, dims: [rows, d] }, c: { data: centers, dims: [k, d] }, cn: { data: centerNorms, dims: [1, k] } });
  const labels64 = res.labels!.data as BigInt64Array;
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) labels[i] = Number(labels64[i]!);
  let sums: FloatArray | undefined;
  if (options.sums) {
    // ScatterND's add reduction races when onnxruntime runs it on several threads, so it has
    // its own single-threaded session (it is memory-bound anyway).
    const s = await compiled('clusterSums', dtype, { threads: 1 }, (g) => {
      const xt = g.input('x', ['n', 'd']);
      const idx = g.input('labels', ['n', 1], { dtype: 'int64' });
      const zeros = g.input('zeros', ['k', 'd']);
      return { sums: g.node1('ScatterND', [zeros, idx, xt], ['k', 'd'], dtype, { attrs: { reduction: 'add' } }) };
    });
    const Ctor = dtype === 'float64' ? Float64Array : Float32Array;
    const out = await s.run({ x: { data: xs, dims: [rows, d] }, labels: { data: labels64, dims: [rows, 1] }, zeros: { data: new Ctor(k * d), dims: [k, d] } });
    sums = out.sums!.data as FloatArray;
  }
  return { labels, minPartial: res.minPartial!.data as FloatArray, sums };
}

// ---------------------------------------------------------------- products

/**
 * `op(a) · op(b)` with optional transposes, as one GEMM: `a` is `[ar, ac]`, `b` is `[br, bc]`
 * (row-major, same dtype); returns the row-major product.
 */
export async function product(
  a: FloatArray,
  ar: number,
  ac: number,
  b: FloatArray,
  br: number,
  bc: number,
  options: KernelRuntime & { transA?: boolean; transB?: boolean } = {},
): Promise<FloatArray> {
  const dtype = dtypeOf(a);
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const f = await compiled(`gemm${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`, dtype, options, (g) => {
    const at = g.input('a', ['ar', 'ac']);
    const bt = g.input('b', ['br', 'bc']);
    return { y: gemm(at, bt, { transA, transB }) };
  });
  const res = await f.run({ a: { data: a, dims: [ar, ac] }, b: { data: b, dims: [br, bc] } });
  return res.y!.data as FloatArray;
}

// ---------------------------------------------------------------- silhouette

/** Column layout shared by the silhouette calls of one data set (built once). */
export interface SilhouetteColumns {
  /** `[nb, d + 2, B]`: per block, the transposed columns `[x; 1; ‖x‖²]`, zero-padded. */
  readonly bt: FloatArray;
  /** `[nb, B, k]` one-hot of the labels (zero rows for padding). */
  readonly oneHot: FloatArray;
  readonly nb: number;
  readonly block: number;
  readonly k: number;
  readonly d2: number;
}

/**
 * Builds the column side of the silhouette kernel for centred rows `x` (`[n, d]`), their squared
 * norms (float64) and cluster codes `0..k-1`.
 */
export function silhouetteColumns(x: FloatArray, n: number, d: number, norms: Float64Array, codes: Int32Array, k: number): SilhouetteColumns {
  const block = Math.min(SILHOUETTE_BLOCK, n);
  const nb = Math.ceil(n / block);
  const d2 = d + 2;
  const Ctor = x instanceof Float64Array ? Float64Array : Float32Array;
  const bt = new Ctor(nb * d2 * block);
  const oneHot = new Ctor(nb * block * k);
  for (let i = 0; i < n; i++) {
    const b = Math.floor(i / block);
    const col = i - b * block;
    const o = b * d2 * block + col;
    for (let t = 0; t < d; t++) bt[o + t * block] = x[i * d + t]!;
    bt[o + d * block] = 1;
    bt[o + (d + 1) * block] = norms[i]!;
    oneHot[(b * block + col) * k + codes[i]!] = 1;
  }
  return { bt, oneHot, nb, block, k, d2 };
}

/** Result of {@link silhouetteChunk}. */
export interface SilhouetteChunk {
  /** `[nb, m, k]` per-block sums of distances from each chunk row to each cluster. */
  readonly blockSums: FloatArray;
  /** `[m]` the distance each row got to itself (to subtract; scikit-learn sets it to 0). */
  readonly self: FloatArray;
}

/**
 * Sums of Euclidean distances from `m` rows to every cluster, per column block.
 * @param rowsAug - `[m, d + 2]` augmented rows `[-2x, ‖x‖², 1]`
 * @param first - global index of the first row (to find each row's own column)
 */
export async function silhouetteChunk(rowsAug: FloatArray, m: number, first: number, cols: SilhouetteColumns, runtime: KernelRuntime = {}): Promise<SilhouetteChunk> {
  const dtype = dtypeOf(rowsAug);
  const f = await compiled('silhouette', dtype, runtime, (g) => {
    const a = g.input('a', ['m', 'd2']);
    const bt = g.input('bt', ['nb', 'd2', 'B']);
    const oh = g.input('oh', ['nb', 'B', 'k']);
    const selfIdx = g.input('selfIdx', ['m'], { dtype: 'int64' });
    const dist = sqrt(relu(matmul(a, bt))); // [nb, m, B]
    const self = g.node1('Gather', [reshape(dist, [-1]), selfIdx], ['m'], dtype, { attrs: { axis: 0 } });
    return { blockSums: matmul(dist, oh), self };
  });
  const { nb, block: B, k, d2 } = cols;
  const selfIdx = new BigInt64Array(m);
  for (let r = 0; r < m; r++) {
    const j = first + r;
    const b = Math.floor(j / B);
    selfIdx[r] = BigInt((b * m + r) * B + (j - b * B));
  }
  const res = await f.run({
    a: { data: rowsAug, dims: [m, d2] },
    bt: { data: cols.bt, dims: [nb, d2, B] },
    oh: { data: cols.oneHot, dims: [nb, B, k] },
    selfIdx: { data: selfIdx, dims: [m] },
  });
  return { blockSums: res.blockSums!.data as FloatArray, self: res.self!.data as FloatArray };
}

/**
 * Variant for many clusters: the columns are sorted by cluster (`bSorted`, `[n, d + 2]` rows
 * `[x, 1, ‖x‖²]`); returns the running sums of distances at each cluster's last column
 * (`[m, k]`, float64) and each row's distance to itself. Costs one more pass than the one-hot
 * kernel but no `n × k` one-hot.
 * @param ends - index of the last sorted column of each cluster
 * @param selfPos - sorted column of each chunk row
 */
export async function silhouetteChunkSorted(
  rowsAug: FloatArray,
  m: number,
  bSorted: FloatArray,
  n: number,
  d2: number,
  ends: BigInt64Array,
  selfPos: Int32Array,
  runtime: KernelRuntime = {},
): Promise<{ cumulative: Float64Array; self: FloatArray }> {
  const dtype = dtypeOf(rowsAug);
  const f = await compiled('silhouetteSorted', dtype, runtime, (g) => {
    const a = g.input('a', ['m', 'd2']);
    const b = g.input('b', ['n', 'd2']);
    const endsT = g.input('ends', ['k'], { dtype: 'int64' });
    const selfIdx = g.input('selfIdx', ['m'], { dtype: 'int64' });
    const dist = sqrt(relu(gemm(a, b, { transB: true }))); // [m, n]
    const cum = g.node1('CumSum', [cast(dist, 'float64'), g.constant([1], [], 'int64')], ['m', 'n'], 'float64');
    const atEnds = g.node1('Gather', [cum, endsT], ['m', 'k'], 'float64', { attrs: { axis: 1 } });
    const self = g.node1('Gather', [reshape(dist, [-1]), selfIdx], ['m'], dtype, { attrs: { axis: 0 } });
    return { cumulative: atEnds, self };
  });
  const selfIdx = new BigInt64Array(m);
  for (let r = 0; r < m; r++) selfIdx[r] = BigInt(r * n + selfPos[r]!);
  const res = await f.run({
    a: { data: rowsAug, dims: [m, d2] },
    b: { data: bSorted, dims: [n, d2] },
    ends: { data: ends, dims: [ends.length] },
    selfIdx: { data: selfIdx, dims: [m] },
  });
  return { cumulative: res.cumulative!.data as Float64Array, self: res.self!.data as FloatArray };
}
