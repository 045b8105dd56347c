/**
 * The Hungarian (Kuhn–Munkres) algorithm for rectangular assignment problems, O(n³).
 */

/**
 * Maximum-weight assignment of rows to columns of `w` (`rows × cols`, any shape): returns for each
 * row its column, or -1 when there are more rows than columns and the row is left out.
 */
export function hungarianMaximize(w: number[][]): Int32Array {
  const rows = w.length;
  const cols = rows ? w[0]!.length : 0;
  const n = Math.max(rows, cols);
  let max = 0;
  for (const r of w) for (const v of r) max = Math.max(max, v);
  // square cost matrix (minimisation), padded with zeros-of-weight (cost = max)
  const cost = (i: number, j: number) => (i < rows && j < cols ? max - w[i]![j]! : max);
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[j] = row matched to column j (1-based)
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0);
  }
  const out = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= n; j++) {
    const i = p[j]! - 1;
    if (i >= 0 && i < rows && j - 1 < cols) out[i] = j - 1;
  }
  return out;
}
