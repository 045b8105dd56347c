// Umap step: deterministic per seed, transform of new rows lands near their neighbours, bad input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParamError } from '../errors.ts';
import { Rng } from '../random.ts';
import { Umap } from './umap.ts';

function twoBlobs(n: number, seed: number): { data: Float64Array; rows: number; cols: number } {
  const rng = new Rng(seed);
  const data = new Float64Array(n * 5);
  for (let i = 0; i < n; i++) for (let t = 0; t < 5; t++) data[i * 5 + t] = (i % 2 ? 10 : 0) + rng.normal();
  return { data, rows: n, cols: 5 };
}

test('Umap: the same seed gives the same embedding; transform is repeatable and keeps the blobs apart', async () => {
  const x = twoBlobs(120, 1);
  const a = await new Umap({ nComponents: 2, nNeighbors: 10, nEpochs: 60, seed: 3 }).fit(x);
  const b = await new Umap({ nComponents: 2, nNeighbors: 10, nEpochs: 60, seed: 3 }).fit(x);
  assert.deepEqual(Array.from(a.embedding.data), Array.from(b.embedding.data));
  assert.equal(a.embedding.rows, 120);
  assert.equal(a.embedding.cols, 2);
  const y = twoBlobs(10, 2);
  const t1 = await a.transform(y);
  const t2 = await a.transform(y);
  assert.deepEqual(Array.from(t1.data), Array.from(t2.data));
  // each new row is nearer the mean of its own blob's training embedding
  const mean = (odd: number) => {
    const m = [0, 0];
    for (let i = odd; i < 120; i += 2) for (let t = 0; t < 2; t++) m[t]! += a.embedding.data[i * 2 + t]! / 60;
    return m;
  };
  const m0 = mean(0);
  const m1 = mean(1);
  for (let i = 0; i < 10; i++) {
    const p = [t1.data[i * 2]!, t1.data[i * 2 + 1]!];
    const d0 = Math.hypot(p[0]! - m0[0]!, p[1]! - m0[1]!);
    const d1 = Math.hypot(p[0]! - m1[0]!, p[1]! - m1[1]!);
    assert.ok(i % 2 ? d1 < d0 : d0 < d1, `row ${i}`);
  }
});

test('Umap: more neighbours than rows, bad minDist and wrong widths are one-line errors', async () => {
  const x = twoBlobs(12, 1);
  await assert.rejects(new Umap({ nNeighbors: 12 }).fit(x), (e: Error) => e instanceof ParamError && /nNeighbors.*rows − 1 = 11/.test(e.message));
  await assert.rejects(new Umap({ minDist: 2, spread: 1 }).fit(x), ParamError);
  const u = await new Umap({ nNeighbors: 5, nEpochs: 20 }).fit(x);
  await assert.rejects(u.transform({ data: new Float64Array(4), rows: 1, cols: 4 }), /5/);
});

test('Umap: both initialisations separate well-apart blobs; timings are reported; a bad init is a one-line error', async () => {
  const x = twoBlobs(200, 5);
  for (const init of ['random', 'spectral'] as const) {
    const u = await new Umap({ nComponents: 2, nNeighbors: 10, nEpochs: 100, init, seed: 1 }).fit(x);
    // the two blobs' embedded points do not mix: every point is nearer its own blob's mean
    const mean = (odd: number) => [0, 1].map((t) => {
      let s = 0;
      for (let i = odd; i < 200; i += 2) s += u.embedding.data[i * 2 + t]! / 100;
      return s;
    });
    const m = [mean(0), mean(1)];
    for (let i = 0; i < 200; i++) {
      const d = m.map((c) => Math.hypot(u.embedding.data[i * 2]! - c[0]!, u.embedding.data[i * 2 + 1]! - c[1]!));
      assert.ok(d[i % 2]! < d[1 - (i % 2)]!, `${init}: row ${i}`);
    }
    assert.ok(u.timings.knn >= 0 && u.timings.layout > 0 && Math.abs(u.timings.knn + u.timings.graph + u.timings.layout - u.seconds) < 1e-6);
  }
  await assert.rejects(new Umap({ init: 'pca' as never }).fit(x), (e: Error) => e instanceof ParamError && /init/.test(e.message));
});
