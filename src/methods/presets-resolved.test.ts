// Validation through the config schema must not change a resolved config: every preset, its short
// budget and each of its per-data-set settings resolve exactly as they did before the schema
// (the fixture was written at main 24c3340, before schema.ts, by resolving each case below).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PRESETS } from './presets.ts';
import { resolveMethod } from './deep-clustering.ts';

const before = JSON.parse(readFileSync(new URL('./fixtures/presets-resolved.json', import.meta.url), 'utf8')) as Record<string, unknown>;

test('every preset resolves to the same config as before the schema (full, short, per data set)', () => {
  const now: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(PRESETS)) {
    now[name] = resolveMethod(name);
    now[`${name}|short`] = resolveMethod(name, undefined, undefined, 'short');
    for (const ds of Object.keys(m.perDataset ?? {})) now[`${name}|${ds}`] = resolveMethod(name, undefined, ds);
  }
  assert.deepEqual(Object.keys(now).sort(), Object.keys(before).sort(), 'the same cases (a new preset: add its cases to the fixture)');
  for (const key of Object.keys(before)) assert.deepEqual(JSON.parse(JSON.stringify(now[key])), before[key], key);
});
