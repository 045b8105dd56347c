// The library's AutoClustering runs the deep path too (the CLI adds nothing the API lacks): a
// plan with a network trains a (here tiny) autoencoder, UMAP and a mixture; predict on any subset
// of the training rows gives their fitted labels, before and after save → load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../random.ts';
import { AutoClustering, FittedAutoClustering } from './index.ts';
import type { AutoPlan } from './plan.ts';
import { AUTO_GMM_RESTARTS } from './deep.ts';

/** 300 rows of 3 noisy prototypes in 20 dimensions, on different scales (so standardize is fitted). */
function rows(): number[][] {
  const rng = new Rng(5);
  const protos = Array.from({ length: 3 }, () => Array.from({ length: 20 }, () => 3 * rng.normal()));
  return Array.from({ length: 300 }, (_, i) => protos[i % 3]!.map((v, j) => (v + 0.4 * rng.normal()) * (j + 1)));
}

const tinyNetwork = (plan: AutoPlan): AutoPlan => ({
  ...plan,
  network: { value: { hidden: [12], embeddingDim: 3, batchSize: 50, pretrainSteps: 30, plateauSteps: 1000, augment: false, umapNeighbors: 10 }, reason: 'test: a tiny network' },
});

test('AutoClustering with a network: labels, predict on training subsets, save → load', async () => {
  const x = rows();
  const fitted = await new AutoClustering({ nClusters: 3, seed: 0, threads: 1, adjustPlan: tinyNetwork }).fit(x);
  assert.equal(fitted.k, 3);
  assert.equal(fitted.clustering, 'umap+gmm');
  assert.ok(fitted.deepModel, 'the network model is exposed');
  assert.equal((fitted.deepModel.method.finalClustering as { nInit?: number }).nInit, AUTO_GMM_RESTARTS, 'the mixture keeps the best of several EM starts');
  assert.equal(fitted.labels.length, 300);
  assert.equal(new Set(fitted.labels).size, 3);
  const subset = [5, 0, 299, 17, 17, 150];
  const want = subset.map((i) => fitted.labels[i]);
  assert.deepEqual(Array.from(await fitted.predict(subset.map((i) => x[i]!))), want, 'predict on training rows = fitted labels');
  assert.deepEqual(Array.from(await fitted.predict(x)), Array.from(fitted.labels));
  const z = await fitted.transform(x.slice(0, 4));
  assert.deepEqual([z.rows, z.cols], [4, 3], 'transform gives the code');
  assert.throws(() => fitted.exportOnnx(join(tmpdir(), 'never.onnx')), /ends in UMAP/);
  await assert.rejects(fitted.predict([[1, 2, 3]]), /20 features, got 3/);

  const dir = join(mkdtempSync(join(tmpdir(), 'deepclust-auto-deep-lib-')), 'model');
  fitted.save(dir);
  const again = FittedAutoClustering.load(dir);
  assert.equal(again.k, 3);
  assert.equal(again.summary, fitted.summary);
  assert.deepEqual(Array.from(await again.predict(subset.map((i) => x[i]!))), want, 'the loaded model predicts the same labels');
});

test('auto deep path: a silhouette that peaks at the top of the k range hands the choice to the gap statistic, and says so', async () => {
  const x = rows();
  // the network-sized plans' criterion (on this small table the plan would pick the gap itself)
  const silhouettePlan = (plan: AutoPlan): AutoPlan => ({ ...tinyNetwork(plan), k: { value: { estimate: [2, 3], criterion: 'silhouette' }, reason: 'test: as on network-sized data' } });
  const fitted = await new AutoClustering({ nClusters: [2, 3], seed: 0, threads: 1, adjustPlan: silhouettePlan }).fit(x);
  const curves = fitted.deepModel!.kEstimate!.curves;
  assert.equal(curves.silhouette!.best, 3, 'three prototypes: silhouette peaks at the top of [2, 3]');
  assert.equal(fitted.deepModel!.kEstimate!.criterion, 'gap');
  assert.equal(fitted.k, curves.gap!.best);
  assert.match(fitted.decision.reason, /by gap on the pretrained embedding \(k in 2\.\.3\): silhouette's best k was the top of the range \(3\), no maximum inside it/);
});
