// The report's Auto plan section: every choice with its value and reason, the run-time decision
// and how pretraining ended; nothing for runs that are not auto's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoPlanSection, choiceValueText } from './auto-plan.ts';
import { esc } from './index.ts';
import type { RunResult } from './data.ts';

test('choice values in words', () => {
  assert.equal(choiceValueText(['log1p', 'standardize']), 'log1p → standardize');
  assert.equal(choiceValueText([]), 'none');
  assert.equal(choiceValueText(null), 'none');
  assert.equal(choiceValueText({ kind: 'umap', pca: undefined, nComponents: 10 }), 'kind umap; nComponents 10');
  assert.equal(choiceValueText({ estimate: [2, 30], criterion: 'silhouette' }), 'estimate [2, 30]; criterion silhouette');
  assert.equal(choiceValueText(5), '5');
});

test('the section lists every choice in plan order with its reason (escaped), the decision and the pretraining end', () => {
  const result = {
    method: 'auto',
    k: 4,
    kEstimated: true,
    summary: 'standardize → gmm, k by bic in 2..30',
    clustering: 'kmeans',
    plan: {
      k: { value: { estimate: [2, 30], criterion: 'bic' }, reason: 'not given' },
      preprocessing: { value: ['standardize'], reason: 'scales differ <10-fold>' },
      fallback: { value: { clustering: 'kmeans' }, reason: 'no clear minimum' },
    },
    decision: { criterion: 'silhouette', fallback: true, reason: 'BIC kept falling', units: { chosen: 'center', reason: 'the raw units (centred) fit better' }, pretraining: { steps: 1300, cap: 2000, stoppedBy: 'plateau', reason: 'stopped on a plateau at step 1300 of at most 2000' } },
  } as unknown as RunResult;
  const html = autoPlanSection(result, esc);
  assert.match(html, /<h2>Auto plan<\/h2>/);
  const order = ['preprocessing', 'k', 'fallback'].map((c) => html.indexOf(`data-choice="${c}"`));
  assert.ok(order.every((i, j) => i > 0 && (j === 0 || i > order[j - 1]!)), `plan order: ${order}`);
  assert.ok(html.includes('scales differ &lt;10-fold&gt;'));
  assert.ok(html.includes('estimate [2, 30]; criterion bic'));
  assert.match(html, /Ran: <b>kmeans<\/b> \(the fallback\), k = 4 \(estimated\)\. k: BIC kept falling\. Units: the raw units \(centred\) fit better\. Pretraining: stopped on a plateau at step 1300 of at most 2000\./);
  assert.equal(autoPlanSection({ ...result, method: 'idec' } as RunResult, esc), '');
});
