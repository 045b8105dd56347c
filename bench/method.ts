/**
 * `deepclust bench method`: one method on a data set over several seeds, optionally trained on a
 * (labelled, stratified) subset of one split and evaluated on another — the SNNL and CDC papers'
 * protocols — with every metric per seed in bench/results/ and mean/std/median/best.
 *
 *   deepclust bench method -o method=snnl-5 -o data=fashion-mnist:train -o limit=10000 \
 *     -o eval=fashion-mnist:test -o data-dir=../shared/data -o seeds=0,1,2 --json
 *   deepclust bench method -o method-config=examples/methods/cdc-adam.yaml -o data=fashion-mnist …
 *
 * Each record also holds `initAcc`: the ACC of the k-means that starts the clustering phase
 * (= AE + k-means on the pretrained code), when the method has one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../src/data/index.ts';
import { provenance } from './provenance.ts';
import { clusterAccuracy, externalScores } from '../src/metrics/index.ts';
import { DeepClustering, methodPreprocessing } from '../src/methods/deep-clustering.ts';
import type { MethodConfig } from '../src/methods/config.ts';
import { readMethodConfig } from '../src/methods/method-file.ts';
import { seedStats as stats } from '../src/reproduce/stats.ts';

/** Options of {@link runMethodBench}. */
export interface MethodBenchOptions {
  method: string;
  /** A method config file (JSON/YAML, may extend a preset) used instead of the preset `method`. */
  methodConfig?: string;
  data: string;
  eval?: string;
  dataDir?: string;
  limit?: number;
  seeds: number[];
  pretrainEpochs?: number;
  maxIter?: number;
  threads?: number;
  /** Pretraining cache directory: a rerun after an interruption reuses each seed's finished pretraining. */
  pretrainCache?: string;
  /** Preprocessing steps replacing the method's for this data set (or the data set's default). */
  preprocess?: string[];
  resultsDir?: string;
  log: (line: string) => void;
}

/** Runs the suite (see the module comment). */
export async function runMethodBench(o: MethodBenchOptions): Promise<Record<string, unknown>> {
  const resultsDir = o.resultsDir ?? join(import.meta.dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const method: string | MethodConfig = o.methodConfig ? readMethodConfig(o.methodConfig) : o.method;
  const preprocess = methodPreprocessing(method, o.data, o.preprocess);
  const evalSet = o.eval ? await loadDataset(o.eval, { dataDir: o.dataDir, preprocess }) : undefined;
  const methodName = typeof method === 'string' ? method : method.name;
  const records: Array<Record<string, unknown> & { acc: number; nmi: number; ari: number }> = [];
  for (const seed of o.seeds) {
    const train = await loadDataset(o.data, { dataDir: o.dataDir, limit: o.limit, stratified: o.limit !== undefined, seed, preprocess });
    const truth = evalSet ?? train;
    if (!truth.labels) throw new Error('bench method needs labelled data');
    const k = new Set(truth.labels).size;
    const overrides = {
      ...(o.pretrainEpochs !== undefined ? { pretrain: { epochs: o.pretrainEpochs } } : {}),
      ...(o.maxIter !== undefined ? { train: { maxIter: o.maxIter } } : {}),
    };
    let initAcc: number | undefined;
    const fitted = await new DeepClustering({ method, nClusters: k, seed, overrides, dataset: o.data, runtime: { threads: o.threads }, pretrainCache: o.pretrainCache }).fit(train.x, {
      imageShape: train.imageShape as [number, number, number] | undefined,
      labels: train.labels,
      onProgress: (e) => {
        if (e.phase === 'init' && e.labels && !evalSet) initAcc = clusterAccuracy(truth.labels!, e.labels).accuracy;
        if (e.phase === 'pretrain' ? e.done % 10 === 0 : e.done % 500 === 0) o.log(`seed ${seed} ${e.phase} ${e.done}/${e.total} ${JSON.stringify(e.losses)}`);
      },
    });
    const pred = evalSet ? await fitted.predict(evalSet.x) : fitted.labels;
    const rec = {
      suite: 'method',
      method: methodName,
      ...(o.methodConfig ? { methodConfig: o.methodConfig } : {}),
      train: train.name,
      trainRows: train.x.rows,
      preprocessing: train.preprocessing,
      eval: evalSet?.name ?? train.name,
      seed,
      usedLabels: Boolean(fitted.method.pretrain?.snnl?.supervised),
      ...externalScores(truth.labels!, pred),
      ...(initAcc !== undefined ? { initAcc } : {}),
      pretrainEpochs: fitted.method.pretrain?.epochs ?? null,
      maxIter: fitted.method.train?.maxIter ?? null,
      iterations: fitted.iterations,
      stoppedBy: fitted.stoppedBy,
      timings: fitted.timings,
      ...provenance(),
    };
    o.log(`seed ${seed} ${methodName}: ACC ${rec.acc.toFixed(4)} NMI ${rec.nmi.toFixed(4)} ARI ${rec.ari.toFixed(4)}`);
    records.push(rec);
    writeFileSync(join(resultsDir, `method-${methodName}-${rec.eval.replace(/[^\w-]+/g, '_')}-seed${seed}.json`), `${JSON.stringify(rec, null, 2)}\n`);
  }
  return { method: methodName, train: o.data, eval: o.eval ?? o.data, acc: stats(records.map((r) => r.acc)), nmi: stats(records.map((r) => r.nmi)), ari: stats(records.map((r) => r.ari)), records };
}
