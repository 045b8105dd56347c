// Every metric against scikit-learn (test/fixtures/make_metric_fixtures.py), plus invariants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as M from './index.ts';
import { DataError } from '../errors.ts';

interface Case { name: string; true: number[]; pred: number[]; acc: number; nmi: Record<string, number>; ari: number; x?: number[][]; silhouette?: number; ch?: number; db?: number }
const cases = JSON.parse(readFileSync(new URL('../../test/fixtures/sklearn-metrics.json', import.meta.url), 'utf8')) as Case[];
const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

for (const c of cases) {
  test(`metrics equal scikit-learn: ${c.name}`, () => {
    assert.ok(close(M.clusterAccuracy(c.true, c.pred).accuracy, c.acc), `acc ${M.clusterAccuracy(c.true, c.pred).accuracy} vs ${c.acc}`);
    for (const [avg, v] of Object.entries(c.nmi)) assert.ok(close(M.normalizedMutualInfoScore(c.true, c.pred, { average: avg as M.NmiAverage }), v), `nmi ${avg}`);
    assert.ok(close(M.adjustedRandScore(c.true, c.pred), c.ari), `ari ${M.adjustedRandScore(c.true, c.pred)} vs ${c.ari}`);
    if (c.x) {
      const x = { data: Float64Array.from(c.x.flat()), rows: c.x.length, cols: c.x[0]!.length };
      assert.ok(close(M.silhouetteScore(x, c.pred), c.silhouette!), `silhouette ${M.silhouetteScore(x, c.pred)} vs ${c.silhouette}`);
      assert.ok(close(M.calinskiHarabaszScore(x, c.pred), c.ch!), 'calinski-harabasz');
      assert.ok(close(M.daviesBouldinScore(x, c.pred), c.db!), 'davies-bouldin');
    }
  });
}

test('accuracy returns the cluster → class mapping, also with more clusters than classes', () => {
  const r = M.clusterAccuracy([0, 0, 1, 1, 2, 2], [5, 5, 7, 7, 9, 8]);
  assert.equal(r.accuracy, 5 / 6);
  assert.equal(r.mapping.get(5), 0);
  assert.equal(r.mapping.get(7), 1);
  assert.ok([r.mapping.get(9), r.mapping.get(8)].includes(-1));
});

test('properties: permutation invariance and bounds', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 5 })), { minLength: 2, maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (pairs, shift) => {
      const t = pairs.map((p) => p[0]);
      const p = pairs.map((q) => q[1]);
      const renamed = p.map((v) => (v + shift) * 3);
      const acc = M.clusterAccuracy(t, p).accuracy;
      assert.ok(acc > 0 && acc <= 1);
      assert.ok(close(M.clusterAccuracy(t, renamed).accuracy, acc));
      const nmi = M.normalizedMutualInfoScore(t, p);
      assert.ok(nmi >= -1e-12 && nmi <= 1 + 1e-12);
      assert.ok(close(M.normalizedMutualInfoScore(t, renamed), nmi, 1e-12));
      assert.ok(close(M.normalizedMutualInfoScore(p, t), nmi, 1e-12), 'NMI is symmetric');
      const ari = M.adjustedRandScore(t, p);
      assert.ok(ari <= 1 + 1e-12 && ari >= -1 - 1e-12);
      assert.ok(close(M.adjustedRandScore(t, renamed), ari, 1e-12));
    }),
    { numRuns: 200, seed: 42 },
  );
});

test('bad labels give one clear error each', () => {
  assert.throws(() => M.adjustedRandScore([0, 1], [0]), (e: unknown) => e instanceof DataError && /different lengths: 2 true vs 1 predicted/.test((e as Error).message));
  assert.throws(() => M.normalizedMutualInfoScore([0, 1.5], [0, 1]), /must be integers/);
  assert.throws(() => M.clusterAccuracy([], []), /empty/);
  assert.throws(() => M.silhouetteScore({ data: new Float64Array(4), rows: 2, cols: 2 }, [0, 0]), /needs 2 <= number of clusters/);
});
