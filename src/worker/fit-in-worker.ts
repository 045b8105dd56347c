/**
 * Training in a worker thread: `fitInWorker(options, x, fitOptions)` runs the whole
 * `new DeepClustering(options).fit(x, fitOptions)` in a `node:worker_threads` Worker, so the
 * caller's event loop stays free (servers, UIs, progress bars) while it trains, and gives back an
 * ordinary {@link FittedDeepClustering} whose transform/predict run on the calling thread.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InterruptedError } from '../errors.ts';
import type { RuntimeOptions } from '../engine/session.ts';
import type { Matrix } from '../matrix.ts';
import { buildNetwork } from '../methods/network.ts';
import { type CheckpointOptions, type DataInput, DeepClustering, type DeepClusteringOptions, type FitOptions, FittedDeepClustering } from '../methods/deep-clustering.ts';
import { toMatrix } from '../methods/input.ts';
import { packageRoot } from '../package-root.ts';
import { type FitJob, type PackedFitted, type WorkerMessage, packStore, unpackError, unpackStore } from './protocol.ts';

/** Checkpointing of {@link fitInWorker}: as {@link CheckpointOptions}, with `extra` a fixed object (functions cannot cross threads). */
export interface WorkerCheckpointOptions extends Omit<CheckpointOptions, 'extra'> {
  /** Your own JSON, stored with each checkpoint; read it back with `readCheckpointInfo(dir).extra.caller`. */
  readonly extra?: Record<string, unknown>;
}

/** Options of {@link fitInWorker}: those of {@link FitOptions}, plus how the data reaches the worker. */
export interface WorkerFitOptions extends Omit<FitOptions, 'checkpoint'> {
  /** Write checkpoints while training (see {@link FitOptions.checkpoint}). @defaultValue no checkpoints */
  readonly checkpoint?: WorkerCheckpointOptions;
  /**
   * Stops the fit. Without checkpointing the promise rejects at once with an InterruptedError and
   * the worker thread stops at its next safe point (a few steps at most), then ends; with
   * `checkpoint` or `resumeFrom` the promise rejects once the worker has written its checkpoint
   * there, with the InterruptedError naming it, as an in-thread fit does.
   */
  readonly signal?: AbortSignal;
  /**
   * Hand the buffer under `x.data` (a Float32Array) over to the worker instead of copying it: no
   * copy at all, but the caller's array (and every view of the same ArrayBuffer) is unusable
   * afterwards. Data in a SharedArrayBuffer is copied by the worker, not by the calling thread.
   * @defaultValue false (one copy, made by the calling thread, which the worker then owns)
   */
  readonly transfer?: boolean;
}

/**
 * Trains like `new DeepClustering(options).fit(x, fitOptions)`, but in a worker thread, and
 * resolves to the same fitted model (same seed, same numbers, bit for bit).
 *
 * - Progress events and checkpoint notices come back to `onProgress` / `checkpoint.onSaved`
 *   on the calling thread; an exception thrown there ends the fit with that exception.
 * - Errors keep their class and message: ParamError, DataError, DivergenceError (with its step,
 *   term, value and phase), InterruptedError…
 * - The fitted parameters are transferred back, not copied; `transform`, `predict` and `save`
 *   of the result run on the calling thread.
 *
 * @example
 * ```ts
 * const fitted = await fitInWorker({ method: 'idec', nClusters: 10, seed: 0 }, { data: x, rows: n, cols: d }, {
 *   onProgress: (e) => console.log(e.phase, e.done, '/', e.total),
 *   signal: AbortSignal.timeout(10 * 60_000),
 * });
 * const labels = await fitted.predict({ data: x, rows: n, cols: d });
 * ```
 * @throws ParamError, DataError, DivergenceError as `fit` does; InterruptedError when `signal` aborts
 */
export function fitInWorker(options: DeepClusteringOptions, input: DataInput, fitOptions: WorkerFitOptions = {}): Promise<FittedDeepClustering> {
  const { signal, onProgress } = fitOptions;
  if (signal?.aborted) return Promise.reject(stopped());
  let x: Matrix;
  try {
    // options and data are checked here, before a thread starts: the errors name the caller's options
    new DeepClustering(options);
    x = toMatrix(input, 'fitInWorker');
  } catch (e) {
    return Promise.reject(e);
  }
  const checkpointing = fitOptions.checkpoint !== undefined || fitOptions.resumeFrom !== undefined;
  const { data, transfer } = shareData(x.data, fitOptions.transfer ?? false);
  const job: FitJob = {
    type: 'fit',
    options,
    x: { data, rows: x.rows, cols: x.cols },
    imageShape: fitOptions.imageShape,
    labels: fitOptions.labels,
    pretrained: fitOptions.pretrained && packStore(fitOptions.pretrained),
    checkpoint: fitOptions.checkpoint && { dir: fitOptions.checkpoint.dir, every: fitOptions.checkpoint.every, extra: fitOptions.checkpoint.extra },
    resumeFrom: fitOptions.resumeFrom,
    progress: onProgress !== undefined,
    saved: fitOptions.checkpoint?.onSaved !== undefined,
  };

  return new Promise<FittedDeepClustering>((resolve, reject) => {
    // From the TypeScript sources the worker needs tsx (bootstrap.mjs); compiled, it runs as is
    // (found from the package root: the bundler may have put this code in a shared chunk).
    const worker = new Worker(import.meta.url.endsWith('.ts') ? new URL('./bootstrap.mjs', import.meta.url) : pathToFileURL(join(packageRoot(import.meta.url), 'dist', 'worker', 'fit-worker.js')));
    let settled = false;
    let finished = false; // the worker has sent its last message (or is gone)
    const settle = (result: { fitted: FittedDeepClustering } | { error: unknown }) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // Not worker.terminate(): ending the thread while an onnxruntime run is in flight aborts the
      // whole process when the run calls back. The worker stops at its next safe point and ends.
      if (!('fitted' in result) && !finished) worker.postMessage({ type: 'abort' });
      if ('fitted' in result) resolve(result.fitted);
      else reject(result.error);
    };
    const onAbort = () => {
      if (checkpointing) worker.postMessage({ type: 'abort' });
      else settle({ error: stopped() });
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'done' || m.type === 'error') finished = true;
      if (settled) return; // stopped or failed: nothing more reaches the caller
      try {
        if (m.type === 'progress') onProgress?.(m.event);
        else if (m.type === 'saved') fitOptions.checkpoint?.onSaved?.(m.event);
        else if (m.type === 'done') settle({ fitted: rebuild(m.fitted, options.runtime) });
        else settle({ error: unpackError(m.error) });
      } catch (e) {
        settle({ error: e });
      }
    });
    // the thread itself failed (e.g. the module could not load): not an error of the fit
    worker.on('error', (e) => {
      finished = true;
      settle({ error: e });
    });
    worker.on('exit', (code) => {
      finished = true;
      settle({ error: new Error(`fitInWorker: the worker thread exited (code ${code}) before the fit finished`) });
    });
    try {
      worker.postMessage(job, transfer);
    } catch (e) {
      // e.g. a DataCloneError for options holding functions; nothing runs yet, so ending it is safe
      finished = true;
      void worker.terminate();
      settle({ error: e });
    }
  });
}

/** The error of a fit stopped by its signal without a checkpoint. */
function stopped(): InterruptedError {
  return new InterruptedError('training interrupted; the worker thread stops at its next safe point');
}

/**
 * The training data as the worker will get it, with the buffers to transfer: a transferred
 * buffer as it is, a SharedArrayBuffer as it is (the worker copies it, off this thread: onnxruntime
 * refuses tensors in shared memory), anything else copied once, converting to float32 on the way
 * as the fit would anyway, into a buffer that is then transferred, not copied again (a plain
 * postMessage would copy twice: serialise and deserialise).
 */
function shareData(values: Matrix['data'], transfer: boolean): { data: Float32Array; transfer: ArrayBuffer[] } {
  if (values instanceof Float32Array && values.buffer instanceof SharedArrayBuffer) return { data: values, transfer: [] };
  if (transfer && values instanceof Float32Array && values.buffer instanceof ArrayBuffer) return { data: values, transfer: [values.buffer] };
  const data = new Float32Array(values);
  return { data, transfer: [data.buffer] };
}

/** The fitted model from the worker's plain data; the network is rebuilt from the config, as `load` does. */
function rebuild(p: PackedFitted, runtime: RuntimeOptions | undefined): FittedDeepClustering {
  return new FittedDeepClustering({
    method: p.method,
    nClusters: p.nClusters,
    seed: p.seed,
    nFeatures: p.nFeatures,
    imageShape: p.imageShape,
    net: buildNetwork(p.method, p.nFeatures, p.imageShape),
    store: unpackStore(p.store),
    pretrainedStore: p.pretrainedStore && unpackStore(p.pretrainedStore),
    labels: p.labels,
    centers: p.centers,
    embeddingDim: p.embeddingDim,
    history: [...p.history],
    timings: { ...p.timings },
    iterations: p.iterations,
    stoppedBy: p.stoppedBy,
    pretrainSource: p.pretrainSource,
    runtime,
  });
}
