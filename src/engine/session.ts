/**
 * The only module that talks to onnxruntime-node: session creation with our runtime options,
 * tensors in and out, and a clear error when an execution provider is missing.
 */
import * as ort from 'onnxruntime-node';
import os from 'node:os';
import { ParamError } from '../errors.ts';
import type { DType } from './graph.ts';
import { encodeModel, valueInfo } from './onnx.ts';

/** Typed arrays that hold tensor data. */
export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

/** A tensor value: flat data plus its dims. */
export interface TensorValue {
  /** Row-major values. */
  readonly data: TensorData;
  /** Shape. */
  readonly dims: readonly number[];
}

/** Where and how sessions run. */
export interface RuntimeOptions {
  /** `'cpu'` (default) or `'cuda'` (only when the installed onnxruntime-node ships the CUDA provider). */
  executionProvider?: 'cpu' | 'cuda';
  /** Intra-op threads. @defaultValue the number of CPU cores */
  threads?: number;
  /**
   * Let idle worker threads spin: faster when the machine is otherwise idle, much slower when other
   * processes want the cores (spinning threads then burn the time slices the work needs).
   * `'auto'` spins only when the 1-minute load average is below 1.5 × the cores at session creation.
   * @defaultValue 'auto'
   */
  spinning?: boolean | 'auto';
  /** ONNX Runtime graph optimisation level. @defaultValue 'all' */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Write an ORT profile JSON with this file-name prefix (for performance work). */
  profilePrefix?: string;
}

/** Validated runtime options with defaults filled in. */
export function resolveRuntime(options: RuntimeOptions = {}): Required<Omit<RuntimeOptions, 'profilePrefix' | 'spinning'>> & { spinning: boolean; profilePrefix?: string } {
  const ep = options.executionProvider ?? 'cpu';
  if (ep !== 'cpu' && ep !== 'cuda') throw new ParamError(`runtime: option 'executionProvider' must be 'cpu' or 'cuda', got ${JSON.stringify(ep)}`);
  const threads = options.threads ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  if (!Number.isInteger(threads) || threads < 1) throw new ParamError(`runtime: option 'threads' must be an integer >= 1, got ${threads}`);
  const spin = options.spinning ?? 'auto';
  if (spin !== true && spin !== false && spin !== 'auto') throw new ParamError(`runtime: option 'spinning' must be true, false or 'auto', got ${JSON.stringify(spin)}`);
  return { executionProvider: ep, threads, spinning: spin === 'auto' ? machineIsIdle() : spin, optimization: options.optimization ?? 'all', profilePrefix: options.profilePrefix };
}

/**
 * True when the 1-minute load average is below 1.5 × the cores: nothing but (at most) our own
 * threads is running, so spinning pays. Platforms without a load average (Windows: zeros) count as idle.
 */
export function machineIsIdle(): boolean {
  const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  return os.loadavg()[0]! < 1.5 * cores;
}

/** Creates an inference session for serialised model bytes. */
export async function createSession(model: Uint8Array, options: RuntimeOptions = {}): Promise<ort.InferenceSession> {
  const rt = resolveRuntime(options);
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: rt.executionProvider === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
    intraOpNumThreads: rt.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: rt.optimization,
    enableProfiling: Boolean(rt.profilePrefix),
    profileFilePrefix: rt.profilePrefix,
    extra: { session: { intra_op: { allow_spinning: rt.spinning ? '1' : '0' } } },
    // Errors reach the caller as exceptions; keep ORT's own log quiet (a missing CUDA library logs loudly).
    logSeverityLevel: rt.executionProvider === 'cuda' ? 4 : 3,
  };
  try {
    return await ort.InferenceSession.create(model, sessionOptions);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (rt.executionProvider === 'cuda' && /cuda|provider|backend/i.test(msg))
      throw new ParamError(
        `runtime: execution provider 'cuda' is not available in the installed onnxruntime-node (${msg.split('\n')[0]}); ` +
          `fetch its CUDA binaries on a machine with CUDA 12 (ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js; see docs/install.md), or use --device cpu`,
      );
    throw err;
  }
}

const ORT_TYPE: Record<DType, ort.Tensor.Type> = { float32: 'float32', float64: 'float64', int64: 'int64', int32: 'int32', bool: 'bool' };

/** Wraps data as an ORT tensor of the given dtype (no copy). */
export function toOrt(dtype: DType, value: TensorValue): ort.Tensor {
  return new ort.Tensor(ORT_TYPE[dtype], value.data as never, value.dims as number[]);
}

/** Unwraps an ORT tensor (its data is a fresh buffer owned by the caller). */
export function fromOrt(t: ort.OnnxValue): TensorValue {
  const tensor = t as ort.Tensor;
  return { data: tensor.data as TensorData, dims: [...tensor.dims] };
}

/** Runs a session with named feeds and returns the named outputs. */
export async function runSession(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, outputs?: readonly string[]): Promise<Record<string, TensorValue>> {
  const result = outputs ? await session.run(feeds, outputs as string[]) : await session.run(feeds);
  const out: Record<string, TensorValue> = {};
  for (const [k, v] of Object.entries(result)) out[k] = fromOrt(v);
  return out;
}

// A one-node model (y = Identity(x)) to probe whether a provider loads.
function probeModel(): Uint8Array {
  const v = (name: string) => valueInfo({ name, dtype: 'float32', shape: [1] });
  return encodeModel({ name: 'probe', node: [{ opType: 'Identity', input: ['x'], output: ['y'] }], input: [v('x')], output: [v('y')] });
}

/** True when sessions can be created with this execution provider in the installed onnxruntime-node. */
export async function executionProviderAvailable(provider: 'cpu' | 'cuda'): Promise<boolean> {
  try {
    const s = await createSession(probeModel(), { executionProvider: provider, threads: 1 });
    await s.release();
    return true;
  } catch {
    return false;
  }
}

/** The onnxruntime-node version in use. */
export function ortVersion(): string {
  return ort.env.versions.node ?? ort.env.versions.common;
}

/** Session type re-exported so other engine modules need not import onnxruntime-node. */
export type Session = ort.InferenceSession;
