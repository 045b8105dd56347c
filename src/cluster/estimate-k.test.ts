// estimateK: finds k on separated blobs of unequal sizes, returns every curve, checks its range.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParamError } from '../errors.ts';
import { Rng } from '../random.ts';
import { K_CRITERIA, checkKRange, estimateK } from './estimate-k.ts';

function blobs(seed: number): { data: Float64Array; rows: number; cols: number } {
  const rng = new Rng(seed);
  const sizes = [120, 60, 40, 20, 12];
  const d = 4;
  const out: number[] = [];
  sizes.forEach((m, c) => {
    const centre = Array.from({ length: d }, (_, t) => (t === c % d ? 15 : 0) + (c >= d ? -15 : 0));
    for (let i = 0; i < m; i++) for (let t = 0; t < d; t++) out.push(centre[t]! + rng.normal() * (0.5 + 0.2 * c));
  });
  return { data: Float64Array.from(out), rows: out.length / d, cols: d };
}

test('estimateK finds 5 unequal blobs by every criterion but stability, with one curve value per k', async () => {
  const x = blobs(1);
  const est = await estimateK(x, { range: [2, 9], criteria: K_CRITERIA, seed: 0 });
  assert.deepEqual(est.ks, [2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(est.k, 5);
  assert.equal(est.selectedBy, 'silhouette');
  for (const c of K_CRITERIA) {
    assert.equal(est.curves[c]!.values.length, 8, c);
    if (c !== 'stability') assert.equal(est.curves[c]!.best, 5, c);
  }
  assert.equal(est.curves.gap!.errors!.length, 8);
  const again = await estimateK(x, { range: [2, 9], select: 'bic', seed: 0 });
  assert.equal(again.k, 5);
  assert.deepEqual(Object.keys(again.curves), ['bic']);
});

test('estimateK: bad ranges, too few rows and unknown criteria are one-line ParamErrors', async () => {
  const x = blobs(2);
  await assert.rejects(estimateK(x, { range: [1, 5] }), (e: Error) => e instanceof ParamError && /2 <= lo <= hi <= n − 1 = 251/.test(e.message));
  await assert.rejects(estimateK(x, { range: [2, 252] }), ParamError);
  await assert.rejects(estimateK(x, { range: [6, 5] }), ParamError);
  await assert.rejects(estimateK({ data: new Float64Array(19 * 2), rows: 19, cols: 2 }), /at least 20 rows/);
  await assert.rejects(estimateK(x, { criteria: ['elbow' as never] }), /unknown criterion "elbow"/);
  assert.deepEqual(checkKRange('w', undefined, 25), [2, 24]);
  assert.deepEqual(checkKRange('w', undefined, 1000), [2, 30]);
});
