/**
 * Checkpoints of a training run, so an interrupted fit continues bit for bit: the run's whole
 * state at a safe point (between two training runs) — phase and counters, parameters and raw
 * optimizer state, the random generator, the epoch's shuffling order and position, the target
 * distribution or hard clusters, the labels of the last refresh, history and timings — plus a
 * fingerprint of the data, resolved config and seed, and the caller's own JSON.
 *
 * One file, `<dir>/checkpoint.safetensors` (tensors + a JSON state in the metadata, with a
 * SHA-256 of both), replaced atomically (temporary file, fsync, rename), so a stop at any moment
 * leaves the previous checkpoint or the new one, never half of one.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteFile, ensureDir } from '../data/atomic.ts';
import { ParameterStore, type SavedTensor, decodeSafetensors, encodeSafetensors } from '../engine/index.ts';
import { DataError, InterruptedError } from '../errors.ts';
import type { HistoryRow } from './types.ts';
import type { RunState, SafePoints } from './_run-state.ts';
import type { PlateauState } from './pretrain-plateau.ts';
import { canonical } from './_canonical.ts';

/** Format tag of checkpoint files; bump it when {@link RunState} changes meaning. */
export const CHECKPOINT_FORMAT = 'deepclust-run-checkpoint-2';
/** Name of the checkpoint file inside a checkpoint directory. */
export const CHECKPOINT_FILE = 'checkpoint.safetensors';
/** Default training steps (pretraining and clustering together) between two checkpoints. */
export const DEFAULT_CHECKPOINT_EVERY = 1000;

/** What a run depends on: resuming is refused when any part differs. */
export interface Fingerprint {
  /** SHA-256 of the data's shape and bytes (and image shape, and labels when the fit uses them). */
  readonly data: string;
  /** SHA-256 of the resolved method config and the run settings that change its numbers. */
  readonly config: string;
  /** The run's seed. */
  readonly seed: number;
  /** Number of clusters. */
  readonly k: number;
}

/** A checkpoint as read back. */
export interface Checkpoint {
  readonly state: RunState;
  readonly fingerprint: Fingerprint;
  /** The caller's JSON saved with it (the estimator's and the CLI's own state). */
  readonly extra: Record<string, unknown>;
}

/** The cheap part of a checkpoint (its header), for tools that only need to know what it is. */
export interface CheckpointInfo {
  /** The checkpoint file. */
  readonly path: string;
  /** Training phase it was saved in. */
  readonly phase: RunState['phase'];
  /** Training steps done (all phases). */
  readonly steps: number;
  /** What the run depends on (data, config, seed, k). */
  readonly fingerprint: Fingerprint;
  /** JSON saved with it: the estimator's (`fit`) and the caller's own (`caller`). */
  readonly extra: Record<string, unknown>;
}

/** The checkpoint file of a directory. */
export function checkpointPath(dir: string): string {
  return join(dir, CHECKPOINT_FILE);
}

/** True when `dir` holds a checkpoint file (whole or not). */
export function hasCheckpoint(dir: string): boolean {
  return existsSync(checkpointPath(dir));
}

/** Deletes the checkpoint file of `dir` and the directory when it is left empty. */
export function removeCheckpoint(dir: string): void {
  rmSync(checkpointPath(dir), { force: true });
  try {
    rmdirSync(dir); // only succeeds when empty: never removes anything else
  } catch {
    /* not empty or gone */
  }
}

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** What {@link fingerprint} hashes. */
export interface FingerprintInputs {
  readonly x: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly imageShape?: readonly [number, number, number];
  readonly labels?: Int32Array;
  /** The resolved method config, and every other setting that changes the numbers (steps per run, a given network…). */
  readonly config: unknown;
  readonly pretrained?: ParameterStore;
  readonly seed: number;
  readonly k: number;
}

/** The {@link Fingerprint} of a run. */
export function fingerprint(f: FingerprintInputs): Fingerprint {
  const data = createHash('sha256');
  data.update(canonical({ rows: f.rows, cols: f.cols, imageShape: f.imageShape ?? null, labels: f.labels ? f.labels.length : null }));
  data.update(bytesOf(f.x.subarray(0, f.rows * f.cols)));
  if (f.labels) data.update(bytesOf(f.labels));
  const config = createHash('sha256');
  config.update(canonical({ format: CHECKPOINT_FORMAT, config: f.config }));
  if (f.pretrained) for (const [name, t] of f.pretrained) config.update(name).update(bytesOf(t.data));
  return { data: data.digest('hex'), config: config.digest('hex'), seed: f.seed, k: f.k };
}

/**
 * Throws unless a checkpoint was made for the same run.
 * @throws DataError naming what differs (data, settings, seed or k) and what to do
 */
export function checkFingerprint(path: string, saved: Fingerprint, now: Fingerprint): void {
  const fix = 'resume with the same data and options, or start the run again';
  if (saved.data !== now.data) throw new DataError(`the checkpoint '${path}' was made for different data (its data fingerprint differs); ${fix}`);
  if (saved.seed !== now.seed) throw new DataError(`the checkpoint '${path}' was made with seed ${saved.seed}, not ${now.seed}; ${fix}`);
  if (saved.k !== now.k) throw new DataError(`the checkpoint '${path}' was made for k = ${saved.k} clusters, not ${now.k}; ${fix}`);
  if (saved.config !== now.config) throw new DataError(`the checkpoint '${path}' was made with other method settings (its config fingerprint differs); ${fix}`);
}

// ---- encoding: typed arrays go to tensors, the rest to one JSON string

type Json = Record<string, unknown>;

class TensorSink {
  readonly tensors = new Map<string, SavedTensor>();
  /** Stores a float array under `name`; returns the name for the JSON. */
  float(name: string, a: Float32Array | Float64Array, shape: readonly number[] = [a.length]): string {
    this.tensors.set(name, { shape, data: a });
    return name;
  }
  /** Int32 values travel as float64, which holds them exactly (the format has float dtypes only). */
  int(name: string, a: Int32Array): string {
    return this.float(name, Float64Array.from(a));
  }
  store(prefix: string, s: ParameterStore): Json {
    const names: string[] = [];
    const frozen: string[] = [];
    for (const [name, t] of s) {
      names.push(name);
      if (!t.trainable) frozen.push(name);
      this.tensors.set(`${prefix}/${name}`, { shape: t.shape, data: t.data });
    }
    return { prefix, names, frozen };
  }
  optimizer(prefix: string, o: { step: number; tensors: ReadonlyMap<string, SavedTensor> }): Json {
    const keys: string[] = [];
    for (const [k, t] of o.tensors) {
      keys.push(k);
      this.tensors.set(`${prefix}/${k}`, t);
    }
    return { prefix, step: o.step, keys };
  }
}

class TensorSource {
  constructor(
    private readonly tensors: ReadonlyMap<string, SavedTensor>,
    private readonly path: string,
  ) {}
  private get(name: unknown): SavedTensor {
    const t = typeof name === 'string' ? this.tensors.get(name) : undefined;
    if (!t) throw new DataError(`the checkpoint '${this.path}' is corrupt (tensor ${JSON.stringify(name)} is missing); start the run again`);
    return t;
  }
  f32(name: unknown): Float32Array {
    const d = this.get(name).data;
    return d instanceof Float32Array ? d : Float32Array.from(d);
  }
  f64(name: unknown): Float64Array {
    const d = this.get(name).data;
    return d instanceof Float64Array ? d : Float64Array.from(d);
  }
  int(name: unknown): Int32Array {
    return Int32Array.from(this.get(name).data);
  }
  store(j: Json): ParameterStore {
    const s = new ParameterStore();
    const frozen = new Set(j.frozen as string[]);
    for (const name of j.names as string[]) {
      const t = this.get(`${j.prefix}/${name}`);
      s.add(name, t.shape, t.data, !frozen.has(name));
    }
    return s;
  }
  optimizer(j: Json): { step: number; tensors: Map<string, SavedTensor> } {
    const tensors = new Map<string, SavedTensor>();
    for (const k of j.keys as string[]) tensors.set(k, this.get(`${j.prefix}/${k}`));
    return { step: j.step as number, tensors };
  }
}

function encodeState(s: RunState, sink: TensorSink): Json {
  const j: Json = {
    phase: s.phase,
    steps: s.steps,
    history: s.history,
    timings: s.timings,
    pretrainSteps: s.pretrainSteps,
    store: sink.store('store', s.store),
  };
  if (s.pretrainedStore) j.pretrainedStore = sink.store('pretrained', s.pretrainedStore);
  if (s.pretrain) {
    const p = s.pretrain;
    j.pretrain = { epoch: p.epoch, cursor: p.cursor, perm: sink.int('pretrain.perm', p.perm), sums: p.sums, count: p.count, optimizer: sink.optimizer('pretrain.optim', p.optimizer), ...(p.plateau ? { plateau: p.plateau } : {}) };
  }
  if (s.init) j.init = { labels: sink.int('init.labels', s.init.labels), centers: sink.float('init.centers', s.init.centers), dim: s.init.dim, inertia: s.init.inertia };
  if (s.cluster) {
    const c = s.cluster;
    j.cluster = {
      ite: c.ite,
      cursor: c.cursor,
      epoch: c.epoch,
      perm: sink.int('cluster.perm', c.perm),
      sums: c.sums,
      count: c.count,
      labels: sink.int('cluster.labels', c.labels),
      feed: c.feed ? sink.float('cluster.feed', c.feed) : null,
      hard: c.hard ? { labels: sink.int('cluster.hard.labels', c.hard.labels), centroids: sink.float('cluster.hard.centroids', c.hard.centroids), sizes: sink.int('cluster.hard.sizes', c.hard.sizes), count: c.hard.count } : null,
      optimizer: sink.optimizer('cluster.optim', c.optimizer),
    };
  }
  if (s.done) {
    const d = s.done;
    j.done = { labels: sink.int('done.labels', d.labels), centers: sink.float('done.centers', d.centers), iterations: d.iterations, stoppedBy: d.stoppedBy, embeddingDim: d.embeddingDim };
  }
  return j;
}

function decodeState(j: Json, src: TensorSource): RunState {
  const p = j.pretrain as Json | undefined;
  const i = j.init as Json | undefined;
  const c = j.cluster as Json | undefined;
  const d = j.done as Json | undefined;
  const hard = c?.hard as Json | null | undefined;
  return {
    phase: j.phase as RunState['phase'],
    steps: j.steps as number,
    history: j.history as HistoryRow[],
    timings: j.timings as Record<string, number>,
    pretrainSteps: j.pretrainSteps as number,
    store: src.store(j.store as Json),
    pretrainedStore: j.pretrainedStore ? src.store(j.pretrainedStore as Json) : undefined,
    pretrain: p ? { epoch: p.epoch as number, cursor: p.cursor as number, perm: src.int(p.perm), sums: p.sums as Record<string, number>, count: p.count as number, optimizer: src.optimizer(p.optimizer as Json), ...(p.plateau ? { plateau: p.plateau as unknown as PlateauState } : {}) } : undefined,
    init: i ? { labels: src.int(i.labels), centers: src.f32(i.centers), dim: i.dim as number, inertia: i.inertia as number } : undefined,
    cluster: c
      ? {
          ite: c.ite as number,
          cursor: c.cursor as number,
          epoch: c.epoch as number,
          perm: src.int(c.perm),
          sums: c.sums as Record<string, number>,
          count: c.count as number,
          labels: src.int(c.labels),
          feed: c.feed ? src.f32(c.feed) : undefined,
          hard: hard ? { labels: src.int(hard.labels), centroids: src.f64(hard.centroids), sizes: src.int(hard.sizes), count: hard.count as number } : undefined,
          optimizer: src.optimizer(c.optimizer as Json),
        }
      : undefined,
    done: d ? { labels: src.int(d.labels), centers: src.f32(d.centers), iterations: d.iterations as number, stoppedBy: d.stoppedBy as 'tolerance' | 'maxIter' | 'none', embeddingDim: d.embeddingDim as number } : undefined,
  };
}

function digest(json: string, tensors: ReadonlyMap<string, SavedTensor>): string {
  const h = createHash('sha256').update(json);
  for (const [name, t] of tensors) h.update(name).update(bytesOf(t.data));
  return h.digest('hex');
}

/** Writes a checkpoint into `dir` (created when missing), atomically replacing the previous one; returns the file. */
export function saveRunCheckpoint(dir: string, state: RunState, fp: Fingerprint, extra: Record<string, unknown> = {}): string {
  const sink = new TensorSink();
  const json = JSON.stringify({ state: encodeState(state, sink), fingerprint: fp, extra });
  ensureDir(dir);
  const path = checkpointPath(dir);
  atomicWriteFile(path, encodeSafetensors(sink.tensors, { format: CHECKPOINT_FORMAT, phase: state.phase, steps: String(state.steps), run: json, sha256: digest(json, sink.tensors) }));
  return path;
}

const damaged = (path: string, why: string) => new DataError(`the checkpoint '${path}' is damaged (${why}); it cannot be resumed, start the run again`);

/**
 * Reads the checkpoint of `dir`, checking its integrity.
 * @throws DataError when there is none, or it is truncated, corrupt or of an unknown format
 */
export function readRunCheckpoint(dir: string): Checkpoint {
  const path = checkpointPath(dir);
  if (!existsSync(path)) throw new DataError(`'${dir}' holds no checkpoint (${CHECKPOINT_FILE} is missing); nothing to resume`);
  let decoded: ReturnType<typeof decodeSafetensors>;
  try {
    decoded = decodeSafetensors(readFileSync(path), path);
  } catch (err) {
    throw damaged(path, err instanceof DataError ? err.message.replace(`${path}: `, '') : String(err));
  }
  const { tensors, metadata } = decoded;
  if (metadata.format !== CHECKPOINT_FORMAT) throw damaged(path, `unknown format ${JSON.stringify(metadata.format)}, expected ${CHECKPOINT_FORMAT}`);
  if (typeof metadata.run !== 'string' || digest(metadata.run, tensors) !== metadata.sha256) throw damaged(path, 'its SHA-256 does not match its contents');
  const run = JSON.parse(metadata.run) as { state: Json; fingerprint: Fingerprint; extra: Record<string, unknown> };
  return { state: decodeState(run.state, new TensorSource(tensors, path)), fingerprint: run.fingerprint, extra: run.extra ?? {} };
}

/**
 * Reads only a checkpoint's header: its phase, step count, fingerprint and the caller's JSON.
 * @throws DataError as `readRunCheckpoint` (integrity is checked by that one only)
 */
export function readCheckpointInfo(dir: string): CheckpointInfo {
  const path = checkpointPath(dir);
  if (!existsSync(path)) throw new DataError(`'${dir}' holds no checkpoint (${CHECKPOINT_FILE} is missing); nothing to resume`);
  const fd = openSync(path, 'r');
  let header: Record<string, unknown>;
  try {
    const lenBuf = Buffer.alloc(8);
    if (readSync(fd, lenBuf, 0, 8, 0) < 8) throw damaged(path, 'truncated');
    const len = Number(lenBuf.readBigUInt64LE(0));
    if (len > 100_000_000) throw damaged(path, 'not a checkpoint file');
    const head = Buffer.alloc(len);
    if (readSync(fd, head, 0, len, 8) < len) throw damaged(path, 'truncated');
    try {
      header = JSON.parse(head.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw damaged(path, 'its header is not valid JSON');
    }
  } finally {
    closeSync(fd);
  }
  const meta = (header.__metadata__ ?? {}) as Record<string, string>;
  if (meta.format !== CHECKPOINT_FORMAT) throw damaged(path, `unknown format ${JSON.stringify(meta.format)}, expected ${CHECKPOINT_FORMAT}`);
  let run: { state: Json; fingerprint: Fingerprint; extra: Record<string, unknown> };
  try {
    run = JSON.parse(meta.run!);
  } catch {
    throw damaged(path, 'its state is not valid JSON');
  }
  return { path, phase: run.state.phase as RunState['phase'], steps: run.state.steps as number, fingerprint: run.fingerprint, extra: run.extra ?? {} };
}

/** Options of a {@link Checkpointer}. */
export interface CheckpointerOptions {
  /** Directory of the checkpoint; without one, an abort stops training without saving. */
  readonly dir?: string;
  /** Training steps between two checkpoints; 0: only when stopped (and at the end). */
  readonly every: number;
  /** Stops training at the next safe point (after saving a checkpoint when `dir` is set). */
  readonly signal?: AbortSignal;
  /** The run's fingerprint, stored with each checkpoint (needed with `dir`). */
  readonly fingerprint?: Fingerprint;
  /** The caller's JSON stored with each checkpoint, asked for at each save. */
  readonly extra?: () => Record<string, unknown>;
  /** The state to continue from. */
  readonly resume?: RunState;
  /** Called after each checkpoint written. */
  readonly onSaved?: (e: { path: string; phase: RunState['phase']; steps: number; reason: 'interval' | 'phase' | 'interrupt' | 'end' }) => void;
}

/**
 * The checkpoint policy the training loop calls at its safe points: saves when `every` steps
 * passed since the last save (or when asked to), and on an abort saves and throws.
 */
export class Checkpointer implements SafePoints {
  private last: number;
  constructor(private readonly o: CheckpointerOptions) {
    this.last = o.resume?.steps ?? 0;
  }

  /** The state training continues from, if any. */
  get resume(): RunState | undefined {
    return this.o.resume;
  }

  /**
   * A safe point after `steps` training steps. `state` is called only when a checkpoint is written.
   * @throws InterruptedError when the signal is aborted (after writing the checkpoint), except at the `end`
   */
  at(steps: number, state: () => RunState, reason: 'phase' | 'end' | undefined = undefined): void {
    // at the end the work is done: save it, and let the caller see the abort on its signal
    if (this.o.signal?.aborted && reason !== 'end') {
      const path = this.o.dir !== undefined ? this.save(state(), 'interrupt') : undefined;
      throw new InterruptedError(path ? `training interrupted; checkpoint saved in '${path}'` : 'training interrupted', path);
    }
    if (this.o.dir === undefined) return;
    if (reason !== undefined || (this.o.every > 0 && steps - this.last >= this.o.every)) this.save(state(), reason ?? 'interval');
  }

  private save(s: RunState, reason: 'interval' | 'phase' | 'interrupt' | 'end'): string {
    const path = saveRunCheckpoint(this.o.dir!, s, this.o.fingerprint!, this.o.extra?.() ?? {});
    this.last = s.steps;
    this.o.onSaved?.({ path, phase: s.phase, steps: s.steps, reason });
    return path;
  }
}
