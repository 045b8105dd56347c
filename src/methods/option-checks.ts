/** Checks of single options, each throwing a one-line ParamError that names the option. */
import { ParamError } from '../errors.ts';
import { didYouMean } from '../suggest.ts';

/** An integer >= min. */
export function posInt(where: string, v: unknown, min = 1): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ParamError(`${where} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
}

/** A finite number > 0 (>= 0 with allowZero). */
export function posNum(where: string, v: unknown, allowZero = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) throw new ParamError(`${where} must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${JSON.stringify(v)}`);
}

/** One of the listed strings. */
export function oneOf<T extends string>(where: string, v: unknown, options: readonly T[]): void {
  if (!options.includes(v as T)) throw new ParamError(`${where} must be one of ${options.join(', ')}, got ${JSON.stringify(v)}`);
}

/** Refuses keys of `obj` not in `keys`, naming the closest known one (`kind` of option in the message). */
export function knownKeys(where: string, obj: unknown, keys: readonly string[], what = 'a method option'): void {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return;
  for (const k of Object.keys(obj)) {
    if (keys.includes(k) || (obj as Record<string, unknown>)[k] === undefined) continue;
    throw new ParamError(`${where}.${k} is not ${what}${didYouMean(k, keys)}; ${where} takes ${keys.join(', ')}`);
  }
}
