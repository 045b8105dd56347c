// The blocks table of docs/extending.md is the blocks' own description.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { blocksTable } from './describe.ts';

test('docs/extending.md holds blocksTable() of the built-in blocks', () => {
  const doc = readFileSync(new URL('../../../docs/extending.md', import.meta.url), 'utf8');
  const m = /<!-- blocks table -->\n([\s\S]*?)\n<!-- end blocks table -->/.exec(doc);
  assert.ok(m, 'the page has the table');
  assert.equal(m[1], blocksTable(), 'regenerate it: node --import tsx -e "import(\'./src/methods/blocks/describe.ts\').then((m) => console.log(m.blocksTable()))"');
});

test('every built-in kind has a row, with its options', () => {
  const t = blocksTable();
  for (const kind of ['none', 'dec', 'kmeans', 'cdc', 'classification', 'joint', 'alternating', 'agglomerative']) assert.match(t, new RegExp(`\\| \`${kind}\` \\|`));
  assert.match(t, /\| `cdc` \| `eta`, `beta`, `lambda` \|/);
});
