/**
 * Compiles graphs into onnxruntime sessions and runs them:
 * - {@link compileFunction}: an inference function (e.g. encode a batch), parameters fed from a
 *   store at each call or frozen as initializers; `runBatched` maps it over large data in chunks.
 * - {@link compileTrainingStep}: forward + loss + backward + optimizer update as ONE session that
 *   runs K steps per call with the ONNX `Loop` op (per-step inputs stacked `[K, ...]`).
 */
import { DivergenceError, GraphError, ParamError } from '../errors.ts';
import { Rng } from '../random.ts';
import { grad } from './autodiff.ts';
import { type DType, type Graph, type NodeSpec, type Shape, type Tensor, staticSize } from './graph.ts';
import { type ValueSpec, encodeModel, graphProto, nodeProto, specOf, valueInfo } from './onnx.ts';
import { gatherStep } from './ops/internal.ts';
import type { Optimizer } from './optim/types.ts';
import type { ParameterStore } from './params.ts';
import { type RuntimeOptions, type Session, type TensorData, type TensorValue, createSession, resolveRuntime, runSession, toOrt } from './session.ts';

/** A feed: a typed array (dims inferred from the input's declared shape) or data with dims. */
export type Feed = TensorData | TensorValue;

// ---------------------------------------------------------------- shared helpers

function isTensorValue(f: Feed): f is TensorValue {
  return !ArrayBuffer.isView(f);
}

const ARRAY_DTYPE = (d: TensorData): DType =>
  d instanceof Float32Array ? 'float32' : d instanceof Float64Array ? 'float64' : d instanceof BigInt64Array ? 'int64' : d instanceof Int32Array ? 'int32' : 'bool';

/**
 * Resolves the runtime dims of a feed against a declared shape (with `lead` extra leading dims,
 * e.g. K for stacked inputs), recording symbolic dims in `symbols`.
 */
function resolveDims(where: string, decl: Shape, feed: Feed, symbols: Map<string, number>, lead: number[] = []): number[] {
  const data = isTensorValue(feed) ? feed.data : feed;
  let dims: number[];
  if (isTensorValue(feed)) {
    dims = [...feed.dims];
  } else {
    const full: Shape = [...lead, ...decl];
    const unknown = full.map((d, i) => (typeof d === 'string' && !symbols.has(d) ? i : -1)).filter((i) => i >= 0);
    const known = full.reduce<number>((a, d) => a * (typeof d === 'number' ? d : symbols.get(d) ?? 1), 1);
    if (unknown.length > 1) throw new GraphError(`${where}: shape [${full.join(',')}] has several unknown dims; pass { data, dims }`);
    if (unknown.length === 1) {
      if (data.length % known !== 0) throw new GraphError(`${where}: ${data.length} values do not fit shape [${full.join(',')}]`);
      symbols.set(full[unknown[0]!] as string, data.length / known);
    }
    dims = full.map((d) => (typeof d === 'number' ? d : symbols.get(d)!));
  }
  const full: Shape = [...lead, ...decl];
  if (dims.length !== full.length) throw new GraphError(`${where}: got dims [${dims.join(',')}], expected rank ${full.length} ([${full.join(',')}])`);
  dims.forEach((d, i) => {
    const want = full[i]!;
    if (typeof want === 'number' && want !== d) throw new GraphError(`${where}: dim ${i} is ${d}, expected ${want} (shape [${full.join(',')}])`);
    if (typeof want === 'string') {
      const prev = symbols.get(want);
      if (prev !== undefined && prev !== d) throw new GraphError(`${where}: dim '${want}' is ${d} here but ${prev} elsewhere`);
      symbols.set(want, d);
    }
  });
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new GraphError(`${where}: ${data.length} values for dims [${dims.join(',')}] (${size} expected)`);
  return dims;
}

function checkFeedDtype(where: string, want: DType, data: TensorData): void {
  const got = ARRAY_DTYPE(data);
  if (got !== want) throw new GraphError(`${where}: expected ${want} data, got ${got} (${data.constructor.name})`);
}

// Outputs must be distinct values that are not graph inputs: add Identity nodes where needed.
function distinctOutputs(g: Graph, outs: Array<[string, Tensor]>, inputNames: Set<string>, suffix: string, forceRename = false): { nodes: NodeSpec[]; specs: ValueSpec[] } {
  const used = new Set<string>();
  const nodes: NodeSpec[] = [];
  const specs: ValueSpec[] = [];
  for (const [key, t] of outs) {
    let name = t.name;
    if (forceRename || used.has(name) || inputNames.has(name) || t.origin.kind !== 'op') {
      name = `${key}${suffix}`;
      nodes.push({ opType: 'Identity', domain: '', inputs: [t.name], outputs: [name], attrs: {}, name });
    }
    used.add(name);
    specs.push({ name, dtype: t.dtype, shape: t.shape });
  }
  void g;
  return { nodes, specs };
}

// ---------------------------------------------------------------- inference functions

/** Options of {@link compileFunction}. */
export interface FunctionSpec {
  /** Named outputs. */
  readonly outputs: Readonly<Record<string, Tensor>>;
  /** Store with the parameter values the graph reads. */
  readonly store?: ParameterStore;
  /**
   * `'inputs'` (default): parameters are fed from the store at every call (training changes them).
   * `'initializers'`: values are frozen into the model now (faster; used for export).
   */
  readonly params?: 'inputs' | 'initializers';
  /** Where the session runs (threads, execution provider). */
  readonly runtime?: RuntimeOptions;
}

/** A compiled inference function. */
export class CompiledFunction {
  /** @internal use {@link compileFunction} */
  constructor(
    private readonly session: Session,
    /** The serialised ONNX model (standalone when compiled with `params: 'initializers'`). */
    readonly model: Uint8Array,
    private readonly graph: Graph,
    private readonly outputs: ReadonlyArray<[string, string]>,
    private readonly store: ParameterStore | undefined,
    private readonly paramsAsInputs: boolean,
  ) {}

  /** Runs once; feeds are keyed by input name. Returns outputs by their given names. */
  async run(feeds: Readonly<Record<string, Feed>>): Promise<Record<string, TensorValue>> {
    const symbols = new Map<string, number>();
    const ortFeeds: Record<string, ReturnType<typeof toOrt>> = {};
    for (const inp of this.graph.inputs) {
      const f = feeds[inp.name];
      if (f === undefined) throw new GraphError(`run: missing input '${inp.name}' (${inp})`);
      const data = isTensorValue(f) ? f.data : f;
      checkFeedDtype(`input '${inp.name}'`, inp.dtype, data);
      ortFeeds[inp.name] = toOrt(inp.dtype, { data, dims: resolveDims(`input '${inp.name}'`, inp.shape, f, symbols) });
    }
    for (const k of Object.keys(feeds))
      if (!this.graph.inputs.some((i) => i.name === k)) throw new GraphError(`run: unknown input '${k}' (inputs: ${this.graph.inputs.map((i) => i.name).join(', ')})`);
    if (this.paramsAsInputs) {
      for (const p of [...this.graph.params, ...this.graph.buffers]) {
        const e = this.store!.get(p.name);
        ortFeeds[p.name] = toOrt(e.dtype, { data: e.data, dims: e.shape });
      }
    }
    const res = await runSession(this.session, ortFeeds, this.outputs.map(([, v]) => v));
    const out: Record<string, TensorValue> = {};
    for (const [key, v] of this.outputs) out[key] = res[v]!;
    return out;
  }

  /**
   * Runs over `n` rows in chunks of `batchSize` along axis 0 of every input, concatenating each
   * output along axis 0 (outputs must have the batch as their first dim).
   * @param inputs - flat row-major data of each input, with its row width
   */
  async runBatched(inputs: Readonly<Record<string, { data: TensorData; rowSize: number }>>, n: number, batchSize: number): Promise<Record<string, TensorValue>> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ParamError(`runBatched: batchSize must be an integer >= 1, got ${batchSize}`);
    const parts: Record<string, TensorValue[]> = {};
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const feeds: Record<string, Feed> = {};
      for (const [k, v] of Object.entries(inputs)) {
        const inp = this.graph.inputs.find((i) => i.name === k);
        if (!inp) throw new GraphError(`runBatched: unknown input '${k}'`);
        const dims = [end - start, ...inp.shape.slice(1).map((d) => (typeof d === 'number' ? d : -1))];
        if (dims.includes(-1)) throw new GraphError(`runBatched: input '${k}' may only have a symbolic first dim`);
        feeds[k] = { data: v.data.subarray(start * v.rowSize, end * v.rowSize) as TensorData, dims };
      }
      const res = await this.run(feeds);
      for (const [k, v] of Object.entries(res)) (parts[k] ??= []).push(v);
    }
    const out: Record<string, TensorValue> = {};
    for (const [k, list] of Object.entries(parts)) out[k] = concatRows(list);
    return out;
  }

  /** Releases the native session. */
  async dispose(): Promise<void> {
    await this.session.release();
  }
}

function concatRows(list: TensorValue[]): TensorValue {
  if (list.length === 1) return list[0]!;
  const first = list[0]!;
  const total = list.reduce((a, t) => a + t.data.length, 0);
  const Ctor = first.data.constructor as new (n: number) => TensorData;
  const data = new Ctor(total);
  let o = 0;
  for (const t of list) {
    (data as Float32Array).set(t.data as Float32Array, o);
    o += t.data.length;
  }
  const rows = list.reduce((a, t) => a + (t.dims[0] ?? 0), 0);
  return { data, dims: [rows, ...first.dims.slice(1)] };
}

/** A serialised inference model and the value name of each requested output. */
export interface FunctionModel {
  /** The serialised ONNX ModelProto. */
  readonly model: Uint8Array;
  /** Each requested output's key and its ONNX value name in the model. */
  readonly outputs: ReadonlyArray<[key: string, valueName: string]>;
}

/**
 * Serialises `graph` as a model computing `spec.outputs` (no session). With
 * `params: 'initializers'` the model is standalone: plain onnxruntime can run it.
 * @throws GraphError for missing parameters or values that cannot be computed.
 */
export function buildFunctionModel(graph: Graph, spec: Omit<FunctionSpec, 'runtime'>): FunctionModel {
  const frozen = spec.params === 'initializers';
  const stateTensors = [...graph.params, ...graph.buffers];
  if (stateTensors.length && !spec.store) throw new GraphError('compileFunction: the graph has parameters; pass the store holding their values');
  for (const p of stateTensors) spec.store!.get(p.name);
  const inputNames = new Set(graph.inputs.map((i) => i.name));
  if (!frozen) stateTensors.forEach((p) => inputNames.add(p.name));
  const outs = Object.entries(spec.outputs);
  if (!outs.length) throw new GraphError('compileFunction: no outputs requested');
  // Standalone models name their outputs by the given keys (an Identity each, a cheap copy).
  const { nodes, specs } = distinctOutputs(graph, outs, inputNames, frozen ? '' : '__out', frozen);
  const initializers = new Map<string, { dtype: DType; dims: readonly number[]; data: ArrayBufferView }>();
  if (frozen)
    for (const p of stateTensors) {
      const e = spec.store!.get(p.name);
      initializers.set(p.name, { dtype: e.dtype, dims: e.shape, data: e.data });
    }
  const inputs: ValueSpec[] = graph.inputs.map((t) => specOf(t));
  if (!frozen) inputs.push(...stateTensors.map((t) => specOf(t)));
  const proto = graphProto({ name: 'function', graph, epilogue: nodes, inputs, outputs: specs, initializers });
  return { model: encodeModel(proto), outputs: outs.map(([k], i) => [k, specs[i]!.name]) };
}

/**
 * Compiles `graph` into an inference function computing `spec.outputs`.
 * @throws GraphError for missing parameters or values that cannot be computed.
 */
export async function compileFunction(graph: Graph, spec: FunctionSpec): Promise<CompiledFunction> {
  const { model, outputs } = buildFunctionModel(graph, spec);
  const session = await createSession(model, spec.runtime);
  return new CompiledFunction(session, model, graph, outputs, spec.store, spec.params !== 'initializers');
}

// ---------------------------------------------------------------- training steps

/** A set of parameters trained by one optimizer (and optionally its own loss). */
export interface ParamGroup {
  /** Name used for per-group learning rates (default `group<i>`). */
  readonly name?: string;
  /** Parameters of this group. */
  readonly params: readonly Tensor[];
  /** The optimizer updating them. */
  readonly optimizer: Optimizer;
  /** The loss these parameters descend; default the step's `loss`. */
  readonly loss?: Tensor;
}

/** What {@link compileTrainingStep} compiles. */
export interface TrainingStepSpec {
  /** The graph holding the forward pass and losses; compilation appends backward and update nodes. */
  readonly graph: Graph;
  /** Scalar loss for groups without their own. */
  readonly loss?: Tensor;
  /** Parameter groups; default one group of every parameter with `optimizer`. */
  readonly groups?: readonly ParamGroup[];
  /** Optimizer of the default group. */
  readonly optimizer?: Optimizer;
  /** Values returned for every step (stacked `[K, ...]`), e.g. each loss term. Default `{ loss }`. */
  readonly outputs?: Readonly<Record<string, Tensor>>;
  /** Parameter values; updated in place after each run. Buffers must be in it too. */
  readonly store: ParameterStore;
  /** Seed of random inputs (dropout masks, noise). @defaultValue 0 */
  readonly seed?: number;
  /** Stop with a DivergenceError when an output is NaN/Inf. @defaultValue true */
  readonly checkFinite?: boolean;
  /** Where the session runs (threads, execution provider). */
  readonly runtime?: RuntimeOptions;
}

/** Options of one {@link TrainingStep.run}. */
export interface StepRunOptions {
  /** Number of steps K in this run (per-step feeds hold K stacked values). */
  readonly steps: number;
  /** Learning rate: one for all groups, or per group name; a number or K per-step values. Default: each optimizer's `lr`. */
  readonly lr?: number | readonly number[] | Readonly<Record<string, number | readonly number[]>>;
}

interface GroupPlan {
  name: string;
  optimizer: Optimizer;
  params: Tensor[];
  state: Tensor[][]; // [param][slot] body inputs
}

/** A compiled training step. Parameters live in the store; optimizer state inside the step. */
export class TrainingStep {
  private t = 0;
  /** @internal use {@link compileTrainingStep} */
  constructor(
    private readonly session: Session,
    /** The serialised ONNX model of the Loop. */
    readonly model: Uint8Array,
    private readonly graph: Graph,
    private readonly store: ParameterStore,
    private readonly groups: GroupPlan[],
    private readonly optState: Map<string, Float32Array | Float64Array>,
    private readonly outputs: ReadonlyArray<[string, string, DType]>,
    private readonly seed: number,
    private readonly checkFinite: boolean,
  ) {}

  /** Optimisation steps done so far. */
  get step(): number {
    return this.t;
  }

  /**
   * Runs `options.steps` training steps. Per-step inputs are fed stacked (`[K, ...shape]`),
   * others as declared. Returns each output stacked over the K steps.
   * @throws DivergenceError when an output is not finite (names the step and the output).
   */
  async run(feeds: Readonly<Record<string, Feed>>, options: StepRunOptions): Promise<Record<string, TensorValue>> {
    const K = options.steps;
    if (!Number.isInteger(K) || K < 1) throw new ParamError(`TrainingStep.run: option 'steps' must be an integer >= 1, got ${K}`);
    const maxRun = Math.min(Infinity, ...this.groups.map((gp) => gp.optimizer.lazy?.maxSteps ?? Infinity));
    if (K > maxRun) return this.runChunked(feeds, options, maxRun);
    return this.runOnce(feeds, options);
  }

  // Lazy optimizers bound the steps per session run: split the stacked feeds and learning rates.
  private async runChunked(feeds: Readonly<Record<string, Feed>>, options: StepRunOptions, chunk: number): Promise<Record<string, TensorValue>> {
    const K = options.steps;
    const parts: Record<string, TensorValue[]> = {};
    const sliceLr = (v: number | readonly number[], a: number, b: number) => {
      if (typeof v === 'number') return v;
      if (v.length !== K) throw new ParamError(`TrainingStep.run: ${v.length} learning rates given, expected ${K}`);
      return v.slice(a, b);
    };
    for (let a = 0; a < K; a += chunk) {
      const b = Math.min(K, a + chunk);
      const sub: Record<string, Feed> = {};
      for (const [name, f] of Object.entries(feeds)) {
        const inp = this.graph.inputs.find((i) => i.name === name);
        if (!inp || !(inp.origin.kind === 'input' && inp.origin.perStep)) {
          sub[name] = f;
          continue;
        }
        const data = isTensorValue(f) ? f.data : f;
        if (data.length % K !== 0) throw new GraphError(`input '${name}' (stacked over ${K} steps): ${data.length} values do not split into ${K} steps`);
        const per = data.length / K;
        const part = data.subarray(a * per, b * per) as TensorData;
        sub[name] = isTensorValue(f) ? { data: part, dims: [b - a, ...f.dims.slice(1)] } : part;
      }
      let lr: StepRunOptions['lr'] = options.lr;
      if (lr !== undefined && (typeof lr === 'number' || Array.isArray(lr))) lr = sliceLr(lr as number | readonly number[], a, b);
      else if (lr !== undefined) lr = Object.fromEntries(Object.entries(lr as Record<string, number | readonly number[]>).map(([k, v]) => [k, sliceLr(v, a, b)]));
      const res = await this.runOnce(sub, { steps: b - a, lr });
      for (const [k, v] of Object.entries(res)) (parts[k] ??= []).push(v);
    }
    const out: Record<string, TensorValue> = {};
    for (const [k, list] of Object.entries(parts)) out[k] = concatRows(list);
    return out;
  }

  private async runOnce(feeds: Readonly<Record<string, Feed>>, options: StepRunOptions): Promise<Record<string, TensorValue>> {
    const K = options.steps;
    const symbols = new Map<string, number>();
    const ortFeeds: Record<string, ReturnType<typeof toOrt>> = {};
    ortFeeds.__trip = toOrt('int64', { data: BigInt64Array.of(BigInt(K)), dims: [] });
    const randoms: Tensor[] = [];
    for (const inp of this.graph.inputs) {
      if (inp.origin.kind === 'input' && inp.origin.random) {
        randoms.push(inp);
        continue;
      }
      const f = feeds[inp.name];
      if (f === undefined) throw new GraphError(`TrainingStep.run: missing input '${inp.name}' (${inp})`);
      const perStep = inp.origin.kind === 'input' && inp.origin.perStep;
      const data = isTensorValue(f) ? f.data : f;
      checkFeedDtype(`input '${inp.name}'`, inp.dtype, data);
      const dims = resolveDims(`input '${inp.name}'${perStep ? ` (stacked over ${K} steps)` : ''}`, inp.shape, f, symbols, perStep ? [K] : []);
      ortFeeds[perStep ? `${inp.name}__stacked` : inp.name] = toOrt(inp.dtype, { data, dims });
    }
    for (const k of Object.keys(feeds))
      if (!this.graph.inputs.some((i) => i.name === k)) throw new GraphError(`TrainingStep.run: unknown input '${k}'`);
    for (const r of randoms) ortFeeds[`${r.name}__stacked`] = toOrt(r.dtype, this.drawRandom(r, K, symbols));
    for (const p of [...this.graph.params, ...this.graph.buffers]) {
      const e = this.store.get(p.name);
      ortFeeds[`${p.name}__init`] = toOrt(e.dtype, { data: e.data, dims: e.shape });
    }
    for (const gp of this.groups) {
      const lr = this.learningRates(gp, options.lr, K);
      for (const s of gp.optimizer.scalarNames) {
        const v = this.graph.dtype === 'float64' ? new Float64Array(K) : new Float32Array(K);
        for (let k = 0; k < K; k++) v[k] = gp.optimizer.scalars(this.t + k + 1, lr[k]!, k + 1)[s]!;
        ortFeeds[`${gp.name}.${s}__stacked`] = toOrt(this.graph.dtype, { data: v, dims: [K] });
      }
      const lazy = gp.optimizer.lazy;
      if (lazy) {
        const v = this.graph.dtype === 'float64' ? new Float64Array(K) : new Float32Array(K);
        for (let k = 0; k < K; k++) v[k] = lazy.gradScale(k + 1);
        ortFeeds[`${gp.name}.__gradScale__stacked`] = toOrt(this.graph.dtype, { data: v, dims: [K] });
        const r = lazy.renorm(K);
        gp.optimizer.stateSlots.forEach((slot, j) => {
          const d = this.graph.dtype === 'float64' ? Float64Array.of(r[j]!) : Float32Array.of(r[j]!);
          ortFeeds[`${gp.name}.__renorm_${slot}`] = toOrt(this.graph.dtype, { data: d, dims: [] });
        });
      }
      gp.state.flat().forEach((st) => {
        ortFeeds[`${st.name}__init`] = toOrt(st.dtype, { data: this.optState.get(st.name)!, dims: st.shape as number[] });
      });
    }
    const res = await runSession(this.session, ortFeeds);
    const out: Record<string, TensorValue> = {};
    for (const [key, name] of this.outputs) out[key] = res[`${name}__trace`]!;
    if (this.checkFinite) this.assertFinite(out, K);
    for (const p of [...this.graph.params, ...this.graph.buffers]) this.store.set(p.name, res[`${p.name}__final`]!.data as Float32Array);
    for (const gp of this.groups) for (const st of gp.state.flat()) this.optState.set(st.name, res[`${st.name}__final`]!.data as Float32Array);
    this.t += K;
    return out;
  }

  private assertFinite(out: Record<string, TensorValue>, K: number): void {
    for (const [key, , dtype] of this.outputs) {
      if (dtype !== 'float32' && dtype !== 'float64') continue;
      const d = out[key]!.data as Float32Array;
      const per = d.length / K;
      for (let i = 0; i < d.length; i++) {
        if (!Number.isFinite(d[i]!)) {
          const step = this.t + Math.floor(i / per) + 1;
          throw new DivergenceError(
            `training diverged at step ${step}: '${key}' is ${d[i]} (lower the learning rate, check the input for extreme values, or use another seed)`,
            step,
            key,
            d[i],
          );
        }
      }
    }
  }

  private learningRates(gp: GroupPlan, lr: StepRunOptions['lr'], K: number): number[] {
    let v: number | readonly number[] | undefined;
    if (typeof lr === 'number' || Array.isArray(lr)) v = lr as number | readonly number[];
    else if (lr && typeof lr === 'object') v = (lr as Record<string, number | readonly number[]>)[gp.name];
    const base = (gp.optimizer.config.lr as number) ?? 1e-3;
    const arr = v === undefined ? new Array<number>(K).fill(base) : typeof v === 'number' ? new Array<number>(K).fill(v) : [...v];
    if (arr.length !== K) throw new ParamError(`TrainingStep.run: ${arr.length} learning rates given for group '${gp.name}', expected ${K}`);
    for (const x of arr) if (!(x >= 0) || !Number.isFinite(x)) throw new ParamError(`TrainingStep.run: learning rate must be a finite number >= 0, got ${x}`);
    return arr;
  }

  private drawRandom(r: Tensor, K: number, symbols: Map<string, number>): TensorValue {
    const spec = (r.origin as { random: NonNullable<Extract<Tensor['origin'], { kind: 'input' }>['random']> }).random;
    const dims = r.shape.map((d) => {
      if (typeof d === 'number') return d;
      const v = symbols.get(d);
      if (v === undefined) throw new GraphError(`random input '${r.name}': dim '${d}' is not set by any fed input`);
      return v;
    });
    const per = dims.reduce((a, b) => a * b, 1);
    const data = this.graph.dtype === 'float64' ? new Float64Array(per * K) : new Float32Array(per * K);
    for (let k = 0; k < K; k++) {
      // One stream per (seed, input, global step): reproducible whatever K is.
      const rng = new Rng(this.seed).fork(r.name).fork(this.t + k + 1);
      const o = k * per;
      if (spec.kind === 'bernoulli') for (let i = 0; i < per; i++) data[o + i] = rng.random() < spec.p ? 1 : 0;
      else if (spec.kind === 'normal') for (let i = 0; i < per; i++) data[o + i] = spec.std * rng.normal();
      else for (let i = 0; i < per; i++) data[o + i] = spec.low + (spec.high - spec.low) * rng.random();
    }
    return { data, dims: [K, ...dims] };
  }

  /**
   * Optimizer state in standard form (e.g. PyTorch's Adam m and v), keyed `<param>/<slot>`, plus
   * the step count, for checkpoints. With `{ standard: false }` the slots are the step's own
   * (e.g. Adam's rescaled moments): the conversion to standard form rounds, so resuming a run
   * bit for bit needs this form (and the same in {@link loadOptimizerState}).
   */
  optimizerState(options: { standard?: boolean } = {}): {
    /** Optimizer steps taken. */
    step: number;
    /** Slot tensors by `<param>/<slot>`. */
    tensors: Map<
      string,
      {
        /** The parameter's shape. */
        shape: readonly number[];
        /** The slot's values. */
        data: Float32Array | Float64Array;
      }
    >;
  } {
    const tensors = new Map<string, { shape: readonly number[]; data: Float32Array | Float64Array }>();
    for (const gp of this.groups)
      gp.params.forEach((p, i) =>
        gp.optimizer.stateSlots.forEach((slot, j) => {
          const data = this.optState.get(gp.state[i]![j]!.name)!.slice();
          if (options.standard !== false) gp.optimizer.toStandardState?.(slot, data);
          tensors.set(`${p.name}/${slot}`, { shape: p.shape as number[], data });
        }),
      );
    return { step: this.t, tensors };
  }

  /**
   * Restores state saved by {@link optimizerState} (in standard form unless `{ standard: false }`,
   * which must match how it was saved). Missing entries keep their current values.
   */
  loadOptimizerState(state: { step: number; tensors: ReadonlyMap<string, { data: Float32Array | Float64Array }> }, options: { standard?: boolean } = {}): void {
    for (const gp of this.groups)
      gp.params.forEach((p, i) =>
        gp.optimizer.stateSlots.forEach((slot, j) => {
          const e = state.tensors.get(`${p.name}/${slot}`);
          if (!e) return;
          const name = gp.state[i]![j]!.name;
          const cur = this.optState.get(name)!;
          if (e.data.length !== cur.length) throw new GraphError(`loadOptimizerState: '${p.name}/${slot}' has ${e.data.length} values, expected ${cur.length}`);
          const data = cur instanceof Float64Array ? Float64Array.from(e.data) : Float32Array.from(e.data);
          if (options.standard !== false) gp.optimizer.fromStandardState?.(slot, data);
          this.optState.set(name, data);
        }),
      );
    this.t = state.step;
  }

  /** Releases the native session. */
  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Compiles a whole training step — forward, losses, gradients (our autodiff), optimizer updates —
 * into one ONNX `Loop` model and opens its session.
 * @throws GraphError / ParamError for inconsistent specs (unknown parameters, non-scalar loss…).
 */
export async function compileTrainingStep(spec: TrainingStepSpec): Promise<TrainingStep> {
  const g = spec.graph;
  resolveRuntime(spec.runtime);
  for (const t of [...g.params, ...g.buffers]) spec.store.get(t.name);
  const groupsIn: readonly ParamGroup[] =
    spec.groups ??
    (() => {
      if (!spec.optimizer) throw new ParamError('compileTrainingStep: pass an optimizer or parameter groups');
      return [{ name: 'default', params: g.params, optimizer: spec.optimizer }];
    })();
  const seen = new Set<string>();
  const plans: GroupPlan[] = [];
  const updates = new Map<string, Tensor>();
  const prelude: NodeSpec[] = [];
  const iter = g.internal('__iter', [], 'int64', 'input');
  const cond = g.internal('__cond', [], 'bool', 'input');

  // Per-step inputs come from Gathers of the stacked outer values.
  for (const inp of g.inputs)
    if (inp.origin.kind === 'input' && inp.origin.perStep) prelude.push(gatherStep(`${inp.name}__stacked`, iter.name, inp.name));

  // Gradients per distinct loss, then the optimizer updates.
  const gradCache = new Map<Tensor, Map<string, Tensor>>();
  groupsIn.forEach((grp, gi) => {
    const name = grp.name ?? `group${gi}`;
    if (plans.some((p) => p.name === name)) throw new ParamError(`compileTrainingStep: two parameter groups are named '${name}'`);
    const loss = grp.loss ?? spec.loss;
    if (!loss) throw new ParamError(`compileTrainingStep: group '${name}' has no loss (give the step a loss or the group one)`);
    for (const p of grp.params) {
      if (p.origin.kind !== 'param' || p.graph !== g) throw new GraphError(`compileTrainingStep: ${p} in group '${name}' is not a parameter of this graph`);
      if (seen.has(p.name)) throw new GraphError(`compileTrainingStep: parameter '${p.name}' is in two groups`);
      seen.add(p.name);
    }
    // A lazy optimizer scales its group's gradients per step through the gradient seed.
    let perLoss = grp.optimizer.lazy ? undefined : gradCache.get(loss);
    let seed: Tensor | undefined;
    if (grp.optimizer.lazy) {
      seed = g.internal(`${name}.__gradScale`, [], g.dtype, 'input');
      prelude.push(gatherStep(`${name}.__gradScale__stacked`, iter.name, seed.name));
      perLoss = new Map();
    } else if (!perLoss) gradCache.set(loss, (perLoss = new Map()));
    const missing = grp.params.filter((p) => !perLoss!.has(p.name));
    if (missing.length) grad(loss, missing, seed ? { seed } : {}).forEach((gr, i) => perLoss!.set(missing[i]!.name, gr));
    const scalars: Record<string, Tensor> = {};
    for (const s of grp.optimizer.scalarNames) {
      const t = g.internal(`${name}.${s}`, [], g.dtype, 'input');
      prelude.push(gatherStep(`${name}.${s}__stacked`, iter.name, t.name));
      scalars[s] = t;
    }
    const state = grp.params.map((p) => grp.optimizer.stateSlots.map((slot) => g.internal(`${p.name}__${slot}`, p.shape, g.dtype, 'buffer')));
    grp.params.forEach((p, i) => {
      const r = grp.optimizer.update({ param: p, grad: perLoss!.get(p.name)!, state: state[i]!, scalars });
      updates.set(p.name, r.param);
      r.state.forEach((t, j) => updates.set(state[i]![j]!.name, t));
    });
    plans.push({ name, optimizer: grp.optimizer, params: [...grp.params], state });
  });
  // Parameters outside every group stay as they are.
  for (const p of g.params) if (!seen.has(p.name)) updates.set(p.name, p);
  for (const b of g.buffers) updates.set(b.name, g.bufferUpdate(b) ?? b);

  const carried: Tensor[] = [...g.params, ...g.buffers, ...plans.flatMap((p) => p.state.flat())];
  const userOutputs = Object.entries(spec.outputs ?? (spec.loss ? { loss: spec.loss } : {}));
  const bodyInputNames = new Set([iter.name, cond.name, ...carried.map((t) => t.name)]);
  const carriedOut = distinctOutputs(g, carried.map((t) => [`${t.name}__next`, updates.get(t.name)!]), bodyInputNames, '');
  const scanOut = distinctOutputs(g, userOutputs, new Set([...bodyInputNames, ...carriedOut.specs.map((s) => s.name)]), '__scan');
  const condOut: NodeSpec = { opType: 'Identity', domain: '', inputs: [cond.name], outputs: ['__cond_out'], attrs: {}, name: '__cond_out' };

  const outerNames = new Set<string>();
  for (const inp of g.inputs) outerNames.add(inp.origin.kind === 'input' && inp.origin.perStep ? `${inp.name}__stacked` : inp.name);
  for (const gp of plans) for (const s of gp.optimizer.scalarNames) outerNames.add(`${gp.name}.${s}__stacked`);
  for (const gp of plans) if (gp.optimizer.lazy) outerNames.add(`${gp.name}.__gradScale__stacked`);

  const body = graphProto({
    name: 'step',
    graph: g,
    prelude,
    epilogue: [condOut, ...carriedOut.nodes, ...scanOut.nodes],
    inputs: [{ name: iter.name, dtype: 'int64', shape: [] }, { name: cond.name, dtype: 'bool', shape: [] }, ...carried.map((t) => specOf(t))],
    outputs: [{ name: '__cond_out', dtype: 'bool', shape: [] }, ...carriedOut.specs, ...scanOut.specs],
    outerScope: outerNames,
  });

  const outerInputs: ValueSpec[] = [{ name: '__trip', dtype: 'int64', shape: [] }];
  for (const inp of g.inputs) {
    const perStep = inp.origin.kind === 'input' && inp.origin.perStep;
    outerInputs.push(perStep ? { name: `${inp.name}__stacked`, dtype: inp.dtype, shape: ['K', ...inp.shape] } : specOf(inp));
  }
  for (const gp of plans) for (const s of gp.optimizer.scalarNames) outerInputs.push({ name: `${gp.name}.${s}__stacked`, dtype: g.dtype, shape: ['K'] });
  // Lazy groups: the Loop's state goes through one Mul per slot (runtime factor) after the loop.
  const renorm = new Map<string, string>(); // state tensor -> renorm input
  for (const gp of plans) {
    if (!gp.optimizer.lazy) continue;
    outerInputs.push({ name: `${gp.name}.__gradScale__stacked`, dtype: g.dtype, shape: ['K'] });
    gp.optimizer.stateSlots.forEach((slot, j) => {
      outerInputs.push({ name: `${gp.name}.__renorm_${slot}`, dtype: g.dtype, shape: [] });
      for (const st of gp.state) renorm.set(st[j]!.name, `${gp.name}.__renorm_${slot}`);
    });
  }
  for (const t of carried) outerInputs.push(specOf(t, `${t.name}__init`));
  const finals = carried.map((t) => specOf(t, `${t.name}__final`));
  const loopOuts = carried.map((t) => (renorm.has(t.name) ? `${t.name}__loop` : `${t.name}__final`));
  const renormNodes: NodeSpec[] = carried
    .filter((t) => renorm.has(t.name))
    .map((t) => ({ opType: 'Mul', domain: '', inputs: [`${t.name}__loop`, renorm.get(t.name)!], outputs: [`${t.name}__final`], attrs: {}, name: `${t.name}__renorm` }));
  const traces: ValueSpec[] = userOutputs.map(([, t], i) => ({ name: `${scanOut.specs[i]!.name}__trace`, dtype: t.dtype, shape: ['K', ...t.shape] }));
  const loop: NodeSpec = {
    opType: 'Loop',
    domain: '',
    inputs: ['__trip', '', ...carried.map((t) => `${t.name}__init`)],
    outputs: [...loopOuts, ...traces.map((t) => t.name)],
    attrs: { body: { graph: body } },
    name: 'train_loop',
  };
  const outer = {
    name: 'training_step',
    node: [nodeProto(loop), ...renormNodes.map(nodeProto)],
    input: outerInputs.map(valueInfo),
    output: [...finals, ...traces].map(valueInfo),
    initializer: [],
  };
  const model = encodeModel(outer);
  const session = await createSession(model, spec.runtime);

  const optState = new Map<string, Float32Array | Float64Array>();
  for (const gp of plans)
    for (const st of gp.state.flat()) optState.set(st.name, g.dtype === 'float64' ? new Float64Array(staticSize(st.shape)!) : new Float32Array(staticSize(st.shape)!));
  return new TrainingStep(
    session,
    model,
    g,
    spec.store,
    plans,
    optState,
    userOutputs.map(([k, t], i) => [k, scanOut.specs[i]!.name, t.dtype]),
    spec.seed ?? 0,
    spec.checkFinite ?? true,
  );
}
