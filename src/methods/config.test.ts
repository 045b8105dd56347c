// Method configs: a typo in a key is an error naming the closest option; per-data-set paper settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveMethod } from './deep-clustering.ts';
import { PRESETS } from './presets.ts';
import { applyDatasetDefaults, validateMethod, type MethodConfig } from './config.ts';
import { ParamError } from '../errors.ts';

test('every preset passes the key check', () => {
  for (const [name, m] of Object.entries(PRESETS)) assert.doesNotThrow(() => validateMethod(m), name);
});

test('an unknown key anywhere in a method config is refused with the closest valid key', () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ pretrian: { epochs: 3 } }, /^method\.pretrian is not a method option \(did you mean 'pretrain'\?\); method takes name, /],
    [{ train: { maxIters: 10 } }, /^method\.train\.maxIters is not a method option \(did you mean 'maxIter'\?\)/],
    [{ clusterUpdate: { updateIntervall: 10 } }, /did you mean 'updateInterval'/],
    [{ architecture: { hiden: [10] } }, /^method\.architecture\.hiden .*did you mean 'hidden'/],
    [{ train: { optimizer: { learningRate: 0.1 } } }, /^method\.train\.optimizer\.learningRate is not a method option/],
    [{ regularizers: [{ kind: 'balanced', wieght: 1 }] }, /^method\.regularizers\[0\]\.wieght .*did you mean 'weight'/],
    [{ zzzzzzzzzz: 1 }, /^method\.zzzzzzzzzz is not a method option; method takes/],
  ];
  for (const [over, re] of cases)
    assert.throws(() => resolveMethod('idec', over as never), (e: Error) => e instanceof ParamError && re.test(e.message), JSON.stringify(over));
  // switching the architecture kind by merging keeps the other kind's keys: allowed
  assert.doesNotThrow(() => resolveMethod('idec', { architecture: { kind: 'conv', channels: [4], kernels: [3], strides: [2], batchNorm: false } } as never));
});

test('per-data-set settings: IDEC on USPS and Reuters-10K as its code, user overrides still win', () => {
  const usps = resolveMethod('idec', undefined, 'usps');
  assert.equal(usps.clusterUpdate.updateInterval, 30);
  assert.deepEqual(usps.train!.optimizer, { name: 'sgd', lr: 0.1, momentum: 0.99 });
  assert.match(usps.notes!.at(-1)!, /Per-data-set settings of the paper for usps/);
  assert.equal(resolveMethod('idec', undefined, 'reuters-10k:all').clusterUpdate.updateInterval, 3);
  assert.equal(resolveMethod('dec', undefined, 'reuters-10k').clusterUpdate.updateInterval, 20);
  assert.equal(resolveMethod('idec', undefined, 'mnist').clusterUpdate.updateInterval, 140);
  assert.equal(resolveMethod('idec', { clusterUpdate: { updateInterval: 7 } }, 'usps').clusterUpdate.updateInterval, 7);
  const m = resolveMethod('ae-kmeans');
  assert.equal(applyDatasetDefaults(m, 'usps'), m);
  assert.throws(() => validateMethod({ ...resolveMethod('idec'), perDataset: [] as unknown as MethodConfig['perDataset'] }), /perDataset must map/);
});

test('an override naming another optimizer replaces the old one whole; the same optimizer merges', () => {
  const adam = resolveMethod('cdc', { pretrain: { optimizer: { name: 'adam', lr: 0.001 } } });
  assert.deepEqual(adam.pretrain!.optimizer, { name: 'adam', lr: 0.001 }, 'no momentum left over from SGD');
  const sgd = resolveMethod('cdc', { pretrain: { optimizer: { lr: 0.1 } } });
  assert.deepEqual(sgd.pretrain!.optimizer, { name: 'sgd', lr: 0.1, momentum: 0.9 });
  assert.equal(resolveMethod('cdc', { name: 'mine' }).clusteringLoss.kind, 'cdc', 'a new method name does not replace the config');
});
