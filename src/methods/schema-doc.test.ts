// docs/config.md and `deepclust describe --options` are the schema's own description.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configDoc, optionRows, optionsText } from './schema-doc.ts';

test('docs/config.md is configDoc() of the schema (regenerate: npm run docs:config)', () => {
  const doc = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');
  assert.equal(doc, configDoc(), 'docs/config.md is stale: run npm run docs:config');
});

test('every option has a row with its type, default and doc', () => {
  const rows = optionRows();
  const byPath = new Map(rows.map((r) => [r.path, r]));
  assert.deepEqual(byPath.get('train.optimizer.lr'), { path: 'train.optimizer.lr', type: 'number > 0', default: 'required', doc: 'Learning rate.' });
  assert.equal(byPath.get('train.optimizer.beta1')?.default, '0.9');
  assert.match(byPath.get('architecture.pools')!.doc, /^\(conv only\) /);
  assert.equal(byPath.get('regularizers[].neighbors')?.type, 'integer >= 1');
  assert.match(byPath.get('clusteringLoss')!.type, /dec, kmeans, cdc/);
  for (const r of rows) assert.ok(r.doc.length > 5 && !r.doc.includes('\n'), r.path);
  assert.equal(new Set(rows.map((r) => r.path)).size, rows.length, 'one row per path');
  const text = optionsText();
  assert.equal(text.trim().split('\n').length, rows.length);
  assert.match(text, /^pretrain\.greedy\.corruption +number in \[0, 1\) +\[default: 0\.2\] Dropout rate/m);
});
