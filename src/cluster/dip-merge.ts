/**
 * Estimating k by merging (DipDECK's dip-based similarity, Leiber et al. 2021, without the
 * network): over-cluster with k-means, then repeatedly merge the pair of clusters whose points,
 * projected on the line between their centres, look most unimodal by Hartigan's dip test, until
 * no pair is unimodal at a significance level.
 */
import type { Matrix } from '../matrix.ts';
import { dipOfSorted, dipPValue } from './dip.ts';
import { KMeans } from './kmeans.ts';

/** Options of {@link dipMerge}. */
export interface DipMergeOptions {
  /** Clusters of the initial k-means. */
  readonly start: number;
  /** Fewest clusters: merging continues down to here so every k in `[stop, start]` gets a p-value. */
  readonly stop: number;
  /** A pair whose projection has a dip p-value at or above this is merged. @defaultValue 0.1 */
  readonly significance?: number;
  /**
   * Each cluster of a pair contributes at most this fraction of its rows, those nearest the other
   * cluster's centre, so the test looks at the region where the two meet: two adjacent pieces of
   * a curved cluster (an arc, an L) project unimodally there, though the whole arc projects as a
   * U. 1 uses whole clusters (as DipDECK). @defaultValue 0.5
   */
  readonly pairFraction?: number;
  /** The larger cluster of a pair contributes at most this many times the smaller one's rows (its rows nearest the smaller one's centre), so a small cluster is not a mere shoulder of a large one. @defaultValue 2 */
  readonly sizeRatio?: number;
  /**
   * The p-value of a pair is taken at `min(rows, testRows)` rows (the dip itself from all of them),
   * so that the test's power, and with it k, does not grow with the sample: a pair is kept apart
   * for the size of its dip, not for the number of its rows. @defaultValue Infinity (all rows, as DipDECK)
   */
  readonly testRows?: number;
  /** k-means restarts. @defaultValue 3 */
  readonly nInit?: number;
  /** Seed of the k-means. @defaultValue 0 */
  readonly seed?: number;
  /** onnxruntime threads. */
  readonly threads?: number;
}

/** One merge of {@link dipMerge}. */
export interface DipMerge {
  /** Clusters before the merge. */
  readonly k: number;
  /** The merged pair's p-value (the highest of all pairs at k). */
  readonly pValue: number;
  /** Its dip statistic. */
  readonly dip: number;
  /** Rows of its projection. */
  readonly rows: number;
  /** Rows of the two clusters. */
  readonly sizes: [number, number];
}

/** Result of {@link dipMerge}. */
export interface DipMergeResult {
  /** The first k, going down from `start`, at which no pair has p ≥ significance (`stop` if every k had one). */
  readonly k: number;
  /** For each k from `start` down to `stop`: the highest pair p-value among the k clusters. */
  readonly pValues: Map<number, number>;
  /** The merges, from `start` clusters down to `stop`. */
  readonly merges: DipMerge[];
  /** Labels `0..k−1` of the rows at the chosen k. */
  readonly labels: Int32Array;
}

/** Rows a cluster contributes to a pair test at least (all of them if it has fewer), whatever `pairFraction`: tiny samples cannot reject unimodality. */
const MIN_SIDE_ROWS = 20;

/** Which rows of a pair {@link pairTest} projects and at how many rows it takes the p-value. */
export interface PairRule {
  /** The larger cluster contributes at most `ratio` × the smaller one's rows. */
  ratio: number;
  /** Each cluster contributes at most this fraction of its rows (at least {@link MIN_SIDE_ROWS}). */
  fraction: number;
  /** The p-value is taken at min(rows, testRows) rows. */
  testRows: number;
}

/** Result of {@link pairTest}. */
export interface PairTest {
  p: number;
  /** √rows · dip: breaks ties between pairs of equal p (the less bimodal one first). */
  z: number;
  dip: number;
  rows: number;
}

/**
 * Over-clusters `x` with k-means at `start` clusters, then merges the most unimodal pair (highest
 * dip p-value of the two clusters' rows projected on the line between their centres; the merged
 * cluster's centre is its rows' mean, its rows the union) until `stop` clusters, recording the
 * highest pair p-value at each k. Deterministic for a seed.
 */
export async function dipMerge(x: Matrix, o: DipMergeOptions): Promise<DipMergeResult> {
  const significance = o.significance ?? 0.1;
  const rule: PairRule = { ratio: o.sizeRatio ?? 2, fraction: o.pairFraction ?? 0.5, testRows: o.testRows ?? Infinity };
  const n = x.rows;
  const km = await new KMeans({ nClusters: o.start, nInit: o.nInit ?? 3, seed: o.seed ?? 0, threads: o.threads }).fit(x);
  // clusters by slot; a merged pair keeps the lower slot
  const members: (Int32Array | null)[] = [];
  for (let c = 0; c < o.start; c++) members.push(null);
  const counts = new Int32Array(o.start);
  for (const l of km.labels) counts[l]!++;
  const fill = new Int32Array(o.start);
  for (let c = 0; c < o.start; c++) if (counts[c]! > 0) members[c] = new Int32Array(counts[c]!);
  km.labels.forEach((l, i) => {
    members[l]![fill[l]!++] = i;
  });
  const centres: (Float64Array | null)[] = members.map((m) => (m ? centreOf(x, m) : null));
  const tests = new Map<number, PairTest>();
  const key = (a: number, b: number) => a * o.start + b;
  const live = () => members.flatMap((m, c) => (m ? [c] : []));
  for (const a of live()) for (const b of live()) if (a < b) tests.set(key(a, b), pairTest(x, members[a]!, members[b]!, centres[a]!, centres[b]!, rule));
  const pValues = new Map<number, number>();
  const merges: DipMerge[] = [];
  let chosen = -1;
  let chosenLabels: Int32Array | null = null;
  let k = live().length;
  for (;;) {
    let bestKey = -1;
    let best: PairTest | null = null;
    for (const [kk, t] of tests) if (best === null || t.p > best.p || (t.p === best.p && (t.z < best.z || (t.z === best.z && kk < bestKey)))) [best, bestKey] = [t, kk];
    const p = best === null ? 0 : best.p;
    if (k <= o.start) pValues.set(k, p);
    if (chosen < 0 && (p < significance || k <= o.stop)) {
      chosen = Math.max(k, o.stop);
      chosenLabels = labelsOf(members, n);
    }
    if (k <= o.stop || best === null) break;
    const a = Math.floor(bestKey / o.start);
    const b = bestKey % o.start;
    merges.push({ k, pValue: best.p, dip: best.dip, rows: best.rows, sizes: [members[a]!.length, members[b]!.length] });
    const union = new Int32Array(members[a]!.length + members[b]!.length);
    union.set(members[a]!);
    union.set(members[b]!, members[a]!.length);
    members[a] = union;
    members[b] = null;
    centres[a] = centreOf(x, union);
    centres[b] = null;
    for (const c of live()) {
      tests.delete(key(Math.min(b, c), Math.max(b, c)));
      if (c !== a) tests.set(key(Math.min(a, c), Math.max(a, c)), pairTest(x, members[Math.min(a, c)]!, members[Math.max(a, c)]!, centres[Math.min(a, c)]!, centres[Math.max(a, c)]!, rule));
    }
    tests.delete(key(Math.min(a, b), Math.max(a, b)));
    k--;
  }
  return { k: chosen, pValues, merges, labels: chosenLabels! };
}

function centreOf(x: Matrix, rows: Int32Array): Float64Array {
  const d = x.cols;
  const c = new Float64Array(d);
  for (const r of rows) for (let t = 0; t < d; t++) c[t]! += x.data[r * d + t]!;
  for (let t = 0; t < d; t++) c[t]! /= rows.length;
  return c;
}

/** Labels 0..k−1 by slot order. */
function labelsOf(members: (Int32Array | null)[], n: number): Int32Array {
  const labels = new Int32Array(n);
  let l = 0;
  for (const m of members) {
    if (!m) continue;
    for (const r of m) labels[r] = l;
    l++;
  }
  return labels;
}

/** The `m` rows of `rows` nearest `centre`. */
function nearest(x: Matrix, d: number, rows: Int32Array, centre: Float64Array, m: number): Int32Array {
  if (m >= rows.length) return rows;
  const dist = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += (x.data[r * d + t]! - centre[t]!) ** 2;
    dist[i] = s;
  });
  const order = Array.from(rows.keys()).sort((i, j) => dist[i]! - dist[j]! || i - j);
  return Int32Array.from(order.slice(0, m), (i) => rows[i]!);
}

/** Dip test of two clusters' rows (each side's rows nearest the other's centre, by `rule`) projected on the line from centre a to centre b. */
export function pairTest(x: Matrix, ra: Int32Array, rb: Int32Array, ca: Float64Array, cb: Float64Array, { ratio, fraction, testRows }: PairRule): PairTest {
  const d = x.cols;
  // each side's rows nearest the other's centre: the region where the two meet
  const take = (own: number, other: number) => Math.min(own, Math.max(Math.ceil(fraction * own), MIN_SIDE_ROWS), Math.ceil(ratio * other));
  const a = nearest(x, d, ra, cb, take(ra.length, rb.length));
  const b = nearest(x, d, rb, ca, take(rb.length, ra.length));
  const dir = new Float64Array(d);
  for (let t = 0; t < d; t++) dir[t] = cb[t]! - ca[t]!;
  const proj = new Float64Array(a.length + b.length);
  let i = 0;
  for (const part of [a, b])
    for (const r of part) {
      let s = 0;
      for (let t = 0; t < d; t++) s += x.data[r * d + t]! * dir[t]!;
      proj[i++] = s;
    }
  proj.sort();
  if (proj.length < 4) return { p: 1, z: 0, dip: 0, rows: proj.length };
  const dip = dipOfSorted(proj);
  const m = Math.max(4, Math.min(proj.length, testRows));
  return { p: dipPValue(dip, m), z: Math.sqrt(m) * dip, dip, rows: proj.length };
}
