// The worked method-config examples in examples/methods/ parse, validate and train (tiny settings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readMethodConfig } from '../src/cli/commands/fit.ts';
import { DeepClustering } from '../src/methods/deep-clustering.ts';
import { Rng } from '../src/random.ts';

const dir = new URL('../examples/methods/', import.meta.url).pathname;

function blobs(n = 120, d = 16) {
  const rng = new Rng(5);
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < d; j++) x[i * d + j] = (j % 3 === y[i] ? 1 : 0) + 0.05 * rng.normal();
  }
  return { x: { data: x, rows: n, cols: d }, y };
}

for (const file of readdirSync(dir).sort()) {
  test(`examples/methods/${file} trains`, async () => {
    const method = readMethodConfig(join(dir, file));
    const { x, y } = blobs();
    const fitted = await new DeepClustering({
      method,
      nClusters: 3,
      seed: 1,
      overrides: { architecture: { hidden: [32, 32, 32], embeddingDim: 4 }, pretrain: { epochs: 30, batchSize: 20, ...(method.pretrain?.greedy ? { greedy: { epochs: 5 } } : {}) }, train: { maxIter: 80, batchSize: 20 }, clusterUpdate: { updateInterval: 20, ...(method.clusterUpdate.kind === 'agglomerative' ? { initialClusters: 12 } : {}) } },
    }).fit(x);
    assert.equal(new Set(fitted.labels).size, 3);
    let agree = 0;
    for (let i = 0; i < y.length; i++) for (let j = i + 1; j < y.length; j++) agree += Number((y[i] === y[j]) === (fitted.labels[i] === fitted.labels[j]));
    assert.ok(agree / ((y.length * (y.length - 1)) / 2) > 0.9);
  });
}
