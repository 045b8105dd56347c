/**
 * UMAP's low-dimensional similarity curve 1 / (1 + a·d^(2b)), fitted by least squares to the
 * target curve that `minDist` and `spread` describe (umap-learn's `find_ab_params`): 1 below
 * `minDist`, exp(−(d − minDist) / spread) above, on 300 points of [0, 3·spread].
 */

/** The curve's parameters. */
export interface CurveParams {
  /** Scale. */
  readonly a: number;
  /** Exponent. */
  readonly b: number;
}

/**
 * Fits `a` and `b` with Levenberg–Marquardt from (1, 1), as scipy's `curve_fit` does.
 *
 * @example
 * ```ts
 * findAbParams(1, 0); // { a: 1.93, b: 0.79 }, umap-learn's values to 1e-4
 * ```
 */
export function findAbParams(spread: number, minDist: number): CurveParams {
  const m = 300;
  const xs = new Float64Array(m);
  const ys = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    xs[i] = (3 * spread * i) / (m - 1);
    ys[i] = xs[i]! < minDist ? 1 : Math.exp(-(xs[i]! - minDist) / spread);
  }
  const cost = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < m; i++) {
      const r = 1 / (1 + a * xs[i]! ** (2 * b)) - ys[i]!;
      s += r * r;
    }
    return s;
  };
  let a = 1;
  let b = 1;
  let c = cost(a, b);
  let lambda = 1e-3;
  for (let it = 0; it < 500; it++) {
    // normal equations of the Gauss–Newton step, damped (Marquardt's diagonal scaling)
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < m; i++) {
      const x = xs[i]!;
      const u = x > 0 ? x ** (2 * b) : 0;
      const den = 1 + a * u;
      const r = 1 / den - ys[i]!;
      const da = -u / (den * den);
      const db = x > 0 ? (-a * u * 2 * Math.log(x)) / (den * den) : 0;
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    }
    let improved = false;
    while (lambda < 1e12) {
      const p = jaa * (1 + lambda);
      const q = jbb * (1 + lambda);
      const det = p * q - jab * jab;
      const stepA = -(q * ga - jab * gb) / det;
      const stepB = -(p * gb - jab * ga) / det;
      const na = a + stepA;
      const nb = b + stepB;
      const nc = na > 0 && nb > 0 ? cost(na, nb) : Infinity;
      if (nc < c) {
        const done = c - nc <= 1e-15 * Math.max(1, c) && Math.abs(stepA) < 1e-10 && Math.abs(stepB) < 1e-10;
        a = na;
        b = nb;
        c = nc;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = !done;
        break;
      }
      lambda *= 10;
    }
    if (!improved) break;
  }
  return { a, b };
}
