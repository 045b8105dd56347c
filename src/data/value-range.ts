/**
 * The value range each preprocessing step assumes, checked before the step runs, so that no step
 * silently shrinks data already on its target scale (e.g. `scale255` on COIL20.mat's `fea`, which
 * is already in [0, 1]) or stretches data outside the range it was made for.
 */
import { DataError } from '../errors.ts';

/** Smallest and largest value of some data. */
export interface ValueRange {
  readonly min: number;
  readonly max: number;
}

/** What a step expects of its input: values within `range`, and not already on its output scale. */
interface Assumption {
  readonly range: readonly [number, number];
  /** Describes the input the step is for. */
  readonly input: string;
  /** True when the data already looks like the step's output (applying it would shrink it). */
  readonly done: (r: ValueRange) => boolean;
}

/** The steps that assume a value range (the others — standardize, minmax, l2… — take any finite data). */
export const STEP_RANGES: Readonly<Record<string, Assumption>> = {
  scale255: { range: [0, 255], input: '8-bit pixels (0..255)', done: (r) => r.max <= 1 },
  'dec-mnist': { range: [0, 255], input: 'raw 8-bit pixels (0..255)', done: (r) => r.max <= 1 },
  div2: { range: [0, 2], input: 'values in [0, 2] (the .jf USPS files)', done: (r) => r.max <= 1 },
  'pm1-to-01': { range: [-1, 1], input: 'values in [-1, 1]', done: (r) => r.min >= 0 },
};

/** The smallest and largest value of `x` (one pass). */
export function valueRange(x: ArrayLike<number>): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

const show = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));

/**
 * Checks that data with range `r` suits `step`.
 * @returns `'ok'`, or `'already'` when the data is already on the step's output scale (the caller
 *   skips a default step, or refuses an explicit one with {@link alreadyScaledError})
 * @throws DataError when values lie outside the range the step assumes, naming the range found
 */
export function checkStepRange(step: string, r: ValueRange, name: string): 'ok' | 'already' {
  const a = STEP_RANGES[step];
  if (!a || !(r.min <= r.max)) return 'ok';
  if (r.min < a.range[0] || r.max > a.range[1])
    throw new DataError(`preprocessing '${step}' is for ${a.input}, but '${name}' has values in [${show(r.min)}, ${show(r.max)}]; choose a step that fits (minmax, standardize) or --preprocess none`);
  return a.done(r) ? 'already' : 'ok';
}

/** The error for an explicitly asked step whose data is already on its output scale. */
export function alreadyScaledError(step: string, r: ValueRange, name: string): DataError {
  const a = STEP_RANGES[step]!;
  return new DataError(`preprocessing '${step}' is for ${a.input}, but '${name}' already holds values in [${show(r.min)}, ${show(r.max)}] (scaled already); drop '${step}' (--preprocess none) so the data is not scaled twice`);
}

/** The note recorded (and warned) when a data set's default step is skipped because its data is already scaled. */
export function skippedNote(step: string, r: ValueRange, name: string): string {
  return `'${name}' already holds values in [${show(r.min)}, ${show(r.max)}], so its default preprocessing '${step}' was skipped (it would have scaled the data twice)`;
}
