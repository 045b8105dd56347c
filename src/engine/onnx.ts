/**
 * Serialisation of recorded graphs to ONNX protobuf: value infos, initializers, node pruning,
 * sub-graphs (Loop bodies) and whole models.
 */
import onnxProto, { type onnx } from 'onnx-proto';
import { GraphError } from '../errors.ts';
import { type AttrValue, type DType, type NodeSpec, type Shape, type Tensor, ONNX_DTYPE, type Graph } from './graph.ts';

/** The ONNX opset every graph targets (ReduceSum axes as input, ReduceMean/Max/Min axes as attribute). */
export const OPSET = 17;
/** IR version written into models (ONNX 1.10+). */
export const IR_VERSION = 8;

/** A name, dtype and shape, as graph inputs/outputs are declared. */
export interface ValueSpec {
  /** Value name. */
  readonly name: string;
  /** Element type. */
  readonly dtype: DType;
  /** Shape (symbolic dimensions allowed). */
  readonly shape: Shape;
}

/** ONNX ValueInfoProto of a value; symbolic dims become dim_params. */
export function valueInfo(v: ValueSpec): onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: ONNX_DTYPE[v.dtype],
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** ONNX TensorProto with raw little-endian data. */
export function tensorProto(name: string, dtype: DType, dims: readonly number[], values: ArrayLike<number> | ArrayBufferView): onnx.ITensorProto {
  let bytes: Uint8Array;
  if (ArrayBuffer.isView(values)) {
    bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  } else {
    const arr = values as ArrayLike<number>;
    switch (dtype) {
      case 'float32': bytes = new Uint8Array(Float32Array.from(arr).buffer); break;
      case 'float64': bytes = new Uint8Array(Float64Array.from(arr).buffer); break;
      case 'int64': bytes = new Uint8Array(BigInt64Array.from(Array.from(arr, (x) => BigInt(Math.trunc(x)))).buffer); break;
      case 'int32': bytes = new Uint8Array(Int32Array.from(arr).buffer); break;
      case 'bool': bytes = Uint8Array.from(arr, (x) => (x ? 1 : 0)); break;
    }
  }
  return { name, dataType: ONNX_DTYPE[dtype], dims: [...dims], rawData: bytes };
}

function attribute(name: string, v: AttrValue): onnx.IAttributeProto {
  const A = onnxProto.onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: A.INT, i: v } : { name, type: A.FLOAT, f: v };
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: A.INTS, ints: v };
  if ('float' in v) return { name, type: A.FLOAT, f: v.float };
  if ('floats' in v) return { name, type: A.FLOATS, floats: v.floats };
  return { name, type: A.GRAPH, g: v.graph as onnx.IGraphProto };
}

/** ONNX NodeProto of a recorded node. */
export function nodeProto(n: NodeSpec): onnx.INodeProto {
  return {
    opType: n.opType,
    domain: n.domain,
    name: n.name,
    input: n.inputs,
    output: n.outputs,
    attribute: Object.entries(n.attrs).map(([k, v]) => attribute(k, v)),
  };
}

/**
 * The nodes needed to compute `outputs` (in recorded order) and the value names they read that no
 * kept node produces (graph inputs, parameters, constants or outer-scope values).
 */
export function pruneNodes(nodes: readonly NodeSpec[], outputs: readonly string[]): { nodes: NodeSpec[]; external: Set<string> } {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => n.outputs.forEach((o) => producer.set(o, i)));
  const keep = new Set<number>();
  const external = new Set<string>();
  const stack = [...outputs];
  const seen = new Set<string>();
  while (stack.length) {
    const v = stack.pop()!;
    if (!v || seen.has(v)) continue;
    seen.add(v);
    const p = producer.get(v);
    if (p === undefined) {
      external.add(v);
      continue;
    }
    if (keep.has(p)) continue;
    keep.add(p);
    stack.push(...nodes[p]!.inputs);
  }
  return { nodes: nodes.filter((_, i) => keep.has(i)), external };
}

/** What {@link graphProto} needs to assemble a graph. */
export interface GraphProtoSpec {
  /** Name of the GraphProto. */
  readonly name: string;
  /** The graph whose nodes are serialised. */
  readonly graph: Graph;
  /** Extra nodes placed before the graph's own (e.g. Gathers of a Loop body). */
  readonly prelude?: readonly NodeSpec[];
  /** Extra nodes placed after the graph's own (e.g. optimizer updates already in the graph need none). */
  readonly epilogue?: readonly NodeSpec[];
  /** Declared graph inputs, in order. */
  readonly inputs: readonly ValueSpec[];
  /** Declared graph outputs, in order (value names must be produced by kept nodes or be inputs). */
  readonly outputs: readonly ValueSpec[];
  /** Values given as initializers (e.g. frozen parameters), by name. */
  readonly initializers?: ReadonlyMap<
    string,
    {
      /** Element type. */
      dtype: DType;
      /** Shape. */
      dims: readonly number[];
      /** Row-major values. */
      data: ArrayBufferView;
    }
  >;
  /** Names that may be read from an enclosing graph (Loop bodies). */
  readonly outerScope?: ReadonlySet<string>;
}

/**
 * Assembles a GraphProto: prunes unused nodes, adds the used constants as initializers and checks
 * that every value read is declared somewhere.
 * @throws GraphError naming a value that is read but never defined.
 */
export function graphProto(spec: GraphProtoSpec): onnx.IGraphProto {
  const all = [...(spec.prelude ?? []), ...spec.graph.nodes, ...(spec.epilogue ?? [])];
  const { nodes, external } = pruneNodes(all, spec.outputs.map((o) => o.name));
  const inputNames = new Set(spec.inputs.map((i) => i.name));
  const initializer: onnx.ITensorProto[] = [];
  for (const name of external) {
    if (inputNames.has(name) || spec.outerScope?.has(name)) continue;
    const c = spec.graph.constants.get(name);
    const init = spec.initializers?.get(name);
    if (c) initializer.push(tensorProto(name, c.tensor.dtype, c.tensor.shape as number[], c.values as ArrayLike<number>));
    else if (init) initializer.push(tensorProto(name, init.dtype, init.dims, init.data));
    else throw new GraphError(`graph '${spec.name}': value '${name}' is read but is not an input, parameter or constant of this graph`);
  }
  return {
    name: spec.name,
    node: nodes.map(nodeProto),
    input: spec.inputs.map(valueInfo),
    output: spec.outputs.map(valueInfo),
    initializer,
  };
}

/** Encodes a model around a graph. */
export function encodeModel(graph: onnx.IGraphProto, producer = 'deepclust'): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: IR_VERSION,
    producerName: producer,
    opsetImport: [{ domain: '', version: OPSET }],
    graph,
  };
  return onnxProto.onnx.ModelProto.encode(onnxProto.onnx.ModelProto.create(model)).finish();
}

/** Tensor → ValueSpec (optionally renamed). */
export function specOf(t: Tensor, name = t.name): ValueSpec {
  return { name, dtype: t.dtype, shape: t.shape };
}
