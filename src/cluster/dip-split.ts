/**
 * Estimating k by splitting (dip-means, Kalogeratos & Likas 2012, with a projected test): start
 * from k-means at the bottom of the range and split the most multimodal cluster — the lowest dip
 * p-value of its rows projected on the line between the centres of its own 2-means split — until
 * every cluster looks unimodal at a significance level, Bonferroni-corrected for the k tests.
 */
import type { Matrix } from '../matrix.ts';
import { pairTest } from './dip-merge.ts';
import { KMeans } from './kmeans.ts';

/** Options of {@link dipSplit}. */
export interface DipSplitOptions {
  /** Clusters of the initial k-means. */
  readonly start: number;
  /** Most clusters: splitting continues up to here so every k in `[start, stop]` gets a p-value. */
  readonly stop: number;
  /** With k clusters, the most multimodal one is split while its dip p-value × k is below this. @defaultValue 0.1 */
  readonly significance?: number;
  /** k-means restarts (the initial fit and each 2-means split). @defaultValue 3 */
  readonly nInit?: number;
  /** Seed of the k-means runs. @defaultValue 0 */
  readonly seed?: number;
  /** onnxruntime threads. */
  readonly threads?: number;
}

/** Result of {@link dipSplit}. */
export interface DipSplitResult {
  /** The first k, going up from `start`, at which no cluster has k·p < significance (`stop` if every k had one). */
  readonly k: number;
  /** For each k from `start` up to `stop`: the lowest split p-value among the k clusters, Bonferroni-adjusted (min(1, k·p)). */
  readonly pValues: Map<number, number>;
  /** Labels `0..k−1` of the rows at the chosen k. */
  readonly labels: Int32Array;
}

interface Candidate {
  p: number;
  /** √rows · dip: breaks ties (the more bimodal first). */
  z: number;
  halves: [Int32Array, Int32Array];
}

/**
 * Clusters smaller than this are not split: the 2-means axis is chosen to separate the rows, which
 * the dip test's null does not know, and on a dozen rows that alone often looks bimodal.
 */
const MIN_SPLIT_ROWS = 40;

/**
 * Fits k-means with `start` clusters, then repeatedly splits the cluster whose 2-means halves,
 * projected on the line between their centres, have the lowest dip p-value, up to `stop` clusters,
 * recording that lowest p-value at each k. Deterministic for a seed.
 */
export async function dipSplit(x: Matrix, o: DipSplitOptions): Promise<DipSplitResult> {
  const significance = o.significance ?? 0.1;
  const nInit = o.nInit ?? 3;
  const seed = o.seed ?? 0;
  const km = await new KMeans({ nClusters: o.start, nInit, seed, threads: o.threads }).fit(x);
  let clusters = groupsOf(km.labels, o.start);
  let splits = 0;
  const cache = new Map<string, Candidate | null>();
  const test = async (rows: Int32Array): Promise<Candidate | null> => {
    if (rows.length < MIN_SPLIT_ROWS) return null;
    const sub = subMatrix(x, rows);
    const two = await new KMeans({ nClusters: 2, nInit, seed: seed + 7919 * ++splits, threads: o.threads }).fit(sub);
    const halves: [number[], number[]] = [[], []];
    two.labels.forEach((l, i) => halves[l]!.push(rows[i]!));
    if (halves[0].length === 0 || halves[1].length === 0) return null;
    const d = x.cols;
    const c0 = Float64Array.from(two.clusterCenters.data.subarray(0, d), Number);
    const c1 = Float64Array.from(two.clusterCenters.data.subarray(d, 2 * d), Number);
    const h: [Int32Array, Int32Array] = [Int32Array.from(halves[0]), Int32Array.from(halves[1])];
    // as in the merge test: the larger half contributes at most twice the smaller's rows (those nearest it), so a small mode is not a shoulder
    const r = pairTest(x, h[0], h[1], c0, c1, { ratio: 2, fraction: 1, testRows: Infinity });
    return { p: r.p, z: r.z, halves: h };
  };
  // a cluster's test depends only on its rows (and the order of the splits, through the 2-means seeds)
  const cachedTest = async (rows: Int32Array): Promise<Candidate | null> => {
    const sig = rows.join(',');
    if (!cache.has(sig)) cache.set(sig, await test(rows));
    return cache.get(sig)!;
  };
  let candidates: (Candidate | null)[] = [];
  for (const c of clusters) candidates.push(await cachedTest(c));
  const pValues = new Map<number, number>();
  let chosen = -1;
  let labels = new Int32Array(x.rows);
  for (;;) {
    const k = clusters.length;
    let best = -1;
    candidates.forEach((c, i) => {
      if (c && (best < 0 || c.p < candidates[best]!.p || (c.p === candidates[best]!.p && c.z > candidates[best]!.z))) best = i;
    });
    // k tests at once: without the correction some cluster always looks multimodal at large k
    const p = best < 0 ? 1 : Math.min(1, k * candidates[best]!.p);
    pValues.set(k, p);
    if (chosen < 0 && (p >= significance || k >= o.stop)) {
      chosen = Math.max(o.start, Math.min(k, o.stop));
      clusters.forEach((g, c) => g.forEach((r) => (labels[r] = c)));
    }
    if (k >= o.stop || best < 0) break;
    const [h0, h1] = candidates[best]!.halves;
    const split = [...clusters.slice(0, best), h0, h1, ...clusters.slice(best + 1)];
    // refine all k + 1 clusters with Lloyd from their means (as dip-means), so an early split that cut a cluster badly is repaired
    const init = new Float64Array(split.length * x.cols);
    split.forEach((g, c) => init.set(meanOf(x, g), c * x.cols));
    const refined = await new KMeans({ nClusters: split.length, init: { data: init, rows: split.length, cols: x.cols }, nInit: 1, seed, threads: o.threads }).fit(x);
    const regrouped = groupsOf(refined.labels, split.length);
    // Lloyd may empty a cluster (e.g. duplicate rows): keep the plain split so k always grows
    clusters = regrouped.length === split.length ? regrouped : split;
    candidates = [];
    for (const c of clusters) candidates.push(await cachedTest(c));
  }
  if (chosen < 0) {
    chosen = Math.max(o.start, Math.min(clusters.length, o.stop));
    labels = new Int32Array(x.rows);
    clusters.forEach((g, c) => g.forEach((r) => (labels[r] = c)));
  }
  return { k: chosen, pValues, labels };
}

/** Row indices of each label, empty clusters dropped. */
function groupsOf(labels: Int32Array, k: number): Int32Array[] {
  const counts = new Int32Array(k);
  for (const l of labels) counts[l]!++;
  const groups = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(k);
  labels.forEach((l, i) => {
    groups[l]![fill[l]!++] = i;
  });
  return groups.filter((g) => g.length > 0);
}

function meanOf(x: Matrix, rows: Int32Array): Float64Array {
  const d = x.cols;
  const m = new Float64Array(d);
  for (const r of rows) for (let t = 0; t < d; t++) m[t]! += x.data[r * d + t]! / rows.length;
  return m;
}

function subMatrix(x: Matrix, rows: Int32Array): Matrix {
  const d = x.cols;
  const out = new Float64Array(rows.length * d);
  rows.forEach((r, i) => {
    for (let t = 0; t < d; t++) out[i * d + t] = x.data[r * d + t]!;
  });
  return { data: out, rows: rows.length, cols: d };
}
