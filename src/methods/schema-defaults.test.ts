// The defaults the schema documents are the ones the code applies: the optimizers' come from the
// engine's adam() and sgd(), which build them from the method config's optimizer section.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adam, sgd } from '../engine/index.ts';
import { fieldAt } from './schema.ts';
import { METHOD_SCHEMA } from './schema-method.ts';

const documented = (path: string): unknown => JSON.parse(fieldAt(METHOD_SCHEMA, path)!.default!);

test('the optimizer defaults of docs/config.md are the engine\'s', () => {
  const a = adam({ lr: 0.5, lazy: false }).config;
  for (const key of ['beta1', 'beta2', 'eps', 'weightDecay']) assert.equal(documented(`train.optimizer.${key}`), a[key], `adam ${key}`);
  const s = sgd({ lr: 0.5 }).config;
  for (const key of ['momentum', 'nesterov', 'weightDecay']) assert.equal(documented(`train.optimizer.${key}`), s[key], `sgd ${key}`);
});
