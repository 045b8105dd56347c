// estimateK: finds k on separated blobs of unequal sizes, returns every curve, checks its range.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParamError } from '../errors.ts';
import { Rng } from '../random.ts';
import { K_CRITERIA, checkKRange, estimateK } from './estimate-k.ts';

function blobs(seed: number): { data: Float64Array; rows: number; cols: number } {
  const rng = new Rng(seed);
  const sizes = [120, 60, 40, 20, 12];
  const d = 4;
  const out: number[] = [];
  sizes.forEach((m, c) => {
    const centre = Array.from({ length: d }, (_, t) => (t === c % d ? 15 : 0) + (c >= d ? -15 : 0));
    for (let i = 0; i < m; i++) for (let t = 0; t < d; t++) out.push(centre[t]! + rng.normal() * (0.5 + 0.2 * c));
  });
  return { data: Float64Array.from(out), rows: out.length / d, cols: d };
}

/** 5 non-convex clusters in 2-d: two interleaved moons, a ring around a dense blob, a small far blob. */
function shapes(seed: number): { data: Float64Array; rows: number; cols: number } {
  const rng = new Rng(seed);
  const pts: number[] = [];
  const add = (x: number, y: number, s: number) => pts.push(x + rng.normal() * s, y + rng.normal() * s);
  for (let i = 0; i < 200; i++) {
    const a = Math.PI * rng.random();
    add(Math.cos(a), Math.sin(a), 0.06);
  }
  for (let i = 0; i < 150; i++) {
    const a = Math.PI * rng.random();
    add(1 - Math.cos(a), 0.5 - Math.sin(a), 0.06);
  }
  for (let i = 0; i < 250; i++) {
    const a = 2 * Math.PI * rng.random();
    add(6 + 2 * Math.cos(a), 2 * Math.sin(a), 0.08);
  }
  for (let i = 0; i < 120; i++) add(6, 0, 0.3);
  for (let i = 0; i < 40; i++) add(-4, 5, 0.1);
  return { data: Float64Array.from(pts), rows: pts.length / 2, cols: 2 };
}

test('estimateK finds 5 unequal blobs by every criterion but stability, with one curve value per k', async () => {
  const x = blobs(1);
  const est = await estimateK(x, { range: [2, 9], criteria: K_CRITERIA, seed: 0 });
  assert.deepEqual(est.ks, [2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(est.k, 5);
  assert.equal(est.selectedBy, 'silhouette');
  for (const c of K_CRITERIA) {
    assert.equal(est.curves[c]!.values.length, 8, c);
    if (c !== 'stability') assert.equal(est.curves[c]!.best, 5, c);
    if (c !== 'hdbscan') assert.equal(est.curves[c]!.runs, undefined);
  }
  assert.equal(est.curves.gap!.errors!.length, 8);
  const again = await estimateK(x, { range: [2, 9], select: 'bic', seed: 0 });
  assert.equal(again.k, 5);
  assert.deepEqual(Object.keys(again.curves), ['bic']);
});

test('estimateK: bad ranges, too few rows and unknown criteria are one-line ParamErrors', async () => {
  const x = blobs(2);
  await assert.rejects(estimateK(x, { range: [1, 5] }), (e: Error) => e instanceof ParamError && /2 <= lo <= hi <= n − 1 = 251/.test(e.message));
  await assert.rejects(estimateK(x, { range: [2, 252] }), ParamError);
  await assert.rejects(estimateK(x, { range: [6, 5] }), ParamError);
  await assert.rejects(estimateK({ data: new Float64Array(19 * 2), rows: 19, cols: 2 }), /at least 20 rows/);
  await assert.rejects(estimateK(x, { criteria: ['elbow' as never] }), /unknown criterion "elbow"/);
  assert.deepEqual(checkKRange('w', undefined, 25), [2, 24]);
  assert.deepEqual(checkKRange('w', undefined, 1000), [2, 30]);
});

test('estimateK: hdbscan finds 5 non-convex clusters (moons, a ring around a blob) where silhouette, Davies–Bouldin and BIC do not', async () => {
  for (const seed of [1, 2]) {
    const est = await estimateK(shapes(seed), { range: [2, 12], criteria: ['silhouette', 'davies-bouldin', 'bic'], select: 'hdbscan', seed: 0 });
    assert.equal(est.k, 5);
    assert.equal(est.selectedBy, 'hdbscan');
    assert.notEqual(est.curves.silhouette!.best, 5);
    assert.notEqual(est.curves['davies-bouldin']!.best, 5);
    assert.notEqual(est.curves.bic!.best, 5);
    const h = est.curves.hdbscan!;
    assert.equal(h.rule, 'max');
    assert.equal(h.values.length, 11);
    assert.equal(h.values[3], 1); // every minimum cluster size of the grid found 5
    assert.deepEqual(h.runs!.map((r) => r.minClusterSize), [5, 6, 8, 11, 15, 23, 38]);
  }
});

test('estimateK: hdbscan is deterministic for a seed, counts outside the range vote for its nearer end, and fits no k-means alone', async () => {
  const x = shapes(3);
  const a = await estimateK(x, { range: [2, 12], select: 'hdbscan', seed: 4, sampleSize: 500 });
  const b = await estimateK(x, { range: [2, 12], select: 'hdbscan', seed: 4, sampleSize: 500 });
  assert.deepEqual(a.curves, b.curves);
  assert.equal(a.sampleSize, 500);
  assert.equal(a.curves.hdbscan!.sampleSize, 760); // its own sample: all 760 rows
  const small = await estimateK(x, { range: [2, 12], select: 'hdbscan', seed: 4, hdbscanSampleSize: 300 });
  assert.equal(small.curves.hdbscan!.sampleSize, 300);
  assert.deepEqual(Object.keys(a.curves), ['hdbscan']);
  const low = await estimateK(x, { range: [7, 9], select: 'hdbscan', seed: 0 });
  assert.equal(low.k, 7);
  assert.deepEqual(low.curves.hdbscan!.values, [1, 0, 0]);
  await assert.rejects(estimateK(x, { select: 'hdbscan', hdbscanMinSamples: 0 }), /hdbscanMinSamples/);
  await assert.rejects(estimateK(x, { select: 'hdbscan', hdbscanSampleSize: 10 }), /hdbscanSampleSize/);
  await assert.rejects(estimateK(x, { select: 'hdbscan', range: [2, 760] }), /2 <= lo <= hi <= n − 1 = 759/);
});

/** 4 clusters in 2-d, two of them non-convex: a 120° arc, an L of two bars, and two blobs of unequal size and spread. */
function arcAndL(seed: number): { data: Float64Array; rows: number; cols: number } {
  const rng = new Rng(seed);
  const pts: number[] = [];
  const add = (x: number, y: number, s: number) => pts.push(x + rng.normal() * s, y + rng.normal() * s);
  for (let i = 0; i < 300; i++) {
    const a = (Math.PI / 3) * (1 + 2 * rng.random());
    add(4 * Math.cos(a), 4 * Math.sin(a) - 2, 0.15);
  }
  for (let i = 0; i < 150; i++) add(8 + 3 * rng.random(), -4, 0.12);
  for (let i = 0; i < 150; i++) add(8, -4 + 3 * rng.random(), 0.12);
  for (let i = 0; i < 200; i++) add(-7, -6, 0.5);
  for (let i = 0; i < 60; i++) add(0, -8, 0.25);
  return { data: Float64Array.from(pts), rows: pts.length / 2, cols: 2 };
}

test('estimateK: dip merges an over-clustering down to 4 on an arc, an L and two blobs; its curve is the best pair p-value per k', async () => {
  for (const seed of [0, 1, 2]) {
    const est = await estimateK(arcAndL(seed), { range: [2, 12], select: 'dip', seed: 0 });
    assert.equal(est.k, 4, `seed ${seed}`);
    const c = est.curves.dip!;
    assert.equal(c.rule, 'dip');
    assert.equal(c.significance, 0.1);
    assert.equal(c.values.length, 11);
    // merging any two of the 4 (k = 2, 3, 4) is clearly bimodal; at the chosen k the best pair is below 0.1, above it every merge was ≥ 0.1
    for (const i of [0, 1, 2]) assert.ok(c.values[i]! < 0.01, `seed ${seed} k=${i + 2}: ${c.values[i]}`);
    for (let i = 3; i < 11; i++) assert.ok(c.values[i]! >= 0.1, `seed ${seed} k=${i + 2}: ${c.values[i]}`);
    assert.deepEqual(c.merges!.map((m) => m.k), [12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    assert.equal(c.merges![0]!.pValue, c.values[10]);
    assert.deepEqual(Object.keys(est.curves), ['dip']);
  }
  // whole clusters instead of the facing halves (as DipDECK): the 120° arc projects as a U and stays split for seed 0
  const whole = await estimateK(arcAndL(0), { range: [2, 12], select: 'dip', seed: 0, dipPairFraction: 1 });
  assert.ok(whole.k > 4, String(whole.k));
});

test('estimateK: dip is deterministic for a seed, a stricter threshold merges more, and its options are checked', async () => {
  const x = blobs(3);
  const a = await estimateK(x, { range: [2, 12], select: 'dip', seed: 5 });
  const b = await estimateK(x, { range: [2, 12], select: 'dip', seed: 5 });
  assert.deepEqual(a.curves, b.curves);
  assert.equal(a.k, 5);
  // the merge order does not depend on the threshold, only where it stops
  const loose = await estimateK(x, { range: [2, 12], select: 'dip', seed: 5, dipSignificance: 0.999 });
  assert.deepEqual(loose.curves.dip!.values, a.curves.dip!.values);
  assert.ok(loose.k >= a.k);
  // p-values taken at 4 rows per pair cannot reject anything: everything merges to the bottom of the range
  const weak = await estimateK(x, { range: [2, 12], select: 'dip', seed: 5, dipTestRows: 4 });
  assert.equal(weak.k, 2);
  assert.equal(weak.curves.dip!.testRows, 4);
  await assert.rejects(estimateK(x, { select: 'dip', dipSignificance: 0 }), (e: Error) => e instanceof ParamError && /dipSignificance' must be a number in \(0, 1\)/.test(e.message));
  await assert.rejects(estimateK(x, { select: 'dip', dipSignificance: 1.5 }), ParamError);
  await assert.rejects(estimateK(x, { select: 'dip', dipPairFraction: 0 }), /dipPairFraction/);
  await assert.rejects(estimateK(x, { select: 'dip', dipTestRows: 3 }), /dipTestRows/);
  await assert.rejects(estimateK(x, { select: 'dip', range: [2, 252] }), (e: Error) => e instanceof ParamError && /2 <= lo <= hi <= n − 1 = 251/.test(e.message) && !e.message.includes('\n'));
  await assert.rejects(estimateK(x, { select: 'dip', range: [1, 5] }), ParamError);
  await assert.rejects(estimateK({ data: new Float64Array(19 * 2), rows: 19, cols: 2 }, { select: 'dip' }), /at least 20 rows/);
});

test('estimateK: dip-split splits k-means from the bottom of the range up to the 5 blobs; its curve is the Bonferroni-adjusted lowest p per k', async () => {
  for (const seed of [1, 2, 3]) {
    const est = await estimateK(blobs(seed), { range: [2, 9], select: 'dip-split', seed: 0 });
    assert.equal(est.k, 5, `seed ${seed}`);
    const c = est.curves['dip-split']!;
    assert.equal(c.rule, 'dip-split');
    assert.equal(c.values.length, 8);
    for (const i of [0, 1, 2]) assert.ok(c.values[i]! < 0.1, `seed ${seed} k=${i + 2}: ${c.values[i]}`); // k = 2..4: some cluster is clearly two
    assert.ok(c.values[3]! >= 0.1);
    for (const v of c.values) assert.ok(v !== null && v >= 0 && v <= 1);
  }
  const a = await estimateK(blobs(4), { range: [2, 9], select: 'dip-split', seed: 2 });
  const b = await estimateK(blobs(4), { range: [2, 9], select: 'dip-split', seed: 2 });
  assert.deepEqual(a.curves, b.curves);
});

test('estimateK: dip and dip-split stay in the range on degenerate data (identical rows, two repeated points, 20 rows)', async () => {
  const rng = new Rng(1);
  const sets = [
    { data: new Float64Array(100 * 3), rows: 100, cols: 3 },
    { data: Float64Array.from({ length: 200 }, (_, i) => (i < 100 ? 0 : 5)), rows: 100, cols: 2 },
    { data: Float64Array.from({ length: 40 }, () => rng.normal()), rows: 20, cols: 2 },
  ];
  for (const x of sets)
    for (const c of ['dip', 'dip-split'] as const) {
      const e = await estimateK(x, { select: c, seed: 0 });
      assert.ok(e.k >= 2 && e.k <= Math.min(30, x.rows - 1), `${c}: ${e.k}`);
      assert.equal(e.curves[c]!.values.length, e.ks.length);
    }
});

test('topFallback decides only when the deciding criterion peaks at the top of the range', async () => {
  const x = blobs(3); // 5 separated blobs: silhouette's best is 5
  const top = await estimateK(x, { range: [2, 5], select: 'silhouette', topFallback: 'gap', seed: 0 });
  assert.equal(top.curves.silhouette!.best, 5, 'silhouette peaks at the top of [2, 5]');
  assert.equal(top.selectedBy, 'gap');
  assert.equal(top.k, top.curves.gap!.best);
  const inside = await estimateK(x, { range: [2, 8], select: 'silhouette', topFallback: 'gap', seed: 0 });
  assert.equal(inside.curves.silhouette!.best, 5);
  assert.equal(inside.selectedBy, 'silhouette', 'a maximum inside the range decides');
  assert.equal(inside.k, 5);
  assert.ok(inside.curves.gap, 'the fallback curve is computed and reported either way');
  await assert.rejects(estimateK(x, { topFallback: 'nope' as never }), (e: Error) => e instanceof ParamError && /unknown criterion "nope"/.test(e.message));
});

test('finerRatio: the fallback also decides when its k is at least that many times the deciding criterion’s (nested clusters)', async () => {
  // two groups 20 apart, each of 5 tight blobs: silhouette sees the 2 groups, the gap the 10 blobs
  const rng = new Rng(11);
  const centres: number[][] = [];
  for (let g = 0; g < 2; g++) for (let b = 0; b < 5; b++) centres.push([g * 20 + 2.5 * rng.normal(), 2.5 * rng.normal()]);
  const rows: number[] = [];
  for (const c of centres) for (let i = 0; i < 40; i++) rows.push(c[0]! + 0.3 * rng.normal(), c[1]! + 0.3 * rng.normal());
  const x = { data: Float64Array.from(rows), rows: rows.length / 2, cols: 2 };
  const plain = await estimateK(x, { range: [2, 14], select: 'silhouette', topFallback: 'gap', seed: 0 });
  assert.equal(plain.curves.silhouette!.best, 2, 'silhouette: the two groups');
  assert.equal(plain.curves.gap!.best, 10, 'gap: the ten blobs');
  assert.equal(plain.selectedBy, 'silhouette', 'without finerRatio a maximum inside the range decides');
  const finer = await estimateK(x, { range: [2, 14], select: 'silhouette', topFallback: 'gap', finerRatio: 2, seed: 0 });
  assert.deepEqual([finer.selectedBy, finer.k], ['gap', 10]);
  const strict = await estimateK(x, { range: [2, 14], select: 'silhouette', topFallback: 'gap', finerRatio: 6, seed: 0 });
  assert.deepEqual([strict.selectedBy, strict.k], ['silhouette', 2], '10 < 6 × 2');
  await assert.rejects(estimateK(x, { finerRatio: 2 }), (e: Error) => e instanceof ParamError && /finerRatio needs topFallback/.test(e.message));
  await assert.rejects(estimateK(x, { topFallback: 'gap', finerRatio: 1 }), (e: Error) => e instanceof ParamError && /finerRatio must be a number > 1 \(e\.g\. 2\), got 1/.test(e.message));
});
