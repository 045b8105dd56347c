/**
 * The state of a training run at a safe point (between two training runs), as the training loop
 * hands it to checkpoints and takes it back to resume. Typed arrays are owned by the state.
 */
import type { SavedTensor, ParameterStore } from '../engine/index.ts';
import type { HardClusters } from './hard-clusters.ts';
import type { PlateauState } from './pretrain-plateau.ts';
import type { FitRecord, HistoryRow } from './types.ts';

/** Optimizer state in the step's own (raw) form, and its step count. */
export interface RawOptimizerState {
  readonly step: number;
  readonly tensors: ReadonlyMap<string, SavedTensor>;
}

/** Inside the pretraining epochs: before the run of `epoch` that starts at row `cursor` of `perm`. */
export interface PretrainState {
  readonly epoch: number;
  readonly cursor: number;
  /** The epoch's shuffling order. */
  readonly perm: Int32Array;
  /** Loss sums and step count of the epoch so far. */
  readonly sums: Record<string, number>;
  readonly count: number;
  readonly optimizer: RawOptimizerState;
  /** The plateau stop's window and best loss (with `pretrain.plateau`). */
  readonly plateau?: PlateauState;
}

/** The initial clustering (k-means on the pretrained features). */
export interface InitState {
  readonly labels: Int32Array;
  readonly centers: Float32Array;
  /** Width of the clustering features. */
  readonly dim: number;
  readonly inertia: number;
}

/** Inside the clustering phase: at the top of the loop, before iteration `ite`. */
export interface ClusterState {
  readonly ite: number;
  /** Position in the epoch's order `perm`, and the clustering epoch. */
  readonly cursor: number;
  readonly epoch: number;
  readonly perm: Int32Array;
  readonly sums: Record<string, number>;
  readonly count: number;
  /** Labels of the last target refresh (for the δ stop test). */
  readonly labels: Int32Array;
  /** The per-point feed of the last refresh (target distribution P, pseudo-labels or centroids). */
  readonly feed?: Float32Array;
  /** Hard clusters of hard-target methods. */
  readonly hard?: HardClusters;
  readonly optimizer: RawOptimizerState;
}

/** Training finished: the run's outputs. */
export type DoneState = FitRecord;

/** The whole state; the phase says which of the phase parts is set. */
export interface RunState {
  readonly phase: 'pretrain' | 'cluster' | 'done';
  /** Training steps done, pretraining and clustering together (checkpoint intervals count these). */
  readonly steps: number;
  readonly history: HistoryRow[];
  /** Seconds of the finished phases, and of the current phase so far. */
  readonly timings: Record<string, number>;
  /** All parameters and buffers (centres included once clustering started). */
  readonly store: ParameterStore;
  /** The network right after pretraining, when this run pretrained and got past it. */
  readonly pretrainedStore?: ParameterStore;
  /** Pretraining steps done (names the step of a divergence found after pretraining). */
  readonly pretrainSteps: number;
  readonly pretrain?: PretrainState;
  readonly init?: InitState;
  readonly cluster?: ClusterState;
  readonly done?: DoneState;
}

/** What the training loop needs of checkpointing: a state to resume from, and its safe points. */
export interface SafePoints {
  readonly resume?: RunState;
  /**
   * A safe point after `steps` training steps; `state` builds the state, called only when it is
   * saved. `reason` forces a save: `phase` (a phase starts), `end` (training finished; never throws).
   * @throws InterruptedError when training is to stop here
   */
  at(steps: number, state: () => RunState, reason?: 'phase' | 'end'): void;
}
