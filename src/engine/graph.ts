/**
 * Symbolic tensor graphs: the data structure every op, the autodiff and the ONNX serialiser share.
 *
 * A {@link Graph} is a list of ONNX nodes being recorded. A {@link Tensor} is a symbolic value in
 * it with an inferred dtype and shape (each dim a number, or a string naming a symbolic dim such
 * as `'batch'`). Differentiable ops attach a backward rule to the tensors they produce; `grad()`
 * walks those rules in reverse to append the backward graph, made of ordinary ONNX nodes.
 */
import { GraphError } from '../errors.ts';

/** Element types a tensor can have. Float graphs are float32 or float64; the rest are for indices and masks. */
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool';
/** Floating dtypes that parameters and losses may have. */
export type FloatDType = 'float32' | 'float64';
/** One dimension: a static size, or the name of a symbolic dimension (`'batch'`). */
export type Dim = number | string;
/** A tensor shape; `[]` is a scalar. */
export type Shape = readonly Dim[];

/** ONNX TensorProto.DataType codes of our dtypes. */
export const ONNX_DTYPE: Record<DType, number> = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 };

/** An attribute value of an ONNX node. `{ float: x }` forces a FLOAT attribute for an integer-valued x. */
export type AttrValue =
  | number
  | number[]
  | string
  | {
      /** A FLOAT attribute. */
      float: number;
    }
  | {
      /** A FLOATS attribute. */
      floats: number[];
    }
  | {
      /** A GRAPH attribute (a serialised sub-graph). */
      graph: unknown;
    };

/** One recorded ONNX node. `graph` attributes hold serialised sub-graphs (Loop bodies). */
export interface NodeSpec {
  /** ONNX operator type, e.g. `MatMul`. */
  readonly opType: string;
  /** Operator domain (`''` for the default ONNX domain). */
  readonly domain: string;
  /** Input value names (`''` for an omitted optional input). */
  readonly inputs: string[];
  /** Output value names. */
  readonly outputs: string[];
  /** Node attributes. */
  readonly attrs: Readonly<Record<string, AttrValue>>;
  /** Unique node name. */
  readonly name: string;
}

/**
 * A backward rule: given the gradient `gy` of the op's output `y`, returns one gradient per input
 * (same shape as that input), or `null` for an input that gets none. `needs[i]` says whether input
 * i's gradient is wanted at all, so rules can skip building it.
 */
export type BackwardRule = (gy: Tensor, y: Tensor, needs: readonly boolean[]) => ReadonlyArray<Tensor | null>;

/**
 * A random input the runner fills itself, from the run's seed and the global step number, so
 * that dropout and noise are reproducible: the same seed gives the same masks.
 */
export type RandomSpec =
  | {
      /** 0/1 values. */
      readonly kind: 'bernoulli';
      /** Probability of a 1. */
      readonly p: number;
    }
  | {
      /** Zero-mean Gaussian values. */
      readonly kind: 'normal';
      /** Standard deviation. */
      readonly std: number;
    }
  | {
      /** Uniform values in [low, high). */
      readonly kind: 'uniform';
      /** Lower bound. */
      readonly low: number;
      /** Upper bound. */
      readonly high: number;
    };

/** How a tensor came to be. */
export type Origin =
  | {
      /** A graph input. */
      readonly kind: 'input';
      /** Fed anew at each step of a multi-step run (data), or once per run. */
      readonly perStep: boolean;
      /** Filled by the runner with random values (dropout masks, noise). */
      readonly random?: RandomSpec;
    }
  | {
      /** A trainable parameter. */
      readonly kind: 'param';
    }
  | {
      /** A non-trainable carried state. */
      readonly kind: 'buffer';
    }
  | {
      /** A constant (ONNX initializer). */
      readonly kind: 'constant';
    }
  | {
      /** The output of an op. */
      readonly kind: 'op';
      /** The ONNX operator type. */
      readonly op: string;
      /** The op's inputs. */
      readonly inputs: readonly Tensor[];
      /** Absent: the op is not differentiable (masks, shapes, stop-gradient). */
      readonly backward?: BackwardRule;
    };

/** A symbolic value in a {@link Graph}. Tensors are immutable; ops return new ones. */
export class Tensor {
  /** @internal use {@link Graph} methods or ops to create tensors. */
  constructor(
    /** The graph this tensor belongs to. */
    readonly graph: Graph,
    /** Unique ONNX value name. */
    readonly name: string,
    /** Inferred shape. */
    readonly shape: Shape,
    /** Inferred element type. */
    readonly dtype: DType,
    /** Producer and backward rule. */
    readonly origin: Origin,
  ) {}

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Readable description for error messages, e.g. `h_12: float32[batch,500]`. */
  toString(): string {
    return `${this.name}: ${this.dtype}[${this.shape.join(',')}]`;
  }
}

/** Options of {@link Graph}. */
export interface GraphOptions {
  /** Float dtype of parameters, constants and float inputs. @defaultValue `'float32'` */
  dtype?: FloatDType;
  /** Prefix of generated value names (lets sub-graphs keep names apart). @defaultValue `''` */
  namePrefix?: string;
}

/** A declared parameter: its name in the parameter store, shape and dtype. */
export interface ParamSpec {
  /** Name in the parameter store. */
  readonly name: string;
  /** Fixed shape. */
  readonly shape: readonly number[];
  /** Float dtype. */
  readonly dtype: FloatDType;
}

/** A non-trainable state tensor carried from step to step (e.g. batch-norm running mean). */
export interface BufferSpec extends ParamSpec {
  /** The value to store after each step, set with {@link Graph.assign}. */
  update?: Tensor;
}

/** A symbolic graph under construction. See the module comment. */
export class Graph {
  /** Float dtype of this graph. */
  readonly dtype: FloatDType;
  /** Recorded nodes in topological (creation) order. */
  readonly nodes: NodeSpec[] = [];
  /** Graph inputs (data), in declaration order. */
  readonly inputs: Tensor[] = [];
  /** Parameters (trainable), in declaration order. */
  readonly params: Tensor[] = [];
  /** Buffers (non-trainable carried state), in declaration order. */
  readonly buffers: Tensor[] = [];
  /** Constant tensors (become ONNX initializers). */
  readonly constants = new Map<
    string,
    {
      /** The constant's tensor. */
      tensor: Tensor;
      /** Its values, row-major. */
      values: ArrayLike<number> | bigint[];
    }
  >();
  private readonly bufferUpdates = new Map<string, Tensor>();
  private readonly names = new Set<string>();
  private readonly constCache = new Map<string, Tensor>();
  private counter = 0;
  private readonly prefix: string;

  constructor(options: GraphOptions = {}) {
    this.dtype = options.dtype ?? 'float32';
    this.prefix = options.namePrefix ?? '';
    if (this.dtype !== 'float32' && this.dtype !== 'float64')
      throw new GraphError(`Graph: option 'dtype' must be 'float32' or 'float64', got ${String(this.dtype)}`);
  }

  /** A fresh unique value name starting with `base`. */
  freshName(base: string): string {
    let name = `${this.prefix}${base}_${this.counter++}`;
    while (this.names.has(name)) name = `${this.prefix}${base}_${this.counter++}`;
    this.names.add(name);
    return name;
  }

  private claimName(name: string, what: string): void {
    if (!/^[A-Za-z_][A-Za-z0-9_.:/-]*$/.test(name))
      throw new GraphError(`${what}: name ${JSON.stringify(name)} must start with a letter or '_' and use letters, digits, '_', '.', ':', '/', '-'`);
    if (this.names.has(name)) throw new GraphError(`${what}: the name ${JSON.stringify(name)} is already used in this graph`);
    this.names.add(name);
  }

  /**
   * Declares a data input. In a training step, `perStep` inputs (the default) get a fresh value at
   * every step (the runner stacks K of them as `[K, ...shape]`); others stay fixed for a whole run.
   * @param shape - dims may be symbolic names (e.g. `['batch', 784]`).
   */
  input(name: string, shape: Shape, options: { dtype?: DType; perStep?: boolean } = {}): Tensor {
    this.claimName(name, 'Graph.input');
    checkShape(shape, `Graph.input(${name})`);
    const t = new Tensor(this, name, [...shape], options.dtype ?? this.dtype, { kind: 'input', perStep: options.perStep ?? true });
    this.inputs.push(t);
    return t;
  }

  /**
   * Declares a per-step random input (dropout masks, noise) that the runner draws itself from the
   * seed given at compile time and the global step, so runs are reproducible.
   */
  randomInput(name: string, shape: Shape, random: RandomSpec): Tensor {
    this.claimName(name, 'Graph.randomInput');
    checkShape(shape, `Graph.randomInput(${name})`);
    const t = new Tensor(this, name, [...shape], this.dtype, { kind: 'input', perStep: true, random });
    this.inputs.push(t);
    return t;
  }

  /**
   * A named value the graph does not list as an input, parameter or buffer: used by compilers
   * for values a Loop body defines itself (iteration number, optimizer state).
   */
  internal(name: string, shape: Shape, dtype: DType, kind: 'input' | 'buffer'): Tensor {
    this.claimName(name, 'Graph.internal');
    return new Tensor(this, name, [...shape], dtype, kind === 'input' ? { kind: 'input', perStep: false } : { kind: 'buffer' });
  }

  /**
   * Declares a trainable parameter whose value lives in a parameter store under `name`. Declaring
   * the same name again with the same shape returns the same tensor (weight sharing).
   */
  param(name: string, shape: readonly number[]): Tensor {
    const existing = this.params.find((p) => p.name === name);
    if (existing) {
      if (!sameShape(existing.shape, shape)) throw new GraphError(`Graph.param(${name}): declared with shape ${fmtShape(existing.shape)} and now ${fmtShape(shape)}`);
      return existing;
    }
    this.claimName(name, 'Graph.param');
    for (const d of shape)
      if (!Number.isInteger(d) || d < 1) throw new GraphError(`Graph.param(${name}): shape must be positive integers, got [${shape.join(',')}]`);
    const t = new Tensor(this, name, [...shape], this.dtype, { kind: 'param' });
    this.params.push(t);
    return t;
  }

  /** Declares a non-trainable state tensor (updated per step with {@link assign}). */
  buffer(name: string, shape: readonly number[]): Tensor {
    const existing = this.buffers.find((p) => p.name === name);
    if (existing && sameShape(existing.shape, shape)) return existing;
    this.claimName(name, 'Graph.buffer');
    const t = new Tensor(this, name, [...shape], this.dtype, { kind: 'buffer' });
    this.buffers.push(t);
    return t;
  }

  /** Sets the value a buffer takes after each training step. The value's gradient is never taken. */
  assign(buffer: Tensor, value: Tensor): void {
    if (buffer.origin.kind !== 'buffer' || buffer.graph !== this) throw new GraphError(`Graph.assign: ${buffer} is not a buffer of this graph`);
    if (!sameShape(buffer.shape, value.shape) || buffer.dtype !== value.dtype)
      throw new GraphError(`Graph.assign: value ${value} does not match buffer ${buffer}`);
    this.bufferUpdates.set(buffer.name, value);
  }

  /** The update set for a buffer by {@link assign}, if any. */
  bufferUpdate(buffer: Tensor): Tensor | undefined {
    return this.bufferUpdates.get(buffer.name);
  }

  /** A scalar constant of the graph's float dtype (or `dtype`), shared between uses. */
  scalar(value: number, dtype: DType = this.dtype): Tensor {
    return this.constant([value], [], dtype);
  }

  /** A constant tensor (an ONNX initializer); identical constants are shared. */
  constant(values: ArrayLike<number>, shape: readonly number[], dtype: DType = this.dtype): Tensor {
    const size = shape.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new GraphError(`Graph.constant: ${values.length} values for shape [${shape.join(',')}]`);
    const key = size <= 64 ? `${dtype}|${shape.join(',')}|${Array.from(values).join(',')}` : undefined;
    const cached = key ? this.constCache.get(key) : undefined;
    if (cached) return cached;
    const t = new Tensor(this, this.freshName('const'), [...shape], dtype, { kind: 'constant' });
    this.constants.set(t.name, { tensor: t, values: Array.from(values) });
    if (key) this.constCache.set(key, t);
    return t;
  }

  /** An int64 1-D constant (shapes, axes, indices). */
  ints(values: readonly number[]): Tensor {
    return this.constant(values, [values.length], 'int64');
  }

  /**
   * Records one ONNX node and returns its output tensors. Ops call this; user code rarely needs to.
   * @param outputs - inferred dtype/shape of each output
   * @param options.backward - gradient rule for the FIRST output; omit for non-differentiable nodes
   */
  node(
    opType: string,
    inputs: ReadonlyArray<Tensor | null>,
    outputs: ReadonlyArray<{ shape: Shape; dtype: DType }>,
    options: { attrs?: Record<string, AttrValue>; domain?: string; backward?: BackwardRule; nameHint?: string } = {},
  ): Tensor[] {
    for (const t of inputs)
      if (t && t.graph !== this) throw new GraphError(`${opType}: input ${t} belongs to another graph`);
    const real = inputs.filter((t): t is Tensor => t !== null);
    const outs = outputs.map((o, i) => {
      const name = this.freshName(options.nameHint ?? opType.toLowerCase());
      const origin: Origin = { kind: 'op', op: opType, inputs: real, backward: i === 0 ? options.backward : undefined };
      return new Tensor(this, name, o.shape, o.dtype, origin);
    });
    this.nodes.push({
      opType,
      domain: options.domain ?? '',
      inputs: inputs.map((t) => (t ? t.name : '')),
      outputs: outs.map((t) => t.name),
      attrs: options.attrs ?? {},
      name: outs[0]?.name ?? this.freshName(opType),
    });
    return outs;
  }

  /** Single-output shorthand of {@link node}. */
  node1(
    opType: string,
    inputs: ReadonlyArray<Tensor | null>,
    shape: Shape,
    dtype: DType,
    options: { attrs?: Record<string, AttrValue>; domain?: string; backward?: BackwardRule } = {},
  ): Tensor {
    return this.node(opType, inputs, [{ shape, dtype }], options)[0]!;
  }

  /** Parameter specs (name, shape, dtype) of this graph, for parameter stores. */
  paramSpecs(): ParamSpec[] {
    return this.params.map((p) => ({ name: p.name, shape: p.shape as number[], dtype: this.dtype }));
  }
}

/** Throws unless every dim is a positive integer or a non-empty name. */
export function checkShape(shape: Shape, where: string): void {
  for (const d of shape) {
    if (typeof d === 'number' ? !Number.isInteger(d) || d < 0 : !/^[A-Za-z_][A-Za-z0-9_]*$/.test(d))
      throw new GraphError(`${where}: invalid dimension ${JSON.stringify(d)} in shape [${shape.join(',')}]`);
  }
}

/** True when two shapes are equal dim by dim (symbolic dims by name). */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Formats a shape as `[a,b,c]`. */
export function fmtShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** Number of elements of a fully static shape, or undefined when a dim is symbolic. */
export function staticSize(shape: Shape): number | undefined {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

/**
 * Numpy broadcasting of two shapes. A symbolic dim against 1 gives the symbolic dim; two different
 * symbolic names, or a symbolic name against a static size > 1, are taken to be equal (the runtime checks).
 */
export function broadcastShapes(a: Shape, b: Shape, op = 'broadcast'): Dim[] {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else if (typeof da === 'string') out.push(db);
    else if (typeof db === 'string') out.push(da);
    else throw new GraphError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast (dim ${i}: ${da} vs ${db})`);
  }
  return out;
}

/** Normalises a possibly negative axis against a rank, throwing a GraphError when out of range. */
export function normAxis(axis: number, rank: number, op: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new GraphError(`${op}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Throws a GraphError unless all tensors have the same dtype. */
export function checkSameDtype(op: string, ...ts: Tensor[]): DType {
  const d = ts[0]!.dtype;
  for (const t of ts)
    if (t.dtype !== d) throw new GraphError(`${op}: dtype mismatch between ${ts.map(String).join(' and ')}`);
  return d;
}

/** Throws a GraphError unless the tensor has a float dtype. */
export function checkFloat(op: string, t: Tensor): void {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new GraphError(`${op}: expects a float tensor, got ${t}`);
}
