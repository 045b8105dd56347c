/**
 * The method config's schema: every section that is not a block (architecture, features,
 * pretraining, non-clustering loss, combination, the shared cluster-update options, training,
 * optimizers, regularizers, the short budget and the top level) declared once, with its keys,
 * ranges, documented defaults and one-line docs. `validateMethod` checks a config against it,
 * `deepclust describe --options` and docs/config.md print it. The block sections (clustering
 * loss, the cluster-update kinds' own options, final clustering) are checked by their blocks.
 */
import { ParamError } from '../errors.ts';
import { checkPreprocessing } from '../data/preprocess.ts';
import type { Activation, InitName } from '../nn/layers.ts';
import { type AugmentConfig, type ClusterUpdateConfig, type ClusteringLossConfig, DEFAULT_SHORT_BUDGET, type FinalClusteringConfig, type MethodConfig, type OptimizerConfig } from './config.ts';
import { knownKeys } from './option-checks.ts';
import { type Field, type RequiredField, bool, int, leaf, list, nullable, num, obj, oneOf, optional, str, union } from './schema.ts';
import { CLUSTER_UPDATE_KINDS, clusterUpdateBlock, clusterUpdateBlocks, clusteringLossBlock, clusteringLossKeys, clusteringLossKinds, finalClusteringKinds, finalClusteringOf } from './blocks/registry.ts';

const ACTIVATIONS = ['linear', 'relu', 'leakyRelu', 'sigmoid', 'tanh'] as const satisfies readonly Activation[];
const INITS = ['heNormal', 'heUniform', 'glorotUniform', 'glorotNormal', 'decUniform'] as const satisfies readonly InitName[];
const show = (v: unknown): string => JSON.stringify(v);

/** Adam or SGD, with their settings. */
export const OPTIMIZER = union<OptimizerConfig, 'name'>('The optimizer (the engine\'s adam or sgd).', 'name', {
  adam: {
    lr: num('Learning rate.', { minOpen: true }),
    beta1: optional(num('Decay of the first-moment average.', { max: 1, maxOpen: true }), '0.9'),
    beta2: optional(num('Decay of the second-moment average.', { max: 1, maxOpen: true }), '0.999'),
    eps: optional(num('Added to the root of the second moment.', { minOpen: true }), '1e-8'),
    weightDecay: optional(num('L2 penalty added to the gradient.'), '0'),
  },
  sgd: {
    lr: num('Learning rate.', { minOpen: true }),
    momentum: optional(num('Momentum factor.', { max: 1, maxOpen: true }), '0'),
    nesterov: optional(bool('Nesterov momentum (needs momentum > 0).'), 'false'),
    weightDecay: optional(num('L2 penalty added to the gradient.'), '0'),
  },
}, {
  refine(o, p) {
    if (o.name === 'sgd' && o.nesterov === true && !((o.momentum ?? 0) > 0)) throw new ParamError(`${p}.nesterov needs ${p}.momentum > 0, got momentum ${show(o.momentum ?? 0)}; set a momentum or remove nesterov`);
  },
});

const activation = (doc: string) => oneOf(doc, ACTIVATIONS);
const widths = (doc: string, example: string) => list(doc, int('A width.'), `must be a list of ${example}`);

const ARCHITECTURE = union<MethodConfig['architecture'], 'kind'>('The network: a fully connected (mlp) or convolutional (conv) autoencoder.', 'kind', {
  mlp: {
    hidden: widths('Encoder hidden widths; the decoder mirrors them.', 'layer widths, e.g. [500, 500, 2000]'),
    embeddingDim: int('Width of the code (embedding) layer.'),
    activation: activation('Activation of the hidden layers.'),
    codeActivation: activation('Activation of the code layer (usually linear).'),
    outputActivation: activation('Activation of the reconstruction (linear, or sigmoid for data in [0, 1]).'),
    init: oneOf('Weight initialiser.', INITS),
  },
  conv: {
    channels: list('Output channels of each strided conv layer of the encoder; the decoder mirrors them.', int('Channels.'), 'must be a non-empty list, e.g. [32, 64, 128]', true),
    kernels: widths('Kernel size of each conv layer.', 'kernel sizes, one per conv layer, e.g. [5, 5, 3]'),
    strides: widths('Stride of each conv layer (2 halves the image).', 'strides, one per conv layer, e.g. [2, 2, 2]'),
    pools: optional(widths('Max-pooling window after each conv (1 = none).', 'pool sizes, one per conv layer, e.g. [2, 2, 1]'), 'all 1'),
    padding: optional(oneOf("'same' or 'valid' conv padding.", ['same', 'valid']), 'same'),
    denseCode: optional(bool('A dense code layer (DCEC), or the last conv\'s output as the code (Aljalbout).'), 'true'),
    unpool: optional(oneOf("Decoder unpooling: to the encoder's switches (arg-max, or every tied maximum) or nearest-neighbour.", ['switches', 'switchesTies', 'nearest']), 'switches'),
    embeddingDim: int('Width of the dense code layer (with denseCode).'),
    activation: activation('Activation of the conv layers.'),
    batchNorm: bool('Batch normalisation after each conv layer.'),
    outputActivation: activation('Activation of the reconstruction.'),
    init: oneOf('Weight initialiser.', INITS),
  },
}, {
  refine(a, p) {
    if (a.kind !== 'conv') return;
    const n = a.channels.length;
    if (a.kernels.length !== n || a.strides.length !== n) throw new ParamError(`${p}: channels, kernels and strides must have the same length, got ${n}, ${a.kernels.length}, ${a.strides.length}`);
    if (a.pools !== undefined && a.pools.length !== n) throw new ParamError(`${p}.pools must list one pool size per conv layer (${n}), e.g. [2, 2, 1]`);
  },
});

const FEATURES = union<MethodConfig['features'], 'kind'>('The representation the clustering sees: the code layer, or several encoder layers concatenated.', 'kind', {
  code: {},
  layers: { layers: list('Encoder layer indices (0 = first hidden), concatenated.', int('A layer index.', 0), 'must list at least one encoder layer', true) },
});

/** Rotation in degrees and shift as a fraction of the image: the message says the unit. */
function augmentPart(doc: string, max: number, over: (p: string, v: number) => string): RequiredField<number> {
  return leaf(`number in [0, ${max}]`, doc, (v, p) => {
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new ParamError(`${p} must be a number >= 0 (degrees for rotate, a fraction of the image size for shift), got ${show(v)}`);
    if (v > max) throw new ParamError(over(p, v));
  });
}

const AUGMENT = obj<AugmentConfig>('Random rotations and shifts of the input images (DEC-DA); image data only.', {
  rotate: augmentPart('Largest rotation in degrees.', 180, (p, v) => `${p} is in degrees and at most 180, got ${v}`),
  shift: augmentPart('Largest shift along each axis, as a fraction of the image size (0.1: 2.8 pixels of 28).', 1, (p, v) => `${p} is a fraction of the image size (e.g. 0.1), at most 1; got ${v}`),
});

type Pretrain = NonNullable<MethodConfig['pretrain']>;
const CORRUPTION_RATE = leaf<number>('number >= 0 (< 1 for dropout)', 'Dropout probability, or the noise\'s standard deviation.', () => {});

const PRETRAIN = nullable(
  obj<Pretrain>('Autoencoder pretraining (phase 1), or null for none.', {
    loss: oneOf('Reconstruction loss: mean squared error, or binary cross-entropy (data in [0, 1]).', ['mse', 'bce']),
    epochs: int('Epochs (passes over the data).', 0),
    batchSize: int('Mini-batch size.'),
    optimizer: OPTIMIZER,
    corruption: optional(
      obj<NonNullable<Pretrain['corruption']>>('Input corruption while pretraining (denoising autoencoder).', { kind: oneOf('Drop inputs to 0 (scaled), or add Gaussian noise.', ['dropout', 'gaussian']), rate: CORRUPTION_RATE }, {
        refine(c, p) {
          const r = c.rate;
          if (!(typeof r === 'number' && r >= 0 && (c.kind === 'gaussian' || r < 1))) throw new ParamError(`${p}.rate must be in [0, 1) for dropout or >= 0 for gaussian, got ${show(r)}`);
        },
      }),
    ),
    snnl: optional(
      obj<NonNullable<Pretrain['snnl']>>('Soft nearest neighbour loss on the hidden layers (Agarap & Azcarraga 2020), added with weight alpha.', {
        alpha: num('Weight α of the SNNL term.'),
        temperature: leaf<number | 'annealed'>("number > 0, or 'annealed'", "A fixed temperature, or 'annealed': T = 1/(1 + epoch)^0.55.", (v, p) => {
          if (v !== 'annealed' && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new ParamError(`${p} must be a finite number > 0 or 'annealed', got ${show(v)}`);
        }),
        layers: oneOf('Sum of the per-layer losses, or their minimum.', ['sum', 'min']),
        supervised: bool('Groups are the ground-truth labels (supervised) or all other points.'),
        distance: oneOf('Distance between points in the kernel.', ['cosine', 'euclidean']),
      }),
    ),
    correlation: optional(obj<NonNullable<Pretrain['correlation']>>("CDC's pretraining regulariser λ[L_cr(Z, X) + L_cr(Z, X′)].", { lambda: num('Weight λ of the regulariser.') })),
    greedy: optional(
      obj<NonNullable<Pretrain['greedy']>>('Greedy layer-wise denoising pretraining before the end-to-end epochs (DEC; MLP only).', {
        epochs: int('Epochs per layer pair.', 0),
        corruption: optional(num("Dropout rate of each pair's input.", { max: 1, maxOpen: true, what: 'a dropout rate' }), '0.2'),
        optimizer: optional(OPTIMIZER, 'the pretraining optimizer'),
      }),
    ),
    augment: optional(AUGMENT),
    plateau: optional(
      obj<NonNullable<Pretrain['plateau']>>('Stop the end-to-end epochs early when the loss has stopped improving (the epochs stay the cap): every `window` steps the mean loss of the window is compared with the best so far; pretraining stops at the first window end where no window has been `minDelta` (relative) below the best for `steps` steps.', {
        steps: int('Steps without an improvement after which pretraining stops.'),
        minDelta: optional(num('Relative improvement that counts (0.01: 1 % below the best window mean).', { max: 1, maxOpen: true, what: 'a fraction' }), '0.01'),
        window: optional(int('Steps per loss window (the checks fall on its multiples).'), 'max(1, round(steps / 10))'),
        minSteps: optional(int('No stop before this many steps.', 0), 'steps'),
      }),
      'none: every epoch runs',
    ),
  }),
);

const NON_CLUSTERING_LOSS = union<MethodConfig['nonClusteringLoss'], 'kind'>('The non-clustering loss of the clustering phase: none (the decoder is dropped) or reconstruction.', 'kind', {
  none: {},
  reconstruction: {
    loss: oneOf('Mean squared error, or binary cross-entropy (data in [0, 1]).', ['mse', 'bce']),
    reduction: optional(oneOf("'mean' over every element, or 'sum' over features then mean over the batch.", ['mean', 'sum']), 'mean'),
  },
});

const COMBINATION = obj<MethodConfig['combination']>('How the losses combine.', {
  clusteringWeight: num('Weight γ of the clustering loss.'),
  nonClusteringWeight: num('Weight of the non-clustering loss.'),
  rampIterations: optional(int('The clustering weight ramps linearly from 0 to its value over this many iterations.', 0), '0'),
});

/** The cluster-update options every kind has; the kinds' own options are their blocks' (`options`). */
type SharedUpdate = Omit<ClusterUpdateConfig, 'centerLr' | 'initialCount' | 'initialClusters' | 'mergeRate'>;
const SHARED_UPDATE = obj<SharedUpdate>(
  'How centres and targets are updated (the kinds: docs/extending.md).',
  {
    kind: leaf<ClusterUpdateConfig['kind']>(`one of ${CLUSTER_UPDATE_KINDS.join(', ')}`, 'joint: centres train with the network; alternating: updated apart from it; agglomerative: merged from many small clusters.', (v) => {
      clusterUpdateBlock({ kind: v } as ClusterUpdateConfig);
    }),
    updateInterval: int('Iterations T between target refreshes and label-change checks.'),
    targetScope: oneOf("'all': targets P from all data every T iterations (paper); 'batch': from each batch (ClustPy).", ['all', 'batch']),
    targetBatchNorm: optional(oneOf("Batch-norm statistics of the pass computing the targets: 'running' averages, or each batch's own.", ['running', 'batch']), 'running'),
    tol: num('Stop when fewer than this fraction of labels change between refreshes (δ).'),
  },
  {
    // every kind's options are allowed: a config that switches a preset's update kind keeps the old kind's keys
    extraKeys: () => clusterUpdateBlocks().flatMap((b) => Object.keys(b.options)),
    // the named kind's own options
    refine(cu, p) {
      const options = clusterUpdateBlock(cu as ClusterUpdateConfig).options;
      for (const [key, f] of Object.entries(options)) {
        const v = (cu as Record<string, unknown>)[key];
        if (v !== undefined) f.check(v, `${p}.${key}`, { what: 'a method option' });
      }
    },
  },
);
const CLUSTER_UPDATE = {
  ...SHARED_UPDATE,
  // the docs list the kinds' own options with the shared ones
  children: { ...SHARED_UPDATE.children, ...Object.fromEntries(clusterUpdateBlocks().flatMap((b) => Object.entries(b.options))) },
  variantsOf: Object.fromEntries(clusterUpdateBlocks().flatMap((b) => Object.keys(b.options).map((key) => [key, [b.kind]]))),
} as unknown as RequiredField<ClusterUpdateConfig>;

const TRAIN_SECTION = nullable(
  obj<NonNullable<MethodConfig['train']>>('The clustering (fine-tuning) phase, or null for none (AE + k-means); checked when the clustering loss trains.', {
    maxIter: int('Maximum iterations (mini-batches).', 0),
    batchSize: int('Mini-batch size.'),
    optimizer: OPTIMIZER,
    keepDecoder: bool('Keep training the decoder (with a reconstruction loss) or drop it.'),
    augment: optional(AUGMENT),
  }),
);
// its values are checked only with a clustering loss that trains (checkAcross): a method without
// a clustering phase ignores train, as overrides merged into AE + k-means may leave a partial one
const TRAIN: typeof TRAIN_SECTION = { ...TRAIN_SECTION, check: () => {} };

const REGULARIZER = union<NonNullable<MethodConfig['regularizers']>[number], 'kind'>('An extra clustering-phase term, added with its weight.', 'kind', {
  balanced: { weight: num('Weight of the term.') },
  groupSparsity: { weight: num('Weight of the term.'), groups: list('Sizes of the consecutive feature groups (summing to the feature width).', int('A group size.'), 'must list group sizes, e.g. [5, 5]', true) },
  locality: { weight: num('Weight of the term.'), neighbors: int('Neighbours k of each point within the batch.'), bandwidth: num('Heat-kernel bandwidth t.', { minOpen: true }) },
});

/** A list of preprocessing step names. */
const STEPS = leaf<readonly string[]>('list of preprocessing step names', "The paper's preprocessing of the data (step names, e.g. [dec-mnist]); the CLI loads data with it.", (v, p) => {
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new ParamError(`${p} must be a list of preprocessing step names, e.g. [dec-mnist], got ${show(v)}`);
  checkPreprocessing(v);
});

const PER_DATASET = leaf<NonNullable<MethodConfig['perDataset']>>('map of data set name to settings', "The paper's settings that differ per data set, merged in before the user's overrides.", (v, p) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ParamError(`${p} must map data set names to settings, e.g. { usps: { clusterUpdate: { updateInterval: 30 } } }`);
  for (const [name, over] of Object.entries(v as Record<string, { preprocess?: unknown }>)) if (over?.preprocess !== undefined) STEPS.check(over.preprocess, `${p}.${name}.preprocess`, { what: 'a method option' });
});

/** The clustering loss: its kind's block holds its options and checks. */
const CLUSTERING_LOSS: RequiredField<ClusteringLossConfig> = {
  get type() {
    return `section by kind: ${clusteringLossKinds().join(', ')}`;
  },
  doc: 'The clustering loss: a clustering-loss block (kinds and options: docs/extending.md).',
  optional: false,
  // every kind's keys: a config that switches a preset's kind keeps the old kind's keys
  keys: (v, p, ctx) => knownKeys(p, v, clusteringLossKeys(), ctx.what),
  check: (v) => void clusteringLossBlock(v as ClusteringLossConfig),
};

/** The final clustering: its kind's block holds its options and checks. */
const FINAL_CLUSTERING = {
  get type() {
    return `section by kind: ${finalClusteringKinds().join(', ')}`;
  },
  doc: 'The clustering run on the final embedding after training, whose labels the fit reports (a final-clustering block).',
  optional: true,
  default: "{ kind: 'kmeans' } with reclusterAfterTraining, else none",
  keys: () => {},
  check: () => {},
} as Field<FinalClusteringConfig> & { readonly optional: true };

const SHORT_BUDGET = obj<NonNullable<MethodConfig['shortBudget']>>('The reduced schedule of --budget short.', {
  pretrainEpochs: int('Pretraining epochs.', 0),
  maxIter: int('Most clustering iterations.', 0),
});

/** The checks between sections, after each section's own. */
function checkAcross(m: MethodConfig, p: string): void {
  const a = m.architecture;
  if (m.features.kind === 'layers') {
    const depth = a.kind === 'mlp' ? a.hidden.length + 1 : a.channels.length + 1;
    m.features.layers.forEach((l, i) => {
      if (l >= depth) throw new ParamError(`${p}.features.layers[${i}] = ${l} but the encoder has ${depth} layers (0..${depth - 1})`);
    });
  }
  if (m.pretrain?.greedy && a.kind !== 'mlp') throw new ParamError(`${p}.pretrain.greedy needs an MLP autoencoder (architecture.kind: 'mlp'); remove it for a conv network`);
  const loss = clusteringLossBlock(m.clusteringLoss);
  loss.check(m.clusteringLoss as never, m, `${p}.clusteringLoss`);
  (m.regularizers ?? []).forEach((r, i) => {
    if (r.kind === 'balanced' && !loss.softAssignments) throw new ParamError(`${p}.regularizers[${i}]: 'balanced' needs soft assignments (clusteringLoss ${softKinds()})`);
  });
  const update = clusterUpdateBlock(m.clusterUpdate);
  const cl = m.clusteringLoss.kind;
  if (!loss.updates.includes(update.kind))
    throw new ParamError(`${p}.clusterUpdate.kind must be ${loss.updates.map((u) => `'${u}'`).join(' or ')} with the '${cl}' clustering loss (${loss.updatesWhy})`);
  update.check(m.clusterUpdate, m);
  if (m.combination.rampIterations !== undefined && loss.fixedWeights) throw new ParamError(`${p}.combination.rampIterations cannot be used with the '${cl}' clustering loss (its objectives have fixed weights)`);
  if (loss.trains) {
    if (!m.train) throw new ParamError(`${p}.train is required when there is a clustering loss`);
    TRAIN_SECTION.check(m.train, `${p}.train`, { what: 'a method option' });
    // the clean-data targets are what make augmentation safe: refuse settings that would take them from augmented rows
    if (m.train.augment && m.clusterUpdate.targetScope === 'batch') throw new ParamError(`${p}.train.augment needs targets P from all (clean) data: use clusterUpdate.targetScope 'all', or remove train.augment`);
    if (m.nonClusteringLoss.kind === 'reconstruction' && !m.train.keepDecoder) throw new ParamError(`${p}.train.keepDecoder must be true when the clustering phase has a reconstruction loss`);
  }
  const final = finalClusteringOf(m);
  if (final) {
    knownKeys(`${p}.finalClustering`, m.finalClustering, ['kind', ...final.block.keys]);
    final.block.check(final.config, `${p}.finalClustering`);
  }
}

/** The clustering-loss kinds with soft assignments, for the message. */
function softKinds(): string {
  return clusteringLossKinds()
    .filter((kind) => clusteringLossBlock({ kind } as never).softAssignments)
    .map((kind) => `'${kind}'`)
    .join(' or ');
}

/** The schema of a whole method config. */
export const METHOD_SCHEMA = obj<MethodConfig>(
  'A whole method.',
  {
    name: str("Name of the method (a preset's name, or your own)."),
    reference: str('The paper (or source) the method follows.'),
    architecture: ARCHITECTURE,
    features: FEATURES,
    pretrain: PRETRAIN,
    initNInit: int('k-means restarts for the initial centres.'),
    nonClusteringLoss: NON_CLUSTERING_LOSS,
    clusteringLoss: CLUSTERING_LOSS,
    combination: COMBINATION,
    clusterUpdate: CLUSTER_UPDATE,
    train: TRAIN,
    reclusterAfterTraining: bool("Re-run k-means on the final embedding and report those labels (finalClustering: { kind: 'kmeans' })."),
    finalClustering: FINAL_CLUSTERING,
    regularizers: optional(list('Extra taxonomy terms of the clustering phase.', REGULARIZER, 'must be a list of regularizers, e.g. [{ kind: balanced, weight: 0.1 }]'), 'none'),
    notes: optional(list('Notes on deviations from the paper (shown by deepclust describe).', str('A note.'), 'must be a list of strings'), 'none'),
    perDataset: optional(PER_DATASET, 'none'),
    shortBudget: optional(SHORT_BUDGET, `${DEFAULT_SHORT_BUDGET.pretrainEpochs} pretraining epochs, ${DEFAULT_SHORT_BUDGET.maxIter} iterations`),
    preprocess: optional(STEPS, "the data set's own default"),
    embeddingDimFromK: optional(bool('The code width is the number of clusters (N2D): the estimator sets architecture.embeddingDim to k.'), 'false'),
  },
  { refine: checkAcross },
);
