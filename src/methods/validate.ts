/**
 * Validation of a whole method config: unknown keys (naming the closest known one) and every
 * option's range, each error a one-line ParamError naming the option. The block sections
 * (clustering loss, cluster update, final clustering) are checked by their blocks.
 */
import { ParamError } from '../errors.ts';
import { checkPreprocessing } from '../data/preprocess.ts';
import type { AugmentConfig, MethodConfig, OptimizerConfig } from './config.ts';
import { knownKeys, oneOf, posInt, posNum } from './option-checks.ts';
import { CLUSTER_UPDATE_KEYS, clusterUpdateBlock, clusteringLossBlock, clusteringLossKeys, clusteringLossKinds, finalClusteringOf } from './blocks/registry.ts';


const OPTIMIZER_KEYS = { adam: ['name', 'lr', 'beta1', 'beta2', 'eps', 'weightDecay'], sgd: ['name', 'lr', 'momentum', 'nesterov', 'weightDecay'] } as const;
/** The keys each part of a method config may have (a typo in a user's config must not be ignored). */
export const METHOD_KEYS = {
  method: ['name', 'reference', 'architecture', 'features', 'pretrain', 'initNInit', 'nonClusteringLoss', 'clusteringLoss', 'combination', 'clusterUpdate', 'train', 'reclusterAfterTraining', 'finalClustering', 'regularizers', 'notes', 'perDataset', 'shortBudget', 'preprocess', 'embeddingDimFromK'],
  shortBudget: ['pretrainEpochs', 'maxIter'],
  mlp: ['kind', 'hidden', 'embeddingDim', 'activation', 'codeActivation', 'outputActivation', 'init'],
  conv: ['kind', 'channels', 'kernels', 'strides', 'pools', 'padding', 'denseCode', 'unpool', 'embeddingDim', 'activation', 'batchNorm', 'outputActivation', 'init'],
  features: ['kind', 'layers'],
  pretrain: ['loss', 'epochs', 'batchSize', 'optimizer', 'corruption', 'snnl', 'correlation', 'greedy', 'augment'],
  augment: ['rotate', 'shift'],
  greedy: ['epochs', 'corruption', 'optimizer'],
  snnl: ['alpha', 'temperature', 'layers', 'supervised', 'distance'],
  corruption: ['kind', 'rate'],
  correlation: ['lambda'],
  nonClusteringLoss: ['kind', 'loss', 'reduction'],
  combination: ['clusteringWeight', 'nonClusteringWeight', 'rampIterations'],
  train: ['maxIter', 'batchSize', 'optimizer', 'keepDecoder', 'augment'],
  regularizer: ['kind', 'weight', 'groups', 'neighbors', 'bandwidth'],
} as const;

function checkAugment(where: string, a: AugmentConfig): void {
  for (const key of ['rotate', 'shift'] as const)
    if (!(typeof a[key] === 'number' && Number.isFinite(a[key]) && a[key] >= 0)) throw new ParamError(`${where}.${key} must be a number >= 0 (degrees for rotate, a fraction of the image size for shift), got ${JSON.stringify(a[key])}`);
  if (a.rotate > 180) throw new ParamError(`${where}.rotate is in degrees and at most 180, got ${a.rotate}`);
  if (a.shift > 1) throw new ParamError(`${where}.shift is a fraction of the image size (e.g. 0.1), at most 1; got ${a.shift}`);
}

/** Rejects keys a method config does not have, naming the closest valid one. */
function checkKeys(m: MethodConfig): void {
  knownKeys('method', m, METHOD_KEYS.method);
  // both kinds' keys: a config that extends an MLP preset with a conv architecture keeps the MLP keys
  knownKeys('method.architecture', m.architecture, [...new Set([...METHOD_KEYS.mlp, ...METHOD_KEYS.conv])]);
  knownKeys('method.features', m.features, METHOD_KEYS.features);
  if (m.pretrain) {
    knownKeys('method.pretrain', m.pretrain, METHOD_KEYS.pretrain);
    knownKeys('method.pretrain.snnl', m.pretrain.snnl, METHOD_KEYS.snnl);
    knownKeys('method.pretrain.corruption', m.pretrain.corruption, METHOD_KEYS.corruption);
    knownKeys('method.pretrain.correlation', m.pretrain.correlation, METHOD_KEYS.correlation);
    knownKeys('method.pretrain.greedy', m.pretrain.greedy, METHOD_KEYS.greedy);
    knownKeys('method.pretrain.augment', m.pretrain.augment, METHOD_KEYS.augment);
    const o = m.pretrain.optimizer as { name?: string } | undefined;
    if (o?.name === 'adam' || o?.name === 'sgd') knownKeys('method.pretrain.optimizer', o, [...new Set([...OPTIMIZER_KEYS.adam, ...OPTIMIZER_KEYS.sgd])]);
  }
  knownKeys('method.nonClusteringLoss', m.nonClusteringLoss, METHOD_KEYS.nonClusteringLoss);
  // the clustering loss's keys are its block's (checked once the kind is known)
  knownKeys('method.combination', m.combination, METHOD_KEYS.combination);
  // every update block's keys: a config that switches a preset's update kind keeps the old kind's keys
  knownKeys('method.clusterUpdate', m.clusterUpdate, CLUSTER_UPDATE_KEYS);
  if (m.train) {
    knownKeys('method.train', m.train, METHOD_KEYS.train);
    knownKeys('method.train.augment', m.train.augment, METHOD_KEYS.augment);
    const o = m.train.optimizer as { name?: string } | undefined;
    if (o?.name === 'adam' || o?.name === 'sgd') knownKeys('method.train.optimizer', o, [...new Set([...OPTIMIZER_KEYS.adam, ...OPTIMIZER_KEYS.sgd])]);
  }
  (m.regularizers ?? []).forEach((r, i) => knownKeys(`method.regularizers[${i}]`, r, METHOD_KEYS.regularizer));
  if (m.shortBudget !== undefined) {
    knownKeys('method.shortBudget', m.shortBudget, METHOD_KEYS.shortBudget);
    posInt('method.shortBudget.pretrainEpochs', m.shortBudget.pretrainEpochs, 0);
    posInt('method.shortBudget.maxIter', m.shortBudget.maxIter, 0);
  }
  if (m.perDataset !== undefined && (typeof m.perDataset !== 'object' || m.perDataset === null || Array.isArray(m.perDataset)))
    throw new ParamError('method.perDataset must map data set names to settings, e.g. { usps: { clusterUpdate: { updateInterval: 30 } } }');
  checkStepList('method.preprocess', m.preprocess);
  for (const [name, over] of Object.entries(m.perDataset ?? {})) checkStepList(`method.perDataset.${name}.preprocess`, over?.preprocess);
}

/** A method's preprocessing: absent, or a list of known step names. */
function checkStepList(where: string, steps: unknown): void {
  if (steps === undefined) return;
  if (!Array.isArray(steps) || !steps.every((s) => typeof s === 'string'))
    throw new ParamError(`${where} must be a list of preprocessing step names, e.g. [dec-mnist], got ${JSON.stringify(steps)}`);
  checkPreprocessing(steps);
}

const ACTIVATIONS = ['linear', 'relu', 'leakyRelu', 'sigmoid', 'tanh'] as const;
const INITS = ['heNormal', 'heUniform', 'glorotUniform', 'glorotNormal', 'decUniform'] as const;

function checkOptimizer(where: string, o: OptimizerConfig): void {
  oneOf(`${where}.name`, o?.name, ['adam', 'sgd']);
  posNum(`${where}.lr`, o.lr);
  if (o.name === 'sgd' && o.momentum !== undefined && !(o.momentum >= 0 && o.momentum < 1)) throw new ParamError(`${where}.momentum must be in [0, 1), got ${o.momentum}`);
}

/**
 * Validates a whole method config, throwing a ParamError that names the offending option
 * (`method.train.batchSize must be an integer >= 1, got 0`).
 */
export function validateMethod(m: MethodConfig): MethodConfig {
  checkKeys(m);
  const a = m.architecture;
  oneOf('method.architecture.kind', a?.kind, ['mlp', 'conv']);
  posInt('method.architecture.embeddingDim', a.embeddingDim);
  if (m.embeddingDimFromK !== undefined && typeof m.embeddingDimFromK !== 'boolean') throw new ParamError(`method.embeddingDimFromK must be true or false, got ${JSON.stringify(m.embeddingDimFromK)}`);
  oneOf('method.architecture.activation', a.activation, ACTIVATIONS);
  oneOf('method.architecture.outputActivation', a.outputActivation, ACTIVATIONS);
  oneOf('method.architecture.init', a.init, INITS);
  if (a.kind === 'mlp') {
    if (!Array.isArray(a.hidden)) throw new ParamError('method.architecture.hidden must be a list of layer widths, e.g. [500, 500, 2000]');
    a.hidden.forEach((h, i) => posInt(`method.architecture.hidden[${i}]`, h));
    oneOf('method.architecture.codeActivation', a.codeActivation, ACTIVATIONS);
  } else {
    if (!Array.isArray(a.channels) || a.channels.length === 0) throw new ParamError('method.architecture.channels must be a non-empty list, e.g. [32, 64, 128]');
    if (a.kernels.length !== a.channels.length || a.strides.length !== a.channels.length)
      throw new ParamError(`method.architecture: channels, kernels and strides must have the same length, got ${a.channels.length}, ${a.kernels.length}, ${a.strides.length}`);
    a.channels.forEach((c, i) => posInt(`method.architecture.channels[${i}]`, c));
    a.kernels.forEach((c, i) => posInt(`method.architecture.kernels[${i}]`, c));
    a.strides.forEach((c, i) => posInt(`method.architecture.strides[${i}]`, c));
    if (a.pools !== undefined) {
      if (!Array.isArray(a.pools) || a.pools.length !== a.channels.length) throw new ParamError(`method.architecture.pools must list one pool size per conv layer (${a.channels.length}), e.g. [2, 2, 1]`);
      a.pools.forEach((c, i) => posInt(`method.architecture.pools[${i}]`, c));
    }
    if (a.padding !== undefined) oneOf('method.architecture.padding', a.padding, ['same', 'valid']);
    if (a.unpool !== undefined) oneOf('method.architecture.unpool', a.unpool, ['switches', 'switchesTies', 'nearest']);
    if (a.denseCode !== undefined && typeof a.denseCode !== 'boolean') throw new ParamError(`method.architecture.denseCode must be true or false, got ${JSON.stringify(a.denseCode)}`);
  }
  oneOf('method.features.kind', m.features?.kind, ['code', 'layers']);
  if (m.features.kind === 'layers') {
    const depth = a.kind === 'mlp' ? a.hidden.length + 1 : a.channels.length + 1;
    if (!m.features.layers.length) throw new ParamError('method.features.layers must list at least one encoder layer');
    m.features.layers.forEach((l, i) => {
      posInt(`method.features.layers[${i}]`, l, 0);
      if (l >= depth) throw new ParamError(`method.features.layers[${i}] = ${l} but the encoder has ${depth} layers (0..${depth - 1})`);
    });
  }
  if (m.pretrain) {
    oneOf('method.pretrain.loss', m.pretrain.loss, ['mse', 'bce']);
    posInt('method.pretrain.epochs', m.pretrain.epochs, 0);
    posInt('method.pretrain.batchSize', m.pretrain.batchSize);
    checkOptimizer('method.pretrain.optimizer', m.pretrain.optimizer);
    if (m.pretrain.snnl) {
      const sn = m.pretrain.snnl;
      posNum('method.pretrain.snnl.alpha', sn.alpha, true);
      if (sn.temperature !== 'annealed') posNum('method.pretrain.snnl.temperature', sn.temperature);
      oneOf('method.pretrain.snnl.layers', sn.layers, ['sum', 'min']);
      oneOf('method.pretrain.snnl.distance', sn.distance, ['cosine', 'euclidean']);
    }
    if (m.pretrain.greedy) {
      const gr = m.pretrain.greedy;
      if (a.kind !== 'mlp') throw new ParamError("method.pretrain.greedy needs an MLP autoencoder (architecture.kind: 'mlp'); remove it for a conv network");
      posInt('method.pretrain.greedy.epochs', gr.epochs, 0);
      if (gr.corruption !== undefined && !(typeof gr.corruption === 'number' && gr.corruption >= 0 && gr.corruption < 1)) throw new ParamError(`method.pretrain.greedy.corruption must be a dropout rate in [0, 1), got ${JSON.stringify(gr.corruption)}`);
      if (gr.optimizer) checkOptimizer('method.pretrain.greedy.optimizer', gr.optimizer);
    }
    if (m.pretrain.augment) checkAugment('method.pretrain.augment', m.pretrain.augment);
    if (m.pretrain.corruption) {
      oneOf('method.pretrain.corruption.kind', m.pretrain.corruption.kind, ['dropout', 'gaussian']);
      const r = m.pretrain.corruption.rate;
      if (!(r >= 0 && (m.pretrain.corruption.kind === 'gaussian' || r < 1))) throw new ParamError(`method.pretrain.corruption.rate must be in [0, 1) for dropout or >= 0 for gaussian, got ${r}`);
    }
  }
  posInt('method.initNInit', m.initNInit);
  oneOf('method.nonClusteringLoss.kind', m.nonClusteringLoss?.kind, ['none', 'reconstruction']);
  const loss = clusteringLossBlock(m.clusteringLoss);
  knownKeys('method.clusteringLoss', m.clusteringLoss, clusteringLossKeys());
  loss.check(m.clusteringLoss as never, m, 'method.clusteringLoss');
  (m.regularizers ?? []).forEach((r, i) => {
    oneOf(`method.regularizers[${i}].kind`, r?.kind, ['balanced', 'groupSparsity', 'locality']);
    posNum(`method.regularizers[${i}].weight`, r.weight, true);
    if (r.kind === 'balanced' && !loss.softAssignments) throw new ParamError(`method.regularizers[${i}]: 'balanced' needs soft assignments (clusteringLoss ${softKinds()})`);
    if (r.kind === 'groupSparsity' && (!Array.isArray(r.groups) || !r.groups.length)) throw new ParamError(`method.regularizers[${i}].groups must list group sizes, e.g. [5, 5]`);
    if (r.kind === 'locality') posInt(`method.regularizers[${i}].neighbors`, r.neighbors);
  });
  if (m.pretrain?.correlation) posNum('method.pretrain.correlation.lambda', m.pretrain.correlation.lambda, true);
  if (m.nonClusteringLoss.kind === 'reconstruction' && m.nonClusteringLoss.reduction !== undefined) oneOf('method.nonClusteringLoss.reduction', m.nonClusteringLoss.reduction, ['mean', 'sum']);
  posNum('method.combination.clusteringWeight', m.combination?.clusteringWeight, true);
  posNum('method.combination.nonClusteringWeight', m.combination.nonClusteringWeight, true);
  const update = clusterUpdateBlock(m.clusterUpdate);
  posInt('method.clusterUpdate.updateInterval', m.clusterUpdate.updateInterval);
  oneOf('method.clusterUpdate.targetScope', m.clusterUpdate.targetScope, ['all', 'batch']);
  if (m.clusterUpdate.targetBatchNorm !== undefined) oneOf('method.clusterUpdate.targetBatchNorm', m.clusterUpdate.targetBatchNorm, ['running', 'batch']);
  posNum('method.clusterUpdate.tol', m.clusterUpdate.tol, true);
  const cl = m.clusteringLoss.kind;
  if (!loss.updates.includes(update.kind))
    throw new ParamError(`method.clusterUpdate.kind must be ${loss.updates.map((u) => `'${u}'`).join(' or ')} with the '${cl}' clustering loss (${loss.updatesWhy})`);
  update.check(m.clusterUpdate, m);
  if (m.combination.rampIterations !== undefined) {
    posInt('method.combination.rampIterations', m.combination.rampIterations, 0);
    if (loss.fixedWeights) throw new ParamError(`method.combination.rampIterations cannot be used with the '${cl}' clustering loss (its objectives have fixed weights)`);
  }
  if (loss.trains) {
    if (!m.train) throw new ParamError('method.train is required when there is a clustering loss');
    posInt('method.train.maxIter', m.train.maxIter, 0);
    posInt('method.train.batchSize', m.train.batchSize);
    checkOptimizer('method.train.optimizer', m.train.optimizer);
    if (m.train.augment) {
      checkAugment('method.train.augment', m.train.augment);
      // the clean-data targets are what make augmentation safe: refuse settings that would take them from augmented rows
      if (m.clusterUpdate.targetScope === 'batch') throw new ParamError("method.train.augment needs targets P from all (clean) data: use clusterUpdate.targetScope 'all', or remove train.augment");
    }
    if (m.nonClusteringLoss.kind === 'reconstruction' && !m.train.keepDecoder) throw new ParamError('method.train.keepDecoder must be true when the clustering phase has a reconstruction loss');
  }
  const final = finalClusteringOf(m);
  if (final) {
    knownKeys('method.finalClustering', m.finalClustering, ['kind', ...final.block.keys]);
    final.block.check(final.config, 'method.finalClustering');
  }
  return m;
}

/** The clustering-loss kinds with soft assignments, for the message. */
function softKinds(): string {
  return clusteringLossKinds()
    .filter((kind) => clusteringLossBlock({ kind } as never).softAssignments)
    .map((kind) => `'${kind}'`)
    .join(' or ');
}

