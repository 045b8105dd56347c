// docs/extending.md's worked example: a toy clustering loss added as one block file plus a preset
// (examples/extending/), run end to end; and the page shows exactly those two files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SOFT_KMEANS } from '../../../examples/extending/soft-kmeans-preset.ts';
import { softKmeans } from '../../../examples/extending/soft-kmeans.ts';
import { DeepClustering } from '../deep-clustering.ts';
import { ParamError } from '../../errors.ts';
import { Rng } from '../../random.ts';
import { clusteringLossKinds, registerClusteringLoss } from './registry.ts';
import { resolveMethod } from '../deep-clustering.ts';
import type { DeepPartial, MethodConfig } from '../config.ts';

const root = new URL('../../../', import.meta.url);

test('docs/extending.md includes the example block and preset verbatim', () => {
  const doc = readFileSync(new URL('docs/extending.md', root), 'utf8');
  for (const file of ['examples/extending/soft-kmeans.ts', 'examples/extending/soft-kmeans-preset.ts']) {
    const m = new RegExp(`<!-- include ${file} -->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\`\\n<!-- end include -->`).exec(doc);
    assert.ok(m, `${file} is included`);
    assert.equal(m[1], readFileSync(new URL(file, root), 'utf8'), `${file} in the page is the file`);
  }
});

test('the toy loss is a registered kind and trains end to end', async () => {
  assert.ok(clusteringLossKinds().includes('soft-kmeans'));
  const rng = new Rng(3);
  const n = 60, d = 8;
  const data = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < d; j++) data[i * d + j] = (j % 3 === y[i] ? 2 : 0) + 0.1 * rng.normal();
  }
  const overrides: DeepPartial<MethodConfig> = { architecture: { hidden: [16], embeddingDim: 3 }, pretrain: { epochs: 15, batchSize: 10 }, train: { maxIter: 30, batchSize: 10 }, clusterUpdate: { updateInterval: 10 }, initNInit: 2 };
  const est = new DeepClustering({ method: SOFT_KMEANS, nClusters: 3, seed: 1, overrides });
  const fitted = await est.fit({ data, rows: n, cols: d });
  assert.equal((fitted.method.clusteringLoss as { kind: string }).kind, 'soft-kmeans');
  assert.ok(fitted.history.some((h) => h.phase === 'cluster' && Number.isFinite(h.losses.clustering ?? 0)));
  // three clusters, each a class
  const byClass = new Map<number, Set<number>>();
  for (let i = 0; i < n; i++) byClass.set(y[i]!, (byClass.get(y[i]!) ?? new Set()).add(fitted.labels[i]!));
  assert.deepEqual([...byClass.values()].map((s) => s.size), [1, 1, 1]);
  assert.deepEqual(Array.from(await fitted.predict({ data, rows: n, cols: d })), Array.from(fitted.labels));
  const q = await fitted.softAssign({ data, rows: n, cols: d });
  for (let i = 0; i < n; i++) assert.ok(Math.abs(q.data[3 * i]! + q.data[3 * i + 1]! + q.data[3 * i + 2]! - 1) < 1e-5);
});

test("the toy loss's options are checked by its block, and unknown kinds are refused", () => {
  assert.throws(() => resolveMethod(SOFT_KMEANS, { clusteringLoss: { alpha: 0 } } as never), (e: unknown) => e instanceof ParamError && /^method\.clusteringLoss\.alpha must be a number > 0, got 0$/.test((e as Error).message));
  assert.throws(() => resolveMethod(SOFT_KMEANS, { clusterUpdate: { kind: 'alternating' } }), /method\.clusterUpdate\.kind must be 'joint' with the 'soft-kmeans' clustering loss \(its centres are trained with the network\)/);
  assert.throws(() => resolveMethod(SOFT_KMEANS, { clusteringLoss: { kind: 'soft-kmean' } } as never), /method\.clusteringLoss\.kind must be one of none, dec, kmeans, cdc, classification, soft-kmeans, got "soft-kmean" \(did you mean 'soft-kmeans'\?\)/);
  assert.throws(() => registerClusteringLoss(softKmeans), /a clustering loss of kind 'soft-kmeans' is already registered/);
});
