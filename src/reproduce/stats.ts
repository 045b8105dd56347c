/**
 * Summary statistics over seeds: mean, standard deviation, median and best, as the papers report
 * them (the benchmarks in bench/ use the same function).
 */

/** Mean, population standard deviation (ddof 0), median and best of a list of values. */
export interface SeedStats {
  readonly mean: number;
  readonly std: number;
  readonly median: number;
  /** Largest value, or the smallest with `lowerIsBetter` (Davies–Bouldin). */
  readonly best: number;
}

/**
 * Summarises values over seeds.
 * @param xs - one value per seed (at least one)
 * @param lowerIsBetter - `best` is the minimum instead of the maximum
 * @throws RangeError for an empty list
 */
export function seedStats(xs: readonly number[], lowerIsBetter = false): SeedStats {
  if (xs.length === 0) throw new RangeError('seedStats: no values');
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { mean, std, median, best: lowerIsBetter ? s[0]! : s[s.length - 1]! };
}
