// The gmm and umap-gmm final clusterings: labels, predict(subset of train) = labels, save/load, new rows, ONNX.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeepClustering, FittedDeepClustering } from '../deep-clustering.ts';
import type { DeepPartial, MethodConfig } from '../config.ts';
import { ParamError } from '../../errors.ts';
import { agreement, blobs as testBlobs } from '../_test/data.ts';
import { storedUmapTransform } from '../../cluster/stored-models.ts';

/** Three separated blobs in 16 dimensions. */
const blobs = (n: number, seed: number) => testBlobs({ n, d: 16, seed, noise: 0.1, centerSeed: 99, centerScale: 2 });

const base: DeepPartial<MethodConfig> = { architecture: { kind: 'mlp', hidden: [16], embeddingDim: 3 }, pretrain: { epochs: 30, batchSize: 16 }, initNInit: 2 };

function subset(x: { data: Float32Array; cols: number }, rows: number[]) {
  const out = new Float32Array(rows.length * x.cols);
  rows.forEach((r, i) => out.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols));
  return { data: out, rows: rows.length, cols: x.cols };
}

for (const [kind, extra] of [['gmm', {}], ['umap-gmm', { nNeighbors: 10, maxStored: 60 }]] as const) {
  test(`final clustering ${kind}: labels, predict on subsets, save → load → predict, new rows`, async () => {
    const { x, y } = blobs(90, 1);
    const overrides = { ...base, finalClustering: { kind, ...extra } } as DeepPartial<MethodConfig>;
    const fitted = await new DeepClustering({ method: 'ae-kmeans', nClusters: 3, seed: 3, overrides }).fit(x);
    assert.ok(agreement(y, fitted.labels) > 0.95, `pair agreement ${agreement(y, fitted.labels)}`);
    assert.ok(fitted.parameters.has('final.logNorm'));
    // the whole training set and subsets of it (in another order) get exactly their fitted labels
    assert.deepEqual(Array.from(await fitted.predict(x)), Array.from(fitted.labels));
    const rows = [89, 0, 45, 7, 60, 61, 2];
    const want = rows.map((r) => fitted.labels[r]!);
    assert.deepEqual(Array.from(await fitted.predict(subset(x, rows))), want);
    const q = await fitted.softAssign(subset(x, rows));
    for (let i = 0; i < q.rows; i++) {
      let s = 0;
      for (let j = 0; j < 3; j++) s += q.data[i * 3 + j]!;
      assert.ok(Math.abs(s - 1) < 1e-9);
    }
    const dir = mkdtempSync(join(tmpdir(), `dc-${kind}-`));
    fitted.save(dir);
    const loaded = FittedDeepClustering.load(dir);
    assert.deepEqual(Array.from(await loaded.predict(subset(x, rows))), want);
    assert.deepEqual(Array.from(await loaded.predict(x)), Array.from(fitted.labels));
    // new rows from the same blobs: the same clusters as the fitted model says
    const fresh = blobs(30, 2);
    const a = await fitted.predict(fresh.x);
    assert.deepEqual(Array.from(await loaded.predict(fresh.x)), Array.from(a));
    assert.ok(agreement(fresh.y, a) > 0.95, `new rows: pair agreement ${agreement(fresh.y, a)}`);
    const onnx = join(dir, 'm.onnx');
    if (kind === 'gmm') {
      loaded.exportOnnx(onnx);
      // the graph form of the posteriors (float32) agrees with the float64 path
      const session = await ort.InferenceSession.create(readFileSync(onnx));
      const res = await session.run({ x: new ort.Tensor('float32', x.data, [x.rows, 16]) });
      const qx = await loaded.softAssign(x);
      const qo = res.q!.data as Float32Array;
      for (let i = 0; i < qo.length; i++) assert.ok(Math.abs(qo[i]! - qx.data[i]!) < 1e-4, `q[${i}] ${qo[i]} vs ${qx.data[i]}`);
      assert.deepEqual(Array.from(res.label!.data as BigInt64Array, Number), Array.from(fitted.labels));
    } else {
      assert.throws(() => loaded.exportOnnx(onnx), (e: Error) => e instanceof ParamError && /cannot be exported to ONNX.*encoder alone/.test(e.message));
      loaded.exportOnnx(onnx, { softAssignment: false });
      assert.ok(existsSync(onnx));
    }
  });
}

test('final clustering options are checked with one-line errors', () => {
  const bad = (finalClustering: object) => () => new DeepClustering({ method: 'ae-kmeans', nClusters: 3, overrides: { finalClustering } as never });
  assert.throws(bad({ kind: 'gmm', covariance: 'fulll' }), /method\.finalClustering\.covariance must be one of full, tied, diag, spherical/);
  assert.throws(bad({ kind: 'umap-gmm', nNeighbors: 1 }), /method\.finalClustering\.nNeighbors must be an integer >= 2/);
  assert.throws(bad({ kind: 'gmm', nNeighbors: 5 }), /nNeighbors/);
});

test('storedUmapTransform: stored rows keep their coordinates; new rows get a weighted mean of neighbours', () => {
  const inputs = { data: Float32Array.of(0, 0, 1, 0, 0, 1, 5, 5), rows: 4, cols: 2 };
  const coords = { data: Float32Array.of(10, 20, 30, 40), rows: 4, cols: 1 };
  const y = storedUmapTransform({ inputs, coords, nNeighbors: 3 }, { data: Float32Array.of(1, 0, 0.1, 0.1), rows: 2, cols: 2 });
  assert.equal(y.data[0], 20);
  // the three nearest of (0.1, 0.1) are the first three stored rows; the nearest weighs 1, the mean lies between 10 and 30
  assert.ok(y.data[1]! > 10 && y.data[1]! < 30, `${y.data[1]}`);
});
