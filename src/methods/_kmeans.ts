/**
 * The k-means the methods use for initial centres and re-clustering on learned features.
 * (Temporary self-contained k-means++/Lloyd until src/cluster lands; same contract.)
 */
import { Rng } from '../random.ts';

/** Result of {@link runKMeans}. */
export interface KMeansRun {
  readonly labels: Int32Array;
  /** Row-major `[k, d]` centres. */
  readonly centers: Float32Array;
  readonly inertia: number;
}

/** Best of `nInit` seeded k-means++ + Lloyd runs on row-major `z` (`[n, d]`). */
export function runKMeans(z: Float32Array, n: number, d: number, k: number, nInit: number, seed: number): KMeansRun {
  const rng = new Rng(seed);
  let best: KMeansRun | undefined;
  for (let r = 0; r < nInit; r++) {
    const run = lloyd(z, n, d, k, plusPlus(z, n, d, k, rng.fork(r)));
    if (!best || run.inertia < best.inertia) best = run;
  }
  return best!;
}

function dist2(z: Float32Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = z[i * d + t]! - c[j * d + t]!;
    s += v * v;
  }
  return s;
}

function plusPlus(z: Float32Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const c = new Float64Array(k * d);
  const first = rng.int(n);
  for (let t = 0; t < d; t++) c[t] = z[first * d + t]!;
  const closest = new Float64Array(n).fill(Infinity);
  const trials = 2 + Math.floor(Math.log(k));
  for (let j = 1; j <= k; j++) {
    for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i]!, dist2(z, i, c, j - 1, d));
    if (j === k) break;
    let total = 0;
    for (let i = 0; i < n; i++) total += closest[i]!;
    let bestIdx = 0;
    let bestPot = Infinity;
    for (let tr = 0; tr < trials; tr++) {
      let r = rng.random() * total;
      let idx = 0;
      for (; idx < n - 1; idx++) {
        r -= closest[idx]!;
        if (r <= 0) break;
      }
      let pot = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let t = 0; t < d; t++) {
          const v = z[i * d + t]! - z[idx * d + t]!;
          s += v * v;
        }
        pot += Math.min(closest[i]!, s);
      }
      if (pot < bestPot) {
        bestPot = pot;
        bestIdx = idx;
      }
    }
    for (let t = 0; t < d; t++) c[j * d + t] = z[bestIdx * d + t]!;
  }
  return c;
}

function lloyd(z: Float32Array, n: number, d: number, k: number, c: Float64Array, maxIter = 300, tol = 1e-4): KMeansRun {
  const labels = new Int32Array(n);
  // tolerance relative to the mean feature variance, as scikit-learn
  let varSum = 0;
  for (let t = 0; t < d; t++) {
    let m = 0;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const v = z[i * d + t]!;
      m += v;
      m2 += v * v;
    }
    varSum += m2 / n - (m / n) ** 2;
  }
  const tolAbs = (tol * varSum) / d;
  let inertia = 0;
  for (let it = 0; it < maxIter; it++) {
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let bj = 0;
      let bd = Infinity;
      for (let j = 0; j < k; j++) {
        const s = dist2(z, i, c, j, d);
        if (s < bd) {
          bd = s;
          bj = j;
        }
      }
      labels[i] = bj;
      inertia += bd;
    }
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      counts[labels[i]!]!++;
      for (let t = 0; t < d; t++) sums[labels[i]! * d + t]! += z[i * d + t]!;
    }
    let shift = 0;
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) continue;
      for (let t = 0; t < d; t++) {
        const v = sums[j * d + t]! / counts[j]!;
        shift += (v - c[j * d + t]!) ** 2;
        c[j * d + t] = v;
      }
    }
    if (shift <= tolAbs) break;
  }
  return { labels, centers: Float32Array.from(c), inertia };
}
