/**
 * `deepclust bench time-to-acc`: wall time until the clustering ACC reaches a target, with the
 * curve of ACC against time, per seed and as the mean over seeds.
 *
 * Two modes:
 * - `method` (default): a preset (e.g. `idec-da`) as users run it; ACC is read at the initial
 *   k-means and at every target refresh of the clustering phase. Seconds are the fit's wall time
 *   (pretraining included) minus the time spent computing ACC. Stops at the target unless
 *   `stopAtTarget=false`.
 * - `pretrain`: the DEC autoencoder (d-500-500-2000-10, MSE, Adam) trained with a learning-rate
 *   schedule (`constant`, `cosine`, `onecycle`), batch size and optional DA augmentation; every
 *   `evalEvery` epochs the embedding is clustered by k-means and scored. Seconds are the training
 *   time plus that checkpoint's own evaluation (what a user would need to get those labels).
 *
 *   deepclust bench time-to-acc -o data=mnist -o data-dir=../shared/data -o method=idec-da -o seeds=0,1,2
 *   deepclust bench time-to-acc -o mode=pretrain -o schedule=onecycle -o lr=0.002 -o epochs=30 …
 *   deepclust bench time-to-acc -o data=mnist -o method=n2d -o pretrainEpochs=20 -o finalNInit=10 -o seeds=0,1,2 -o threads=2
 */
import os from 'node:os';
import { KMeans } from '../src/cluster/index.ts';
import { augmentImages } from '../src/data/augment.ts';
import { loadDataset } from '../src/data/index.ts';
import { Graph, adam, compileFunction, compileTrainingStep, reduceMean, square, sub } from '../src/engine/index.ts';
import { ParamError } from '../src/errors.ts';
import { matrix } from '../src/matrix.ts';
import { DeepClustering, methodPreprocessing, resolveMethod } from '../src/methods/deep-clustering.ts';
import type { FinalClusteringConfig } from '../src/methods/blocks/kinds.ts';
import { clusterAccuracy } from '../src/metrics/index.ts';
import { MlpAutoencoder } from '../src/nn/mlp-autoencoder.ts';
import { Rng } from '../src/random.ts';
import { recordMeta, writeRecord } from './engine.ts';

/** Learning-rate schedules of the `pretrain` mode. */
export type Schedule = 'constant' | 'cosine' | 'onecycle';

/** Options of {@link runTimeToAcc}. */
export interface TimeToAccOptions {
  /** @defaultValue 'method' */
  mode?: 'method' | 'pretrain';
  /** Data set spec, e.g. `mnist` (all 70,000) or `mnist:test`. */
  data: string;
  dataDir?: string;
  /** Stratified subset of this many rows (quick runs). */
  limit?: number;
  seeds: number[];
  /** ACC to reach. @defaultValue 0.97 */
  target?: number;
  /** Stop a seed once the target is reached. @defaultValue true */
  stopAtTarget?: boolean;
  threads?: number;
  /** Record name (default derived from the options). */
  record?: string;
  /** Where the record goes. @defaultValue bench/results */
  resultsDir?: string;
  // ---- method mode
  /** Preset name. @defaultValue 'idec-da' */
  method?: string;
  pretrainEpochs?: number;
  maxIter?: number;
  /** EM starts of the method's final mixture (`umap-gmm` / `gmm`, e.g. n2d's 1). */
  finalNInit?: number;
  // ---- pretrain mode
  /** @defaultValue 50 */
  epochs?: number;
  /** @defaultValue 256 */
  batch?: number;
  /** Peak learning rate. @defaultValue 1e-3 */
  lr?: number;
  /** @defaultValue 'constant' */
  schedule?: Schedule;
  /** Epochs between evaluations. @defaultValue 5 */
  evalEvery?: number;
  /** Rotate ±10° and shift ±10 % each batch (DEC-DA's augmentation; image data only). @defaultValue false */
  augment?: boolean;
  /** k-means restarts per evaluation. @defaultValue 4 */
  nInit?: number;
  /** Steps per session.run. @defaultValue 16 */
  stepsPerRun?: number;
  log?: (line: string) => void;
}

/** One point of the curve. */
export interface CurvePoint {
  /** Seconds since the start (see the module comment for what they include). */
  seconds: number;
  /** Phase and position: pretraining epoch, `init`, or clustering iteration. */
  phase: string;
  step: number;
  acc: number;
}

/** Learning rate at progress `p` in [0, 1) of training for a schedule with peak `lr`. */
export function scheduledRate(schedule: Schedule, lr: number, p: number): number {
  if (schedule === 'constant') return lr;
  if (schedule === 'cosine') return lr * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * p)));
  // one-cycle: linear warm-up from lr/25 over the first 30 %, then cosine down to lr/1000
  if (p < 0.3) return lr * (0.04 + (0.96 * p) / 0.3);
  const q = (p - 0.3) / 0.7;
  return lr * (0.001 + 0.999 * 0.5 * (1 + Math.cos(Math.PI * q)));
}

class StopAtTarget extends Error {}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Runs the suite (see the module comment). */
export async function runTimeToAcc(o: TimeToAccOptions): Promise<Record<string, unknown>> {
  const mode = o.mode ?? 'method';
  if (mode !== 'method' && mode !== 'pretrain') throw new ParamError(`bench time-to-acc: mode must be 'method' or 'pretrain', got '${mode}'`);
  const target = o.target ?? 0.97;
  if (!(target > 0 && target <= 1)) throw new ParamError(`bench time-to-acc: target must be in (0, 1], got ${target}`);
  if (!o.seeds.length || o.seeds.some((s) => !Number.isInteger(s))) throw new ParamError(`bench time-to-acc: seeds must be integers, e.g. -o seeds=0,1,2`);
  const schedule = o.schedule ?? 'constant';
  if (!['constant', 'cosine', 'onecycle'].includes(schedule)) throw new ParamError(`bench time-to-acc: schedule must be constant, cosine or onecycle, got '${schedule}'`);
  const log = o.log ?? (() => {});
  const seeds: Array<{ seed: number; secondsToTarget: number | null; finalAcc: number; curve: CurvePoint[]; loadavg: number[] }> = [];
  for (const seed of o.seeds) {
    const loadStart = os.loadavg()[0]!;
    const r = mode === 'method' ? await methodCurve(o, seed, target, log) : await pretrainCurve(o, seed, target, schedule, log);
    const hit = r.curve.find((c) => c.acc >= target);
    seeds.push({ seed, secondsToTarget: hit ? Math.round(hit.seconds * 10) / 10 : null, finalAcc: r.curve.at(-1)?.acc ?? 0, curve: r.curve, loadavg: [loadStart, os.loadavg()[0]!].map((l) => Math.round(l * 100) / 100) });
    log(`seed ${seed}: ${hit ? `ACC ${hit.acc.toFixed(4)} >= ${target} after ${hit.seconds.toFixed(1)} s` : `target ${target} not reached (last ACC ${(r.curve.at(-1)?.acc ?? 0).toFixed(4)})`}`);
  }
  const reached = seeds.filter((s) => s.secondsToTarget !== null);
  const config =
    mode === 'method'
      ? { method: o.method ?? 'idec-da', pretrainEpochs: o.pretrainEpochs ?? null, maxIter: o.maxIter ?? null, finalNInit: o.finalNInit ?? null, lazyAdam: process.env.DEEPCLUST_LAZY_ADAM === '1' }
      : { epochs: o.epochs ?? 50, batch: o.batch ?? 256, lr: o.lr ?? 1e-3, schedule, evalEvery: o.evalEvery ?? 5, augment: o.augment ?? false, nInit: o.nInit ?? 4, lazyAdam: process.env.DEEPCLUST_LAZY_ADAM === '1' };
  const result = {
    suite: 'time-to-acc',
    mode,
    data: o.data,
    limit: o.limit ?? null,
    target,
    threads: o.threads ?? null,
    config,
    meanSecondsToTarget: reached.length === seeds.length ? Math.round(mean(reached.map((s) => s.secondsToTarget!)) * 10) / 10 : null,
    reachedSeeds: reached.length,
    seeds,
    meta: recordMeta(),
    note: 'wall times on the machine in meta (a shared machine is slower: see the load averages)',
  };
  const name = o.record ?? `time-to-acc-${mode}-${o.data.replace(/[^\w-]+/g, '_')}${o.limit ? `-${o.limit}` : ''}-${mode === 'method' ? (o.method ?? 'idec-da') : schedule}`;
  writeRecord(name, result, o.resultsDir);
  return result;
}

async function methodCurve(o: TimeToAccOptions, seed: number, target: number, log: (l: string) => void): Promise<{ curve: CurvePoint[] }> {
  const method = o.method ?? 'idec-da';
  const preprocess = methodPreprocessing(method, o.data, undefined);
  const ds = await loadDataset(o.data, { dataDir: o.dataDir, limit: o.limit, stratified: o.limit !== undefined, seed, preprocess });
  if (!ds.labels) throw new ParamError(`bench time-to-acc: the data set '${o.data}' has no labels; ACC needs them`);
  const labels = ds.labels;
  const k = new Set(labels).size;
  const overrides = {
    ...(o.pretrainEpochs !== undefined ? { pretrain: { epochs: o.pretrainEpochs } } : {}),
    ...(o.maxIter !== undefined ? { train: { maxIter: o.maxIter } } : {}),
    ...(o.finalNInit !== undefined ? { finalClustering: finalWithNInit(method, o.finalNInit) } : {}),
  };
  const curve: CurvePoint[] = [];
  let excluded = 0;
  const t0 = performance.now();
  try {
    const fitted = await new DeepClustering({ method, nClusters: k, seed, overrides, runtime: { threads: o.threads } }).fit(ds.x, {
      imageShape: ds.imageShape as [number, number, number] | undefined,
      labels,
      onProgress: (e) => {
        if (e.phase === 'pretrain' && e.done % 10 === 0) log(`seed ${seed} pretrain ${e.done}/${e.total} at ${((performance.now() - t0 - excluded) / 1000).toFixed(1)} s`);
        if (!e.labels || (e.phase !== 'init' && e.phase !== 'cluster' && e.phase !== 'recluster')) return;
        const c0 = performance.now();
        const acc = clusterAccuracy(labels, e.labels).accuracy;
        const seconds = (c0 - t0 - excluded) / 1000;
        curve.push({ seconds: Math.round(seconds * 10) / 10, phase: e.phase, step: e.phase === 'init' ? 0 : e.done, acc: Math.round(acc * 10000) / 10000 });
        log(`seed ${seed} ${e.phase} ${e.done}: ACC ${acc.toFixed(4)} at ${seconds.toFixed(1)} s`);
        excluded += performance.now() - c0;
        if (acc >= target && o.stopAtTarget !== false) throw new StopAtTarget();
      },
    });
    // the fit's final labels (after its last target refresh and any final re-clustering)
    const acc = clusterAccuracy(labels, fitted.labels).accuracy;
    curve.push({ seconds: Math.round(((performance.now() - t0 - excluded) / 1000) * 10) / 10, phase: 'final', step: fitted.iterations ?? 0, acc: Math.round(acc * 10000) / 10000 });
    log(`seed ${seed} final: ACC ${acc.toFixed(4)}`);
  } catch (err) {
    if (!(err instanceof StopAtTarget)) throw err;
  }
  return { curve };
}

async function pretrainCurve(o: TimeToAccOptions, seed: number, target: number, schedule: Schedule, log: (l: string) => void): Promise<{ curve: CurvePoint[] }> {
  const epochs = o.epochs ?? 50;
  const B = o.batch ?? 256;
  const lr = o.lr ?? 1e-3;
  const evalEvery = o.evalEvery ?? 5;
  const K = o.stepsPerRun ?? 16;
  for (const [name, v] of [['epochs', epochs], ['batch', B], ['evalEvery', evalEvery], ['stepsPerRun', K]] as const)
    if (!Number.isInteger(v) || v < 1) throw new ParamError(`bench time-to-acc: ${name} must be an integer >= 1, got ${v}`);
  if (!(lr > 0)) throw new ParamError(`bench time-to-acc: lr must be > 0, got ${lr}`);
  const ds = await loadDataset(o.data, { dataDir: o.dataDir, limit: o.limit, stratified: o.limit !== undefined, seed, preprocess: ['scale255'] });
  if (!ds.labels) throw new ParamError(`bench time-to-acc: the data set '${o.data}' has no labels; ACC needs them`);
  if (o.augment && !ds.imageShape) throw new ParamError(`bench time-to-acc: augment needs image data; '${o.data}' has no image shape`);
  const labels = ds.labels;
  const k = new Set(labels).size;
  const n = ds.x.rows;
  const d = ds.x.cols;
  const x = ds.x.data instanceof Float32Array ? ds.x.data : Float32Array.from(ds.x.data);
  if (n < B) throw new ParamError(`bench time-to-acc: batch ${B} is larger than the ${n} rows`);

  const ae = new MlpAutoencoder({ inputDim: d });
  const store = ae.initParameters(seed);
  const g = new Graph();
  const xin = g.input('x', ['batch', d]);
  const loss = reduceMean(square(sub(ae.decode(g, ae.encode(g, xin).code).output, xin)));
  const step = await compileTrainingStep({ graph: g, loss, optimizer: adam({ lr }), store, seed, runtime: { threads: o.threads } });
  const ge = new Graph();
  const enc = await compileFunction(ge, { outputs: { z: ae.encode(ge, ge.input('x', ['batch', d])).code }, store, runtime: { threads: o.threads } });

  const stepsPerEpoch = Math.floor(n / B);
  const total = epochs * stepsPerEpoch;
  const rng = new Rng(seed).fork('time-to-acc');
  const xb = new Float32Array(K * B * d);
  const scratch = new Float32Array(d);
  const curve: CurvePoint[] = [];
  let trainSeconds = 0;
  let prepSeconds = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const perm = rng.permutation(n);
    const e0 = performance.now();
    for (let s = 0; s < stepsPerEpoch; s += K) {
      const steps = Math.min(K, stepsPerEpoch - s);
      const p0 = performance.now();
      for (let r = 0; r < steps * B; r++) xb.set(x.subarray(perm[s * B + r]! * d, (perm[s * B + r]! + 1) * d), r * d);
      if (o.augment) augmentImages(xb, steps * B, ds.imageShape as [number, number, number], { rotate: 10, shift: 0.1 }, rng, scratch);
      prepSeconds += (performance.now() - p0) / 1000;
      const t = step.step;
      const rates = Array.from({ length: steps }, (_, i) => scheduledRate(schedule, lr, (t + i) / total));
      await step.run({ x: { data: xb.subarray(0, steps * B * d), dims: [steps, B, d] } }, { steps, lr: rates });
    }
    trainSeconds += (performance.now() - e0) / 1000;
    if (epoch % evalEvery === 0 || epoch === epochs) {
      const c0 = performance.now();
      const z = (await enc.runBatched({ x: { data: x, rowSize: d } }, n, 4096)).z!;
      const km = await new KMeans({ nClusters: k, nInit: o.nInit ?? 4, seed, threads: o.threads }).fit(matrix(z.data as Float32Array, n, z.dims[1]!));
      const acc = clusterAccuracy(labels, km.labels).accuracy;
      const evalSeconds = (performance.now() - c0) / 1000;
      const seconds = trainSeconds + evalSeconds;
      curve.push({ seconds: Math.round(seconds * 10) / 10, phase: 'pretrain', step: epoch, acc: Math.round(acc * 10000) / 10000 });
      log(`seed ${seed} epoch ${epoch}/${epochs}: ACC ${acc.toFixed(4)} at ${seconds.toFixed(1)} s (training ${trainSeconds.toFixed(1)} s, of it batch preparation ${prepSeconds.toFixed(1)} s; evaluation ${evalSeconds.toFixed(1)} s)`);
      if (acc >= target && o.stopAtTarget !== false) break;
    }
  }
  await step.dispose();
  await enc.dispose();
  return { curve };
}

/** The method's final clustering with `nInit` EM starts (a mixture's; refused for other methods). */
function finalWithNInit(method: string, nInit: number): FinalClusteringConfig {
  const final = resolveMethod(method).finalClustering;
  if (!final || (final.kind !== 'gmm' && final.kind !== 'umap-gmm')) throw new ParamError(`bench time-to-acc: finalNInit needs a method whose final clustering is a mixture (e.g. n2d); '${method}' has ${final ? `'${final.kind}'` : 'none'}`);
  if (!Number.isInteger(nInit) || nInit < 1) throw new ParamError(`bench time-to-acc: finalNInit must be an integer >= 1, got ${nInit}`);
  return { ...final, nInit };
}
