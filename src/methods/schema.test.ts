// The config schema: every section's unknown key and every option's bad value is a one-line
// ParamError naming the option's path; the schema and the declared types cannot drift (the expect-error
// lines are checked by `npm run typecheck`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamError } from '../errors.ts';
import type { MethodConfig } from './config.ts';
import { resolveMethod } from './deep-clustering.ts';
import { PRESETS } from './presets.ts';
import { type FieldInfo, type Fields, bool, fieldAt, int, num, obj, oneOf, optional } from './schema.ts';
import { METHOD_SCHEMA } from './schema-method.ts';
import { validateMethod } from './validate.ts';
import { clusteringLossBlock } from './blocks/registry.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Configs that between them have every section and option of the schema. */
function bases(): MethodConfig[] {
  const presets = Object.keys(PRESETS).map((name) => resolveMethod(name));
  const idec = resolveMethod('idec');
  const dcn = resolveMethod('dcn');
  const ADAM = { name: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 } as const;
  return [
    ...presets,
    resolveMethod('dec', undefined, 'mnist'), // preprocess
    {
      ...idec,
      features: { kind: 'layers', layers: [0, 2] },
      regularizers: [
        { kind: 'balanced', weight: 0.1 },
        { kind: 'groupSparsity', weight: 0.1, groups: [5, 5] },
        { kind: 'locality', weight: 0.1, neighbors: 3, bandwidth: 1 },
      ],
      combination: { ...idec.combination, rampIterations: 10 },
      pretrain: { ...idec.pretrain!, corruption: { kind: 'dropout', rate: 0.2 }, greedy: { epochs: 1, corruption: 0.2, optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0 } } },
      train: { ...idec.train!, optimizer: { name: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 } },
    },
    { ...idec, pretrain: { ...idec.pretrain!, optimizer: ADAM, greedy: { epochs: 1, optimizer: ADAM } }, clusterUpdate: { ...idec.clusterUpdate, centerLr: 0.01 } },
    { ...idec, pretrain: { ...idec.pretrain!, plateau: { steps: 100, minDelta: 0.01, window: 10, minSteps: 200 } } },
    { ...dcn, clusterUpdate: { ...dcn.clusterUpdate, initialCount: 5 } },
    { ...dcn, clusterUpdate: { ...dcn.clusterUpdate, kind: 'agglomerative', initialClusters: 20, mergeRate: 0.5 } },
    { ...resolveMethod('dcec'), architecture: { kind: 'conv', channels: [8, 8], kernels: [3, 3], strides: [2, 1], pools: [1, 2], padding: 'same', denseCode: true, unpool: 'nearest', embeddingDim: 4, activation: 'relu', batchNorm: true, outputActivation: 'linear', init: 'heNormal' } },
  ];
}

/** Every (path, field) with a value in `v`, lists by index. */
function* present(f: FieldInfo, v: unknown, path: string): Generator<[string, FieldInfo]> {
  yield [path, f];
  if (Array.isArray(v) && f.item) for (let i = 0; i < v.length; i++) yield* present(f.item, v[i], `${path}[${i}]`);
  else if (isObject(v) && f.children)
    for (const [key, child] of Object.entries(f.children)) {
      const only = f.variantsOf?.[key];
      if (v[key] !== undefined && (!only || only.includes(String(v.kind ?? v.name)))) yield* present(child, v[key], `${path}.${key}`);
    }
}

/** Every path of the schema (lists as `[]`), for the coverage check. */
function* schemaPaths(f: FieldInfo, path: string): Generator<string> {
  yield path;
  if (f.item) yield* schemaPaths(f.item, `${path}[]`);
  for (const [key, child] of Object.entries(f.children ?? {})) yield* schemaPaths(child, `${path}.${key}`);
}

/** The config with the value at `path` (`method.a.b[1].c`) replaced. */
function withValue(m: MethodConfig, path: string, value: unknown): MethodConfig {
  const copy = JSON.parse(JSON.stringify(m)) as Record<string, unknown>; // not structuredClone: presets share sections
  const keys = path.replace(/^method\./, '').split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
  let cur: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  cur[keys.at(-1)!] = value;
  return copy as unknown as MethodConfig;
}

function refusedNaming(m: MethodConfig, path: string, what: string): void {
  assert.throws(
    () => validateMethod(m),
    (e: Error) => {
      assert.ok(e instanceof ParamError, `${what}: a ParamError, got ${e}`);
      assert.ok(!e.message.includes('\n'), `${what}: one line: ${e.message}`);
      assert.ok(e.message.startsWith(path) && /^([ .[:;]|$)/.test(e.message.slice(path.length)), `${what}: names ${path}: ${e.message}`);
      return true;
    },
    what,
  );
}

test('every section refuses an unknown key and every option a bad value, in one line naming the path', () => {
  const covered = new Set<string>();
  let cases = 0;
  for (const base of bases()) {
    assert.doesNotThrow(() => validateMethod(base), base.name);
    const trains = clusteringLossBlock(base.clusteringLoss).trains;
    for (const [path, f] of present(METHOD_SCHEMA, base, 'method')) {
      if (path.startsWith('method.train') && !trains) continue; // train is ignored without a clustering phase
      covered.add(path.replace(/\[\d+\]/g, '[]'));
      if (path === 'method') continue;
      const sectionValue = path.split(/\.|\[/).reduce<unknown>((v, k) => (isObject(v) || Array.isArray(v) ? (v as Record<string, unknown>)[k.replace(']', '')] : undefined), { method: base });
      if (f.children && isObject(sectionValue)) {
        refusedNaming(withValue(base, path, { ...sectionValue, zzzzTypo: 1 }), `${path}.zzzzTypo is not a method option`, `${base.name} ${path} unknown key`);
        cases++;
      }
      if (f.type === 'string') continue; // names and notes: any text
      refusedNaming(withValue(base, path, f.type === 'true or false' ? 'yes' : 'bad-value'), path, `${base.name} ${path} = 'bad-value'`);
      cases++;
      if (/^(integer|number)/.test(f.type)) {
        refusedNaming(withValue(base, path, -1e9), path, `${base.name} ${path} = -1e9`);
        const max = /in [[(][^,]+, ([^\])]+)[\])]/.exec(f.type);
        if (max) refusedNaming(withValue(base, path, Number(max[1]) + 1), path, `${base.name} ${path} above its range`);
        cases++;
      }
    }
  }
  const missing = [...schemaPaths(METHOD_SCHEMA, 'method')].filter((p) => !covered.has(p));
  assert.deepEqual(missing, [], 'every option of the schema is exercised: give bases() a config that has it');
  assert.ok(cases > 300, `${cases} cases`);
});

test('the messages name the option, the range and the value', () => {
  const idec = resolveMethod('idec');
  const cases: Array<[string, unknown, RegExp]> = [
    ['method.train.optimizer.lr', 0, /^method\.train\.optimizer\.lr must be a finite number > 0, got 0$/],
    ['method.train.batchSize', 0, /^method\.train\.batchSize must be an integer >= 1, got 0$/],
    ['method.pretrain.loss', 'l2', /^method\.pretrain\.loss must be one of mse, bce, got "l2"$/],
    ['method.train.keepDecoder', 'yes', /^method\.train\.keepDecoder must be true or false, got "yes"$/],
    ['method.architecture.hidden', 500, /^method\.architecture\.hidden must be a list of layer widths, e.g\. \[500, 500, 2000\]$/],
    ['method.train', 'fast', /^method\.train must be a section with the keys maxIter, batchSize, optimizer, keepDecoder, augment, got "fast"$/],
    ['method.train.optimizer', { name: 'rmsprop', lr: 1 }, /^method\.train\.optimizer\.name must be one of adam, sgd, got "rmsprop"$/],
  ];
  const says = (re: RegExp) => (e: Error) => e instanceof ParamError && re.test(e.message);
  for (const [path, value, re] of cases) assert.throws(() => validateMethod(withValue(idec, path, value)), says(re), path);
  const sgd = withValue(idec, 'method.train.optimizer', { name: 'sgd', lr: 0.1, momentum: 1 });
  assert.throws(() => validateMethod(sgd), says(/^method\.train\.optimizer\.momentum must be in \[0, 1\), got 1$/));
  assert.throws(() => validateMethod(withValue(idec, 'method.train.optimizer', { name: 'sgd', lr: 0.1, nesterov: true })), says(/^method\.train\.optimizer\.nesterov needs method\.train\.optimizer\.momentum > 0/));
  assert.throws(() => validateMethod(withValue(idec, 'method.pretrain.greedy', { epochs: 1, corruption: 1 })), says(/^method\.pretrain\.greedy\.corruption must be a dropout rate in \[0, 1\), got 1$/));
});

test('validation returns the config itself, unchanged', () => {
  for (const m of Object.values(PRESETS)) {
    const before = structuredClone(m);
    assert.equal(validateMethod(m), m);
    assert.deepEqual(m, before);
  }
});

test('fieldAt finds an option by its path, through nullable sections and unions', () => {
  assert.equal(fieldAt(METHOD_SCHEMA, 'train.optimizer.lr')?.type, 'number > 0');
  assert.equal(fieldAt(METHOD_SCHEMA, 'architecture.embeddingDim')?.type, 'integer >= 1');
  assert.equal(fieldAt(METHOD_SCHEMA, 'regularizers.neighbors')?.type, 'integer >= 1');
  assert.equal(fieldAt(METHOD_SCHEMA, 'train.nope'), undefined);
});

// ---- compile-time: a schema that disagrees with its type does not type-check
interface T {
  readonly a: number;
  readonly b?: 'x' | 'y';
  readonly c: boolean;
}
export const typeChecks: Array<Fields<T> | unknown> = [
  { a: int('a'), b: optional(oneOf('b', ['x', 'y'])), c: bool('c') } satisfies Fields<T>,
  // @ts-expect-error a key of the type is missing
  { a: int('a'), c: bool('c') } satisfies Fields<T>,
  // @ts-expect-error a key the type does not have
  obj<T>('t', { a: int('a'), b: optional(oneOf('b', ['x', 'y'])), c: bool('c'), d: bool('d') }),
  // @ts-expect-error an optional key declared required
  { a: int('a'), b: oneOf('b', ['x', 'y']), c: bool('c') } satisfies Fields<T>,
  // @ts-expect-error a required key declared optional
  { a: optional(num('a')), b: optional(oneOf('b', ['x', 'y'])), c: bool('c') } satisfies Fields<T>,
  // @ts-expect-error fewer choices than the type
  { a: int('a'), b: optional(oneOf('b', ['x'])), c: bool('c') } satisfies Fields<T>,
  // @ts-expect-error more choices than the type
  { a: int('a'), b: optional(oneOf('b', ['x', 'y', 'z'])), c: bool('c') } satisfies Fields<T>,
  // @ts-expect-error a field of another type
  { a: bool('a'), b: optional(oneOf('b', ['x', 'y'])), c: bool('c') } satisfies Fields<T>,
];
