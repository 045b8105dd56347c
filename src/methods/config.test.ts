// Method configs: a typo in a key is an error naming the closest option; per-data-set paper settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveMethod } from './deep-clustering.ts';
import { PRESETS } from './presets.ts';
import { DEFAULT_SHORT_BUDGET, applyDatasetDefaults, shortBudgetOverrides, type MethodConfig } from './config.ts';
import { validateMethod } from './validate.ts';
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

test('cdc follows its authors\' code: Adam and h = 50 by default; Fashion-MNIST pretrains 100 epochs of SGD 0.1 with variance-scaling init, h = 100', () => {
  const base = resolveMethod('cdc');
  assert.deepEqual(base.pretrain!.optimizer, { name: 'adam', lr: 1e-3 });
  assert.equal(base.clusterUpdate.updateInterval, 50);
  const f = resolveMethod('cdc', undefined, 'fashion-mnist:train');
  assert.deepEqual(f.pretrain!.optimizer, { name: 'sgd', lr: 0.1, momentum: 0.9 });
  assert.equal(f.pretrain!.epochs, 100);
  assert.equal(f.pretrain!.batchSize, 64);
  assert.equal(f.architecture.init, 'decUniform');
  assert.equal(f.clusterUpdate.updateInterval, 100);
  assert.deepEqual(f.train!.optimizer, { name: 'sgd', lr: 0.01, momentum: 0.9 });
  assert.equal(f.train!.maxIter, 5000);
  assert.ok(f.notes!.some((n) => n.includes('Per-data-set settings')));
  for (const name of ['cdc-ae', 'cdc-ae-cr', 'cdc-lc', 'cdc-lc-la']) assert.equal(resolveMethod(name, undefined, 'fashion-mnist').pretrain!.optimizer.lr, 0.1, name);
  assert.equal(resolveMethod('cdc-ae', undefined, 'fashion-mnist').pretrain!.correlation, undefined);
});

test('an override naming another optimizer replaces the old one whole; the same optimizer merges', () => {
  // cdc on Fashion-MNIST pretrains with SGD lr 0.1 momentum 0.9 (its per-data-set settings)
  const adam = resolveMethod('cdc', { pretrain: { optimizer: { name: 'adam', lr: 0.001 } } }, 'fashion-mnist');
  assert.deepEqual(adam.pretrain!.optimizer, { name: 'adam', lr: 0.001 }, 'no momentum left over from SGD');
  const sgd = resolveMethod('cdc', { pretrain: { optimizer: { lr: 0.05 } } }, 'fashion-mnist');
  assert.deepEqual(sgd.pretrain!.optimizer, { name: 'sgd', lr: 0.05, momentum: 0.9 });
  assert.equal(resolveMethod('cdc', { name: 'mine' }).clusteringLoss.kind, 'cdc', 'a new method name does not replace the config');
});

test('the short budget: the method’s own (idec-da) or the default, only for the phases it has; overrides still win', () => {
  const da = resolveMethod('idec-da', undefined, undefined, 'short');
  assert.deepEqual([da.pretrain!.epochs, da.train!.maxIter], [80, 3000]);
  const idec = resolveMethod('idec', undefined, undefined, 'short');
  assert.deepEqual([idec.pretrain!.epochs, idec.train!.maxIter], [DEFAULT_SHORT_BUDGET.pretrainEpochs, DEFAULT_SHORT_BUDGET.maxIter]);
  const ae = resolveMethod('ae-kmeans', undefined, undefined, 'short');
  assert.equal(ae.train, null, 'AE + k-means gains no clustering phase');
  assert.equal(resolveMethod('idec-da', { pretrain: { epochs: 5 } }, undefined, 'short').pretrain!.epochs, 5);
  assert.equal(resolveMethod('idec-da').pretrain!.epochs, 500, 'the full budget is the paper’s');
  assert.deepEqual(shortBudgetOverrides(resolveMethod('dec-da')), { pretrain: { epochs: 80 }, train: { maxIter: 3000 } });
  assert.throws(() => resolveMethod('idec', undefined, undefined, 'long' as never), /budget must be 'full' or 'short', got "long"/);
  assert.throws(() => resolveMethod('idec', { shortBudget: { pretrainEpochs: -1 } } as never), ParamError);
  assert.throws(() => resolveMethod('idec', { shortBudget: { epochs: 3 } } as never), /method\.shortBudget\.epochs is not a method option/);
});

test('the batch-norm statistics of the target pass: conv-dec uses batch statistics, a bad value is refused', () => {
  assert.equal(resolveMethod('conv-dec').clusterUpdate.targetBatchNorm, 'batch');
  assert.equal(resolveMethod('dcec').clusterUpdate.targetBatchNorm, undefined);
  assert.throws(() => resolveMethod('conv-dec', { clusterUpdate: { targetBatchNorm: 'train' } } as never), /method\.clusterUpdate\.targetBatchNorm must be one of running, batch, got "train"/);
});

test('the conv DEC-DA presets: DCEC’s network, augmentation in both phases, Adam, /255 pixels; ConvIDEC-DA keeps the decoder', () => {
  const dec = resolveMethod('convdec-da', undefined, 'mnist');
  const idec = resolveMethod('convidec-da', undefined, 'mnist');
  assert.deepEqual(dec.architecture, resolveMethod('dcec').architecture);
  for (const m of [dec, idec]) {
    assert.deepEqual([m.pretrain!.augment, m.train!.augment], [{ rotate: 10, shift: 0.1 }, { rotate: 10, shift: 0.1 }], m.name);
    assert.deepEqual([m.pretrain!.optimizer, m.train!.optimizer], [{ name: 'adam', lr: 1e-3 }, { name: 'adam', lr: 1e-3 }], m.name);
    assert.equal(m.preprocess, undefined, 'the data set’s /255, not DEC’s ×0.02');
    assert.equal(m.pretrain!.epochs, 500);
  }
  assert.deepEqual([dec.train!.keepDecoder, dec.combination.nonClusteringWeight], [false, 0]);
  assert.deepEqual([idec.train!.keepDecoder, idec.combination], [true, { clusteringWeight: 0.1, nonClusteringWeight: 1 }]);
  assert.equal(resolveMethod('convdec-da', undefined, 'usps').clusterUpdate.updateInterval, 30);
  assert.deepEqual(shortBudgetOverrides(dec), { pretrain: { epochs: 100 }, train: { maxIter: 6000 } });
});

test('augmentation settings are checked: ranges, units and keys', () => {
  assert.deepEqual(resolveMethod('idec-da').train!.augment, { rotate: 10, shift: 0.1 });
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ pretrain: { augment: { rotate: -1, shift: 0.1 } } }, /method\.pretrain\.augment\.rotate must be a number >= 0/],
    [{ train: { augment: { rotate: 10, shift: 3 } } }, /method\.train\.augment\.shift is a fraction of the image size \(e\.g\. 0\.1\), at most 1; got 3/],
    [{ train: { augment: { rotate: 400, shift: 0.1 } } }, /rotate is in degrees and at most 180/],
    [{ train: { augment: { rotate: 10, shift: 'x' } } }, /shift must be a number >= 0/],
    [{ pretrain: { augment: { rotation: 10, shift: 0.1 } } }, /method\.pretrain\.augment\.rotation is not a method option; method\.pretrain\.augment takes rotate, shift/],
  ];
  for (const [over, re] of bad) assert.throws(() => resolveMethod('idec', over as never), (e: Error) => e instanceof ParamError && re.test(e.message), JSON.stringify(over));
});

test('augmentation is refused where targets or centres would come from augmented rows; short never lengthens', () => {
  assert.throws(() => resolveMethod('idec-da', { clusterUpdate: { targetScope: 'batch' } }), /method\.train\.augment needs targets P from all \(clean\) data/);
  assert.throws(() => resolveMethod('dcn', { train: { augment: { rotate: 5, shift: 0.1 } } }), /cannot be used with the DCN k-means loss/);
  assert.doesNotThrow(() => resolveMethod('dcn', { pretrain: { augment: { rotate: 5, shift: 0.1 } } }), 'pretraining augmentation is fine for any method');
  const short = resolveMethod('idec', { pretrain: { epochs: 3 }, train: { maxIter: 50 } });
  assert.deepEqual(shortBudgetOverrides(short), { pretrain: { epochs: 3 }, train: { maxIter: 50 } });
});

test('per-data-set preprocessing: DEC, IDEC and AE + k-means scale MNIST × 0.02 as their code; checked step names', () => {
  for (const name of ['ae-kmeans', 'dec', 'idec']) {
    assert.deepEqual(resolveMethod(name, undefined, 'mnist').preprocess, ['dec-mnist'], name);
    assert.deepEqual(resolveMethod(name, undefined, 'mnist:test').preprocess, ['dec-mnist'], name);
    assert.deepEqual(resolveMethod(name, undefined, 'mnist-10k').preprocess, ['dec-mnist'], name);
    assert.equal(resolveMethod(name, undefined, 'fashion-mnist').preprocess, undefined, name);
  }
  // methods whose papers' scaling we could not verify keep the data set's default
  for (const name of ['dcn', 'cdc', 'conv-dec', 'snnl-5', 'idec-da']) assert.equal(resolveMethod(name, undefined, 'mnist').preprocess, undefined, name);
  assert.deepEqual(resolveMethod('idec', { preprocess: ['scale255'] }, 'mnist').preprocess, ['scale255']);
  assert.throws(() => resolveMethod('idec', { preprocess: ['scale256'] } as never), /unknown preprocessing step 'scale256'; choose from none, scale255/);
  assert.throws(() => resolveMethod('idec', { preprocess: 'dec-mnist' } as never), /method\.preprocess must be a list of preprocessing step names/);
  assert.throws(() => validateMethod({ ...PRESETS.idec!, perDataset: { mnist: { preprocess: ['x'] } } } as MethodConfig), /unknown preprocessing step 'x'/);
});
