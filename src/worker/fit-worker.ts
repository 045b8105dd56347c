/**
 * The worker-thread side of {@link fitInWorker}: receives one {@link FitJob}, runs
 * `DeepClustering.fit` on it, streams progress, and posts back the fitted model (its arrays
 * transferred, not copied) or the error. Loaded through `bootstrap.mjs`, which registers tsx.
 */
import { parentPort } from 'node:worker_threads';
import { DeepClustering, type FitOptions, type FittedDeepClustering } from '../methods/deep-clustering.ts';
import { type FitJob, type PackedFitted, type WorkerMessage, packError, packStore, transferables, unpackStore } from './protocol.ts';

if (!parentPort) throw new Error('fit-worker.ts runs in a worker thread started by fitInWorker');
const port = parentPort;
const stop = new AbortController();

const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

port.on('message', (m: FitJob | { type: 'abort' }) => {
  if (m.type === 'abort') stop.abort();
  else void run(m);
});

async function run(job: FitJob): Promise<void> {
  try {
    const extra = job.checkpoint?.extra;
    const options: FitOptions = {
      imageShape: job.imageShape,
      labels: job.labels,
      pretrained: job.pretrained ? unpackStore(job.pretrained) : undefined,
      onProgress: job.progress ? (event) => post({ type: 'progress', event }) : undefined,
      checkpoint: job.checkpoint && {
        dir: job.checkpoint.dir,
        every: job.checkpoint.every,
        extra: extra && (() => extra),
        onSaved: job.saved ? (event) => post({ type: 'saved', event }) : undefined,
      },
      resumeFrom: job.resumeFrom,
      // the thread is never terminated from outside: an onnxruntime run still in flight would abort
      // the whole process when it calls back, so a stop waits for the next safe point
      signal: stop.signal,
    };
    // onnxruntime refuses tensors in shared memory ('Invalid argument'): own a copy
    const x = job.x.data.buffer instanceof SharedArrayBuffer ? { ...job.x, data: job.x.data.slice() } : job.x;
    const fitted = await new DeepClustering(job.options).fit(x, options);
    const packed = pack(fitted);
    post({ type: 'done', fitted: packed }, transferables([packed.labels, packed.centers, ...packed.store.map((t) => t.data), ...(packed.pretrainedStore ?? []).map((t) => t.data)]));
  } catch (e) {
    post({ type: 'error', error: packError(e) });
  } finally {
    // nothing else keeps the thread alive: it ends by itself, its native work done
    port.close();
  }
}

/** The fitted model as plain data (its own arrays, handed over to the main thread). */
function pack(f: FittedDeepClustering): PackedFitted {
  return {
    method: f.method,
    nClusters: f.nClusters,
    seed: f.seed,
    nFeatures: f.nFeatures,
    imageShape: f.imageShape,
    store: packStore(f.parameters),
    pretrainedStore: f.pretrainedParameters && packStore(f.pretrainedParameters),
    labels: f.labels,
    centers: f.clusterCenters,
    embeddingDim: f.embeddingDim,
    history: f.history,
    timings: f.timings,
    iterations: f.iterations,
    stoppedBy: f.stoppedBy,
    pretrainSource: f.pretrainSource,
  };
}
