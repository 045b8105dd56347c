// Loss blocks against direct float64 formulas, and their gradients against finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as E from '../engine/index.ts';
import { gradCheck } from '../engine/testing.ts';
import { annealedTemperature, combineLayerLosses, softNearestNeighborLoss } from './snnl.ts';
import { klDivergence, studentTAssignment, targetDistribution } from './clustering.ts';
import { Rng } from '../random.ts';

const rng = new Rng(4);
const B = 7, D = 3;
const H = Array.from({ length: B * D }, () => rng.normal());
const G = [0, 1, 0, 2, 1, 0, 2];

function directSnnl(h: number[], groups: number[] | undefined, T: number, cosine: boolean): number {
  const dist = (i: number, j: number) => {
    if (cosine) {
      let dot = 0, ni = 0, nj = 0;
      for (let t = 0; t < D; t++) { dot += h[i * D + t]! * h[j * D + t]!; ni += h[i * D + t]! ** 2; nj += h[j * D + t]! ** 2; }
      return 1 - dot / Math.sqrt((ni + 1e-12) * (nj + 1e-12));
    }
    let s = 0;
    for (let t = 0; t < D; t++) s += (h[i * D + t]! - h[j * D + t]!) ** 2;
    return s;
  };
  let total = 0;
  for (let i = 0; i < B; i++) {
    let num = 0, den = 0;
    for (let j = 0; j < B; j++) {
      if (j === i) continue;
      const e = Math.exp(-dist(i, j) / T);
      den += e;
      if (!groups || groups[j] === groups[i]) num += e;
    }
    total += Math.log(num / den + 1e-5);
  }
  return -total / B;
}

async function evalSnnl(groups: number[] | undefined, T: number, distance: 'cosine' | 'euclidean', batch: number | string = B) {
  const g = new E.Graph({ dtype: 'float64' });
  const h = g.input('h', [batch, D]);
  const gr = groups ? g.input('g', [batch, 1]) : undefined;
  const t = g.input('T', []);
  const loss = softNearestNeighborLoss(h, gr, t, { distance });
  const fn = await E.compileFunction(g, { outputs: { loss } });
  const feeds: Record<string, Float64Array> = { h: Float64Array.from(H), T: Float64Array.of(T) };
  if (groups) feeds.g = Float64Array.from(groups);
  return ((await fn.run(feeds)).loss!.data as Float64Array)[0]!;
}

test('SNNL equals the direct formula (cosine and Euclidean, supervised and unsupervised, symbolic batch)', async () => {
  for (const distance of ['cosine', 'euclidean'] as const)
    for (const T of [1, 0.1]) {
      const ours = await evalSnnl(G, T, distance);
      const ref = directSnnl(H, G, T, distance === 'cosine');
      assert.ok(Math.abs(ours - ref) <= 1e-9 * Math.max(1, Math.abs(ref)), `${distance} T=${T}: ${ours} vs ${ref}`);
    }
  const sym = await evalSnnl(G, 0.5, 'cosine', 'batch');
  assert.ok(Math.abs(sym - directSnnl(H, G, 0.5, true)) < 1e-9);
  const unsup = await evalSnnl(undefined, 0.5, 'cosine');
  assert.ok(Math.abs(unsup - directSnnl(H, undefined, 0.5, true)) < 1e-9);
});

test('SNNL gradient passes finite differences; tiny temperatures stay finite', async () => {
  const r = await gradCheck((g, [h]) => softNearestNeighborLoss(h!, g.constant(G, [B, 1]), g.scalar(0.7), { distance: 'cosine' }), [{ shape: [B, D], values: H }]);
  assert.ok(r.maxRelError <= 1e-5, `max rel error ${r.maxRelError}`);
  const tiny = await evalSnnl(G, 1e-4, 'euclidean');
  assert.ok(Number.isFinite(tiny), `loss at T = 1e-4 is ${tiny}`);
});

test('annealed temperature and layer combination', async () => {
  assert.equal(annealedTemperature(0), 1);
  assert.ok(Math.abs(annealedTemperature(9) - 1 / 10 ** 0.55) < 1e-15);
  const g = new E.Graph({ dtype: 'float64' });
  const a = g.param('a', [1]);
  const b = g.param('b', [1]);
  const la = E.reduceSum(E.square(a));
  const lb = E.reduceSum(E.square(b));
  const store = new E.ParameterStore();
  store.add('a', [1], Float64Array.of(2));
  store.add('b', [1], Float64Array.of(3));
  const fn = await E.compileFunction(g, { outputs: { s: combineLayerLosses([la, lb], 'sum'), m: combineLayerLosses([la, lb], 'min') }, store });
  const r = await fn.run({});
  assert.equal((r.s!.data as Float64Array)[0], 13);
  assert.equal((r.m!.data as Float64Array)[0], 4);
});

test('DEC soft assignment, target distribution and KL equal direct formulas; KL gradient checks', async () => {
  const z = Array.from({ length: 5 * 2 }, () => rng.normal());
  const mu = Array.from({ length: 3 * 2 }, () => rng.normal());
  const g = new E.Graph({ dtype: 'float64' });
  const q = studentTAssignment(g.constant(z, [5, 2]), g.constant(mu, [3, 2]), 1);
  const fn = await E.compileFunction(g, { outputs: { q } });
  const ours = (await fn.run({})).q!.data as Float64Array;
  for (let i = 0; i < 5; i++) {
    const k = [0, 1, 2].map((j) => 1 / (1 + (z[i * 2]! - mu[j * 2]!) ** 2 + (z[i * 2 + 1]! - mu[j * 2 + 1]!) ** 2));
    const s = k.reduce((a, b) => a + b, 0);
    k.forEach((v, j) => assert.ok(Math.abs(ours[i * 3 + j]! - v / s) < 1e-12));
  }
  const p = targetDistribution(ours, 5, 3);
  const f = [0, 1, 2].map((j) => [0, 1, 2, 3, 4].reduce((a, i) => a + ours[i * 3 + j]!, 0));
  for (let i = 0; i < 5; i++) {
    const w = [0, 1, 2].map((j) => ours[i * 3 + j]! ** 2 / f[j]!);
    const s = w.reduce((a, b) => a + b, 0);
    w.forEach((v, j) => assert.ok(Math.abs(p[i * 3 + j]! - v / s) < 1e-6));
  }
  const r = await gradCheck((gg, [zz, mm]) => klDivergence(gg.constant(Array.from(p), [5, 3]), studentTAssignment(zz!, mm!, 1)), [{ shape: [5, 2], values: z }, { shape: [3, 2], values: mu }]);
  assert.ok(r.maxRelError <= 1e-5, `max rel error ${r.maxRelError}`);
});

test('CDC correlation scores (paper form) and losses (the authors\' code: row scores, sharpened target, row-mean KL) equal direct formulas; gradients check', async () => {
  const { correlationScores, correlationLoss, affinityLoss } = await import('./correlation.ts');
  const b = 5;
  const a = Array.from({ length: b * 2 }, () => rng.normal());
  const x = Array.from({ length: b * 3 }, () => rng.normal());
  const kern = (v: number[], d: number, i: number, j: number) => { let s = 0; for (let t = 0; t < d; t++) s += (v[i * d + t]! - v[j * d + t]!) ** 2; return 1 / (1 + s); };
  const direct = (v: number[], d: number) => {
    let tot = 0;
    for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) if (i !== j) tot += kern(v, d, i, j);
    return (i: number, j: number) => (i === j ? 0 : kern(v, d, i, j) / tot);
  };
  // the code: rows normalised with (i, i) included; target T(C) = (C²/colsum) row-normalised; mean over rows of Σ_j T log(T/C)
  const rows = (v: number[], d: number) => Array.from({ length: b }, (_, i) => { const r = Array.from({ length: b }, (_, j) => kern(v, d, i, j)); const s = r.reduce((p, c) => p + c, 0); return r.map((c) => c / s); });
  const sharpen = (c: number[][]) => { const f = Array.from({ length: b }, (_, j) => c.reduce((p, r) => p + r[j]!, 0)); return c.map((r) => { const w = r.map((v, j) => (v * v) / f[j]!); const s = w.reduce((p, q) => p + q, 0); return w.map((v) => v / s); }); };
  const rowKl = (p: number[][], q: number[][]) => p.reduce((acc, r, i) => acc + r.reduce((s, v, j) => s + v * Math.log(v / q[i]![j]!), 0), 0) / b;
  const g = new E.Graph({ dtype: 'float64' });
  const A = g.input('a', ['batch', 2]);
  const X = g.input('x', ['batch', 3]);
  const fn = await E.compileFunction(g, { outputs: { c: correlationScores(A), l: correlationLoss(A, X), af: affinityLoss(X, A) } });
  const r = await fn.run({ a: Float64Array.from(a), x: Float64Array.from(x) });
  const ca = direct(a, 2);
  for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) assert.ok(Math.abs((r.c!.data as Float64Array)[i * b + j]! - ca(i, j)) < 1e-14);
  const want = rowKl(sharpen(rows(a, 2)), rows(x, 3));
  assert.ok(want > 0);
  assert.ok(Math.abs((r.l!.data as Float64Array)[0]! - want) < 1e-10, `${(r.l!.data as Float64Array)[0]} vs ${want}`);
  const wantAf = rowKl(sharpen(rows(x, 3)), rows(a, 2));
  assert.ok(Math.abs((r.af!.data as Float64Array)[0]! - wantAf) < 1e-10, `${(r.af!.data as Float64Array)[0]} vs ${wantAf}`);
  // gradients through both sides (the code differentiates the target side too)
  const gc = await gradCheck((gg, [zz, yy, qq]) => E.add(correlationLoss(zz!, yy!), affinityLoss(E.softmax(qq!), zz!)), [{ shape: [b, 2], values: a }, { shape: [b, 3], values: x }, { shape: [b, 4] }]);
  assert.ok(gc.maxRelError <= 1e-5, `max rel error ${gc.maxRelError}`);
});

test('taxonomy losses equal direct formulas and pass gradient checks', async () => {
  const T = await import('./taxonomy.ts');
  const b = 6, k = 3;
  const logits = Array.from({ length: b * k }, () => rng.normal());
  // balanced: KL(G‖U) of the batch mean of softmax rows
  const g0 = new E.Graph({ dtype: 'float64' });
  const q0 = E.softmax(g0.constant(logits, [b, k]), 1);
  const fn = await E.compileFunction(g0, { outputs: { q: q0, bal: T.balancedAssignmentLoss(q0) } });
  const r = await fn.run({});
  const q = r.q!.data as Float64Array;
  const G = [0, 1, 2].map((j) => [0, 1, 2, 3, 4, 5].reduce((a, i) => a + q[i * k + j]!, 0) / b);
  const kl = G.reduce((a, gj) => a + gj * Math.log(gj * k), 0);
  assert.ok(Math.abs((r.bal!.data as Float64Array)[0]! - kl) < 1e-12);
  const s = T.knnSimilarity(Float32Array.from(H.slice(0, b * D)), b, D, 2, 1);
  for (let i = 0; i < b; i++) assert.equal(Array.from(s.subarray(i * b, (i + 1) * b)).filter((v) => v > 0).length, 2);
  const checks: Array<[string, Parameters<typeof gradCheck>[0], Parameters<typeof gradCheck>[1]]> = [
    ['balanced', (g, [l]) => T.balancedAssignmentLoss(E.softmax(l!, 1)), [{ shape: [b, k], values: logits }]],
    ['locality', (g, [z]) => T.localityPreservingLoss(z!, g.constant(Array.from(s), [b, b])), [{ shape: [b, 2] }]],
    ['group sparsity', (g, [h]) => T.groupSparsityLoss(h!, [2, 3, 1], 0.5), [{ shape: [4, 6] }]],
    ['cluster classification', (g, [l]) => T.clusterClassificationLoss(l!, g.constant([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1], [b, k])), [{ shape: [b, k], values: logits }]],
  ];
  for (const [name, build, args] of checks) {
    const res = await gradCheck(build, args);
    assert.ok(res.maxRelError <= 1e-5, `${name}: ${res.maxRelError}`);
  }
});
