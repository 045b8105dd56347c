/**
 * Hartigan's dip test of unimodality (J. A. Hartigan & P. M. Hartigan 1985, algorithm AS 217 by
 * P. M. Hartigan 1985): the dip of a sample is the largest distance between its empirical
 * distribution function and the closest unimodal distribution function. Its p-value comes from a
 * seeded simulation of the dip of uniform samples (the least favourable unimodal null), cached per
 * sample size on a grid and interpolated between grid sizes.
 */
import { ParamError, describeValue } from '../errors.ts';
import { Rng } from '../random.ts';

/** Result of {@link dipTest}. */
export interface DipTestResult {
  /** The dip statistic, in `[1/(2n), 1/4]` for n ≥ 4 distinct values (0 for fewer or all equal). */
  readonly dip: number;
  /** Probability of a dip at least this large under the uniform null (large: looks unimodal). */
  readonly pValue: number;
  /** Sample size. */
  readonly n: number;
}

/** Uniform samples simulated per grid size for the null distribution. */
export const DIP_NULL_SAMPLES = 2000;
/** Largest simulated sample size; above it √n·dip is taken as having reached its limit distribution. */
export const DIP_NULL_MAX_N = 4096;

/**
 * The dip statistic of `sorted` (ascending; not checked for speed — use {@link dip} for unsorted
 * values). Follows AS 217: the greatest convex minorant and the least concave majorant of the
 * empirical distribution are built once as linked change points, then the modal interval
 * `[low, high]` shrinks until the largest distance between the two inside it no longer exceeds
 * the dip found outside it.
 */
export function dipOfSorted(sorted: ArrayLike<number>): number {
  const x = sorted;
  const n = x.length;
  if (n < 4 || x[n - 1] === x[0]) return 0;
  // previous change point of the convex minorant of x[0..j], and next one of the concave majorant of x[k..n-1]
  const gcmPrev = new Int32Array(n);
  for (let j = 1; j < n; j++) {
    let p = j - 1;
    while (p > 0) {
      const pp = gcmPrev[p]!;
      if ((x[j]! - x[p]!) * (p - pp) < (x[p]! - x[pp]!) * (j - p)) break; // slopes still increase: p stays a vertex
      p = pp;
    }
    gcmPrev[j] = p;
  }
  const lcmNext = new Int32Array(n);
  lcmNext[n - 1] = n - 1;
  for (let k = n - 2; k >= 0; k--) {
    let q = k + 1;
    while (q < n - 1) {
      const qq = lcmNext[q]!;
      if ((x[k]! - x[q]!) * (q - qq) < (x[q]! - x[qq]!) * (k - q)) break; // slopes still decrease
      q = qq;
    }
    lcmNext[k] = q;
  }
  // distances are in counts (n × distribution function); the dip is the largest one / (2n)
  const gcm = new Int32Array(n + 1);
  const lcm = new Int32Array(n + 1);
  let best = 1; // as R's diptest with min.is.0 = FALSE: a sample's dip is at least 1/(2n)
  let low = 0;
  let high = n - 1;
  for (;;) {
    // the minorant's vertices from high down to low, the majorant's from low up to high
    let gLast = 0;
    gcm[0] = high;
    while (gcm[gLast]! > low) {
      gcm[gLast + 1] = gcmPrev[gcm[gLast]!]!;
      gLast++;
    }
    let lLast = 0;
    lcm[0] = low;
    while (lcm[lLast]! < high) {
      lcm[lLast + 1] = lcmNext[lcm[lLast]!]!;
      lLast++;
    }
    // walk both vertex lists in increasing x, measuring majorant − minorant at each vertex
    let gAt = gLast;
    let lAt = lLast;
    let widest = 0;
    if (gLast !== 1 || lLast !== 1) {
      let ix = gLast - 1;
      let iv = 1;
      do {
        const g = gcm[ix]!;
        const l = lcm[iv]!;
        let dist: number;
        if (g > l) {
          // next vertex is the majorant's: compare with the minorant's segment gcm[ix+1] → g
          const g0 = gcm[ix + 1]!;
          dist = l - g0 + 1 - segmentRise(x, g0, g, l);
          iv++;
          if (dist >= widest) {
            widest = dist;
            gAt = ix + 1;
            lAt = iv - 1;
          }
        } else {
          // next vertex is the minorant's: compare with the majorant's segment lcm[iv-1] → l
          const l0 = lcm[iv - 1]!;
          dist = segmentRise(x, l0, l, g) - (g - l0 - 1);
          ix--;
          if (dist >= widest) {
            widest = dist;
            gAt = ix + 1;
            lAt = iv;
          }
        }
        if (ix < 0) ix = 0;
        if (iv > lLast) iv = lLast;
      } while (gcm[ix] !== lcm[iv]);
    }
    if (widest < best) break;
    // the largest deviation of the data from the minorant below gAt and from the majorant above lAt
    let inner = 0;
    for (let j = gAt; j < gLast; j++) inner = Math.max(inner, deviationBelow(x, gcm[j + 1]!, gcm[j]!));
    for (let j = lAt; j < lLast; j++) inner = Math.max(inner, deviationAbove(x, lcm[j]!, lcm[j + 1]!));
    if (inner > best) best = inner;
    if (low === gcm[gAt] && high === lcm[lAt]) break;
    low = gcm[gAt]!;
    high = lcm[lAt]!;
  }
  return best / (2 * n);
}

/** Height in counts, above index a, of the line from (x[a], a) to (x[b], b) at x[at]; a vertical segment counts fully. */
function segmentRise(x: ArrayLike<number>, a: number, b: number, at: number): number {
  const w = x[b]! - x[a]!;
  return w > 0 ? ((x[at]! - x[a]!) * (b - a)) / w : b - a;
}

/** Largest amount, in counts, by which the empirical distribution exceeds the chord a → b (at least 1: each point is a jump). */
function deviationBelow(x: ArrayLike<number>, a: number, b: number): number {
  let m = 1;
  if (b - a > 1 && x[b] !== x[a]) {
    const slope = (b - a) / (x[b]! - x[a]!);
    for (let j = a; j <= b; j++) m = Math.max(m, j - a + 1 - (x[j]! - x[a]!) * slope);
  }
  return m;
}

/** Largest amount, in counts, by which the chord a → b exceeds the empirical distribution just below each point. */
function deviationAbove(x: ArrayLike<number>, a: number, b: number): number {
  let m = 1;
  if (b - a > 1 && x[b] !== x[a]) {
    const slope = (b - a) / (x[b]! - x[a]!);
    for (let j = a; j <= b; j++) m = Math.max(m, (x[j]! - x[a]!) * slope - (j - a - 1));
  }
  return m;
}

/**
 * The dip statistic of `values` (any order; a sorted copy is made).
 * @throws ParamError for non-finite values
 */
export function dip(values: ArrayLike<number>): number {
  const s = Float64Array.from(values);
  for (const v of s) if (!Number.isFinite(v)) throw new ParamError(`dip: values must be finite, got ${describeValue(v)}; drop or impute them first`);
  return dipOfSorted(s.sort());
}

/**
 * Hartigan's dip test: the dip of `values` and its p-value under the uniform null.
 *
 * @example
 * ```ts
 * const { dip, pValue } = dipTest(projection); // pValue < 0.05: reject unimodality
 * ```
 * @throws ParamError for fewer than 4 values or non-finite values
 */
export function dipTest(values: ArrayLike<number>): DipTestResult {
  if (values.length < 4) throw new ParamError(`dipTest: the dip test needs at least 4 values, got ${values.length}; give more values`);
  const d = dip(values);
  return { dip: d, pValue: dipPValue(d, values.length), n: values.length };
}

/** Sorted √m·dip of DIP_NULL_SAMPLES uniform samples of size m, per grid size m. */
const nullCache = new Map<number, Float64Array>();

/**
 * Sample sizes with a simulated null: every size up to 32, then steps of about 1.25× up to
 * {@link DIP_NULL_MAX_N}.
 */
export const DIP_NULL_GRID: readonly number[] = (() => {
  const g: number[] = [];
  for (let m = 4; m <= 32; m++) g.push(m);
  for (let m = 40; m < DIP_NULL_MAX_N; m = Math.round(m * 1.25)) g.push(m);
  g.push(DIP_NULL_MAX_N);
  return g;
})();

/** √m·dip of uniform samples of size m, sorted ascending (simulated once per m, seeded by m). */
function nullDips(m: number): Float64Array {
  let v = nullCache.get(m);
  if (v) return v;
  const rng = new Rng(0x6469 + m);
  v = new Float64Array(DIP_NULL_SAMPLES);
  const u = new Float64Array(m);
  for (let r = 0; r < DIP_NULL_SAMPLES; r++) {
    // sorted uniforms as cumulative exponential spacings (the dip is affine invariant: no rescaling)
    let s = 0;
    for (let i = 0; i < m; i++) {
      s -= Math.log(1 - rng.random());
      u[i] = s;
    }
    v[r] = Math.sqrt(m) * dipOfSorted(u);
  }
  v.sort();
  nullCache.set(m, v);
  return v;
}

/** Share of a sorted null at or above z (with a half-sample tolerance for rounding in the statistic). */
function upperShare(sortedNull: Float64Array, z: number): number {
  const t = z * (1 - 1e-12);
  let a = 0;
  let b = sortedNull.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (sortedNull[mid]! < t) a = mid + 1;
    else b = mid;
  }
  return (sortedNull.length - a) / sortedNull.length;
}

/**
 * The p-value of a dip `d` of a sample of `n` values: the share of simulated uniform samples whose
 * √n·dip is at least √n·d, at the grid sizes around n, interpolated linearly in log n; above
 * {@link DIP_NULL_MAX_N} the largest grid size stands for the limit distribution.
 * @throws ParamError for n below 4 or a dip outside [0, 1]
 */
export function dipPValue(d: number, n: number): number {
  if (!Number.isInteger(n) || n < 4) throw new ParamError(`dipPValue: the sample size must be an integer >= 4, got ${describeValue(n)}`);
  if (!(d >= 0 && d <= 1)) throw new ParamError(`dipPValue: the dip must be in [0, 1], got ${describeValue(d)}`);
  const z = Math.sqrt(n) * d;
  if (n >= DIP_NULL_MAX_N) return upperShare(nullDips(DIP_NULL_MAX_N), z);
  let i = 0;
  while (DIP_NULL_GRID[i + 1]! <= n) i++;
  const lo = DIP_NULL_GRID[i]!;
  const pLo = upperShare(nullDips(lo), z);
  if (lo === n) return pLo;
  const hi = DIP_NULL_GRID[i + 1]!;
  const pHi = upperShare(nullDips(hi), z);
  const w = Math.log(n / lo) / Math.log(hi / lo);
  return (1 - w) * pLo + w * pHi;
}
