/**
 * The Hungarian (Kuhn–Munkres) algorithm for rectangular assignment problems: O(r²·c) for
 * r <= c (the smaller side is the one assigned), so 10 classes × 70,000 singleton clusters is fast.
 */

/**
 * Maximum-weight matching of rows to columns of `w` (row-major `rows × cols`, any shape): each
 * row gets a distinct column, or -1 when there are more rows than columns and the row is left out.
 * @returns `[rows]` the column of each row, or -1
 */
export function hungarianMaximize(w: ArrayLike<number>, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return out;
  if (rows <= cols) {
    const match = minCostAssign((i, j) => -w[i * cols + j]!, rows, cols);
    for (let i = 0; i < rows; i++) out[i] = match[i]!;
  } else {
    const match = minCostAssign((j, i) => -w[i * cols + j]!, cols, rows); // columns assigned to rows
    for (let j = 0; j < cols; j++) out[match[j]!] = j;
  }
  return out;
}

/** Shortest augmenting paths with potentials (n <= m): the column of each of the n rows. */
function minCostAssign(cost: (i: number, j: number) => number, n: number, m: number): Int32Array {
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row (1-based) matched to column j; 0 = free
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
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
      for (let j = 0; j <= m; j++) {
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
  const col = new Int32Array(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) col[p[j]! - 1] = j - 1;
  return col;
}
