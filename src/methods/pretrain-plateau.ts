/**
 * The plateau stop of pretraining (`pretrain.plateau`): the mean loss of each window of steps
 * against the best window mean so far. Pure bookkeeping on the per-step losses the engine
 * returns, so a run stops at the same step for the same seed whatever the steps per engine call,
 * and a checkpoint carries the whole state ({@link PlateauState}).
 */
import type { PlateauConfig } from './config-network.ts';

/** {@link PlateauConfig} with its defaults filled in. */
export interface PlateauSettings {
  /** Steps without an improvement after which pretraining stops. */
  readonly steps: number;
  /** Relative improvement that counts. */
  readonly minDelta: number;
  /** Steps per loss window. */
  readonly window: number;
  /** No stop before this many steps. */
  readonly minSteps: number;
}

/** The default relative improvement that counts (1 %). */
export const DEFAULT_PLATEAU_MIN_DELTA = 0.01;

/** The settings of a plateau config, defaults applied (window: a tenth of `steps`; minSteps: `steps`). */
export function plateauSettings(c: PlateauConfig): PlateauSettings {
  return { steps: c.steps, minDelta: c.minDelta ?? DEFAULT_PLATEAU_MIN_DELTA, window: c.window ?? Math.max(1, Math.round(c.steps / 10)), minSteps: c.minSteps ?? c.steps };
}

/** A plateau tracker's state between two engine calls (JSON: kept in checkpoints). */
export interface PlateauState {
  /** Loss sum of the window so far. */
  readonly sum: number;
  /** Steps of the window so far. */
  readonly count: number;
  /** The best window mean (null before the first window ends). */
  readonly best: number | null;
  /** The step at whose window end the best was reached. */
  readonly bestAt: number;
}

/** How the end-to-end pretraining epochs ended (recorded on the last pretraining history row). */
export interface PretrainEnd {
  /** End-to-end pretraining steps run. */
  readonly steps: number;
  /** Steps the epochs allow (the cap). */
  readonly cap: number;
  /** `epochs`: the epoch budget (the cap) ran out; `plateau`: the loss stopped improving. */
  readonly stoppedBy: 'epochs' | 'plateau';
  /** The best window mean of the loss (null: no window ended). */
  readonly best: number | null;
  /** The step at whose window end the best was reached. */
  readonly bestAt: number;
  /** The settings that applied. */
  readonly plateau: PlateauSettings;
}

/** The loss a plateau is judged on: the total (`loss`) when the pretraining has several terms, else the reconstruction. */
export function plateauTerm(losses: Readonly<Record<string, ArrayLike<number>>>): ArrayLike<number> | undefined {
  return losses.loss ?? losses.reconstruction;
}

/** Tracks the window means of the pretraining loss and decides the stop (see the module comment). */
export class PlateauTracker {
  readonly settings: PlateauSettings;
  private sum: number;
  private count: number;
  private best: number | null;
  private bestAt: number;

  constructor(config: PlateauConfig, from?: PlateauState) {
    this.settings = plateauSettings(config);
    this.sum = from?.sum ?? 0;
    this.count = from?.count ?? 0;
    this.best = from?.best ?? null;
    this.bestAt = from?.bestAt ?? 0;
  }

  /** Adds the per-step losses of one engine call, in step order. */
  add(losses: Readonly<Record<string, ArrayLike<number>>>): void {
    const v = plateauTerm(losses);
    if (!v) return;
    for (let i = 0; i < v.length; i++) this.sum += v[i]!;
    this.count += v.length;
  }

  /**
   * At a window end (`ite`, the steps done, a multiple of the window): takes the window's mean,
   * makes it the best when it improves on the best by more than minDelta (relative), and returns
   * true when pretraining should stop.
   */
  check(ite: number): boolean {
    if (this.count === 0) return false;
    const mean = this.sum / this.count;
    this.sum = 0;
    this.count = 0;
    const s = this.settings;
    if (this.best === null || mean < this.best - s.minDelta * Math.abs(this.best)) {
      this.best = mean;
      this.bestAt = ite;
    }
    return ite >= s.minSteps && ite - this.bestAt >= s.steps;
  }

  /** The state now (for a checkpoint). */
  state(): PlateauState {
    return { sum: this.sum, count: this.count, best: this.best, bestAt: this.bestAt };
  }

  /** The record of a pretraining that ended after `steps` of at most `cap` steps. */
  end(steps: number, cap: number, stopped: boolean): PretrainEnd {
    return { steps, cap, stoppedBy: stopped ? 'plateau' : 'epochs', best: this.best, bestAt: this.bestAt, plateau: this.settings };
  }
}

/** The pretraining end a fit's history records (on its last pretraining row), or undefined without `pretrain.plateau`. */
export function pretrainEndOf(history: ReadonlyArray<{ readonly phase: string; readonly pretrainEnd?: PretrainEnd }>): PretrainEnd | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.phase === 'pretrain') return history[i]!.pretrainEnd;
  return undefined;
}

/** A pretraining end in words: `stopped on a plateau at step 1200 of at most 2000 (…)` or `ran the whole budget (2000 steps; …)`. */
export function pretrainEndText(e: PretrainEnd): string {
  return e.stoppedBy === 'plateau'
    ? `stopped on a plateau at step ${e.steps} of at most ${e.cap} (the loss had not fallen ${e.plateau.minDelta * 100} % below its best, ${e.best === null ? '–' : e.best.toPrecision(4)} at step ${e.bestAt}, for ${e.plateau.steps} steps)`
    : `ran the whole budget (${e.steps} steps; no plateau of ${e.plateau.steps} steps)`;
}
