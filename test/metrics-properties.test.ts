// Property tests of the metrics (issue 8), beyond src/metrics/metrics.test.ts (renaming, symmetry,
// bounds): invariance to the order of the samples, ACC equal to a brute-force optimum and bounded
// below by 1/max(k), perfect scores exactly for identical partitions, and the internal metrics'
// invariance to translating and scaling the features.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as M from '../src/metrics/index.ts';
import { Rng } from '../src/random.ts';

const close = (a: number, b: number, what: string, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

// paired labelings (true, pred) and a permutation seed
const labelings = fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 })), { minLength: 2, maxLength: 40 });

test('property: external metrics do not depend on the order of the samples', () => {
  fc.assert(
    fc.property(labelings, fc.integer({ min: 0, max: 10_000 }), (pairs, seed) => {
      const t = pairs.map((p) => p[0]);
      const p = pairs.map((q) => q[1]);
      const perm = new Rng(seed).permutation(pairs.length);
      const tp = Array.from(perm, (i) => t[i]!);
      const pp = Array.from(perm, (i) => p[i]!);
      close(M.accuracyScore(tp, pp), M.accuracyScore(t, p), 'ACC');
      close(M.purityScore(tp, pp), M.purityScore(t, p), 'purity');
      close(M.normalizedMutualInfoScore(tp, pp), M.normalizedMutualInfoScore(t, p), 'NMI');
      close(M.adjustedMutualInfoScore(tp, pp), M.adjustedMutualInfoScore(t, p), 'AMI', 1e-9);
      close(M.adjustedRandScore(tp, pp), M.adjustedRandScore(t, p), 'ARI');
      close(M.mutualInfoScore(tp, pp), M.mutualInfoScore(t, p), 'MI');
      const cm = M.contingencyMatrix(t, p);
      assert.equal(cm.counts.reduce((a, b) => a + b, 0), pairs.length, 'contingency counts sum to n');
    }),
    { numRuns: 150, seed: 11 },
  );
});

/** Best matched count over every injective map of the predicted clusters to the classes (k ≤ 5). */
function bruteForceAcc(t: number[], p: number[]): number {
  const classes = [...new Set(t)];
  const clusters = [...new Set(p)];
  const count = (c: number, k: number) => t.reduce((a, v, i) => a + (v === c && p[i] === k ? 1 : 0), 0);
  let best = 0;
  const used = new Set<number>();
  const go = (j: number, sum: number) => {
    if (j === clusters.length) {
      best = Math.max(best, sum);
      return;
    }
    go(j + 1, sum); // this cluster matched to no class
    for (const c of classes) {
      if (used.has(c)) continue;
      used.add(c);
      go(j + 1, sum + count(c, clusters[j]!));
      used.delete(c);
    }
  };
  go(0, 0);
  return best / t.length;
}

test('property: ACC is the best one-to-one matching (brute force) and at least 1/max(k)', () => {
  fc.assert(
    fc.property(labelings, (pairs) => {
      const t = pairs.map((p) => p[0]);
      const p = pairs.map((q) => q[1]);
      const acc = M.accuracyScore(t, p);
      close(acc, bruteForceAcc(t, p), 'ACC vs brute force');
      const k = Math.max(new Set(t).size, new Set(p).size);
      assert.ok(acc >= 1 / k - 1e-12, `ACC ${acc} < 1/${k}`);
      assert.ok(acc <= M.purityScore(t, p) + 1e-12 && M.purityScore(t, p) <= 1 + 1e-12, 'ACC <= purity <= 1');
    }),
    { numRuns: 150, seed: 12 },
  );
});

test('property: NMI, AMI and ARI are exactly perfect for the same partition under other names', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 40 }), fc.integer({ min: 1, max: 9 }), (p, shift) => {
      fc.pre(new Set(p).size >= 2);
      const renamed = p.map((v) => 100 - shift * v);
      close(M.normalizedMutualInfoScore(p, renamed), 1, 'NMI self');
      close(M.adjustedMutualInfoScore(p, renamed), 1, 'AMI self', 1e-9);
      close(M.adjustedRandScore(p, renamed), 1, 'ARI self');
      assert.equal(M.accuracyScore(p, renamed), 1);
      // merging two clusters of a partition with >= 3 clusters is no longer perfect
      if (new Set(p).size >= 3) {
        const merged = p.map((v) => (v === Math.max(...p) ? Math.min(...p) : v));
        assert.ok(M.adjustedRandScore(p, merged) < 1 - 1e-12, 'ARI of a merge < 1');
        assert.ok(M.normalizedMutualInfoScore(p, merged) < 1 - 1e-12, 'NMI of a merge < 1');
      }
    }),
    { numRuns: 150, seed: 13 },
  );
});

test('property: silhouette, Calinski-Harabasz and Davies-Bouldin ignore translating and scaling the features', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), async (seed, scale, shift) => {
      const rng = new Rng(seed);
      const n = 12 + rng.int(20);
      const d = 1 + rng.int(3);
      const x = { data: new Float64Array(n * d).map(() => rng.normal()), rows: n, cols: d };
      const labels = Array.from({ length: n }, (_, i) => (i < 3 ? i : rng.int(3)));
      const y = { data: x.data.map((v) => v * scale + shift), rows: n, cols: d };
      const s = await M.silhouetteScore(x, labels);
      assert.ok(s >= -1 && s <= 1, `silhouette ${s}`);
      close(await M.silhouetteScore(y, labels), s, 'silhouette', 1e-9);
      close(M.calinskiHarabaszScore(y, labels), M.calinskiHarabaszScore(x, labels), 'CH', 1e-9);
      close(M.daviesBouldinScore(y, labels), M.daviesBouldinScore(x, labels), 'DB', 1e-9);
      assert.ok(M.calinskiHarabaszScore(x, labels) >= 0 && M.daviesBouldinScore(x, labels) >= 0);
    }),
    { numRuns: 25, seed: 14 },
  );
});
