// hdbscan: finds non-convex clusters and their number, marks sparse rows noise, checks its options.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ParamError } from '../errors.ts';
import { Rng } from '../random.ts';
import { condenseAndSelect, hdbscan, hdbscanTree } from './hdbscan.ts';

/** 5 clusters in 2-d: two interleaved moons, a ring around a dense blob, a small far blob; `noise` uniform rows. */
function shapes(seed: number, noise = 0): { data: Float64Array; rows: number; cols: number; labels: Int32Array } {
  const rng = new Rng(seed);
  const pts: number[] = [];
  const labels: number[] = [];
  const add = (c: number, x: number, y: number, s: number) => {
    pts.push(x + rng.normal() * s, y + rng.normal() * s);
    labels.push(c);
  };
  for (let i = 0; i < 200; i++) {
    const a = Math.PI * rng.random();
    add(0, Math.cos(a), Math.sin(a), 0.06);
  }
  for (let i = 0; i < 150; i++) {
    const a = Math.PI * rng.random();
    add(1, 1 - Math.cos(a), 0.5 - Math.sin(a), 0.06);
  }
  for (let i = 0; i < 250; i++) {
    const a = 2 * Math.PI * rng.random();
    add(2, 6 + 2 * Math.cos(a), 2 * Math.sin(a), 0.08);
  }
  for (let i = 0; i < 120; i++) add(3, 6, 0, 0.3);
  for (let i = 0; i < 40; i++) add(4, -4, 5, 0.1);
  for (let i = 0; i < noise; i++) {
    pts.push(-6 + 16 * rng.random(), -4 + 12 * rng.random());
    labels.push(-1);
  }
  return { data: Float64Array.from(pts), rows: labels.length, cols: 2, labels: Int32Array.from(labels) };
}

function purity(labels: Int32Array, truth: Int32Array): number {
  const best = new Map<number, Map<number, number>>();
  labels.forEach((l, i) => {
    if (l < 0 || truth[i]! < 0) return;
    const m = best.get(l) ?? new Map<number, number>();
    m.set(truth[i]!, (m.get(truth[i]!) ?? 0) + 1);
    best.set(l, m);
  });
  let hit = 0;
  let all = 0;
  for (const m of best.values()) {
    hit += Math.max(...m.values());
    for (const v of m.values()) all += v;
  }
  return hit / all;
}

test('hdbscan recovers moons, a ring around a blob and a small blob (5 clusters), each pure', () => {
  const x = shapes(1);
  const r = hdbscan(x, { minClusterSize: 20, minSamples: 10 });
  assert.equal(r.nClusters, 5);
  assert.equal(r.stabilities.length, 5);
  assert.ok(purity(r.labels, x.labels) > 0.99, `purity ${purity(r.labels, x.labels)}`);
  assert.ok(r.noise < 0.02 * x.rows, `noise ${r.noise}`);
  // every true cluster is mostly one found cluster
  for (let c = 0; c < 5; c++) {
    const found = new Map<number, number>();
    x.labels.forEach((t, i) => t === c && found.set(r.labels[i]!, (found.get(r.labels[i]!) ?? 0) + 1));
    const size = x.labels.filter((t) => t === c).length;
    assert.ok(Math.max(...found.values()) > 0.95 * size, `cluster ${c}`);
  }
});

test('hdbscan labels sparse uniform rows noise and is deterministic', () => {
  const x = shapes(2, 60);
  const a = hdbscan(x, { minClusterSize: 20, minSamples: 10 });
  const b = hdbscan(x, { minClusterSize: 20, minSamples: 10 });
  assert.deepEqual(a.labels, b.labels);
  assert.equal(a.nClusters, 5);
  let uniformNoise = 0;
  x.labels.forEach((t, i) => t < 0 && a.labels[i]! < 0 && uniformNoise++);
  assert.ok(uniformNoise > 30, `only ${uniformNoise} of 60 uniform rows are noise`);
});

test('condenseAndSelect: a larger minimum cluster size merges or drops the small clusters; one tree serves all sizes', () => {
  const x = shapes(3);
  const tree = hdbscanTree(x, 10);
  assert.equal(tree.left.length, x.rows - 1);
  assert.equal(tree.size[x.rows - 2], x.rows);
  for (let m = 1; m < tree.dist.length; m++) assert.ok(tree.dist[m]! >= tree.dist[m - 1]!);
  assert.equal(condenseAndSelect(tree, 20).nClusters, 5);
  assert.ok(condenseAndSelect(tree, 60).nClusters < 5); // the 40-row blob can no longer be a cluster
  // two identical halves: duplicates (distance 0) give finite stabilities
  const dup = { data: Float64Array.from([...Array(30).fill(0), ...Array(30).fill(5)]), rows: 30, cols: 2 };
  const r = hdbscan(dup, { minClusterSize: 5, minSamples: 3 });
  assert.equal(r.nClusters, 2);
  assert.ok(r.stabilities.every(Number.isFinite));
});

test('hdbscan: bad options and data are one-line errors', () => {
  const x = shapes(4);
  assert.throws(() => hdbscan(x, { minClusterSize: 1 }), (e: Error) => e instanceof ParamError && !e.message.includes('\n'));
  assert.throws(() => hdbscan(x, { minClusterSize: x.rows + 1 }), ParamError);
  assert.throws(() => hdbscan(x, { minSamples: 0 }), ParamError);
  assert.throws(() => hdbscanTree(x, x.rows + 1), /minSamples must be an integer in \[1, 760\]/);
  assert.throws(() => hdbscan({ data: Float64Array.from([0, Number.NaN, 1, 2]), rows: 2, cols: 2 }), /finite|NaN/i);
});

test('hdbscanTree: the mutual-reachability MST weights equal SciPy’s (core distances from scikit-learn) for minSamples 1, 5, 10', () => {
  const fx = JSON.parse(readFileSync(new URL('../../test/fixtures/hdbscan-reference.json', import.meta.url), 'utf8')) as {
    x: number[];
    rows: number;
    cols: number;
    cases: Array<{ minSamples: number; mstWeights: number[] }>;
  };
  const x = { data: Float64Array.from(fx.x), rows: fx.rows, cols: fx.cols };
  for (const c of fx.cases) {
    const tree = hdbscanTree(x, c.minSamples);
    assert.equal(tree.dist.length, c.mstWeights.length);
    tree.dist.forEach((w, i) => assert.ok(Math.abs(w - c.mstWeights[i]!) < 1e-9 * (1 + w), `minSamples ${c.minSamples}, edge ${i}: ${w} vs ${c.mstWeights[i]}`));
  }
});
