// Every metric against scikit-learn (test/fixtures/make_sklearn_fixtures.py), plus invariants and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as M from './index.ts';
import { DataError, ParamError } from '../errors.ts';
import { Rng } from '../random.ts';

interface Case {
  name: string;
  true: number[];
  pred: number[];
  acc: number;
  purity: number;
  mi: number;
  nmi: Record<M.NmiAverage, number>;
  ami: Record<M.NmiAverage, number | null>; // null: 0/0 in exact arithmetic, scikit-learn's value is noise
  ari: number;
  contingency: number[][];
  x?: number[][];
  silhouette?: number;
  silhouetteSamples?: number[];
  ch?: number;
  db?: number;
}
const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/sklearn-metrics.json', import.meta.url), 'utf8')) as { cases: Case[] };
const TOL = 1e-9;
function close(actual: number, expected: number, what: string, tol = TOL): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: got ${actual}, scikit-learn ${expected} (diff ${Math.abs(actual - expected)})`);
}
const mat = (x: number[][]) => ({ data: Float64Array.from(x.flat()), rows: x.length, cols: x[0]!.length });

for (const c of fixture.cases) {
  test(`external metrics equal scikit-learn within 1e-9: ${c.name}`, () => {
    close(M.clusterAccuracy(c.true, c.pred).accuracy, c.acc, 'ACC');
    close(M.accuracyScore(c.true, c.pred), c.acc, 'accuracyScore');
    close(M.purityScore(c.true, c.pred), c.purity, 'purity');
    close(M.mutualInfoScore(c.true, c.pred), c.mi, 'MI');
    for (const avg of ['arithmetic', 'geometric', 'min', 'max'] as const) {
      close(M.normalizedMutualInfoScore(c.true, c.pred, { average: avg }), c.nmi[avg], `NMI ${avg}`);
      const ami = M.adjustedMutualInfoScore(c.true, c.pred, { average: avg });
      if (c.ami[avg] === null) assert.ok(Number.isFinite(ami) && ami <= 1 + 1e-9, `AMI ${avg} finite`);
      else close(ami, c.ami[avg]!, `AMI ${avg}`);
    }
    close(M.normalizedMutualInfoScore(c.true, c.pred), c.nmi.arithmetic, 'NMI default average');
    close(M.adjustedRandScore(c.true, c.pred), c.ari, 'ARI');
    const cm = M.contingencyMatrix(c.true, c.pred);
    assert.deepEqual(Array.from({ length: cm.rows }, (_, i) => Array.from(cm.counts.subarray(i * cm.cols, (i + 1) * cm.cols))), c.contingency);
  });
  if (c.x) {
    test(`internal metrics equal scikit-learn within 1e-9: ${c.name}`, async () => {
      const x = mat(c.x!);
      close(await M.silhouetteScore(x, c.pred), c.silhouette!, 'silhouette');
      const s = await M.silhouetteSamples(x, c.pred);
      s.forEach((v, i) => close(v, c.silhouetteSamples![i]!, `silhouette sample ${i}`));
      close(await M.silhouetteScore(x, c.pred, { precision: 'float32' }), c.silhouette!, 'silhouette float32', 1e-5);
      close(await M.silhouetteScore(x, c.pred, { blockSize: 7 }), c.silhouette!, 'silhouette in tiles of 7 points');
      close(M.calinskiHarabaszScore(x, c.pred), c.ch!, 'Calinski-Harabasz');
      close(M.daviesBouldinScore(x, c.pred), c.db!, 'Davies-Bouldin');
    });
  }
}

test('silhouette: float32 input, and a silhouette of a larger set agrees with a direct O(n²) float64 computation', async () => {
  const rng = new Rng(5);
  const n = 700;
  const d = 6;
  const data = new Float32Array(n * d).map(() => rng.normal() * 3 + 10); // offset: cancellation test
  const labels = Int32Array.from({ length: n }, () => rng.int(5));
  const direct = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const sums = new Float64Array(5);
    const sizes = new Float64Array(5);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (data[i * d + t]! - data[j * d + t]!) ** 2;
      sums[labels[j]!]! += Math.sqrt(s);
      sizes[labels[j]!]!++;
    }
    const own = labels[i]!;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < 5; c++) if (c !== own) b = Math.min(b, sums[c]! / sizes[c]!);
    direct[i] = (b - a) / Math.max(a, b);
  }
  const expected = direct.reduce((p, q) => p + q, 0) / n;
  close(await M.silhouetteScore({ data, rows: n, cols: d }, labels), expected, 'float64 kernel', 1e-12);
  close(await M.silhouetteScore({ data, rows: n, cols: d }, labels, { precision: 'float32' }), expected, 'float32 kernel', 1e-6);
});

test('silhouette sample: seeded, reproducible, and equal to the exact score on the chosen rows', async () => {
  const rng = new Rng(1);
  const n = 300;
  const x = { data: new Float64Array(n * 3).map(() => rng.normal()), rows: n, cols: 3 };
  const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
  const a = await M.silhouetteScore(x, labels, { sampleSize: 120, seed: 3 });
  assert.equal(await M.silhouetteScore(x, labels, { sampleSize: 120, seed: 3 }), a);
  assert.notEqual(await M.silhouetteScore(x, labels, { sampleSize: 120, seed: 4 }), a);
  const idx = new Rng(3).permutation(n).subarray(0, 120);
  const sub = { data: new Float64Array(120 * 3), rows: 120, cols: 3 };
  idx.forEach((r, i) => sub.data.set(x.data.subarray(r * 3, r * 3 + 3), i * 3));
  close(a, await M.silhouetteScore(sub, Array.from(idx, (r) => labels[r]!)), 'sample = exact on the sample');
  close(await M.silhouetteScore(x, labels, { sampleSize: n }), await M.silhouetteScore(x, labels), 'sampleSize = n is exact', 1e-12);
});

test('clusterAccuracy returns the cluster → class mapping, also when the numbers of clusters and classes differ', () => {
  const r = M.clusterAccuracy([0, 0, 1, 1, 2, 2], [5, 5, 7, 7, 9, 8]);
  assert.equal(r.accuracy, 5 / 6);
  assert.equal(r.correct, 5);
  assert.equal(r.mapping.get(5), 0);
  assert.equal(r.mapping.get(7), 1);
  assert.deepEqual([r.mapping.get(9), r.mapping.get(8)].sort(), [-1, 2]);
  const fewer = M.clusterAccuracy([0, 1, 2, 3, 3], [1, 1, 0, 0, 0]);
  assert.equal(fewer.accuracy, 3 / 5);
  assert.equal(fewer.mapping.get(0), 3);
  // 10 classes against 20,000 singleton clusters stays fast (rectangular Hungarian)
  const n = 20000;
  const t0 = performance.now();
  const big = M.clusterAccuracy(Int32Array.from({ length: n }, (_, i) => i % 10), Int32Array.from({ length: n }, (_, i) => i));
  assert.equal(big.accuracy, 10 / n);
  assert.ok(performance.now() - t0 < 5000);
});

test('degenerate labelings follow scikit-learn: constant vs constant, constant vs split, identical', () => {
  assert.equal(M.normalizedMutualInfoScore([1, 1, 1], [4, 4, 4]), 1);
  assert.equal(M.adjustedMutualInfoScore([1, 1, 1], [4, 4, 4]), 1);
  assert.equal(M.adjustedRandScore([1, 1, 1], [4, 4, 4]), 1);
  assert.equal(M.normalizedMutualInfoScore([0, 0, 1, 1], [0, 0, 0, 0]), 0);
  assert.equal(M.adjustedRandScore([0, 0, 1, 1], [0, 0, 0, 0]), 0);
  assert.equal(M.adjustedRandScore([0, 1, 2], [5, 6, 7]), 1);
  assert.equal(M.purityScore([0, 1, 0, 1], [0, 1, 2, 3]), 1);
});

test('ARI stays exact for large pair counts (n = 200,000)', () => {
  const n = 200000;
  const t = Int32Array.from({ length: n }, (_, i) => i % 7);
  const p = Int32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? (i >> 3) % 5 : i % 7));
  const v = M.adjustedRandScore(t, p);
  assert.ok(v > 0.5 && v < 1);
  assert.equal(M.adjustedRandScore(p, t), v, 'symmetric');
});

const labelings = fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 5 })), { minLength: 2, maxLength: 60 });

test('properties: invariance to renaming labels, symmetry, bounds', () => {
  fc.assert(
    fc.property(labelings, fc.integer({ min: 1, max: 5 }), (pairs, shift) => {
      const t = pairs.map((p) => p[0]);
      const p = pairs.map((q) => q[1]);
      const renamed = p.map((v) => (v + shift) * -3);
      const acc = M.accuracyScore(t, p);
      assert.ok(acc > 0 && acc <= 1);
      close(M.accuracyScore(t, renamed), acc, 'ACC renamed', 1e-12);
      assert.ok(M.purityScore(t, p) >= acc - 1e-12, 'purity >= ACC');
      for (const avg of ['arithmetic', 'geometric', 'min', 'max'] as const) {
        const nmi = M.normalizedMutualInfoScore(t, p, { average: avg });
        assert.ok(nmi >= -1e-12 && nmi <= 1 + 1e-12, `NMI ${avg} in [0, 1]`);
        close(M.normalizedMutualInfoScore(t, renamed, { average: avg }), nmi, 'NMI renamed', 1e-12);
        close(M.normalizedMutualInfoScore(p, t, { average: avg }), nmi, 'NMI symmetric', 1e-12);
      }
      const ami = M.adjustedMutualInfoScore(t, p);
      assert.ok(ami <= 1 + 1e-9);
      close(M.adjustedMutualInfoScore(p, t), ami, 'AMI symmetric', 1e-9);
      const ari = M.adjustedRandScore(t, p);
      assert.ok(ari <= 1 + 1e-12 && ari >= -0.5 - 1e-12, 'ARI in [-0.5, 1]');
      close(M.adjustedRandScore(t, renamed), ari, 'ARI renamed', 1e-12);
      close(M.adjustedRandScore(p, t), ari, 'ARI symmetric', 1e-12);
      // a labeling against itself is perfect
      assert.equal(M.accuracyScore(p, renamed), 1);
      close(M.adjustedRandScore(p, renamed), 1, 'ARI self', 1e-12);
    }),
    { numRuns: 150, seed: 42 },
  );
});

test('property: internal metrics do not depend on label names or row order', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), async (seed) => {
      const rng = new Rng(seed);
      const n = 20 + rng.int(30);
      const x = { data: new Float64Array(n * 2).map(() => rng.normal()), rows: n, cols: 2 };
      const labels = Array.from({ length: n }, (_, i) => (i < 3 ? i : rng.int(3)));
      const renamed = labels.map((v) => 10 - 4 * v);
      const perm = rng.permutation(n);
      const xp = { data: new Float64Array(n * 2), rows: n, cols: 2 };
      perm.forEach((r, i) => xp.data.set(x.data.subarray(r * 2, r * 2 + 2), i * 2));
      const lp = Array.from(perm, (r) => labels[r]!);
      const s = await M.silhouetteScore(x, labels);
      assert.ok(s >= -1 && s <= 1);
      close(await M.silhouetteScore(x, renamed), s, 'silhouette renamed', 1e-12);
      close(await M.silhouetteScore(xp, lp), s, 'silhouette permuted', 1e-12);
      close(M.calinskiHarabaszScore(xp, renamed.map((_, i) => renamed[perm[i]!]!)), M.calinskiHarabaszScore(x, labels), 'CH', 1e-12);
      close(M.daviesBouldinScore(xp, lp), M.daviesBouldinScore(x, labels), 'DB', 1e-12);
      assert.ok(M.daviesBouldinScore(x, labels) >= 0);
    }),
    { numRuns: 15, seed: 7 },
  );
});

const isData = (re: RegExp) => (e: unknown) => e instanceof DataError && re.test((e as Error).message);
const isParam = (re: RegExp) => (e: unknown) => e instanceof ParamError && re.test((e as Error).message);

test('bad labels and options give one clear error each', async () => {
  assert.throws(() => M.adjustedRandScore([0, 1], [0]), isData(/adjustedRandScore: labelsTrue has 2 entries but labelsPred has 1/));
  assert.throws(() => M.normalizedMutualInfoScore([0, 1.5], [0, 1]), isData(/labelsTrue must be integers, but entry 1 is 1\.5/));
  assert.throws(() => M.clusterAccuracy([0, 1], [0, Number.NaN]), isData(/labelsPred must be integers, but entry 1 is NaN/));
  assert.throws(() => M.clusterAccuracy([], []), isData(/empty/));
  assert.throws(() => M.normalizedMutualInfoScore([0, 1], [0, 1], { average: 'mean' as never }), isParam(/option 'average' must be one of/));
  const x = { data: new Float64Array([0, 0, 1, 1, 2, 2]), rows: 3, cols: 2 };
  await assert.rejects(M.silhouetteScore(x, [0, 0, 0]), isData(/silhouetteScore: the labels form 1 cluster for 3 samples; the score needs between 2 and nSamples - 1 = 2 clusters/));
  await assert.rejects(M.silhouetteScore(x, [0, 1, 2]), isData(/3 clusters for 3 samples/));
  await assert.rejects(M.silhouetteScore(x, [0, 1]), isData(/labels has 2 entries but x has 3 rows/));
  await assert.rejects(M.silhouetteScore(x, [0, 1, 0], { sampleSize: 1 }), isParam(/option 'sampleSize' must be an integer in \[2, nSamples=3\], got 1/));
  await assert.rejects(M.silhouetteScore(x, [0, 1, 0], { precision: 'half' as never }), isParam(/option 'precision'/));
  await assert.rejects(M.silhouetteScore({ data: new Float64Array([0, Number.NaN, 1, 1, 2, 2]), rows: 3, cols: 2 }, [0, 1, 0]), isData(/non-finite value \(NaN\) at row 0, column 1/));
  assert.throws(() => M.calinskiHarabaszScore(x, [0, 0, 0]), isData(/calinskiHarabaszScore: the labels form 1 cluster/));
  assert.throws(() => M.daviesBouldinScore(x, [0, 1, 0.5]), isData(/must be integers/));
});

test('externalScores and internalScores: the sets every report shows, with one guard', async () => {
  const truth = [0, 0, 0, 1, 1, 1, 2, 2, 2];
  const pred = [1, 1, 0, 0, 0, 0, 2, 2, 2];
  assert.deepEqual(M.externalScores(truth, pred), {
    acc: M.clusterAccuracy(truth, pred).accuracy,
    nmi: M.normalizedMutualInfoScore(truth, pred),
    ari: M.adjustedRandScore(truth, pred),
  });
  assert.equal(M.externalScores(truth, pred).acc, 8 / 9); // clusters 1→0 (2 rows), 0→1 (3), 2→2 (3)
  assert.throws(() => M.externalScores(truth, pred.slice(1)), DataError);

  const x = { rows: 9, cols: 1, data: Float64Array.from([0, 0.1, 0.2, 5, 5.1, 5.2, 10, 10.1, 10.2]) };
  const s = await M.internalScores(x, truth);
  assert.equal(s.silhouette, await M.silhouetteScore(x, truth));
  assert.equal(s.calinskiHarabasz, M.calinskiHarabaszScore(x, truth));
  assert.equal(s.daviesBouldin, M.daviesBouldinScore(x, truth));
  // 1 cluster and n clusters: undefined, so null rather than an error
  for (const p of [new Array(9).fill(3), [0, 1, 2, 3, 4, 5, 6, 7, 8]]) {
    assert.equal(M.internalScoresDefined(p), false);
    assert.deepEqual(await M.internalScores(x, p), { silhouette: null, calinskiHarabasz: null, daviesBouldin: null });
  }
  // a silhouette sample larger than the data scores every row
  const sampled = (await M.internalScores(x, truth, { silhouetteSample: 100, seed: 1 })).silhouette!;
  assert.ok(Math.abs(sampled - s.silhouette!) < 1e-12, `${sampled} vs ${s.silhouette}`);
});
