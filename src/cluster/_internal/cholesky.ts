/** Small dense float64 Cholesky helpers for the Gaussian mixture (row-major `d × d`). */

/**
 * Lower Cholesky factor `L` (`a = L Lᵀ`) of the symmetric matrix `a` at offset `ao`, written to
 * `out` at `oo`. Only the lower triangle of `a` is read.
 * @returns false when `a` is not (numerically) positive definite
 */
export function choleskyLower(a: Float64Array, ao: number, d: number, out: Float64Array, oo: number): boolean {
  for (let i = 0; i < d * d; i++) out[oo + i] = 0;
  for (let j = 0; j < d; j++) {
    let s = a[ao + j * d + j]!;
    for (let t = 0; t < j; t++) s -= out[oo + j * d + t]! ** 2;
    if (!(s > 0)) return false;
    const ljj = Math.sqrt(s);
    out[oo + j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let v = a[ao + i * d + j]!;
      for (let t = 0; t < j; t++) v -= out[oo + i * d + t]! * out[oo + j * d + t]!;
      out[oo + i * d + j] = v / ljj;
    }
  }
  return true;
}

/**
 * `(L⁻¹)ᵀ` (upper triangular) of the lower-triangular `L` at `lo`, written to `out` at `oo`:
 * scikit-learn's `solve_triangular(L, I, lower=True).T`.
 */
export function inverseLowerTransposed(l: Float64Array, lo: number, d: number, out: Float64Array, oo: number): void {
  // columns of M = L⁻¹ by forward substitution; out[r][c] = M[c][r]
  for (let i = 0; i < d * d; i++) out[oo + i] = 0;
  const col = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    col.fill(0);
    for (let r = c; r < d; r++) {
      let v = r === c ? 1 : 0;
      for (let t = c; t < r; t++) v -= l[lo + r * d + t]! * col[t]!;
      col[r] = v / l[lo + r * d + r]!;
    }
    for (let r = c; r < d; r++) out[oo + c * d + r] = col[r]!;
  }
}
