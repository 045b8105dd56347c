// The deep auto path's pretraining budget: the plan's step budget is the cap, and a plateau of the
// loss (plan.network.plateauSteps) stops it sooner, at the same step for the same seed; the
// decision, the summary and a saved model record how it ended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../random.ts';
import { AutoClustering, FittedAutoClustering } from './index.ts';
import type { AutoPlan } from './plan.ts';
import { deepMethodConfig, plateauWindow } from './deep.ts';

/** 300 rows of 3 noisy prototypes in 20 dimensions. */
function rows(): number[][] {
  const rng = new Rng(5);
  const protos = Array.from({ length: 3 }, () => Array.from({ length: 20 }, () => 3 * rng.normal()));
  return Array.from({ length: 300 }, (_, i) => protos[i % 3]!.map((v) => v + 0.4 * rng.normal()));
}

// batch 50 on 300 rows: 6 steps per epoch; a budget of 600 steps is 100 epochs
const network = (plateauSteps: number) => (plan: AutoPlan): AutoPlan => ({
  ...plan,
  network: { value: { hidden: [12], embeddingDim: 3, batchSize: 50, pretrainSteps: 600, plateauSteps, augment: false, lr: 0.01, umapNeighbors: 10 }, reason: 'test: a tiny network' },
});
const fit = (plateauSteps: number) => new AutoClustering({ nClusters: 3, seed: 0, threads: 1, adjustPlan: network(plateauSteps) }).fit(rows());

test('the network plan passes its plateau to the pretraining config; the step budget stays the cap', () => {
  const cfg = deepMethodConfig({ hidden: [8], embeddingDim: 2, batchSize: 50, pretrainSteps: 600, plateauSteps: 40, augment: false }, 300);
  assert.deepEqual(cfg.pretrain?.plateau, { steps: 40, minDelta: 0.01, window: 6 }, 'windows of whole epochs (6 steps on 300 rows of batch 50)');
  assert.equal(plateauWindow({ hidden: [8], embeddingDim: 2, batchSize: 256, pretrainSteps: 2000, plateauSteps: 1000, augment: false }, 10000), 120, 'mnist-10k: 40 steps per epoch, 3 epochs');
  assert.equal(cfg.pretrain?.epochs, 100);
});

test('a flat loss stops the deep auto pretraining at a plateau, the same step for the same seed; recorded in the decision, the summary and the saved model', async () => {
  const a = await fit(40);
  const p = a.decision.pretraining!;
  assert.equal(p.stoppedBy, 'plateau');
  assert.equal(p.cap, 600);
  assert.ok(p.steps < 600 && p.steps >= 40, `stopped at ${p.steps}`);
  assert.match(a.summary, new RegExp(`pretrained ${p.steps} of at most 600 steps \\(plateau at step ${p.steps}\\)`));
  assert.match(p.reason, /plateau at step/);
  const b = await fit(40);
  assert.deepEqual(b.decision.pretraining, p);
  assert.deepEqual(b.labels, a.labels);

  const dir = join(mkdtempSync(join(tmpdir(), 'deepclust-auto-plateau-')), 'model');
  a.save(dir);
  const loaded = FittedAutoClustering.load(dir);
  assert.deepEqual(loaded.decision.pretraining, p);
  assert.equal(loaded.summary, a.summary);
});

test('a plateau longer than the budget: the whole budget runs and the record says the cap stopped it', async () => {
  const c = await fit(5000);
  assert.deepEqual({ ...c.decision.pretraining, reason: undefined }, { steps: 600, cap: 600, stoppedBy: 'cap', reason: undefined });
  assert.match(c.summary, /pretrained 600 steps \(the cap\)/);
});
