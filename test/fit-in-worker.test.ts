// fitInWorker: the same fit as in-thread, bit for bit, while the caller's event loop keeps
// ticking; progress comes back, errors keep their class and message, and an abort stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, DeepClustering, type DeepClusteringOptions, DivergenceError, type FittedDeepClustering, InterruptedError, type Matrix, ParamError, type ProgressEvent, fitInWorker, resolveMethod } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'deepclust-worker-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

// 80 rows × 6 features in 4 groups, a tiny network, a few epochs
const n = 80, d = 6;
const values = new Float32Array(n * d);
for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) values[i * d + j] = (i % 4 === j % 4 ? 1 : 0) + 0.1 * Math.sin(7 * i + 3 * j);
const x: Matrix = { data: values, rows: n, cols: d };
const options: DeepClusteringOptions = {
  method: 'idec',
  nClusters: 4,
  seed: 3,
  runtime: { threads: 1 },
  overrides: { architecture: { hidden: [8], embeddingDim: 2 }, pretrain: { epochs: 3, batchSize: 16 }, train: { maxIter: 40, batchSize: 16 }, clusterUpdate: { updateInterval: 10 } },
};

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const events = (into: ProgressEvent[]) => (e: ProgressEvent) => into.push(e);
const strip = (e: ProgressEvent) => ({ ...e, labels: e.labels && [...e.labels] });

let inThread: { fitted: FittedDeepClustering; events: ProgressEvent[] } | undefined;
const reference = async () => {
  if (!inThread) {
    const ev: ProgressEvent[] = [];
    inThread = { fitted: await new DeepClustering(options).fit(x, { onProgress: events(ev) }), events: ev };
  }
  return inThread;
};

function assertSameModel(a: FittedDeepClustering, b: FittedDeepClustering): void {
  assert.ok(bytes(a.labels).equals(bytes(b.labels)), 'labels');
  assert.ok(bytes(a.clusterCenters).equals(bytes(b.clusterCenters)), 'centres');
  assert.deepEqual(a.parameters.names(), b.parameters.names());
  for (const name of a.parameters.names()) assert.ok(bytes(a.parameters.get(name).data).equals(bytes(b.parameters.get(name).data)), name);
  assert.deepEqual(b.history, a.history);
  assert.deepEqual([b.iterations, b.stoppedBy, b.embeddingDim, b.nFeatures], [a.iterations, a.stoppedBy, a.embeddingDim, a.nFeatures]);
}

test('fitInWorker gives the in-thread fit bit for bit, with its progress events, while the event loop ticks', async () => {
  const ref = await reference();
  const ev: ProgressEvent[] = [];
  let ticks = 0;
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    ticks++;
  }, 5);
  const t0 = performance.now();
  const fitted = await fitInWorker(options, x, { onProgress: events(ev) }).finally(() => clearInterval(timer));
  const seconds = (performance.now() - t0) / 1000;

  assertSameModel(ref.fitted, fitted);
  assert.deepEqual(fitted.pretrainSource, ref.fitted.pretrainSource);
  assert.ok(fitted.pretrainedParameters, 'pretrained parameters come back too');
  // progress: the same events, in the same order, as the in-thread fit's
  assert.ok(ev.some((e) => e.phase === 'pretrain') && ev.some((e) => e.phase === 'cluster'), ev.map((e) => e.phase).join());
  assert.deepEqual(ev.map(strip), ref.events.map(strip));
  // the caller's loop ran all along: many ticks, no long stall
  assert.ok(ticks >= 20, `${ticks} ticks in ${seconds.toFixed(2)} s`);
  assert.ok(maxGap < 1000, `longest stall ${maxGap.toFixed(0)} ms in ${seconds.toFixed(2)} s`);
  // the model works on this thread
  assert.deepEqual(await fitted.predict(x), await ref.fitted.predict(x));
  assert.ok(bytes((await fitted.transform(x)).data).equals(bytes((await ref.fitted.transform(x)).data)));
  // the caller's data was copied, not taken
  assert.equal(values.length, n * d);
});

test('fitInWorker takes float64 rows, shared memory, and a transferred buffer', async () => {
  const ref = await reference();
  const shared = new Float32Array(new SharedArrayBuffer(values.byteLength));
  shared.set(values);
  assertSameModel(ref.fitted, await fitInWorker(options, { data: shared, rows: n, cols: d }));
  const moved = values.slice();
  assertSameModel(ref.fitted, await fitInWorker(options, { data: moved, rows: n, cols: d }, { transfer: true }));
  assert.equal(moved.length, 0, 'the transferred buffer now belongs to the worker');
  const wide = Float64Array.from(values);
  assertSameModel(ref.fitted, await fitInWorker(options, { data: wide, rows: n, cols: d }));
});

test('fitInWorker starts from a given pretrained network as fit does', async () => {
  const pretrained = (await reference()).fitted.pretrainedParameters!;
  const a = await new DeepClustering(options).fit(x, { pretrained });
  const b = await fitInWorker(options, x, { pretrained });
  assertSameModel(a, b);
  assert.deepEqual(b.pretrainSource, { kind: 'given' });
});

test('errors in the worker arrive with their class, message and fields', async () => {
  const nan = values.slice();
  nan[7] = Number.NaN;
  const cases: [string, DeepClusteringOptions, Matrix, typeof ParamError | typeof DataError | typeof DivergenceError][] = [
    ['NaN in the data', options, { data: nan, rows: n, cols: d }, DataError],
    ['k > n', { ...options, nClusters: 100 }, x, DataError],
    ['bad option', { ...options, nClusters: 1 }, x, ParamError],
    ['divergence', { ...options, overrides: { ...options.overrides, train: { ...options.overrides!.train, optimizer: { name: 'adam', lr: 1e8 } } } }, x, DivergenceError],
  ];
  for (const [name, o, data, cls] of cases) {
    // the estimator checks its options when constructed: a bad one throws there, not in fit
    const inThreadError = await (async () => new DeepClustering(o).fit(data))().then(() => assert.fail(`${name}: no error in-thread`), (e: Error) => e);
    const workerError = await fitInWorker(o, data).then(() => assert.fail(`${name}: no error in the worker`), (e: Error) => e);
    assert.ok(workerError instanceof cls, `${name}: ${workerError.name}: ${workerError.message}`);
    assert.equal(workerError.constructor, inThreadError.constructor, name);
    assert.equal(workerError.message, inThreadError.message, name);
    assert.equal(workerError.name, inThreadError.name, name);
    if (workerError instanceof DivergenceError) {
      const e = inThreadError as DivergenceError;
      assert.deepEqual([workerError.phase, workerError.step, workerError.term, workerError.value], [e.phase, e.step, e.term, e.value]);
    }
  }
});

test('an exception in onProgress ends the fit with that exception', async () => {
  const boom = new RangeError('caller bug');
  await assert.rejects(fitInWorker(options, x, { onProgress: () => { throw boom; } }), (e) => e === boom);
});

test('abort rejects with an InterruptedError at once, and the worker thread ends by itself', async () => {
  const stop = new AbortController();
  const ev: ProgressEvent[] = [];
  const t0 = performance.now();
  const p = fitInWorker(options, x, {
    signal: stop.signal,
    onProgress: (e) => {
      ev.push(e);
      stop.abort();
    },
  });
  await assert.rejects(p, (e) => e instanceof InterruptedError && /training interrupted; the worker thread stops at its next safe point/.test(e.message) && e.checkpoint === undefined);
  assert.equal(ev.length, 1, 'no event after the abort');
  assert.ok(performance.now() - t0 < 30_000);
  // an already aborted signal starts no worker
  await assert.rejects(fitInWorker(options, x, { signal: AbortSignal.abort() }), InterruptedError);
});

test('abort with checkpointing saves a checkpoint from which a worker fit resumes to the same model', async () => {
  // enough clustering steps (tolerance off) that the abort message always arrives before the end
  // of the fit, however slow the machine: 40 steps once finished first on a loaded CI runner
  const long: DeepClusteringOptions = {
    ...options,
    overrides: { ...options.overrides, train: { maxIter: 3000, batchSize: 16 }, clusterUpdate: { updateInterval: 10, tol: 0 } },
  };
  const ref = { fitted: await new DeepClustering(long).fit(x) };
  const cp = join(dir, 'cp');
  const stop = new AbortController();
  const saved: string[] = [];
  const p = fitInWorker(long, x, {
    signal: stop.signal,
    checkpoint: { dir: cp, every: 0, extra: { note: 'from the worker' }, onSaved: (e) => saved.push(e.reason) },
    onProgress: (e) => e.phase === 'cluster' && stop.abort(),
  });
  const err = await p.then(() => assert.fail('not interrupted'), (e: unknown) => e);
  assert.ok(err instanceof InterruptedError, String(err));
  assert.ok(err.checkpoint && existsSync(err.checkpoint), `checkpoint ${err.checkpoint}`);
  assert.ok(saved.includes('interrupt'), saved.join());
  const resumed = await fitInWorker(long, x, { resumeFrom: cp });
  assertSameModel(ref.fitted, resumed);
});

test('options that cannot cross to the worker are refused with the clone error', async () => {
  // an unknown key is refused on the calling thread, naming it
  const unknown = { ...options, overrides: { ...options.overrides, hook: () => 0 } } as unknown as DeepClusteringOptions;
  await assert.rejects(fitInWorker(unknown, x), (e: Error) => e instanceof ParamError && /method\.hook is not a method option/.test(e.message));
  // a valid config holding a function cannot be cloned (per-data-set settings are checked when applied; notes must be strings)
  const bad = { ...options, method: { ...resolveMethod('idec'), perDataset: { usps: { notes: [() => 0] } } } } as unknown as DeepClusteringOptions;
  await assert.rejects(fitInWorker(bad, x), (e: Error) => e.name === 'DataCloneError');
});
