/**
 * `deepclust bench engine`: training throughput of the reference autoencoder
 * (784-500-500-2000-10-2000-500-500-784, ReLU, batch 256, Adam 1e-3, data U[0,1], MSE) on our
 * engine, and on PyTorch in the same invocation when Debian's python3 has torch.
 * `deepclust bench engine-ab`: in-process A/B of engine variants (the levers of issue #25).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParamError } from '../src/errors.ts';
import { type RuntimeOptions, type TrainingStep, Graph, adam, compileTrainingStep, ortVersion, reduceMean, square, sub } from '../src/engine/index.ts';
import { MlpAutoencoder } from '../src/nn/mlp-autoencoder.ts';
import { Rng } from '../src/random.ts';
import { provenance } from './provenance.ts';

/** Options of {@link runEngineBench}. */
export interface EngineBenchOptions {
  /** Timed steps (rounded up to whole runs of `stepsPerRun`). @defaultValue 64 */
  steps?: number;
  /** Steps per session.run (ONNX Loop trip count). @defaultValue 16 */
  stepsPerRun?: number;
  /** Batch size. @defaultValue 256 */
  batch?: number;
  /** Threads for both engines. @defaultValue 2 */
  threads?: number;
  /** Alternating rounds (ours, PyTorch); the median of each side is reported. @defaultValue 3 */
  rounds?: number;
  /** Skip PyTorch. */
  noTorch?: boolean;
  /** Engine variant measured against PyTorch (see {@link ENGINE_VARIANTS}). @defaultValue 'default' */
  variant?: string;
  /** Progress lines go here. */
  log?: (line: string) => void;
}

/** Where and when a record was made: bench/provenance.ts's fields, the machine with its versions and load. */
export interface RecordMeta {
  /** Short commit hash (`-dirty` with uncommitted changes to tracked files), or 'unknown' outside a checkout. */
  commit: string;
  /** ISO date. */
  date: string;
  /** The machine as provenance() describes it, its CPU, cores, versions and the 1/5/15-minute load average when the record was made. */
  machine: { description: string; cpu: string; cores: number; node: string; onnxruntime: string; loadavg: number[] };
}

/** The last-line JSON of the benchmark. */
export interface EngineBenchResult {
  deepclust_samples_per_s: number;
  pytorch_samples_per_s: number | null;
  ratio: number | null;
  peak_rss_mb: number;
  rounds: { deepclust: number[]; pytorch: number[] };
  /** 1-minute load average before each round (the machine may be shared). */
  loadavg: number[];
  config: Record<string, unknown>;
  meta: RecordMeta;
}

const DIMS = [784, 500, 500, 2000, 10];
const PYTHON = '/usr/bin/python3';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Commit, date, machine and its current load, for every result record of these benchmarks. */
export function recordMeta(): RecordMeta {
  const p = provenance();
  const cpus = os.cpus();
  return {
    commit: p.commit ?? 'unknown',
    date: p.date,
    machine: { description: p.machine, cpu: cpus[0]?.model ?? 'unknown', cores: os.availableParallelism?.() ?? cpus.length, node: process.version, onnxruntime: ortVersion(), loadavg: os.loadavg().map(round2) },
  };
}

/** Writes a record to `<dir>/<name>.json` (default bench/results) in one write. */
export function writeRecord(name: string, record: unknown, dir = join(import.meta.dirname, 'results')): string {
  if (!/^[\w.-]+$/.test(name)) throw new ParamError(`bench: record name '${name}' may only hold letters, digits, '.', '_' and '-'`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}

/** One engine variant: what it changes against the engine as shipped. */
export interface EngineVariant {
  /** Adam's lazy form on/off (absent: the default). */
  readonly lazy?: boolean;
  /** Session options. */
  readonly runtime?: RuntimeOptions;
  /** Environment switches set while the step's graph is built. */
  readonly env?: Readonly<Record<string, string>>;
  /** Steps per session.run. */
  readonly stepsPerRun?: number;
  /** What it is. */
  readonly description: string;
}

/** Engine variants for the levers of issue #25; each changes one thing against `default`. */
export const ENGINE_VARIANTS: Readonly<Record<string, EngineVariant>> = {
  default: { description: 'the engine as shipped (standard 10-pass Adam unless DEEPCLUST_LAZY_ADAM=1)' },
  standard: { lazy: false, description: "standard 10-pass Adam (spinning 'auto')" },
  lazy: { lazy: true, description: 'lazy Adam (9 passes, first-moment decay folded into the gradient seed)' },
  'relu-where': { lazy: false, env: { DEEPCLUST_RELU_GRAD: 'where' }, description: 'ReLU backward mask as Cast(Greater(y, 0)) instead of HardSigmoid(y)' },
  'opt-basic': { lazy: false, runtime: { optimization: 'basic' }, description: "graphOptimizationLevel 'basic' (no Gemm+Relu fusion)" },
  'opt-extended': { lazy: false, runtime: { optimization: 'extended' }, description: "graphOptimizationLevel 'extended'" },
  spin: { lazy: false, runtime: { spinning: true }, description: 'intra-op threads always spin (the default before spinning: auto)' },
  'no-spin': { lazy: false, runtime: { spinning: false }, description: 'intra-op threads do not spin' },
  'threads-1': { lazy: false, runtime: { threads: 1 }, description: 'one intra-op thread' },
  k8: { lazy: false, stepsPerRun: 8, description: '8 steps per session.run' },
  k32: { lazy: false, stepsPerRun: 32, description: '32 steps per session.run' },
  k64: { lazy: false, stepsPerRun: 64, description: '64 steps per session.run' },
  'lazy-k32': { lazy: true, stepsPerRun: 32, description: 'lazy Adam, 32 steps per run' },
};

async function compileVariant(name: string, threads: number): Promise<{ step: TrainingStep; stepsPerRun?: number }> {
  const v = ENGINE_VARIANTS[name];
  if (!v) throw new ParamError(`bench engine: unknown variant '${name}'; choose one of ${Object.keys(ENGINE_VARIANTS).join(', ')}`);
  const saved: Record<string, string | undefined> = {};
  for (const [k, val] of Object.entries(v.env ?? {})) {
    saved[k] = process.env[k];
    process.env[k] = val;
  }
  try {
    const ae = new MlpAutoencoder({ inputDim: 784, hidden: DIMS.slice(1, -1), embeddingDim: 10 });
    const store = ae.initParameters(0);
    const g = new Graph();
    const x = g.input('x', ['batch', 784]);
    const { output } = ae.decode(g, ae.encode(g, x).code);
    const loss = reduceMean(square(sub(output, x)));
    const optimizer = adam(v.lazy === undefined ? { lr: 1e-3 } : { lr: 1e-3, lazy: v.lazy });
    const step = await compileTrainingStep({ graph: g, loss, optimizer, store, runtime: { threads, ...v.runtime } });
    return { step, stepsPerRun: v.stepsPerRun };
  } finally {
    for (const [k, val] of Object.entries(saved)) {
      if (val === undefined) delete process.env[k];
      else process.env[k] = val;
    }
  }
}

async function timeSteps(step: TrainingStep, data: Float32Array, K: number, runs: number, batch: number): Promise<number> {
  return (await timeStepsCpu(step, data, K, runs, batch)).wall;
}

// Samples per wall second and per CPU second of this process (all its threads). On a loaded
// machine CPU time tracks the work done far better than wall time (spinning threads count too).
async function timeStepsCpu(step: TrainingStep, data: Float32Array, K: number, runs: number, batch: number): Promise<{ wall: number; cpu: number }> {
  const x = data.subarray(0, K * batch * 784);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await step.run({ x }, { steps: K });
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const samples = runs * K * batch;
  return { wall: samples / wall, cpu: samples / ((c.user + c.system) / 1e6) };
}

function randomData(n: number): Float32Array {
  const rng = new Rng(1);
  const data = new Float32Array(n);
  for (let i = 0; i < data.length; i++) data[i] = rng.random();
  return data;
}

/** Runs the benchmark (see module comment). */
export async function runEngineBench(options: EngineBenchOptions = {}): Promise<EngineBenchResult> {
  const { steps = 64, stepsPerRun: kOpt = 16, batch = 256, threads = 2, rounds = 3, noTorch = false, log = () => {}, variant = 'default' } = options;
  const { step, stepsPerRun: kVar } = await compileVariant(variant, threads);
  const stepsPerRun = kVar ?? kOpt;
  const runs = Math.ceil(steps / stepsPerRun);
  const data = randomData(stepsPerRun * batch * 784);

  const torchOk = !noTorch && existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  const script = fileURLToPath(new URL('./torch_engine.py', import.meta.url));
  const ours: number[] = [];
  const theirs: number[] = [];
  const loads: number[] = [];
  await step.run({ x: data }, { steps: stepsPerRun }); // warm-up
  for (let r = 0; r < rounds; r++) {
    loads.push(round2(os.loadavg()[0]!));
    const sps = await timeSteps(step, data, stepsPerRun, runs, batch);
    ours.push(sps);
    log(`round ${r + 1}/${rounds}: deepclust ${sps.toFixed(0)} samples/s (load ${loads[r]})`);
    if (torchOk) {
      const res = spawnSync(PYTHON, [script, '--steps', String(runs * stepsPerRun), '--batch', String(batch), '--threads', String(threads)], {
        env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: String(threads) },
        encoding: 'utf8',
      });
      if (res.status !== 0) throw new Error(`PyTorch benchmark failed: ${res.stderr}`);
      const t = JSON.parse(res.stdout.trim().split('\n').pop()!) as { samples_per_s: number };
      theirs.push(t.samples_per_s);
      log(`round ${r + 1}/${rounds}: pytorch   ${t.samples_per_s.toFixed(0)} samples/s`);
    }
  }
  await step.dispose();
  const d = median(ours);
  const p = theirs.length ? median(theirs) : null;
  return {
    deepclust_samples_per_s: Math.round(d),
    pytorch_samples_per_s: p === null ? null : Math.round(p),
    ratio: p === null ? null : Math.round((d / p) * 1000) / 1000,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    rounds: { deepclust: ours.map(Math.round), pytorch: theirs.map(Math.round) },
    loadavg: loads,
    config: { variant, dims: [...DIMS, ...DIMS.slice(0, -1).reverse()], batch, optimizer: 'adam(lr=1e-3)', threads, stepsPerRun, timedStepsPerRound: runs * stepsPerRun, onnxruntime: ortVersion() },
    meta: recordMeta(),
  };
}

/** Options of {@link runEngineAb}. */
export interface EngineAbOptions {
  /** Variant names; the first is the baseline every other is compared with. */
  variants: string[];
  /** Alternating rounds (A B C, B C A, …). @defaultValue 5 */
  rounds?: number;
  /** Timed steps per variant per round. @defaultValue 64 */
  steps?: number;
  /** Steps per run unless a variant sets its own. @defaultValue 16 */
  stepsPerRun?: number;
  /** @defaultValue 256 */
  batch?: number;
  /** @defaultValue 2 */
  threads?: number;
  /** Record name under bench/results (no record when absent). */
  record?: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

/**
 * In-process A/B of engine variants: one session per variant, rounds alternate between them in a
 * rotating order, and each variant's ratio to the baseline of the same round is kept. Paired
 * ratios cancel most of the drift of a busy machine; the median ratio is the result.
 */
export async function runEngineAb(o: EngineAbOptions): Promise<Record<string, unknown>> {
  const { variants, rounds = 5, steps = 64, stepsPerRun = 16, batch = 256, threads = 2, log = () => {} } = o;
  if (variants.length < 2) throw new ParamError('bench engine-ab: give at least two variants, e.g. -o variants=standard,lazy');
  if (!Number.isInteger(rounds) || rounds < 1) throw new ParamError(`bench engine-ab: rounds must be an integer >= 1, got ${rounds}`);
  const compiled: Array<{ step: TrainingStep; stepsPerRun?: number }> = [];
  for (const v of variants) compiled.push(await compileVariant(v, threads));
  const kOf = (i: number) => compiled[i]!.stepsPerRun ?? stepsPerRun;
  const data = randomData(Math.max(...variants.map((_, i) => kOf(i))) * batch * 784);
  for (let i = 0; i < variants.length; i++) await timeSteps(compiled[i]!.step, data, kOf(i), 1, batch); // warm-up
  const sps: number[][] = variants.map(() => []);
  const cpu: number[][] = variants.map(() => []);
  const loads: number[] = [];
  for (let r = 0; r < rounds; r++) {
    loads.push(round2(os.loadavg()[0]!));
    for (let j = 0; j < variants.length; j++) {
      const i = (j + r) % variants.length;
      const t = await timeStepsCpu(compiled[i]!.step, data, kOf(i), Math.max(1, Math.ceil(steps / kOf(i))), batch);
      sps[i]!.push(t.wall);
      cpu[i]!.push(t.cpu);
    }
    log(`round ${r + 1}/${rounds} (load ${loads[r]}): ${variants.map((v, i) => `${v} ${sps[i]![r]!.toFixed(0)} (${cpu[i]![r]!.toFixed(0)}/cpu-s)`).join(', ')}`);
  }
  for (const c of compiled) await c.step.dispose();
  const result = {
    suite: 'engine-ab',
    baseline: variants[0],
    variants: Object.fromEntries(
      variants.map((v, i) => {
        const ratios = sps[i]!.map((s, r) => s / sps[0]![r]!);
        const cpuRatios = cpu[i]!.map((s, r) => s / cpu[0]![r]!);
        const r3 = (x: number) => Math.round(x * 1000) / 1000;
        return [
          v,
          {
            description: ENGINE_VARIANTS[v]!.description,
            median_samples_per_s: Math.round(median(sps[i]!)),
            rounds: sps[i]!.map(Math.round),
            median_ratio_vs_baseline: r3(median(ratios)),
            ratios: ratios.map(r3),
            median_samples_per_cpu_s: Math.round(median(cpu[i]!)),
            median_cpu_ratio_vs_baseline: r3(median(cpuRatios)),
            cpu_ratios: cpuRatios.map(r3),
          },
        ];
      }),
    ),
    loadavg: loads,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    config: { batch, threads, steps, stepsPerRun, rounds },
    meta: recordMeta(),
    note: 'shared 2-core machine (see loadavg): ratios are paired per round; absolute samples/s are depressed by the load. cpu ratios compare samples per CPU-second of this process (work, robust to load; spinning counts as CPU)',
  };
  if (o.record) writeRecord(o.record, result);
  return result;
}
