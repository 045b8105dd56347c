// Seeds derived one way: every stream of a run is a hash of (seed, name), independent of which
// other streams were drawn, and in which order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveSeed, stream } from '../random.ts';
import { SEEDS, blockRng, epochOrder } from './seeds.ts';

test('deriveSeed: the same seed and names give the same seed; another seed, name or order another', () => {
  const a = deriveSeed(5, 'cluster-order', 3);
  assert.equal(deriveSeed(5, 'cluster-order', 3), a);
  assert.ok(Number.isInteger(a) && a >= 0 && a < 2 ** 32);
  const others = [deriveSeed(6, 'cluster-order', 3), deriveSeed(5, 'cluster-order', 4), deriveSeed(5, 'pretrain-order', 3), deriveSeed(5, 3, 'cluster-order'), deriveSeed(5, 'cluster-order', '3'), deriveSeed(5, 'cluster-order'), deriveSeed(2 ** 40 + 5, 'cluster-order', 3), deriveSeed(-5, 'cluster-order', 3)];
  assert.equal(new Set([a, ...others]).size, others.length + 1);
});

test('a stream does not depend on other streams drawn before it', () => {
  const alone = stream(1, 'x').permutation(50);
  stream(1, 'y').permutation(1000);
  epochOrder(1, 'pretrain', 0, 100);
  assert.deepEqual(stream(1, 'x').permutation(50), alone);
  assert.deepEqual(epochOrder(1, 'cluster', 2, 30), epochOrder(1, 'cluster', 2, 30));
  assert.notDeepEqual(epochOrder(1, 'cluster', 2, 30), epochOrder(1, 'pretrain', 2, 30));
  assert.notDeepEqual(epochOrder(1, 'greedy-0', 0, 30), epochOrder(1, 'greedy-1', 0, 30));
  assert.equal(blockRng(3).nextUint32(), blockRng(3).nextUint32());
});

test('SEEDS: the streams of one run seed are all different', () => {
  for (const seed of [0, 1, 42, 2 ** 52]) {
    const all = [SEEDS.network, SEEDS.pretrainSteps, SEEDS.clusterSteps, SEEDS.initialKmeans, SEEDS.estimateK, SEEDS.finalKmeans, SEEDS.finalGmm, SEEDS.finalUmap, SEEDS.finalSample, SEEDS.augment].map((f) => f(seed));
    all.push(SEEDS.greedyLayer(seed, 0), SEEDS.greedyLayer(seed, 1));
    assert.equal(new Set(all).size, all.length, `seed ${seed}`);
  }
});
