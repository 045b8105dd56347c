/**
 * Saving and loading tensors in the safetensors format (an 8-byte little-endian header length,
 * a JSON header, then raw little-endian data), checkpoints of parameters + optimizer state, and
 * export of any sub-graph as a standalone `.onnx` file. Every write is atomic (temp + rename).
 */
import { readFileSync } from 'node:fs';
import { atomicWrite } from './atomic-write.ts';
import { DataError } from '../errors.ts';
import type { FloatDType, Graph, Tensor } from './graph.ts';
import { ParameterStore } from './params.ts';
import { buildFunctionModel } from './runner.ts';

/** One tensor in a safetensors file. */
export interface SavedTensor {
  /** Shape. */
  readonly shape: readonly number[];
  /** Row-major values (the dtype follows the array). */
  readonly data: Float32Array | Float64Array;
}

const DTYPE_CODE: Record<FloatDType, string> = { float32: 'F32', float64: 'F64' };

/** The one atomic file writer (temp file, fsync, rename; one DataError naming path and cause). */
export { atomicWrite } from './atomic-write.ts';

/** Encodes tensors and string metadata as safetensors bytes. */
export function encodeSafetensors(tensors: ReadonlyMap<string, SavedTensor>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    const bytes = t.data.byteLength;
    header[name] = { dtype: t.data instanceof Float64Array ? DTYPE_CODE.float64 : DTYPE_CODE.float32, shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((json.length + 8) % 8)) % 8); // keep the data 8-byte aligned
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let o = 8 + head.length;
  for (const t of tensors.values()) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), o);
    o += t.data.byteLength;
  }
  return out;
}

/**
 * Decodes safetensors bytes (F32 and F64 tensors).
 * @throws DataError for truncated or corrupt files, naming what is wrong.
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors data'): {
  /** The tensors by name. */
  tensors: Map<string, SavedTensor>;
  /** The header's `__metadata__` strings. */
  metadata: Record<string, string>;
} {
  if (bytes.length < 8) throw new DataError(`${source}: file is truncated (${bytes.length} bytes; not a safetensors file)`);
  const headLen = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (headLen > bytes.length - 8 || headLen > 100_000_000) throw new DataError(`${source}: header length ${headLen} exceeds the file size ${bytes.length} (truncated or not a safetensors file)`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headLen)));
  } catch {
    throw new DataError(`${source}: header is not valid JSON (corrupt file)`);
  }
  const base = 8 + headLen;
  const tensors = new Map<string, SavedTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const e = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const width = e.dtype === 'F32' ? 4 : e.dtype === 'F64' ? 8 : 0;
    if (!width) throw new DataError(`${source}: tensor '${name}' has unsupported dtype ${e.dtype} (F32 and F64 are supported)`);
    const [a, b] = e.data_offsets ?? [];
    const n = (e.shape ?? []).reduce((x, y) => x * y, 1);
    if (!Number.isInteger(a) || !Number.isInteger(b) || b! - a! !== n * width || base + b! > bytes.length)
      throw new DataError(`${source}: tensor '${name}' data [${a}, ${b}) does not fit the file (truncated or corrupt)`);
    const copy = new Uint8Array(bytes.subarray(base + a!, base + b!)); // a real copy (Buffer.slice would share memory)
    tensors.set(name, { shape: e.shape, data: width === 4 ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer) });
  }
  return { tensors, metadata };
}

/** Saves tensors to a safetensors file (atomically). */
export function saveSafetensors(path: string, tensors: ReadonlyMap<string, SavedTensor>, metadata: Readonly<Record<string, string>> = {}): void {
  atomicWrite(path, encodeSafetensors(tensors, metadata));
}

/** Loads a safetensors file. @throws DataError for a missing, truncated or corrupt file. */
export function loadSafetensors(path: string): {
  /** The tensors by name. */
  tensors: Map<string, SavedTensor>;
  /** The header's `__metadata__` strings. */
  metadata: Record<string, string>;
} {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new DataError(`cannot read '${path}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return decodeSafetensors(bytes, path);
}

/** Optimizer state as {@link TrainingStep.optimizerState} returns it. */
export interface OptimizerSnapshot {
  /** Optimizer steps taken (Adam's bias correction depends on it). */
  readonly step: number;
  /** Slot tensors by `<param>/<slot>` (e.g. `enc.0.weight/m`). */
  readonly tensors: ReadonlyMap<string, SavedTensor>;
}

/**
 * Saves a checkpoint: every stored parameter and buffer (under its name), optimizer state under
 * `optim/<param>/<slot>` in standard form, and string metadata (the optimizer step is recorded
 * as `optim.step`, trainability of each tensor as `trainable`).
 */
export function saveCheckpoint(path: string, store: ParameterStore, optimizer?: OptimizerSnapshot, metadata: Readonly<Record<string, string>> = {}): void {
  const tensors = new Map<string, SavedTensor>();
  const frozen: string[] = [];
  for (const [name, t] of store) {
    tensors.set(name, { shape: t.shape, data: t.data });
    if (!t.trainable) frozen.push(name);
  }
  const meta: Record<string, string> = { ...metadata, format: 'deepclust-checkpoint-1', buffers: JSON.stringify(frozen) };
  if (optimizer) {
    for (const [k, t] of optimizer.tensors) tensors.set(`optim/${k}`, t);
    meta['optim.step'] = String(optimizer.step);
  }
  saveSafetensors(path, tensors, meta);
}

/** Loads a checkpoint written by {@link saveCheckpoint}. */
export function loadCheckpoint(path: string): {
  /** Parameters and buffers (with their trainability). */
  store: ParameterStore;
  /** Optimizer state, when saved. */
  optimizer?: OptimizerSnapshot;
  /** String metadata. */
  metadata: Record<string, string>;
} {
  const { tensors, metadata } = loadSafetensors(path);
  const frozen = new Set<string>(metadata.buffers ? (JSON.parse(metadata.buffers) as string[]) : []);
  const store = new ParameterStore();
  const optim = new Map<string, SavedTensor>();
  for (const [name, t] of tensors) {
    if (name.startsWith('optim/')) optim.set(name.slice(6), t);
    else store.add(name, t.shape, t.data, !frozen.has(name));
  }
  const step = metadata['optim.step'];
  return { store, metadata, optimizer: step === undefined ? undefined : { step: Number(step), tensors: optim } };
}

/**
 * Exports the sub-graph computing `outputs` from the graph's inputs as a standalone ONNX model
 * (parameters frozen as initializers), runnable by plain onnxruntime in any language.
 */
export function exportOnnx(path: string, graph: Graph, outputs: Readonly<Record<string, Tensor>>, store: ParameterStore): void {
  const { model } = buildFunctionModel(graph, { outputs, store, params: 'initializers' });
  atomicWrite(path, model);
}
