import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestMatch, didYouMean, editDistance } from './suggest.ts';

test('editDistance counts insertions, deletions and substitutions', () => {
  assert.equal(editDistance('', ''), 0);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('abc', ''), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('mnsit', 'mnist'), 2); // a transposition is two edits
  assert.equal(editDistance('idec', 'idec'), 0);
  assert.equal(editDistance('Dec', 'dec'), 1); // case-sensitive; closestMatch folds case
});

test('closestMatch suggests only a near name, case-insensitively, first on ties', () => {
  const names = ['ae-kmeans', 'dec', 'idec', 'dcn'];
  assert.equal(closestMatch('idek', names), 'idec');
  assert.equal(closestMatch('DEC', names), 'dec');
  assert.equal(closestMatch('dex', names), 'dec'); // 'dec' and 'dcn'… 'dec' is 1 edit, first anyway
  assert.equal(closestMatch('zzzzzzzz', names), undefined);
  assert.equal(closestMatch('x', []), undefined);
});

test('didYouMean formats the hint or gives nothing', () => {
  assert.equal(didYouMean('pretrian', ['train', 'pretrain']), " (did you mean 'pretrain'?)");
  assert.equal(didYouMean('qqqqqq', ['train', 'pretrain']), '');
});
