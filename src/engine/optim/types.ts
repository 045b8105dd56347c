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
   * Values of the runtime scalars for global step `t` (1-based) with learning rate `lr`; `k` is
   * the step's 1-based position inside the current run (only {@link lazy} optimizers use it).
   */
  scalars(t: number, lr: number, k?: number): Record<string, number>;
  /**
   * Present when the optimizer folds a state decay into the gradient ("lazy" decay): the runner
   * then scales the loss gradient of step k of a run by `gradScale(k)`, multiplies each state slot
   * by `renorm(K)[slot]` after a run of K steps, and splits runs longer than `maxSteps`.
   */
  readonly lazy?: {
    /** Gradient scale of the k-th step (1-based) of a run. */
    gradScale(k: number): number;
    /** Per-slot factors (in {@link stateSlots} order) that bring the state back to its standard scale after K steps. */
    renorm(K: number): number[];
    /** Longest run whose scaled values stay well inside the float range. */
    readonly maxSteps: number;
  };
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
