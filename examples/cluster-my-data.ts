/**
 * Clustering your own data with the library API, in a few lines.
 * Run: npx tsx examples/cluster-my-data.ts
 */
import { DeepClustering } from '../src/index.ts';

// Your data: n rows of d features, row-major in one Float32Array (here: 3 noisy blobs).
const n = 600, d = 32;
const x = new Float32Array(n * d);
for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = ((i % 3) === j % 3 ? 1 : 0) + 0.1 * Math.sin(7 * i + 3 * j);

const model = new DeepClustering({
  method: 'idec',
  nClusters: 3,
  seed: 0,
  // a network and budget that suit 600 × 32 (the preset is d-500-500-2000-10 for images)
  overrides: { architecture: { hidden: [64, 32], embeddingDim: 4 }, pretrain: { epochs: 30, batchSize: 32 }, train: { maxIter: 300, batchSize: 32 } },
});
const fitted = await model.fit({ data: x, rows: n, cols: d }, { onProgress: (e) => e.phase === 'cluster' && console.log(`iteration ${e.done}: ${(100 * (e.labelChange ?? 0)).toFixed(2)}% labels changed`) });

console.log('cluster sizes:', [0, 1, 2].map((c) => fitted.labels.filter((l) => l === c).length));
console.log('embedding of the first row:', Array.from((await fitted.transform({ data: x.subarray(0, d), rows: 1, cols: d })).data));
console.log('prediction for the first 6 rows:', Array.from(await fitted.predict({ data: x.subarray(0, 6 * d), rows: 6, cols: d })));
