/**
 * The messages between {@link fitInWorker} and its worker thread, and how the values that
 * structured cloning cannot carry as they are (parameter stores, the project's error classes)
 * are packed into plain data and rebuilt on the other side.
 */
import { DataError, DeepclustError, DivergenceError, GraphError, InterruptedError, ParamError } from '../errors.ts';
import { ParameterStore } from '../engine/params.ts';
import type { FloatDType } from '../engine/graph.ts';
import type { FitRecord, HistoryRow, ProgressEvent } from '../methods/types.ts';
import type { MethodConfig } from '../methods/config.ts';
import type { DeepClusteringOptions, PretrainSource } from '../methods/deep-clustering.ts';

/** One tensor of a packed {@link ParameterStore}. */
export interface PackedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: FloatDType;
  readonly trainable: boolean;
  readonly data: Float32Array | Float64Array;
}

/** The checkpoint settings that can cross to the worker (no functions). */
export interface PackedCheckpoint {
  readonly dir: string;
  readonly every?: number;
  readonly extra?: Record<string, unknown>;
}

/** Main → worker: the fit to run. */
export interface FitJob {
  readonly type: 'fit';
  readonly options: DeepClusteringOptions;
  readonly x: { readonly data: Float32Array; readonly rows: number; readonly cols: number };
  readonly imageShape?: readonly [number, number, number];
  readonly labels?: Int32Array;
  readonly pretrained?: PackedTensor[];
  readonly checkpoint?: PackedCheckpoint;
  readonly resumeFrom?: string;
  /** Whether the caller listens to progress / checkpoint events (no messages otherwise). */
  readonly progress: boolean;
  readonly saved: boolean;
}

/** Main → worker: stop at the next safe point (writing a checkpoint when checkpointing). */
export interface AbortJob {
  readonly type: 'abort';
}

/** The fitted model as plain data. */
export interface PackedFitted extends FitRecord {
  readonly method: MethodConfig;
  readonly nClusters: number;
  readonly seed: number;
  readonly nFeatures: number;
  readonly imageShape?: readonly [number, number, number];
  readonly store: PackedTensor[];
  readonly pretrainedStore?: PackedTensor[];
  readonly history: readonly HistoryRow[];
  readonly timings: Readonly<Record<string, number>>;
  readonly pretrainSource?: PretrainSource;
}

/** An error as plain data: its class name, message, stack and own fields (step, term, …). */
export interface PackedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly fields: Record<string, unknown>;
}

/** Worker → main. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly event: ProgressEvent }
  | { readonly type: 'saved'; readonly event: { path: string; phase: string; steps: number; reason: string } }
  | { readonly type: 'done'; readonly fitted: PackedFitted }
  | { readonly type: 'error'; readonly error: PackedError };

/** A store as a list of tensors (the arrays themselves, not copies). */
export function packStore(store: ParameterStore): PackedTensor[] {
  return [...store].map(([name, t]) => ({ name, shape: t.shape, dtype: t.dtype, trainable: t.trainable, data: t.data }));
}

/** Rebuilds a store from {@link packStore}'s list (keeping the arrays). */
export function unpackStore(tensors: readonly PackedTensor[]): ParameterStore {
  const store = new ParameterStore();
  for (const t of tensors) store.add(t.name, t.shape, t.data, t.trainable);
  return store;
}

/**
 * The distinct transferable buffers under some typed arrays: a buffer listed twice, or a
 * SharedArrayBuffer, would make postMessage throw.
 */
export function transferables(arrays: Iterable<ArrayBufferView | undefined>): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  return [...out];
}

/** Packs an error so that {@link unpackError} can rebuild it with the same class and message. */
export function packError(e: unknown): PackedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (k !== 'name' && k !== 'message' && k !== 'stack' && isPlain(v)) fields[k] = v;
  return { name: e.name, message: e.message, stack: e.stack, fields };
}

/** Values that survive structured cloning unchanged. */
function isPlain(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof v);
}

const BUILTIN_ERRORS: Record<string, new (message: string) => Error> = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

/** Rebuilds an error packed by {@link packError}: the project's classes and the built-in ones keep their class. */
export function unpackError(p: PackedError): Error {
  const f = p.fields;
  let e: Error;
  switch (p.name) {
    case 'ParamError':
      e = new ParamError(p.message);
      break;
    case 'DataError':
      e = new DataError(p.message);
      break;
    case 'GraphError':
      e = new GraphError(p.message);
      break;
    case 'DivergenceError':
      e = new DivergenceError(p.message, f.step as number, f.term as string, f.value as number | undefined, f.phase as string | undefined);
      break;
    case 'InterruptedError':
      e = new InterruptedError(p.message, f.checkpoint as string | undefined);
      break;
    case 'DeepclustError':
      e = new DeepclustError(p.message);
      break;
    default: {
      e = new (BUILTIN_ERRORS[p.name] ?? Error)(p.message);
      if (e.name !== p.name) e.name = p.name;
      // other fields (e.g. Node's `code`) are informative; copy them over
      for (const [k, v] of Object.entries(f)) if (!(k in e)) (e as unknown as Record<string, unknown>)[k] = v;
    }
  }
  // the worker's stack says where it went wrong; the main thread's would only show the message handler
  if (p.stack) e.stack = p.stack;
  return e;
}
