/**
 * Lab for estimating k on the code of auto's deep path (issue #20/#21): trains the network auto
 * plans for a deep set once (given the true k), caches the code and its UMAP under /tmp/autolab,
 * and runs estimateK's criteria on them; bench/k_lab.py then measures other criteria on the
 * cached files and writes bench/results/k-lab-*.json.
 *
 *   node --import tsx bench/k-lab.ts train mnist-10k|coil-20|fashion [steps] [noaug]
 *   node --import tsx bench/k-lab.ts umap <tag, e.g. mnist-10k-splan> 10 [seed]
 *   node --import tsx bench/k-lab.ts crit <file tag, e.g. mnist-10k-splan.code> 10
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { inspectData } from '../src/auto/inspect.ts';
import { planAuto } from '../src/auto/plan.ts';
import { runAutoDeep } from '../src/auto/deep.ts';
import { loadDataset } from '../src/data/index.ts';
import { clusterAccuracy } from '../src/metrics/index.ts';

mkdirSync('/tmp/autolab', { recursive: true });
const [, , cmd, set, stepsArg, augArg] = process.argv;
const dataDir = process.env.DEEPCLUST_DATA_DIR ?? '/work/shared/data';
async function load(name: string) {
  const none = { preprocess: ['none'] };
  if (name === 'mnist-10k') return loadDataset('mnist-10k', none);
  if (name === 'fashion') return loadDataset('fashion-mnist:test', { dataDir, download: false, ...none });
  if (name === 'coil-20') return loadDataset('coil-20', { dataDir, download: false, ...none });
  throw new Error(name);
}
if (cmd === 'train') {
  const ds = await load(set!);
  const truth = ds.labels!;
  const k = new Set(truth).size;
  const profile = inspectData(ds.x, { imageShape: ds.imageShape });
  let plan = planAuto(profile, { k });
  const steps = stepsArg ? Number(stepsArg) : undefined;
  const tag = `${set}-s${steps ?? 'plan'}${augArg === 'noaug' ? '-noaug' : ''}`;
  if (steps || augArg) plan = { ...plan, network: { value: { ...plan.network.value!, ...(steps ? { pretrainSteps: steps } : {}), ...(augArg === 'noaug' ? { augment: false } : {}) }, reason: 'lab' } };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const res = await runAutoDeep(ds.x, plan, { seed: 0, threads: 2, imageShape: ds.imageShape });
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const pre = res.preprocessing.transform(ds.x);
  const z = await res.fitted.transform(pre as never);
  writeFileSync(`/tmp/autolab/${tag}.code.f32`, new Uint8Array(Float32Array.from(z.data).buffer));
  if (!existsSync(`/tmp/autolab/${set}.labels.i32`)) writeFileSync(`/tmp/autolab/${set}.labels.i32`, new Uint8Array(Int32Array.from(truth).buffer));
  console.log(JSON.stringify({ tag, k, cols: z.cols, acc: clusterAccuracy(truth, res.labels).accuracy, secs, cpu: (cpu.user + cpu.system) / 1e6, timings: res.timings, epochs: res.pretrainEpochs }));
}
if (cmd === 'umap') {
  const { readFileSync } = await import('node:fs');
  const { Umap } = await import('../src/cluster/index.ts');
  const cols = Number(stepsArg);
  const seed = Number(augArg ?? 0);
  const data = new Float32Array(readFileSync(`/tmp/autolab/${set}.code.f32`).buffer.slice(0));
  const t0 = performance.now();
  const u = await new Umap({ nComponents: 10, nNeighbors: 20, minDist: 0, seed }).fit({ data, rows: data.length / cols, cols });
  writeFileSync(`/tmp/autolab/${set}.code.umap${seed}.f32`, new Uint8Array(Float32Array.from(u.embedding.data).buffer));
  console.log(JSON.stringify({ set, seed, secs: (performance.now() - t0) / 1000 }));
}
if (cmd === 'crit') {
  const { readFileSync } = await import('node:fs');
  const { estimateK, K_CRITERIA } = await import('../src/cluster/index.ts');
  type Criterion = (typeof K_CRITERIA)[number];
  const cols = Number(stepsArg);
  const criteria = (augArg ? augArg.split(',') : [...K_CRITERIA]) as Criterion[];
  const data = new Float32Array(readFileSync(`/tmp/autolab/${set}.f32`).buffer.slice(0));
  const t0 = performance.now();
  const est = await estimateK({ data, rows: data.length / cols, cols }, { range: [2, 30], criteria, select: criteria[0]!, sampleSize: 3000, seed: 0 });
  const chosen: Record<string, number> = {};
  for (const c of criteria) chosen[c] = est.curves[c]!.best;
  console.log(JSON.stringify({ set, chosen, secs: (performance.now() - t0) / 1000 }));
  const { provenance } = await import('./provenance.ts');
  const record = { suite: 'k-lab', input: set, chosen, ks: est.ks, curves: est.curves, sampleSize: est.sampleSize, seed: 0, ...provenance() };
  writeFileSync(`${import.meta.dirname}/results/k-lab-crit-${set}${augArg ? `-${augArg.replace(/,/g, '+')}` : ''}.json`, `${JSON.stringify(record, null, 2)}\n`);
}
