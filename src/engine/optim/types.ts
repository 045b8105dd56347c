/**
 * The optimizer contract: an optimizer is a graph transform that, given a parameter, its gradient,
 * its state tensors and this step's runtime scalars, emits the update as ONNX nodes.
 * Learning rates and bias corrections are runtime scalars computed per step in TypeScript, so
 * schedules never need recompiling.
 */
import type { Tensor } from '../graph.ts';

/** Inputs of one parameter's update. */
export interface UpdateContext {
  /** Current parameter value. */
  readonly param: Tensor;
  /** Gradient of the group's loss w.r.t. the parameter. */
  readonly grad: Tensor;
  /** Current state tensors, in the order of {@link Optimizer.stateSlots}. */
  readonly state: readonly Tensor[];
  /** This step's runtime scalars by name (see {@link Optimizer.scalarNames}). */
  readonly scalars: Readonly<Record<string, Tensor>>;
}

/** Result of one parameter's update. */
export interface UpdateResult {
  /** The parameter's new value. */
  readonly param: Tensor;
  /** The new values of its state slots, in `stateSlots` order. */
  readonly state: readonly Tensor[];
}

/** A first-order optimizer expressed as graph nodes. */
export interface Optimizer {
  /** Short name (`'sgd'`, `'adam'`). */
  readonly name: string;
  /** Hyper-parameters as given (for configs and checkpoints). */
  readonly config: Readonly<Record<string, number | boolean | string>>;
  /** Names of the per-parameter state tensors (same shape as the parameter), e.g. `['m', 'v']`. */
  readonly stateSlots: readonly string[];
  /** Names of the per-step runtime scalars this optimizer reads. */
  readonly scalarNames: readonly string[];
  /**
   * Values of the runtime scalars for global step `t` (1-based) with learning rate `lr`.
   */
  scalars(t: number, lr: number): Record<string, number>;
  /** Emits the update nodes for one parameter. */
  update(ctx: UpdateContext): UpdateResult;
  /**
   * Converts internal state to the standard form saved in checkpoints (e.g. PyTorch's Adam moments)
   * and back, in place. Identity for optimizers whose internal form is standard.
   */
  toStandardState?(slot: string, data: Float32Array | Float64Array): void;
  /** Inverse of {@link toStandardState}. */
  fromStandardState?(slot: string, data: Float32Array | Float64Array): void;
}
