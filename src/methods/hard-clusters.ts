/**
 * Hard-cluster updates done outside the network between training steps: k-means (Lloyd) steps on
 * the current embedding, and the agglomerative update — Ward merges of the current clusters, a
 * fraction at a time, JULE-style (Yang, Parikh & Batra 2016: merge while the representation
 * learns, from many small clusters down to k).
 */

/** Labels and centroids of a hard clustering of `n` points of width `dim`. */
export interface HardClusters {
  /** Cluster of each point, 0..count-1. */
  labels: Int32Array;
  /** `[count, dim]` row-major. */
  centroids: Float64Array;
  /** Points per cluster. */
  sizes: Int32Array;
  /** Number of clusters. */
  count: number;
}

/** Index of the centroid nearest to row i (squared Euclidean). */
function nearest(z: Float32Array, i: number, dim: number, centroids: Float64Array, count: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < count; c++) {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const t = z[i * dim + j]! - centroids[c * dim + j]!;
      s += t * t;
    }
    if (s < bestD) {
      bestD = s;
      best = c;
    }
  }
  return best;
}

/** Means of the points of each label (sizes too); empty clusters keep `fallback`'s row. */
export function centroidsOf(z: Float32Array, n: number, dim: number, labels: Int32Array, count: number, fallback?: Float64Array): { centroids: Float64Array; sizes: Int32Array } {
  const centroids = new Float64Array(count * dim);
  const sizes = new Int32Array(count);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    sizes[c]!++;
    for (let j = 0; j < dim; j++) centroids[c * dim + j]! += z[i * dim + j]!;
  }
  for (let c = 0; c < count; c++) {
    if (sizes[c]! > 0) for (let j = 0; j < dim; j++) centroids[c * dim + j]! /= sizes[c]!;
    else if (fallback) for (let j = 0; j < dim; j++) centroids[c * dim + j] = fallback[c * dim + j]!;
  }
  return { centroids, sizes };
}

/**
 * Lloyd iterations from the given centroids on a new embedding: assign each point to its nearest
 * centroid, recompute the means, until no label changes or `maxSteps`. Empty clusters are dropped
 * (labels renumbered) only when `dropEmpty`; otherwise they keep their old centroid.
 */
export function lloydRefine(z: Float32Array, n: number, dim: number, start: HardClusters, maxSteps: number, dropEmpty = false): HardClusters {
  let centroids: Float64Array = start.centroids;
  const count = start.count;
  const labels = new Int32Array(n);
  let sizes: Int32Array = new Int32Array(count);
  for (let step = 0; step < Math.max(1, maxSteps); step++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const c = nearest(z, i, dim, centroids, count);
      if (c !== labels[i] || step === 0) changed++;
      labels[i] = c;
    }
    ({ centroids, sizes } = centroidsOf(z, n, dim, labels, count, centroids));
    if (changed === 0) break;
  }
  const out: HardClusters = { labels, centroids, sizes, count };
  return dropEmpty ? compact(out, dim) : out;
}

/** Renumbers the non-empty clusters 0..count−1. */
export function compact(h: HardClusters, dim: number): HardClusters {
  const map = new Int32Array(h.count).fill(-1);
  let count = 0;
  for (let c = 0; c < h.count; c++) if (h.sizes[c]! > 0) map[c] = count++;
  if (count === h.count) return h;
  const centroids = new Float64Array(count * dim);
  const sizes = new Int32Array(count);
  for (let c = 0; c < h.count; c++)
    if (map[c]! >= 0) {
      centroids.set(h.centroids.subarray(c * dim, (c + 1) * dim), map[c]! * dim);
      sizes[map[c]!] = h.sizes[c]!;
    }
  return { labels: h.labels.map((l) => map[l]!), centroids, sizes, count };
}

/**
 * Merges clusters greedily by Ward's criterion — the pair whose union raises the within-cluster
 * sum of squares least, `n_a n_b / (n_a + n_b) ‖μ_a − μ_b‖²` — until `target` clusters remain.
 * Returns the merged clustering with labels renumbered 0..target−1.
 */
export function wardMerge(h: HardClusters, dim: number, target: number): HardClusters {
  const count = h.count;
  if (target >= count) return h;
  const mu = Float64Array.from(h.centroids);
  const size = Float64Array.from(h.sizes);
  const alive = new Uint8Array(count).fill(1);
  const parent = Int32Array.from({ length: count }, (_, i) => i);
  const cost = (a: number, b: number): number => {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const t = mu[a * dim + j]! - mu[b * dim + j]!;
      s += t * t;
    }
    return ((size[a]! * size[b]!) / Math.max(size[a]! + size[b]!, 1)) * s;
  };
  for (let left = count; left > target; left--) {
    let ba = -1;
    let bb = -1;
    let best = Infinity;
    for (let a = 0; a < count; a++) {
      if (!alive[a]) continue;
      for (let b = a + 1; b < count; b++) {
        if (!alive[b]) continue;
        const c = cost(a, b);
        if (c < best) {
          best = c;
          ba = a;
          bb = b;
        }
      }
    }
    const total = size[ba]! + size[bb]!;
    for (let j = 0; j < dim; j++) mu[ba * dim + j] = total > 0 ? (mu[ba * dim + j]! * size[ba]! + mu[bb * dim + j]! * size[bb]!) / total : mu[ba * dim + j]!;
    size[ba] = total;
    alive[bb] = 0;
    parent[bb] = ba;
  }
  const root = (c: number): number => (parent[c] === c ? c : (parent[c] = root(parent[c]!)));
  const map = new Int32Array(count).fill(-1);
  let next = 0;
  for (let c = 0; c < count; c++) if (alive[c]) map[c] = next++;
  const centroids = new Float64Array(target * dim);
  const sizes = new Int32Array(target);
  for (let c = 0; c < count; c++)
    if (alive[c]) {
      centroids.set(mu.subarray(c * dim, (c + 1) * dim), map[c]! * dim);
      sizes[map[c]!] = size[c]!;
    }
  return { labels: h.labels.map((l) => map[root(l)]!), centroids, sizes, count: target };
}

/** Number of clusters after one agglomerative stage: `max(k, ⌊count · rate⌋)`. */
export function nextClusterCount(count: number, k: number, rate: number): number {
  return Math.max(k, Math.min(count - 1, Math.floor(count * rate)));
}
