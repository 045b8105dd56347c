/** What every phase of a run gets from the runner ({@link PhaseInput}); each phase's input extends it. */
import type { ParameterStore } from '../engine/index.ts';
import type { RuntimeOptions } from '../engine/session.ts';
import type { MethodConfig } from './config.ts';
import type { Autoencoder, HistoryRow, ProgressEvent } from './types.ts';

/** The run's parts every phase needs: the method, the network and its parameters, the data, the seed, and where to report. */
export interface PhaseInput {
  readonly m: MethodConfig;
  readonly net: Autoencoder;
  /** The parameters, trained in place. */
  readonly store: ParameterStore;
  /** The data, `[n, d]` row-major. */
  readonly x: Float32Array;
  readonly n: number;
  readonly d: number;
  /** The run's seed: each phase derives its streams from it (seeds.ts). */
  readonly seed: number;
  readonly runtime?: RuntimeOptions;
  /** The run's history; phases push their rows. */
  readonly history: HistoryRow[];
  readonly onProgress?: (e: ProgressEvent) => void;
}
