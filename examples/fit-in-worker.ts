/**
 * Training in a worker thread, so that your program stays responsive while it trains.
 * Run: npx tsx examples/fit-in-worker.ts
 */
import { fitInWorker } from '../src/index.ts';

// Your data: n rows of d features, row-major in one Float32Array (here: 3 noisy blobs).
const n = 600, d = 32;
const x = new Float32Array(n * d);
for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = ((i % 3) === j % 3 ? 1 : 0) + 0.1 * Math.sin(7 * i + 3 * j);

// Something that needs the event loop while training runs: a heartbeat every 10 ms.
let beats = 0;
const heartbeat = setInterval(() => beats++, 10);

const fitted = await fitInWorker(
  {
    method: 'idec',
    nClusters: 3,
    seed: 0,
    overrides: { architecture: { hidden: [64, 32], embeddingDim: 4 }, pretrain: { epochs: 30, batchSize: 32 }, train: { maxIter: 300, batchSize: 32 } },
  },
  { data: x, rows: n, cols: d },
  {
    onProgress: (e) => e.phase === 'cluster' && console.log(`iteration ${e.done}: ${(100 * (e.labelChange ?? 0)).toFixed(2)}% labels changed`),
    signal: AbortSignal.timeout(5 * 60_000), // give up (and stop the worker) after 5 minutes
  },
);
clearInterval(heartbeat);

console.log(`the event loop ran ${beats} heartbeats during training`);
console.log('cluster sizes:', [0, 1, 2].map((c) => fitted.labels.filter((l) => l === c).length));
// the fitted model lives on this thread: predict new rows here
console.log('prediction for the first 6 rows:', Array.from(await fitted.predict({ data: x.subarray(0, 6 * d), rows: 6, cols: d })));
