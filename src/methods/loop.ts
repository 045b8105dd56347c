/**
 * The one step loop every training phase shares: batches of an epoch's order gathered into a
 * buffer, per-point feeds, the engine call of several steps, loss sums, and the divergence message
 * that names the phase's learning-rate option. Pretraining, the greedy layer pairs and the
 * clustering phase all train through {@link trainSteps}; the epoch-driven phases through
 * {@link runEpochs} and its hooks.
 */
import { DivergenceError } from '../errors.ts';
import type { TrainingStep } from '../engine/index.ts';
import { augmentImages, augmentRng } from '../data/augment.ts';
import type { AugmentConfig } from './config.ts';

/** The phases that train, as errors name them. */
export type TrainingPhase = 'pretraining' | 'clustering';

/** Copies rows `idx[from..to)` of x (width d) into out at row offset o. */
export function gatherRows(x: Float32Array, d: number, idx: ArrayLike<number>, from: number, to: number, out: Float32Array, o: number): void {
  for (let r = from; r < to; r++) out.set(x.subarray(idx[r]! * d, (idx[r]! + 1) * d), (o + r - from) * d);
}

/**
 * Batches of one epoch: full batches in runs of K steps, then the remainder batch alone when it has
 * at least `minRemainder` rows (a smaller one is skipped: its rows come again in the next epoch).
 */
export function* epochRuns(perm: Int32Array, batch: number, K: number, minRemainder = 1): Generator<{ from: number; steps: number; batch: number }> {
  const n = perm.length;
  const full = Math.floor(n / batch);
  for (let s = 0; s < full; s += K) yield { from: s * batch, steps: Math.min(K, full - s), batch };
  if (n % batch >= Math.max(1, minRemainder)) yield { from: full * batch, steps: 1, batch: n % batch };
}

/** A per-point feed: `data` holds `width` values per data row; batches gather rows into `scratch`. */
export interface RowFeed {
  /** The graph input it feeds. */
  readonly name: string;
  /** Values per data row. */
  readonly width: number;
  /** `[n, width]` row-major, one row per data row. */
  data: Float32Array;
  /** Room for the gathered rows of one engine call. */
  readonly scratch: Float32Array;
}

/** Engine feeds by input name. */
export type Feeds = Record<string, { data: Float32Array; dims: number[] }>;

/** One engine call of {@link trainSteps}. */
export interface StepRun {
  readonly step: TrainingStep;
  /** The data (row width `width`) and the epoch's order. */
  readonly x: Float32Array;
  readonly width: number;
  readonly perm: Int32Array;
  /** First position in `perm`, steps of `batch` rows each. */
  readonly from: number;
  readonly steps: number;
  readonly batch: number;
  /** Scratch of at least steps × batch × width values. */
  readonly buffer: Float32Array;
  /** Loss sums, added to. */
  readonly sums: Record<string, number>;
  /** The phase (for the divergence message) and the learning-rate option it names. */
  readonly phase: TrainingPhase;
  readonly lrOption: string;
  readonly lr: number;
  /** Per-point rows fed with each batch. */
  readonly rowFeeds?: readonly RowFeed[];
  /** Changes the gathered rows in place (augmentation). */
  readonly transform?: (buf: Float32Array, rows: number) => void;
  /** Further feeds from the gathered batch rows (`rows` = steps × batch). */
  readonly extraFeeds?: (buf: Float32Array, rows: number, feeds: Feeds) => void;
  /** Add each term's total of the call to `sums` at once (clustering), not value by value (epoch phases): the float sums differ. */
  readonly subtotal?: boolean;
}

/** Gathers the batches, runs `steps` training steps in one engine call and adds the loss terms to `sums`. */
export async function trainSteps(r: StepRun): Promise<void> {
  const { x, width: d, perm, from, steps, batch } = r;
  const rows = steps * batch;
  gatherRows(x, d, perm, from, from + rows, r.buffer, 0);
  r.transform?.(r.buffer, rows);
  const feeds: Feeds = { x: { data: r.buffer.subarray(0, rows * d), dims: [steps, batch, d] } };
  r.extraFeeds?.(r.buffer, rows, feeds);
  for (const f of r.rowFeeds ?? []) {
    gatherRows(f.data, f.width, perm, from, from + rows, f.scratch, 0);
    feeds[f.name] = { data: f.scratch.subarray(0, rows * f.width), dims: [steps, batch, f.width] };
  }
  let out: Awaited<ReturnType<TrainingStep['run']>>;
  try {
    out = await r.step.run(feeds, { steps });
  } catch (err) {
    if (!(err instanceof DivergenceError)) throw err;
    throw divergence(r.phase, err.step, err.term, `loss term '${err.term}' is`, err.value, r.lrOption, r.lr);
  }
  for (const [key, v] of Object.entries(out)) {
    if (!r.subtotal) {
      for (const e of v.data as Float32Array) r.sums[key] = (r.sums[key] ?? 0) + e;
      continue;
    }
    let s = 0;
    for (const e of v.data as Float32Array) s += e;
    r.sums[key] = (r.sums[key] ?? 0) + s;
  }
}

/** What {@link runEpochs} needs: the step run's fixed parts, the epochs, and the hooks. */
export interface EpochLoop extends Omit<StepRun, 'perm' | 'from' | 'steps' | 'batch' | 'sums' | 'transform' | 'extraFeeds'> {
  readonly n: number;
  readonly batchSize: number;
  readonly stepsPerRun: number;
  readonly minRemainder?: number;
  /** Epochs `[first, end)`. */
  readonly first: number;
  readonly end: number;
  /** The epoch's order. */
  order(epoch: number): Int32Array;
  /** The order, position and sums of an epoch resumed part-way. */
  resumed?(epoch: number): { perm: Int32Array; cursor: number; sums: Record<string, number>; count: number } | undefined;
  /** Before each engine call (a safe point). */
  beforeRun?(epoch: number, from: number, perm: Int32Array, sums: Record<string, number>, count: number): void;
  /** The batch's transform and extra feeds in `epoch`. */
  transform?(epoch: number, from: number, batch: number): ((buf: Float32Array, rows: number) => void) | undefined;
  extraFeeds?(epoch: number, from: number, batch: number, perm: Int32Array): ((buf: Float32Array, rows: number, feeds: Feeds) => void) | undefined;
  /** After each epoch, with its mean loss terms. */
  afterEpoch(epoch: number, losses: Record<string, number>): void;
}

/** The epoch loop of the epoch-driven phases (pretraining, greedy layer pairs). */
export async function runEpochs(e: EpochLoop): Promise<void> {
  for (let epoch = e.first; epoch < e.end; epoch++) {
    // the epoch a resumed run stopped in continues with its order, position and sums
    const again = e.resumed?.(epoch);
    const perm = again ? again.perm : e.order(epoch);
    const sums: Record<string, number> = again ? { ...again.sums } : {};
    let count = again ? again.count : 0;
    for (const run of epochRuns(perm, e.batchSize, e.stepsPerRun, e.minRemainder)) {
      if (again && run.from < again.cursor) continue;
      e.beforeRun?.(epoch, run.from, perm, sums, count);
      await trainSteps({ ...e, perm, from: run.from, steps: run.steps, batch: run.batch, sums, transform: e.transform?.(epoch, run.from, run.batch), extraFeeds: e.extraFeeds?.(epoch, run.from, run.batch, perm) });
      count += run.steps;
    }
    const losses: Record<string, number> = {};
    for (const [key, v] of Object.entries(sums)) losses[key] = v / count;
    e.afterEpoch(epoch, losses);
  }
}

/** Throws a {@link divergence} when `values` (computed after `step` updates) hold a non-finite value. */
export function assertFiniteAfter(values: Float32Array, phase: TrainingPhase, step: number, term: string, lrOption: string, lr: number): void {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) throw divergence(phase, step, term, `the ${term} after it holds`, values[i], lrOption, lr);
}

/** The one-line DivergenceError of a phase: where it happened, and which learning-rate option to lower. */
function divergence(phase: TrainingPhase, step: number, term: string, what: string, value: number | undefined, lrOption: string, lr: number): DivergenceError {
  return new DivergenceError(
    `training diverged in the ${phase} phase at step ${step}: ${what} ${value ?? 'a non-finite value'}; lower the learning rate (${lrOption}, now ${lr}), check the data for extreme values, or try another seed`,
    step,
    term,
    value,
    phase,
  );
}

/**
 * The augmentation of one phase, or undefined when it has none. It augments `rows` gathered rows
 * (whole batches of `batch` rows starting at position `from` of the epoch); each batch draws from
 * a generator fixed by (seed, phase, epoch, its position), so neither the steps per engine call
 * nor a resume changes what a batch sees.
 */
export function imageAugmenter(
  cfg: AugmentConfig | undefined,
  shape: readonly [number, number, number] | undefined,
  seed: number,
  phase: string,
): ((epoch: number, from: number, batch: number) => (buf: Float32Array, rows: number) => void) | undefined {
  if (!cfg || (cfg.rotate === 0 && cfg.shift === 0)) return undefined;
  const size = shape![0] * shape![1] * shape![2];
  const scratch = new Float32Array(size);
  return (epoch, from, batch) => (buf, rows) => {
    for (let r = 0; r < rows; r += batch) augmentImages(buf.subarray(r * size), Math.min(batch, rows - r), shape!, cfg, augmentRng(seed, phase, epoch, from + r), scratch);
  };
}
