/**
 * How the deep auto path's pretraining ended, as result.json, the model's decision and the
 * one-line summary report it: the steps that ran, the cap (the plan's step budget as whole
 * epochs) and whether the cap or a plateau of the loss stopped it.
 */
import { pretrainEndOf, pretrainEndText } from '../methods/pretrain-plateau.ts';
import type { HistoryRow } from '../methods/types.ts';

/** How pretraining ended. */
export interface AutoPretraining {
  /** Pretraining steps that ran. */
  readonly steps: number;
  /** Most steps the budget allowed. */
  readonly cap: number;
  /** `cap`: the budget ran out; `plateau`: the loss stopped improving at step {@link steps}. */
  readonly stoppedBy: 'cap' | 'plateau';
  /** In words, with the plateau's numbers. */
  readonly reason: string;
}

/** The pretraining end of a fit's history (undefined when it trained without a plateau stop). */
export function autoPretraining(history: readonly HistoryRow[]): AutoPretraining | undefined {
  const end = pretrainEndOf(history);
  if (!end) return undefined;
  return { steps: end.steps, cap: end.cap, stoppedBy: end.stoppedBy === 'plateau' ? 'plateau' : 'cap', reason: pretrainEndText(end) };
}

/** For the one-line summary: `pretrained 1200 of at most 3000 steps (plateau at step 1200)` or `pretrained 3000 steps (the cap)`. */
export function pretrainingSummary(p: AutoPretraining): string {
  return p.stoppedBy === 'plateau' ? `pretrained ${p.steps} of at most ${p.cap} steps (plateau at step ${p.steps})` : `pretrained ${p.steps} steps (the cap)`;
}
