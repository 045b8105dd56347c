/**
 * "Did you mean …?" hints for misspelt names (methods, data sets, options, experiments): one
 * edit distance and one rule for when a suggestion is close enough to be worth showing.
 */

/** Levenshtein distance between `a` and `b` (insertions, deletions and substitutions, case-sensitive). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * The candidate nearest to `name` (case-insensitive), or `undefined` when there is none within
 * max(2, |name|/3) edits: a far-off guess helps nobody. Ties go to the earlier candidate.
 */
export function closestMatch(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, name.length / 3) ? best : undefined;
}

/** `" (did you mean 'x'?)"` for the closest candidate, or `""` when none is close (see {@link closestMatch}). */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const best = closestMatch(name, candidates);
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}
