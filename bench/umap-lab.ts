// scratch: our UMAP on a float32 file [n, d] → GMM ACC; writes embedding for comparison
import { readFileSync } from 'node:fs';
import { GaussianMixture, Umap } from '../src/cluster/index.ts';
import { clusterAccuracy, normalizedMutualInfoScore } from '../src/metrics/index.ts';
const [file, labelsFile, dStr, init = 'spectral', epochs] = process.argv.slice(2);
const d = Number(dStr);
const x = new Float32Array(readFileSync(file!).buffer.slice(0));
const y = new Int32Array(readFileSync(labelsFile!).buffer.slice(0));
const n = x.length / d;
const t0 = performance.now();
const u = await new Umap({ nComponents: 10, nNeighbors: 20, minDist: 0, seed: 0, threads: 2, init: init as 'spectral', ...(epochs ? { nEpochs: Number(epochs) } : {}) }).fit({ data: x, rows: n, cols: d });
const t1 = performance.now();
const gm = await new GaussianMixture({ nComponents: 10, covarianceType: 'full', nInit: 4, seed: 0, threads: 2 }).fit(u.embedding);
const pred = gm.predict(u.embedding);
console.log(JSON.stringify({ file, n, init, umapS: +((t1 - t0) / 1000).toFixed(1), timings: u.timings, acc: +clusterAccuracy(y.subarray(0, n), await pred).accuracy.toFixed(4), nmi: +normalizedMutualInfoScore(y.subarray(0, n), await pred).toFixed(4) }));
