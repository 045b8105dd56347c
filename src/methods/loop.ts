/**
 * The one step loop every training phase shares: batches of an epoch's order gathered into a
 * buffer, per-point feeds, the engine call of several steps, loss sums, and the divergence message
 * that names the phase's learning-rate option. Pretraining, the greedy layer pairs and the
 * clustering phase all train through {@link runLoop} and its hooks.
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

/**
 * Gathers the batches, runs `steps` training steps in one engine call and adds the loss terms to
 * `sums`; returns each term's value at every step of the call.
 */
export async function trainSteps(r: StepRun): Promise<Record<string, Float32Array>> {
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
  const values: Record<string, Float32Array> = {};
  for (const [key, v] of Object.entries(out)) {
    values[key] = v.data as Float32Array;
    if (!r.subtotal) {
      for (const e of v.data as Float32Array) r.sums[key] = (r.sums[key] ?? 0) + e;
      continue;
    }
    let s = 0;
    for (const e of v.data as Float32Array) s += e;
    r.sums[key] = (r.sums[key] ?? 0) + s;
  }
  return values;
}

/** Where a training loop is: the epoch, its order and the position in it, the steps done, and the loss sums since the last report. */
export interface LoopPosition {
  readonly epoch: number;
  /** Position in `perm` of the next batch. */
  readonly cursor: number;
  readonly perm: Int32Array;
  /** Steps done in this phase. */
  readonly ite: number;
  /** Loss sums and steps since the last report (epoch end, or refresh). */
  readonly sums: Record<string, number>;
  readonly count: number;
}

/** One engine call of {@link runLoop}: `steps` batches of `batch` rows from position `from` of `perm`. */
export interface Chunk {
  readonly epoch: number;
  readonly perm: Int32Array;
  readonly from: number;
  readonly steps: number;
  readonly batch: number;
  /** Steps done in this phase before this call. */
  readonly ite: number;
}

/** The hooks of {@link runLoop}; all optional. */
export interface LoopHooks {
  /** Before each engine call and refresh (a safe point); `first` on the loop's first one. */
  beforeChunk?(at: LoopPosition, first: boolean): void;
  /**
   * Every `refreshEvery` steps (before the steps that follow), with the mean loss terms since the
   * last refresh; returns true to stop (the stop test).
   */
  onRefresh?(at: LoopPosition, losses: Record<string, number>): Promise<boolean> | boolean;
  /**
   * After each epoch, with its mean loss terms (loops without refreshes); also with the part of
   * an epoch done when a check stops the loop (`partial`).
   */
  afterEpoch?(epoch: number, losses: Record<string, number>, partial?: boolean): void;
  /** After each engine call, with each loss term's value at every step of the call. */
  afterCall?(c: Chunk, losses: Record<string, Float32Array>): void;
  /** Every `checkEvery` steps (after the call that reaches the multiple): returns true to stop the loop there. */
  onCheck?(ite: number): boolean;
  /** The call's transform of the gathered rows (augmentation). */
  transform?(c: Chunk): ((buf: Float32Array, rows: number) => void) | undefined;
  /** The call's further feeds. */
  extraFeeds?(c: Chunk): ((buf: Float32Array, rows: number, feeds: Feeds) => void) | undefined;
}

/** What {@link runLoop} needs: the step run's fixed parts, the schedule, where to start, and the hooks. */
export interface TrainLoop extends Omit<StepRun, 'perm' | 'from' | 'steps' | 'batch' | 'sums' | 'transform' | 'extraFeeds'> {
  readonly n: number;
  readonly batchSize: number;
  readonly stepsPerRun: number;
  /** The smallest remainder batch trained (a smaller one is skipped: its rows come again in the next epoch). @defaultValue 1 */
  readonly minRemainder?: number;
  /** Stop when this epoch is reached. @defaultValue Infinity */
  readonly epochs?: number;
  /** Stop after this many steps. @defaultValue Infinity */
  readonly maxSteps?: number;
  /** Refresh (and report the losses) every this many steps instead of at epoch ends. */
  readonly refreshEvery?: number;
  /** Call the `onCheck` hook every this many steps (no engine call crosses a multiple). */
  readonly checkEvery?: number;
  /** A resumed position, or else the first epoch (@defaultValue 0), started from its beginning. */
  readonly start?: LoopPosition | { readonly epoch: number };
  /** The epoch's order. */
  order(epoch: number): Int32Array;
  readonly hooks?: LoopHooks;
}

/** How a {@link runLoop} ended: the steps done and whether the stop test (or a check) stopped it. */
export interface LoopEnd {
  readonly ite: number;
  readonly stopped: boolean;
}

/**
 * The one step loop of every training phase. An epoch is its full batches in engine calls of up to
 * `stepsPerRun` steps (never past the next refresh or `maxSteps`), then the remainder batch alone
 * when it has at least `minRemainder` rows. Loss sums are reported (averaged, then cleared) to
 * `onRefresh` when the loop refreshes, else to `afterEpoch`. With `checkEvery`, calls also end at
 * its multiples, where `onCheck` may stop the loop (the epoch's part so far is then reported).
 */
export async function runLoop(L: TrainLoop): Promise<LoopEnd> {
  const B = L.batchSize;
  const n = L.n;
  const epochs = L.epochs ?? Infinity;
  const maxSteps = L.maxSteps ?? Infinity;
  const T = L.refreshEvery;
  const C = L.checkEvery;
  const h = L.hooks ?? {};
  const s0 = L.start && 'perm' in L.start ? L.start : undefined;
  let epoch = L.start?.epoch ?? 0;
  if (epoch >= epochs) return { ite: s0?.ite ?? 0, stopped: false };
  let perm = s0 ? s0.perm : L.order(epoch);
  let cursor = s0?.cursor ?? 0;
  let ite = s0?.ite ?? 0;
  let sums: Record<string, number> = s0 ? { ...s0.sums } : {};
  let count = s0?.count ?? 0;
  const remainder = (rows: number) => (rows >= Math.max(1, L.minRemainder ?? 1) ? rows : 0);
  const take = () => {
    const losses: Record<string, number> = {};
    for (const [key, v] of Object.entries(sums)) losses[key] = v / Math.max(count, 1);
    sums = {};
    count = 0;
    return losses;
  };
  const run = async (from: number, steps: number, batch: number) => {
    const c: Chunk = { epoch, perm, from, steps, batch, ite };
    const values = await trainSteps({ ...L, perm, from, steps, batch, sums, transform: h.transform?.(c), extraFeeds: h.extraFeeds?.(c) });
    h.afterCall?.(c, values);
  };
  // at a multiple of checkEvery (after the epoch's end, if it ended there): stop when the check says so
  const checkStops = () => {
    if (C === undefined || ite % C !== 0 || !h.onCheck?.(ite)) return false;
    if (T === undefined && count > 0) h.afterEpoch?.(epoch, take(), true);
    return true;
  };
  // the epoch ends: report (without refreshes), then the next epoch's order
  const nextEpoch = () => {
    if (T === undefined) h.afterEpoch?.(epoch, take());
    epoch++;
    cursor = 0;
    if (epoch < epochs) perm = L.order(epoch);
  };
  let first = true;
  while (ite < maxSteps && epoch < epochs) {
    h.beforeChunk?.({ epoch, cursor, perm, ite, sums, count }, first);
    first = false;
    if (T !== undefined && ite % T === 0 && (await h.onRefresh?.({ epoch, cursor, perm, ite, sums, count }, take()))) return { ite, stopped: true };
    let steps = Math.min(L.stepsPerRun, T === undefined ? Infinity : T - (ite % T), C === undefined ? Infinity : C - (ite % C), maxSteps - ite);
    if (cursor + B > n) {
      // the epoch's remainder batch alone (after the safe point and the refresh), then a new order
      const rem = remainder(n - cursor);
      if (rem > 0) {
        await run(cursor, 1, rem);
        count++;
        ite++;
      }
      nextEpoch();
      if (rem > 0 && checkStops()) return { ite, stopped: true };
      // no remainder: the new epoch's first call follows at once (going round the loop would
      // refresh a second time at this step, see no label change and stop)
      if (rem > 0 || epoch >= epochs) continue;
    }
    steps = Math.min(steps, Math.floor((n - cursor) / B));
    if (steps <= 0) continue;
    await run(cursor, steps, B);
    cursor += steps * B;
    count += steps;
    ite += steps;
    // an epoch without a remainder batch ends with its last full batch
    if (cursor + B > n && remainder(n - cursor) === 0 && ite < maxSteps) nextEpoch();
    if (checkStops()) return { ite, stopped: true };
  }
  return { ite, stopped: false };
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
