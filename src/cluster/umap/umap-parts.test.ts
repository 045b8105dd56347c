// The pieces of our UMAP against umap-learn (test/fixtures/umap-reference.json, made by
// make_umap_reference.py): curve parameters, exact kNN, smooth-kNN σ/ρ and the fuzzy union;
// the spectral initialisation's subspace against a dense decomposition; the layout's determinism.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Rng } from '../../random.ts';
import { findAbParams } from './ab-params.ts';
import { type SparseGraph, fuzzyUnion, memberships, smoothKnnDist } from './fuzzy-graph.ts';
import { nearestNeighbors } from './knn.ts';
import { optimizeLayout } from './layout.ts';
import { spectralInit } from './spectral-init.ts';

interface Reference {
  x: number[][];
  nNeighbors: number;
  knnIndices: number[][];
  sigma: number[];
  rho: number[];
  graph: { rows: number[]; cols: number[]; weights: number[] };
  curves: { spread: number; minDist: number; a: number; b: number }[];
}
const ref = JSON.parse(readFileSync(new URL('../../../test/fixtures/umap-reference.json', import.meta.url), 'utf8')) as Reference;
const x = { data: Float64Array.from(ref.x.flat()), rows: ref.x.length, cols: ref.x[0]!.length };
const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

test('findAbParams equals umap-learn’s find_ab_params to 1e-5', () => {
  for (const c of ref.curves) {
    const { a, b } = findAbParams(c.spread, c.minDist);
    assert.ok(close(a, c.a, 1e-5) && close(b, c.b, 1e-5), `spread ${c.spread} minDist ${c.minDist}: ${a}, ${b} vs ${c.a}, ${c.b}`);
  }
});

test('exact kNN, σ, ρ and the fuzzy union equal umap-learn’s on a small set', async () => {
  const k = ref.nNeighbors;
  const nn = await nearestNeighbors(x, x, k, { threads: 1 });
  for (let i = 0; i < x.rows; i++) {
    assert.equal(nn.indices[i * k], i, `row ${i} is its own nearest neighbour`);
    assert.deepEqual([...nn.indices.subarray(i * k, (i + 1) * k)].sort((p, q) => p - q), [...ref.knnIndices[i]!].sort((p, q) => p - q), `row ${i}`);
    for (let j = 1; j < k; j++) assert.ok(nn.distances[i * k + j]! >= nn.distances[i * k + j - 1]!, 'sorted');
  }
  const s = smoothKnnDist(nn, 1);
  for (let i = 0; i < x.rows; i++) {
    assert.ok(close(s.rho[i]!, ref.rho[i]!, 1e-6), `rho ${i}`);
    assert.ok(close(s.sigma[i]!, ref.sigma[i]!, 1e-4), `sigma ${i}: ${s.sigma[i]} vs ${ref.sigma[i]}`);
  }
  const g = fuzzyUnion(nn, memberships(nn, s, true));
  const ours: string[] = [];
  for (let i = 0; i < g.n; i++) for (let p = g.rowStart[i]!; p < g.rowStart[i + 1]!; p++) ours.push(`${i},${g.cols[p]}`);
  const theirs = ref.graph.rows.map((r, p) => `${r},${ref.graph.cols[p]}`);
  assert.deepEqual(ours, theirs, 'the same edges in the same order');
  ref.graph.weights.forEach((w, p) => assert.ok(close(g.weights[p]!, w, 1e-5), `edge ${theirs[p]}: ${g.weights[p]} vs ${w}`));
  // symmetric
  const at = new Map(ours.map((e, p) => [e, g.weights[p]!]));
  for (const [e, w] of at) {
    const [i, j] = e.split(',');
    assert.equal(at.get(`${j},${i}`), w);
  }
});

test('kNN of new rows against the fitted ones; tiles across the GEMM boundary give the exact answer', async () => {
  const rng = new Rng(4);
  const n = 300;
  const d = 3;
  const base = { data: Float64Array.from({ length: n * d }, () => rng.normal()), rows: n, cols: d };
  const q = { data: Float64Array.from({ length: 1100 * d }, () => rng.normal()), rows: 1100, cols: d };
  const nn = await nearestNeighbors(q, base, 5, { threads: 1 });
  const small = await nearestNeighbors(q, base, 5, { threads: 1 }, { query: 100, base: 64 });
  assert.deepEqual(Array.from(small.indices), Array.from(nn.indices), 'tile sizes do not change the answer');
  for (let i = 0; i < q.rows; i++) {
    const all = Array.from({ length: n }, (_, p) => {
      let s = 0;
      for (let t = 0; t < d; t++) s += (q.data[i * d + t]! - base.data[p * d + t]!) ** 2;
      return [Math.sqrt(s), p] as const;
    }).sort((u, v) => u[0] - v[0] || u[1] - v[1]);
    assert.deepEqual([...nn.indices.subarray(i * 5, i * 5 + 5)], all.slice(0, 5).map((e) => e[1]));
    all.slice(0, 5).forEach((e, j) => assert.ok(Math.abs(nn.distances[i * 5 + j]! - e[0]) < 1e-12));
  }
});

/** A kNN graph of `blobs` Gaussian blobs in 3-D. */
async function blobGraph(n: number, blobs: number, seed: number, spacing = 4): Promise<SparseGraph> {
  const rng = new Rng(seed);
  const data = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) for (let t = 0; t < 3; t++) data[i * 3 + t] = (t === i % blobs % 3 ? spacing * (1 + (i % blobs)) : 0) + rng.normal();
  const m = { data, rows: n, cols: 3 };
  const nn = await nearestNeighbors(m, m, 10, { threads: 1 });
  return fuzzyUnion(nn, memberships(nn, smoothKnnDist(nn, 1), true));
}

test('spectral initialisation: seeded; its leading coordinates separate weakly linked blobs', async () => {
  // 650 rows take the iterated path (a fixed number of subspace iterations: an initialisation,
  // not eigenvectors to machine precision)
  const g = await blobGraph(650, 3, 1, 1.5);
  const dim = 2;
  const it = spectralInit(g, dim, 7);
  assert.deepEqual(Array.from(spectralInit(g, dim, 7)), Array.from(it), 'seeded');
  let maxAbs = 0;
  for (const v of it) maxAbs = Math.max(maxAbs, Math.abs(v));
  assert.ok(maxAbs > 9.99 && maxAbs < 10.01, `scaled to ±10, got ${maxAbs}`);
  // every point is nearer its own blob's mean than the others' (blob = i mod 3)
  const means = [0, 1, 2].map((b) => [0, 1].map((c) => {
    let s = 0;
    let m = 0;
    for (let i = b; i < g.n; i += 3, m++) s += it[i * dim + c]!;
    return s / m;
  }));
  let right = 0;
  for (let i = 0; i < g.n; i++) {
    const d = means.map((m) => Math.hypot(it[i * dim]! - m[0]!, it[i * dim + 1]! - m[1]!));
    if (d.indexOf(Math.min(...d)) === i % 3) right++;
  }
  assert.ok(right / g.n > 0.9, `${right} of ${g.n} nearest their own blob`); // the blobs overlap a little in the data
});

test('layout: seeded and deterministic; a transform-style run leaves the tail embedding alone', async () => {
  const g = await blobGraph(200, 2, 2);
  const head = new Int32Array(g.cols.length);
  for (let i = 0; i < g.n; i++) head.fill(i, g.rowStart[i]!, g.rowStart[i + 1]!);
  const edges = { head, tail: g.cols, weights: g.weights };
  const start = spectralInit(g, 2, 1);
  const run = () => {
    const e = Float64Array.from(start);
    optimizeLayout(e, e, g.n, 2, edges, { curve: findAbParams(1, 0.1), nEpochs: 50, alpha: 1, moveOther: true, rng: new Rng(3) });
    return e;
  };
  const r1 = run();
  assert.deepEqual(Array.from(run()), Array.from(r1));
  assert.notDeepEqual(Array.from(r1), Array.from(start));
  const tail = Float64Array.from(r1);
  const newPoints = Float64Array.from(r1.subarray(0, 20));
  optimizeLayout(newPoints, tail, g.n, 2, { head: Int32Array.from({ length: 10 }, (_, i) => i % 10), tail: Int32Array.from({ length: 10 }, (_, i) => 50 + i), weights: new Float64Array(10).fill(1) }, { curve: findAbParams(1, 0.1), nEpochs: 10, alpha: 0.25, moveOther: false, rng: new Rng(1) });
  assert.deepEqual(Array.from(tail), Array.from(r1), 'the fitted embedding does not move');
});
