/**
 * Typed reads of fields of parsed JSON records (bench/results/*.json), for the generators of the
 * docs' tables: each returns `undefined` (or `[]`) when the value has another type.
 */

/** A JSON object. */
export type Json = Record<string, unknown>;
/** `v` when it is a JSON object (not an array). */
export const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
/** `v` when it is a finite number. */
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** `v` when it is a non-empty string. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** `v` when it is an array, else `[]`. */
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
