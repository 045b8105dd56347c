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
 * - The silhouette kernels sum distances per cluster over tiles of at most a few thousand
 *   points; the callers add the tiles up in float64.
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

/** ‖c‖² − 2 x·c for every row of `x` `[n, d]` and every row of `c` `[k, d]`, given `cNorms` `[1, k]`: `[n, k]` (add ‖x‖² for squared distances). */
function partialDistances(x: Tensor, c: Tensor, cNorms: Tensor): Tensor {
  return add(gemm(x, c, { transB: true, alpha: -2 }), cNorms);
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
    const partial = partialDistances(g.input('x', ['n', 'd']), g.input('c', ['k', 'd']), g.input('cn', [1, 'k']));
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

// ---------------------------------------------------------------- nearest neighbours

/** The `k` smallest partial distances of each query row in one tile of base rows. */
export interface TileNeighbors {
  /** `[rows, k]`: ‖b‖² − 2 q·b, ascending (add ‖q‖² for the squared distance). */
  readonly partial: FloatArray;
  /** `[rows, k]`: their base-row indices within the tile (ONNX TopK: ties keep the lower index first). */
  readonly indices: BigInt64Array;
}

/**
 * The `k` nearest base rows of each query row by ‖b‖² − 2 q·b: one GEMM and one TopK, so the
 * `[rows, baseRows]` distance tile never leaves onnxruntime. `baseNorms` is `[baseRows]` = ‖b‖².
 */
export async function tileNearest(
  q: FloatArray,
  rows: number,
  b: FloatArray,
  baseRows: number,
  baseNorms: FloatArray,
  d: number,
  k: number,
  options: KernelRuntime = {},
): Promise<TileNeighbors> {
  const dtype = dtypeOf(q);
  const f = await compiled('knnTile', dtype, options, (g) => {
    const partial = partialDistances(g.input('q', ['m', 'd']), g.input('b', ['n', 'd']), g.input('bn', [1, 'n']));
    const kk = g.input('k', [1], { dtype: 'int64' });
    const [values, indices] = g.node('TopK', [partial, kk], [{ shape: ['m', 'kk'], dtype }, { shape: ['m', 'kk'], dtype: 'int64' }], { attrs: { axis: 1, largest: 0, sorted: 1 } });
    return { values: values!, indices: indices! };
  });
  const res = await f.run({ q: { data: q, dims: [rows, d] }, b: { data: b, dims: [baseRows, d] }, bn: { data: baseNorms, dims: [1, baseRows] }, k: { data: BigInt64Array.of(BigInt(k)), dims: [1] } });
  return { partial: res.values!.data as FloatArray, indices: res.indices!.data as BigInt64Array };
}

// ---------------------------------------------------------------- silhouette

/**
 * Tiles of the silhouette's symmetric distance matrix: the points are split into blocks of
 * `block` points; the kernels compute one `block × block` tile of Euclidean distances at a time
 * and reduce it per cluster with one-hot GEMMs — an off-diagonal tile (I, J) serves both the rows
 * of I (sums over the clusters of J) and the rows of J (sums over the clusters of I), so only
 * half of the n² distances are computed.
 */
export interface SilhouetteTiles {
  /** `[nb, block, d + 2]` augmented rows `[-2x, ‖x‖², 1]`, zero-padded. */
  readonly rows: FloatArray;
  /** `[nb, d + 2, block]` transposed columns `[x; 1; ‖x‖²]`, zero-padded. */
  readonly cols: FloatArray;
  /** `[nb, block, k]` one-hot of the labels (zero rows for padding). */
  readonly oneHot: FloatArray;
  readonly nb: number;
  readonly block: number;
  readonly k: number;
  readonly d2: number;
}

/** Builds the tiles of centred rows `x` (`[n, d]`), their squared norms (float64) and codes `0..k-1`. */
export function silhouetteTiles(x: FloatArray, n: number, d: number, norms: Float64Array, codes: Int32Array, k: number, block: number): SilhouetteTiles {
  const B = Math.min(block, n);
  const nb = Math.ceil(n / B);
  const d2 = d + 2;
  const Ctor = x instanceof Float64Array ? Float64Array : Float32Array;
  const rows = new Ctor(nb * B * d2);
  const cols = new Ctor(nb * d2 * B);
  const oneHot = new Ctor(nb * B * k);
  for (let i = 0; i < n; i++) {
    const b = Math.floor(i / B);
    const r = i - b * B;
    const ro = i * d2; // rows are [nb·B, d2] row-major: global row i
    const co = b * d2 * B + r;
    for (let t = 0; t < d; t++) {
      const v = x[i * d + t]!;
      rows[ro + t] = -2 * v;
      cols[co + t * B] = v;
    }
    rows[ro + d] = norms[i]!;
    rows[ro + d + 1] = 1;
    cols[co + d * B] = 1;
    cols[co + (d + 1) * B] = norms[i]!;
    oneHot[i * k + codes[i]!] = 1;
  }
  return { rows, cols, oneHot, nb, block: B, k, d2 };
}

/** Per-cluster distance sums of one tile: `rowSums` `[B, k]` for the rows of block I, and for I ≠ J `colSums` `[k, B]` for the rows of block J. */
export interface TileSums {
  readonly rowSums: FloatArray;
  readonly colSums?: FloatArray;
  /** On a diagonal tile, each row's distance to itself `[B]` (scikit-learn counts it as 0). */
  readonly self?: FloatArray;
}

/** Distance sums per cluster of tile (I, J) of {@link SilhouetteTiles}. */
export async function silhouetteTile(t: SilhouetteTiles, I: number, J: number, runtime: KernelRuntime = {}): Promise<TileSums> {
  const dtype = dtypeOf(t.rows);
  const { block: B, k, d2 } = t;
  const diagonal = I === J;
  const f = await compiled(diagonal ? 'silhouetteDiag' : 'silhouettePair', dtype, runtime, (g) => {
    const a = g.input('a', ['m', 'd2']);
    const bt = g.input('bt', ['d2', 'B']);
    const ohJ = g.input('ohJ', ['B', 'k']);
    const dist = sqrt(relu(matmul(a, bt))); // [m, B]
    const out: Record<string, Tensor> = { rowSums: matmul(dist, ohJ) };
    if (diagonal) {
      const selfIdx = g.input('selfIdx', ['m'], { dtype: 'int64' });
      out.self = g.node1('Gather', [reshape(dist, [-1]), selfIdx], ['m'], dtype, { attrs: { axis: 0 } });
    } else {
      const ohI = g.input('ohI', ['m', 'k']);
      out.colSums = gemm(ohI, dist, { transA: true });
    }
    return out;
  });
  const feeds: Record<string, { data: FloatArray | BigInt64Array; dims: number[] }> = {
    a: { data: t.rows.subarray(I * B * d2, (I + 1) * B * d2), dims: [B, d2] },
    bt: { data: t.cols.subarray(J * d2 * B, (J + 1) * d2 * B), dims: [d2, B] },
    ohJ: { data: t.oneHot.subarray(J * B * k, (J + 1) * B * k), dims: [B, k] },
  };
  if (diagonal) feeds.selfIdx = { data: selfIndices(B), dims: [B] };
  else feeds.ohI = { data: t.oneHot.subarray(I * B * k, (I + 1) * B * k), dims: [B, k] };
  const res = await f.run(feeds);
  return { rowSums: res.rowSums!.data as FloatArray, colSums: res.colSums?.data as FloatArray | undefined, self: res.self?.data as FloatArray | undefined };
}

const selfIndexCache = new Map<number, BigInt64Array>();
function selfIndices(B: number): BigInt64Array {
  let idx = selfIndexCache.get(B);
  if (!idx) {
    idx = new BigInt64Array(B);
    for (let r = 0; r < B; r++) idx[r] = BigInt(r * (B + 1));
    selfIndexCache.clear();
    selfIndexCache.set(B, idx);
  }
  return idx;
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
