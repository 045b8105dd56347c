/**
 * A small typed schema for config sections: each field declares its kind, range or choices,
 * documented default and one-line doc once, and from that declaration come the allowed keys (an
 * unknown key is a ParamError naming the closest one), the value checks (one-line ParamErrors
 * naming the option path), `deepclust describe --options` and the table of docs/config.md.
 *
 * The declared TypeScript types (config.ts, config-network.ts) stay the public, documented API;
 * {@link Fields} ties a section's schema to its type at compile time: a key missing from either
 * side, an optional field declared required, or a field of another type (e.g. `oneOf(['mse'])`
 * for `'mse' | 'bce'`) is a type error, so the two cannot drift apart.
 *
 * Why not zod, valibot or typebox (all MIT-licensed; the choice is about fit, not licence, and
 * their bundle sizes were not measured): the messages are the product here (`method.train.batchSize
 * must be an integer >= 1, got 0`, the closest key for a typo, merged configs that keep both
 * kinds' keys), and each library would need a custom error map per check to say that, plus a
 * metadata layer for the docs table; defaults must stay documentation, not parse-time rewrites,
 * because resolving a config must not change it. The helper is about 250 lines with no
 * dependency and no start-up cost (schema.ts, with its comments).
 */
import { ParamError } from '../errors.ts';
import { knownKeys, oneOf as checkOneOf, posInt } from './option-checks.ts';

/** What a check reports an unknown key as (`is not a method option`). */
export interface CheckContext {
  /** The noun of the unknown-key message, e.g. `'a method option'`. */
  readonly what: string;
}

/** What every field has, whatever its type (the docs table and `describe` walk these). */
export interface FieldInfo {
  /** The value's kind and range in words, e.g. `integer >= 1` (describe and the docs table). */
  readonly type: string;
  /** One line on what the option does. */
  readonly doc: string;
  /** Whether the key may be absent. */
  readonly optional: boolean;
  /** The documented value of an absent optional field (text: it may depend on other options). */
  readonly default?: string;
  /** Sub-fields of an object, or of every variant of a union (the docs table walks them). */
  readonly children?: Readonly<Record<string, FieldInfo>>;
  /** For a union: the variants each sub-field belongs to (absent: all). */
  readonly variantsOf?: Readonly<Record<string, readonly string[]>>;
  /** The element field of a list of sections. */
  readonly item?: FieldInfo;
  /** Pass 1: refuses unknown keys anywhere below the value. */
  keys(v: unknown, path: string, ctx: CheckContext): void;
  /** Pass 2: checks the value's kind and range. */
  check(v: unknown, path: string, ctx: CheckContext): void;
}

/** One field of a section: a leaf value, an object of fields, a union of objects, or a list. */
export interface Field<T> extends FieldInfo {
  /** Phantom: ties the field to the type it describes (invariant in T). */
  readonly _type?: (v: T) => T;
}

/** A field that must be present. */
export type RequiredField<T> = Field<T> & { readonly optional: false };
/** A field that may be absent. */
export type OptionalField<T> = Field<T> & { readonly optional: true };

type IsOptional<T, K extends keyof T> = object extends Pick<T, K> ? true : false;

/**
 * The schema of a section of type `T`: one field per key of `T`, optional exactly where `T`'s
 * key is, of the key's type. Declaring a section as `Fields<TrainConfig>` is the compile-time
 * check that the schema and the type agree.
 */
export type Fields<T> = { readonly [K in keyof T]-?: IsOptional<T, K> extends true ? OptionalField<Exclude<T[K], undefined>> : RequiredField<T[K]> };

const noKeys = (): void => {};
const show = (v: unknown): string => JSON.stringify(v);

/** A leaf field from its type text and its check. */
export function leaf<T>(type: string, doc: string, check: (v: unknown, path: string) => void): RequiredField<T> {
  return { type, doc, optional: false, keys: noKeys, check };
}

/** An integer >= min. */
export function int(doc: string, min = 1): RequiredField<number> {
  return leaf(`integer >= ${min}`, doc, (v, p) => posInt(p, v, min));
}

/**
 * A finite number in a range: `>= min` (`> min` with `minOpen`), and `<= max` (`< max` with
 * `maxOpen`) when given; `what` names the quantity in the message (`a dropout rate in [0, 1)`).
 */
export function num(doc: string, r: { min?: number; minOpen?: boolean; max?: number; maxOpen?: boolean; what?: string } = {}): RequiredField<number> {
  const { min = 0, minOpen = false, max, maxOpen = false } = r;
  const range = max === undefined ? `${minOpen ? '>' : '>='} ${min}` : `in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
  // the range's words as the messages have always said them: 'a finite number > 0', 'in [0, 1)'
  const says = r.what ? `${r.what} ${range}` : max === undefined ? `a finite number ${range}` : range;
  return leaf(`number ${range}`, doc, (v, p) => {
    const ok = typeof v === 'number' && Number.isFinite(v) && (minOpen ? v > min : v >= min) && (max === undefined || (maxOpen ? v < max : v <= max));
    if (!ok) throw new ParamError(`${p} must be ${says}, got ${show(v)}`);
  });
}

/** One of the listed strings. */
export function oneOf<const V extends string>(doc: string, values: readonly V[]): RequiredField<V> {
  return leaf(`one of ${values.join(', ')}`, doc, (v, p) => checkOneOf(p, v, values));
}

/** true or false. */
export function bool(doc: string): RequiredField<boolean> {
  return leaf('true or false', doc, (v, p) => {
    if (typeof v !== 'boolean') throw new ParamError(`${p} must be true or false, got ${show(v)}`);
  });
}

/** Any string. */
export function str(doc: string): RequiredField<string> {
  return leaf('string', doc, (v, p) => {
    if (typeof v !== 'string') throw new ParamError(`${p} must be a string, got ${show(v)}`);
  });
}

/**
 * A list of values (each checked as `path[i]`); `shape` is the message when the value is not a
 * list, or an empty one with `nonEmpty` (it should show an example).
 */
export function list<T>(doc: string, item: Field<T>, shape: string, nonEmpty = false): RequiredField<readonly T[]> {
  return {
    type: `list of ${item.type.replace(/^(integer|number|string)/, '$1s')}`,
    doc,
    optional: false,
    item,
    keys(v, p, ctx) {
      if (Array.isArray(v)) v.forEach((x, i) => item.keys(x, `${p}[${i}]`, ctx));
    },
    check(v, p, ctx) {
      if (!Array.isArray(v) || (nonEmpty && v.length === 0)) throw new ParamError(`${p} ${shape}`);
      v.forEach((x, i) => item.check(x, `${p}[${i}]`, ctx));
    },
  };
}

/** The field, optional, with its documented default (text, e.g. `0.9` or `5·k (at most n)`). */
export function optional<T>(f: Field<T>, defaultText?: string): OptionalField<T> {
  return { ...f, optional: true, ...(defaultText !== undefined ? { default: defaultText } : {}) };
}

/** The field, or null. */
export function nullable<T>(f: Field<T>): RequiredField<T | null> {
  return {
    ...f,
    type: `${f.type}, or null`,
    optional: false,
    keys: (v, p, ctx) => (v === null ? undefined : f.keys(v, p, ctx)),
    check: (v, p, ctx) => (v === null ? undefined : f.check(v, p, ctx)),
  } as RequiredField<T | null>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkFields(fields: Readonly<Record<string, FieldInfo>>, v: Record<string, unknown>, p: string, ctx: CheckContext): void {
  for (const [key, f] of Object.entries(fields)) if (!(f.optional && v[key] === undefined)) f.check(v[key], `${p}.${key}`, ctx);
}

function keysBelow(fields: Readonly<Record<string, FieldInfo>>, v: Record<string, unknown>, p: string, ctx: CheckContext): void {
  for (const [key, f] of Object.entries(fields)) if (v[key] !== undefined) f.keys(v[key], `${p}.${key}`, ctx);
}

/** Options of {@link obj} and {@link union}. */
export interface SectionOptions<T> {
  /** Keys the section allows besides its fields (e.g. the keys its blocks own). */
  readonly extraKeys?: () => readonly string[];
  /** Checks between fields, after each field's own check. */
  readonly refine?: (v: T, path: string) => void;
}

/** An object section with the given fields. */
export function obj<T>(doc: string, fields: Fields<T>, o: SectionOptions<T> = {}): RequiredField<T> {
  const children = fields as unknown as Record<string, FieldInfo>;
  const allowed = () => [...Object.keys(children), ...(o.extraKeys?.() ?? [])];
  return {
    type: 'section',
    doc,
    optional: false,
    children,
    keys(v, p, ctx) {
      if (!isObject(v)) return;
      knownKeys(p, v, allowed(), ctx.what);
      keysBelow(children, v, p, ctx);
    },
    check(v, p, ctx) {
      if (!isObject(v)) throw new ParamError(`${p} must be a section with the keys ${allowed().join(', ')}, got ${show(v)}`);
      checkFields(children, v, p, ctx);
      o.refine?.(v as T, p);
    },
  };
}

/** The fields of each variant of the union `T`, named by its discriminating key `D`. */
export type Variants<T, D extends keyof T> = { readonly [V in T[D] & string]: Fields<Omit<Extract<T, Readonly<Record<D, V>>>, D>> };

/**
 * A union of sections told apart by the key `tag` (`kind`, `name`). Every variant's keys are
 * allowed, since merging an override of another kind into a preset keeps the old kind's keys;
 * the values are checked against the named variant.
 */
export function union<T, D extends keyof T & string>(doc: string, tag: D, variants: Variants<T, D>, o: SectionOptions<T> = {}): RequiredField<T> {
  const byName = variants as unknown as Record<string, Record<string, FieldInfo>>;
  const names = Object.keys(byName);
  const children: Record<string, FieldInfo> = {};
  const variantsOf: Record<string, string[]> = {};
  for (const [name, fields] of Object.entries(byName))
    for (const [key, f] of Object.entries(fields)) {
      children[key] ??= f;
      (variantsOf[key] ??= []).push(name);
    }
  const allowed = [tag, ...Object.keys(children)];
  const tagField = oneOf(`Which one: ${names.join(', ')}.`, names);
  return {
    type: `section by ${tag}: ${names.join(', ')}`,
    doc,
    optional: false,
    children: { [tag]: tagField, ...children },
    variantsOf: Object.fromEntries(Object.entries(variantsOf).filter(([, v]) => v.length < names.length)),
    keys(v, p, ctx) {
      const fields = isObject(v) ? byName[v[tag] as string] : undefined;
      // an unknown kind is reported as such (pass 2), not as a key of another kind
      if (!fields) return;
      knownKeys(p, v, allowed, ctx.what);
      keysBelow(fields, v as Record<string, unknown>, p, ctx);
    },
    check(v, p, ctx) {
      if (!isObject(v)) throw new ParamError(`${p} must be a section with '${tag}' (${names.join(', ')}), got ${show(v)}`);
      tagField.check(v[tag], `${p}.${tag}`, ctx);
      checkFields(byName[v[tag] as string]!, v, p, ctx);
      o.refine?.(v as T, p);
    },
  };
}

/** Checks a value against a field: unknown keys first (anywhere below), then values. */
export function validateField<T>(f: Field<T>, v: unknown, path: string, ctx: CheckContext = { what: 'a method option' }): T {
  f.keys(v, path, ctx);
  f.check(v, path, ctx);
  return v as T;
}

/** The field at a dotted path below `f` (`train.optimizer.lr`), or undefined. */
export function fieldAt(f: FieldInfo, path: string): FieldInfo | undefined {
  let cur: FieldInfo | undefined = f;
  for (const key of path.split('.')) cur = cur?.children?.[key] ?? cur?.item?.children?.[key];
  return cur;
}
