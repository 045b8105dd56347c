/**
 * HDBSCAN (Campello, Moulavi & Sander 2013; McInnes & Healy 2017): density-based clustering that
 * finds clusters of any shape and its own number of clusters. Mutual-reachability distances, their
 * minimum spanning tree (exact, O(n²) Prim — meant for up to ~10–20k rows; sample above that), the
 * single-linkage hierarchy, the condensed tree for a minimum cluster size, and excess-of-mass
 * selection of the most stable clusters. Rows in no selected cluster are noise (label −1).
 */
import { ParamError, describeValue } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { checkMatrix, intOption } from './_internal/validate.ts';

/** Options of {@link hdbscan}. */
export interface HdbscanOptions {
  /** Fewest rows a cluster may have. @defaultValue 5 */
  readonly minClusterSize?: number;
  /** Neighbours (the row itself included) whose farthest distance is a row's core distance. @defaultValue `minClusterSize` */
  readonly minSamples?: number;
}

/** Result of {@link hdbscan}. */
export interface HdbscanResult {
  /** Cluster of each row, 0..nClusters − 1, or −1 for noise. */
  readonly labels: Int32Array;
  /** Number of clusters found. */
  readonly nClusters: number;
  /** Excess-of-mass stability of each cluster (same order as the labels). */
  readonly stabilities: number[];
  /** Rows labelled noise. */
  readonly noise: number;
}

/**
 * The mutual-reachability minimum spanning tree of `x` as a single-linkage hierarchy, reusable for
 * several minimum cluster sizes (see {@link condenseAndSelect}); built by {@link hdbscanTree}.
 */
export interface HdbscanTree {
  /** Rows. */
  readonly n: number;
  /** Merge m (node n + m) joins `left[m]` and `right[m]` at distance `dist[m]`; nodes < n are rows. */
  readonly left: Int32Array;
  /** The other node of each merge. */
  readonly right: Int32Array;
  /** Mutual-reachability distance of each merge, ascending. */
  readonly dist: Float64Array;
  /** Rows under node n + m. */
  readonly size: Int32Array;
}

/**
 * Clusters the rows of `x` with HDBSCAN (excess-of-mass selection, no single all-rows cluster).
 *
 * @example
 * ```ts
 * const { labels, nClusters } = hdbscan(embedding, { minClusterSize: 50, minSamples: 10 });
 * ```
 * @throws ParamError for sizes below 2 or above the number of rows
 * @throws DataError for non-finite data
 */
export function hdbscan(x: Matrix, options: HdbscanOptions = {}): HdbscanResult {
  const where = 'hdbscan';
  checkMatrix(where, x, { minRows: 2 });
  const minClusterSize = intOption(where, 'minClusterSize', options.minClusterSize, 5, { min: 2, max: x.rows });
  const minSamples = intOption(where, 'minSamples', options.minSamples, Math.min(minClusterSize, x.rows), { min: 1, max: x.rows });
  return condenseAndSelect(hdbscanTree(x, minSamples), minClusterSize);
}

/**
 * Builds the single-linkage hierarchy of the mutual-reachability distances with core distances from
 * `minSamples` neighbours (the row itself counted). O(n²·d) time, O(n) memory.
 * @throws ParamError when `minSamples` is outside [1, n]
 */
export function hdbscanTree(x: Matrix, minSamples: number): HdbscanTree {
  const { rows: n, cols: d, data } = x;
  if (!Number.isInteger(minSamples) || minSamples < 1 || minSamples > n) throw new ParamError(`hdbscan: minSamples must be an integer in [1, ${n}], got ${describeValue(minSamples)}`);
  const core = coreDistances(data, n, d, minSamples - 1);
  // Prim's algorithm on the complete mutual-reachability graph
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  const from = new Int32Array(n).fill(-1);
  const ea = new Int32Array(n - 1);
  const eb = new Int32Array(n - 1);
  const ew = new Float64Array(n - 1);
  let cur = 0;
  inTree[0] = 1;
  for (let e = 0; e < n - 1; e++) {
    const cc = core[cur]!;
    const off = cur * d;
    let next = -1;
    let nextW = Infinity;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      let s = 0;
      const oj = j * d;
      for (let t = 0; t < d; t++) {
        const v = data[off + t]! - data[oj + t]!;
        s += v * v;
      }
      let w = Math.sqrt(s);
      if (w < cc) w = cc;
      if (w < core[j]!) w = core[j]!;
      if (w < best[j]!) {
        best[j] = w;
        from[j] = cur;
      }
      if (best[j]! < nextW) {
        nextW = best[j]!;
        next = j;
      }
    }
    ea[e] = from[next]!;
    eb[e] = next;
    ew[e] = nextW;
    inTree[next] = 1;
    cur = next;
  }
  // single-linkage merges in order of weight (stable: ties keep Prim's order)
  const order = Array.from({ length: n - 1 }, (_, i) => i).sort((p, q) => ew[p]! - ew[q]! || p - q);
  const parent = new Int32Array(2 * n - 1).map((_, i) => i);
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  const left = new Int32Array(n - 1);
  const right = new Int32Array(n - 1);
  const dist = new Float64Array(n - 1);
  const size = new Int32Array(n - 1);
  const sizeOf = (node: number) => (node < n ? 1 : size[node - n]!);
  order.forEach((e, m) => {
    const a = find(ea[e]!);
    const b = find(eb[e]!);
    left[m] = a;
    right[m] = b;
    dist[m] = ew[e]!;
    size[m] = sizeOf(a) + sizeOf(b);
    parent[a] = n + m;
    parent[b] = n + m;
  });
  return { n, left, right, dist, size };
}

/** Distance from each row to its `k`-th nearest other row (0 for k = 0). */
function coreDistances(data: Float32Array | Float64Array, n: number, d: number, k: number): Float64Array {
  const core = new Float64Array(n);
  if (k === 0) return core;
  const top = new Float64Array(k); // the k smallest squared distances so far, ascending
  for (let i = 0; i < n; i++) {
    top.fill(Infinity);
    const oi = i * d;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      const oj = j * d;
      for (let t = 0; t < d; t++) {
        const v = data[oi + t]! - data[oj + t]!;
        s += v * v;
      }
      if (s >= top[k - 1]!) continue;
      let p = k - 1;
      while (p > 0 && top[p - 1]! > s) {
        top[p] = top[p - 1]!;
        p--;
      }
      top[p] = s;
    }
    core[i] = Math.sqrt(top[k - 1]!);
  }
  return core;
}

/**
 * Condenses a {@link HdbscanTree} for `minClusterSize` and selects clusters by excess of mass
 * (the root, i.e. a single cluster of all rows, is never selected).
 */
export function condenseAndSelect(tree: HdbscanTree, minClusterSize: number): HdbscanResult {
  const { n, left, right, dist, size } = tree;
  const sizeOf = (node: number) => (node < n ? 1 : size[node - n]!);
  // condensed tree: clusters 0..C-1 (0 = root); each row's cluster and lambda when it fell out
  const clusterParent: number[] = [-1];
  const birth: number[] = [0];
  const stability: number[] = [0];
  const pointCluster = new Int32Array(n);
  const pointLambda = new Float64Array(n);
  // duplicate rows merge at distance 0; cap their λ at that of the smallest positive distance
  let minPositive = Infinity;
  for (const v of dist) if (v > 0 && v < minPositive) minPositive = v;
  const lambdaOf = (m: number) => 1 / Math.max(dist[m]!, Number.isFinite(minPositive) ? minPositive : 1);
  const fallOut = (node: number, c: number, lambda: number) => {
    const stack = [node];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (v < n) {
        pointCluster[v] = c;
        pointLambda[v] = lambda;
      } else stack.push(left[v - n]!, right[v - n]!);
    }
  };
  if (n === 1) return { labels: new Int32Array([-1]), nClusters: 0, stabilities: [], noise: 1 };
  const stack: Array<[number, number]> = [[2 * n - 2, 0]]; // (hierarchy node, condensed cluster)
  while (stack.length > 0) {
    const [node, c] = stack.pop()!;
    if (node < n) {
      // a lone row reached while following a big branch (only when minClusterSize <= 1)
      pointCluster[node] = c;
      pointLambda[node] = Infinity;
      continue;
    }
    const m = node - n;
    const lambda = lambdaOf(m);
    const a = left[m]!;
    const b = right[m]!;
    const big = (v: number) => sizeOf(v) >= minClusterSize;
    if (big(a) && big(b)) {
      for (const v of [a, b]) {
        const id = clusterParent.length;
        clusterParent.push(c);
        birth.push(lambda);
        stability.push(0);
        stack.push([v, id]);
      }
    } else {
      for (const v of [a, b]) {
        if (big(v)) stack.push([v, c]);
        else fallOut(v, c, lambda);
      }
    }
  }
  const C = clusterParent.length;
  // stability(c) = Σ over rows leaving c (directly or as part of a child cluster) of (λ_leave − λ_birth(c))
  for (let i = 0; i < n; i++) {
    const c = pointCluster[i]!;
    const l = Number.isFinite(pointLambda[i]!) ? pointLambda[i]! : birth[c]!;
    stability[c]! += l - birth[c]!;
  }
  const childSize = new Float64Array(C);
  for (let i = 0; i < n; i++) childSize[pointCluster[i]!]!++;
  // rows that leave as part of child cluster ch count (birth(ch) − birth(c)) each in c
  for (let ch = C - 1; ch >= 1; ch--) {
    const p = clusterParent[ch]!;
    childSize[p]! += childSize[ch]!;
    stability[p]! += childSize[ch]! * (birth[ch]! - birth[p]!);
  }
  // excess of mass: children are created after their parents, so visit in reverse creation order
  const selected = new Uint8Array(C);
  const subtree = stability.slice();
  const childSum = new Float64Array(C);
  for (let c = C - 1; c >= 1; c--) {
    if (childSum[c]! > stability[c]!) subtree[c] = childSum[c]!;
    else {
      selected[c] = 1;
      subtree[c] = stability[c]!;
    }
    childSum[clusterParent[c]!]! += subtree[c]!;
  }
  // keep only the topmost selected clusters
  const label = new Int32Array(C).fill(-1);
  const stabilities: number[] = [];
  for (let c = 1; c < C; c++) {
    let p = clusterParent[c]!;
    let covered = false;
    while (p > 0) {
      if (selected[p]) covered = true;
      p = clusterParent[p]!;
    }
    if (selected[c] && !covered) {
      label[c] = stabilities.length;
      stabilities.push(stability[c]!);
    }
  }
  // each row gets its nearest selected ancestor's label
  const resolved = new Int32Array(C).fill(-2);
  const resolve = (c: number): number => {
    if (resolved[c] !== -2) return resolved[c]!;
    const r = label[c]! >= 0 ? label[c]! : c === 0 ? -1 : resolve(clusterParent[c]!);
    resolved[c] = r;
    return r;
  };
  const labels = new Int32Array(n);
  let noise = 0;
  for (let i = 0; i < n; i++) {
    labels[i] = resolve(pointCluster[i]!);
    if (labels[i]! < 0) noise++;
  }
  return { labels, nClusters: stabilities.length, stabilities, noise };
}
