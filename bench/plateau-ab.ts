/**
 * What the plateau stop of auto's pretraining saves, and what it costs: fits {@link AutoClustering}
 * (the plan's deep path, k estimated) on a seeded synthetic table twice in one process — with the
 * plan's plateau stop (the default) and with it off (plateauSteps above the budget) — and records
 * for each the pretraining steps and why they ended, ACC/NMI/ARI, k, wall and CPU seconds and the
 * load average (the machine is shared: CPU seconds are the measure), and the CPU-seconds ratio.
 * Writes bench/results/plateau-ab-n<rows>-d<features>-k<k>-seed<seed>.json.
 *
 * Run: nice -n 10 node --import tsx bench/plateau-ab.ts [--rows 1000] [--features 256] [--k 5]
 *        [--noise 1] [--seed 0] [--threads 2] [--order plateau,off | off,plateau]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AutoClustering } from '../src/auto/index.ts';
import type { Matrix } from '../src/matrix.ts';
import { adjustedRandScore, clusterAccuracy, normalizedMutualInfoScore } from '../src/metrics/index.ts';
import { Rng } from '../src/random.ts';
import { provenance } from './provenance.ts';

/** Options of {@link runPlateauAb}. */
export interface PlateauAbOptions {
  readonly rows?: number;
  readonly features?: number;
  /** Classes (prototypes) of the table. */
  readonly k?: number;
  /** Standard deviation of the noise around each N(0, 1) prototype. */
  readonly noise?: number;
  readonly seed?: number;
  readonly threads?: number;
  /** Which fit runs first (the first pays the process's warm-up). @defaultValue ['plateau', 'off'] */
  readonly order?: ReadonlyArray<'plateau' | 'off'>;
  readonly resultsDir?: string;
  readonly log?: (line: string) => void;
}

/** `rows` rows of `k` noisy prototypes in `features` dimensions (row i in class i mod k). */
export function prototypeTable(rows: number, features: number, k: number, noise: number, seed: number): { x: Matrix; y: Int32Array } {
  const rng = new Rng(seed).fork('plateau-ab');
  const protos = Array.from({ length: k }, () => Array.from({ length: features }, () => rng.normal()));
  const data = new Float32Array(rows * features);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = i % k;
    for (let j = 0; j < features; j++) data[i * features + j] = protos[i % k]![j]! + noise * rng.normal();
  }
  return { x: { data, rows, cols: features }, y };
}

/** Runs both fits and writes the record; returns it. */
export async function runPlateauAb(o: PlateauAbOptions = {}): Promise<Record<string, unknown>> {
  const rows = o.rows ?? 1000;
  const features = o.features ?? 256;
  const k = o.k ?? 5;
  const noise = o.noise ?? 1;
  const seed = o.seed ?? 0;
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const { x, y } = prototypeTable(rows, features, k, noise, seed);
  const runs: Record<string, unknown>[] = [];
  const order = o.order ?? ['plateau', 'off'];
  if (order.length !== 2 || !order.includes('plateau') || !order.includes('off')) throw new Error(`plateau-ab: order must be plateau,off or off,plateau, got ${order.join(',')}`);
  for (const variant of order) {
    const load = loadavg()[0]!;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const fitted = await new AutoClustering({
      seed,
      threads: o.threads,
      // off: a plateau longer than any budget never stops pretraining
      adjustPlan: (plan) => (variant === 'off' && plan.network.value ? { ...plan, network: { ...plan.network, value: { ...plan.network.value, plateauSteps: Number.MAX_SAFE_INTEGER } } } : plan),
    }).fit(x);
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(cpu0);
    const cpuSeconds = (c.user + c.system) / 1e6;
    const row = {
      variant,
      summary: fitted.summary,
      pretraining: fitted.decision.pretraining ?? null,
      k: fitted.k,
      acc: clusterAccuracy(y, fitted.labels).accuracy,
      nmi: normalizedMutualInfoScore(y, fitted.labels),
      ari: adjustedRandScore(y, fitted.labels),
      seconds,
      cpuSeconds,
      timings: fitted.timings,
      loadAverage: { start: load, end: loadavg()[0]! },
    };
    log(`plateau-ab: ${variant}: ${row.summary}; k ${row.k} (true ${k}); ACC ${row.acc.toFixed(4)} NMI ${row.nmi.toFixed(4)} ARI ${row.ari.toFixed(4)} (${seconds.toFixed(1)} s, ${cpuSeconds.toFixed(0)} CPU s, load ${load.toFixed(1)})`);
    runs.push(row);
  }
  const on = runs.find((r) => r.variant === 'plateau') as { cpuSeconds: number };
  const off = runs.find((r) => r.variant === 'off') as { cpuSeconds: number };
  const record = {
    bench: 'plateau-ab',
    data: { kind: 'prototypes', rows, features, k, noise, seed },
    threads: o.threads ?? null,
    ...provenance(),
    loadAverage: loadavg()[0],
    note: 'two fits in one process on a shared 2-core machine: compare CPU seconds; wall seconds are inflated by other jobs',
    runs,
    order,
    cpuRatioPlateauToOff: on.cpuSeconds / off.cpuSeconds,
  };
  const dir = o.resultsDir ?? join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `plateau-ab-n${rows}-d${features}-k${k}-seed${seed}${order[0] === 'off' ? '-off-first' : ''}.json`), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, features: { type: 'string' }, k: { type: 'string' }, noise: { type: 'string' }, seed: { type: 'string' }, threads: { type: 'string' }, order: { type: 'string' } } });
  const n = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const r = await runPlateauAb({ rows: n(values.rows), features: n(values.features), k: n(values.k), noise: n(values.noise), seed: n(values.seed), threads: n(values.threads), order: values.order?.split(',') as PlateauAbOptions['order'] });
  process.stdout.write(`${JSON.stringify({ cpuRatioPlateauToOff: r.cpuRatioPlateauToOff })}\n`);
}
