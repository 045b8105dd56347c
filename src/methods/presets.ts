/**
 * Method presets: each a literal of {@link MethodConfig} following its paper's defaults, with any
 * deviation written in `notes`. Sources are in docs/papers.md.
 */
import { ParamError } from '../errors.ts';
import { didYouMean } from '../suggest.ts';
import type { ArchitectureConfig, MethodConfig } from './config.ts';

const DEC_AE: ArchitectureConfig = {
  kind: 'mlp',
  hidden: [500, 500, 2000],
  embeddingDim: 10,
  activation: 'relu',
  codeActivation: 'linear',
  outputActivation: 'linear',
  init: 'glorotUniform',
};

/**
 * MNIST as the DEC Caffe code and the IDEC code feed it: raw pixels × 0.02 (0..5.1), not /255. The
 * scale matters: on MNIST-70k (3 seeds) it lifted the mean ACC of AE + k-means by 0.016, DEC by 0.023
 * and IDEC by 0.048, whose γ = 0.1 was set against the reconstruction error on this scale (README, Results).
 */
const DEC_MNIST_SCALING = { mnist: { preprocess: ['dec-mnist'] }, 'mnist-10k': { preprocess: ['dec-mnist'] } } as const;
const DEC_MNIST_NOTE = 'MNIST (and mnist-10k) pixels are scaled by 0.02 (`dec-mnist`) as in the DEC and IDEC code, when you give no --preprocess; `--preprocess scale255` gives [0, 1].';

/** Autoencoder (MSE, Adam, batch 256) then k-means on the code: the baseline of DEC/IDEC's tables. */
export const AE_KMEANS: MethodConfig = {
  name: 'ae-kmeans',
  reference: 'autoencoder + k-means baseline (Xie et al. 2016; Guo et al. 2017, Table 2)',
  architecture: DEC_AE,
  features: { kind: 'code' },
  pretrain: { loss: 'mse', epochs: 100, batchSize: 256, optimizer: { name: 'adam', lr: 1e-3 } },
  initNInit: 20,
  nonClusteringLoss: { kind: 'none' },
  clusteringLoss: { kind: 'none' },
  combination: { clusteringWeight: 0, nonClusteringWeight: 1 },
  clusterUpdate: { kind: 'joint', updateInterval: 140, targetScope: 'all', tol: 0.001 },
  train: null,
  reclusterAfterTraining: false,
  perDataset: DEC_MNIST_SCALING,
  notes: ['The autoencoder is pretrained end-to-end with Adam (as the IDEC code does), not greedily layer by layer.', DEC_MNIST_NOTE],
};

/** DEC (Xie, Girshick & Farhadi, ICML 2016): pretrained AE, then KL(P‖Q) on the encoder and centres. */
export const DEC: MethodConfig = {
  ...AE_KMEANS,
  name: 'dec',
  reference: 'Xie, Girshick & Farhadi, "Unsupervised Deep Embedding for Clustering Analysis", ICML 2016',
  clusteringLoss: { kind: 'dec', alpha: 1 },
  combination: { clusteringWeight: 1, nonClusteringWeight: 0 },
  clusterUpdate: { kind: 'joint', updateInterval: 140, targetScope: 'all', tol: 0.001 },
  train: { maxIter: 20000, batchSize: 256, optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 }, keepDecoder: false },
  // T per data set: DEC-keras 30 on USPS, the Caffe DEC 20 on Reuters (docs/papers.md §1.2)
  perDataset: { ...DEC_MNIST_SCALING, usps: { clusterUpdate: { updateInterval: 30 } }, 'reuters-10k': { clusterUpdate: { updateInterval: 20 } } },
  notes: [
    'Pretraining: end-to-end autoencoder with Adam for at most 100 epochs (the paper: greedy layer-wise denoising pretraining, then 100k end-to-end SGD iterations).',
    'Clustering phase as the DEC Keras code: SGD lr 0.01 momentum 0.9, batch 256, T = 140 for MNIST, tol 0.1%, at most 20k iterations.',
    DEC_MNIST_NOTE,
  ],
};

/** IDEC (Guo, Gao, Liu & Yin, IJCAI 2017): DEC plus the decoder's reconstruction loss, γ = 0.1. */
export const IDEC: MethodConfig = {
  ...DEC,
  name: 'idec',
  reference: 'Guo, Gao, Liu & Yin, "Improved Deep Embedded Clustering with Local Structure Preservation", IJCAI 2017',
  nonClusteringLoss: { kind: 'reconstruction', loss: 'mse' },
  combination: { clusteringWeight: 0.1, nonClusteringWeight: 1 },
  train: { maxIter: 20000, batchSize: 256, optimizer: { name: 'adam', lr: 1e-3 }, keepDecoder: true },
  // the IDEC code: USPS T = 30, Reuters-10K T = 3, both with SGD lr 0.1 momentum 0.99 (docs/papers.md §1.2)
  perDataset: {
    ...DEC_MNIST_SCALING,
    usps: { clusterUpdate: { updateInterval: 30 }, train: { optimizer: { name: 'sgd', lr: 0.1, momentum: 0.99 } } },
    'reuters-10k': { clusterUpdate: { updateInterval: 3 }, train: { optimizer: { name: 'sgd', lr: 0.1, momentum: 0.99 } } },
  },
  notes: ['Pretraining for at most 100 epochs (the paper: 200).', 'Clustering phase: Adam lr 1e-3, batch 256, γ = 0.1, T = 140 (MNIST), tol 0.1%, at most 20k iterations.', DEC_MNIST_NOTE],
};

/**
 * DCN (Yang, Fu, Sidiropoulos & Hong, ICML 2017): reconstruction + k-means loss with hard
 * assignments and running-mean centre updates, weighted as the authors' DCN-New code:
 * batch mean of ‖z − μ_s‖² + ‖x − x̂‖² (sums over dimensions), Nesterov SGD lr 1e-4, 50 epochs.
 */
export const DCN: MethodConfig = {
  ...AE_KMEANS,
  perDataset: undefined, // not AE + k-means' MNIST scaling: the paper's own is unverified
  name: 'dcn',
  reference: 'Yang, Fu, Sidiropoulos & Hong, "Towards K-means-friendly Spaces: Simultaneous Deep Learning and Clustering", ICML 2017',
  nonClusteringLoss: { kind: 'reconstruction', loss: 'mse', reduction: 'sum' },
  clusteringLoss: { kind: 'kmeans' },
  // kmeansLoss is ½‖z − μ‖²: weight 2 gives the code's ‖z − μ‖².
  combination: { clusteringWeight: 2, nonClusteringWeight: 1 },
  clusterUpdate: { kind: 'alternating', updateInterval: 273, targetScope: 'all', tol: 0, initialCount: 100 },
  train: { maxIter: 13650, batchSize: 256, optimizer: { name: 'sgd', lr: 1e-4, momentum: 0.9, nesterov: true }, keepDecoder: true },
  notes: [
    'Untied weights and end-to-end Adam pretraining (the DCN-New code: tied weights, 250 layer-wise + 250 end-to-end epochs of SGD).',
    'Centres are updated in the same step as the network, from the batch codes before the network update (the code re-encodes the batch after the update); no full k-means refit every 10 epochs.',
    'maxIter 13650 = 50 epochs of MNIST-70k at batch 256; labels are checked every 273 iterations (one epoch) without a tolerance stop.',
  ],
};

/**
 * Aljalbout et al. §4, as their code's MNIST network: conv 50@5×5 → pool → conv 50@5×5 → pool →
 * conv 120@4×4 (the 120-d code), valid padding, batch norm, ReLU, a mirrored decoder that unpools
 * to the recorded switches; pretrained on MSE + L2, then MSE + cluster hardening (KL summed over
 * the batch, P once per epoch from Q with batch statistics), then k-means on the final embedding.
 * Other square image sizes: the last (code) conv spans the map left (5×5 on 32×32), so the code
 * stays 120×1×1; kernels or pools that do not fit are refused before training. COIL-20 has its own
 * settings (`perDataset`, docs/conv-coil20.md).
 */
export const CONV_DEC: MethodConfig = {
  name: 'conv-dec',
  reference: 'Aljalbout, Golkov, Siddiqui, Strobel & Cremers, "Clustering with Deep Learning: Taxonomy and New Methods", 2018, §4',
  architecture: {
    kind: 'conv',
    channels: [50, 50, 120],
    kernels: [5, 5, 4],
    strides: [1, 1, 1],
    pools: [2, 2, 1],
    padding: 'valid',
    denseCode: false,
    unpool: 'switches',
    embeddingDim: 120,
    activation: 'relu',
    batchNorm: true,
    outputActivation: 'relu',
    init: 'glorotUniform',
  },
  features: { kind: 'code' },
  // 5e-5·Σ‖W‖² in the loss is a gradient of 1e-4·W: weight decay 1e-4
  pretrain: { loss: 'mse', epochs: 50, batchSize: 100, optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4 } },
  initNInit: 20,
  nonClusteringLoss: { kind: 'reconstruction', loss: 'mse' },
  clusteringLoss: { kind: 'dec', alpha: 1 },
  // KL summed over the batch of 100 against an element-mean MSE: weight 100 on our batch-mean KL
  combination: { clusteringWeight: 100, nonClusteringWeight: 1 },
  // Q for P with each batch's batch-norm statistics, as their (non-deterministic) Lasagne expression
  clusterUpdate: { kind: 'joint', updateInterval: 700, targetScope: 'all', targetBatchNorm: 'batch', tol: 0 },
  train: { maxIter: 35000, batchSize: 100, optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9, nesterov: true }, keepDecoder: true },
  reclusterAfterTraining: true,
  perDataset: {
    // the authors' COIL-20 batch of 10; their KL summed over it is weight 10 on our batch mean; COIL20.mat is
    // sorted by object, so Q for the targets uses the running batch-norm averages; the channel widths of
    // their COIL-20 network (20 → 40 → a 320-d code) on 32×32 (docs/conv-coil20.md)
    'coil-20': {
      architecture: { channels: [20, 40, 320], kernels: [5, 5, 5], embeddingDim: 320 },
      pretrain: { batchSize: 10 },
      combination: { clusteringWeight: 10 },
      clusterUpdate: { updateInterval: 144, targetBatchNorm: 'running' },
      train: { batchSize: 10, maxIter: 7200 },
    },
  },
  notes: [
    'The network of the authors\' code for MNIST (archs/mnist.json, architecture 1); on other square images the last conv spans the map left so the code stays 120×1×1 (32×32: 5×5); the authors\' COIL-20 networks (archs/coil.json) are for 128×128 images.',
    'COIL-20 (per data set): batch 10 as the authors\' COIL-20 code, KL weight 10 (their batch sum over 10), P every 144 iterations (one epoch of 1,440) from Q with the running batch-norm averages, because COIL20.mat is sorted by object and batches of 10 in data order would each hold one object; 7,200 iterations = 50 epochs.',
    'COIL-20 network: the channel widths of the authors\' COIL-20 network (archs/coil.json, architecture 1: conv 20@9×9 → … → conv 40@5×5 → conv 320@4×4 on 128×128) fitted to the 32×32 COIL20.mat: conv 20@5×5 → pool 2 → conv 40@5×5 → pool 2 → conv 320@5×5, a 320-d code; their four conv + pool stages do not fit 32×32.',
    'Pretraining and clustering epochs are command-line arguments in the code (unverified): 50 pretraining epochs; 35,000 clustering iterations = 50 epochs of MNIST-70k at batch 100, P refreshed every 700 iterations (one epoch of 70,000), no tolerance stop.',
    'The L2 penalty is applied as weight decay 1e-4 to every parameter (the code: to Lasagne’s regularizable parameters, the conv weights and batch-norm scales γ, not the shifts β or the output bias); the learning-rate decay ×0.9999 per pretraining epoch is left out.',
    'Q for the targets P is computed with each batch\'s batch-norm statistics (batches of 100 in data order), as the code\'s non-deterministic expression (not on COIL-20: see above); the code\'s pass also updates the running averages, ours does not.',
  ],
};

/**
 * DCEC-style convolutional IDEC (Guo et al. 2017): strided conv AE 32-64-128 (5,5,3 kernels,
 * same padding) with a dense 10-d code, then reconstruction + γ·KL with γ = 0.1, as IDEC.
 */
export const DCEC: MethodConfig = {
  ...CONV_DEC,
  name: 'dcec',
  reference: 'Guo, Liu, Zhu & Yin, "Deep Clustering with Convolutional Autoencoders", ICONIP 2017',
  perDataset: undefined, // not conv-dec's COIL-20 settings
  architecture: { kind: 'conv', channels: [32, 64, 128], kernels: [5, 5, 3], strides: [2, 2, 2], embeddingDim: 10, activation: 'relu', batchNorm: false, outputActivation: 'linear', init: 'glorotUniform' },
  pretrain: { loss: 'mse', epochs: 50, batchSize: 256, optimizer: { name: 'adam', lr: 1e-3 } },
  combination: { clusteringWeight: 0.1, nonClusteringWeight: 1 },
  clusterUpdate: { kind: 'joint', updateInterval: 140, targetScope: 'all', tol: 0.001 },
  train: { maxIter: 20000, batchSize: 256, optimizer: { name: 'adam', lr: 1e-3 }, keepDecoder: true },
  reclusterAfterTraining: false,
  notes: ['Any image size (strided same-padded convs); pretraining 50 epochs (the paper: 200).'],
};

/**
 * SNNL autoencoder (Agarap & Azcarraga, IJCNN 2020): d-500-500-2000-70-2000-500-500-d, sigmoid code
 * and output, BCE + α·SNNL (α = 100) on the hidden layers, Adam 1e-3, 50 epochs, then k-means on
 * the code. Configuration n of Table I: odd n supervised, n ≥ 5 annealed temperature, n ∈ {3,4,7,8}
 * minimum ("arg-min") over layers instead of the sum.
 */
export function snnlPreset(n: number): MethodConfig {
  const supervised = n % 2 === 1;
  const annealed = n >= 5;
  const useMin = [3, 4, 7, 8].includes(n);
  return {
    name: `snnl-${n}`,
    reference: 'Agarap & Azcarraga, "Improving k-Means Clustering Performance with Disentangled Internal Representations", IJCNN 2020',
    architecture: { kind: 'mlp', hidden: [500, 500, 2000], embeddingDim: 70, activation: 'relu', codeActivation: 'sigmoid', outputActivation: 'sigmoid', init: 'heNormal' },
    features: { kind: 'code' },
    pretrain: {
      loss: 'bce',
      epochs: 50,
      batchSize: 256,
      optimizer: { name: 'adam', lr: 1e-3 },
      snnl: { alpha: 100, temperature: annealed ? 'annealed' : 1, layers: useMin ? 'min' : 'sum', supervised, distance: 'cosine' },
    },
    initNInit: 10,
    nonClusteringLoss: { kind: 'none' },
    clusteringLoss: { kind: 'none' },
    combination: { clusteringWeight: 0, nonClusteringWeight: 1 },
    clusterUpdate: { kind: 'joint', updateInterval: 140, targetScope: 'all', tol: 0.001 },
    train: null,
    reclusterAfterTraining: false,
    notes: [
      supervised ? 'Supervised: the SNNL groups are the ground-truth labels of the training data (results use labels).' : 'Unsupervised: every other point is a neighbour, so the SNNL ratio is 1 and the term is constant; this configuration trains like the BCE autoencoder.',
      'The fixed temperature (configurations 1-4) is T = 1 (the paper value is unverified); the annealed one is 1/(1 + epoch)^0.55.',
      'SNNL on every encoder layer output (including the code) and every decoder hidden layer; all layers use He-normal init (the code: Xavier for the code and output layers).',
      'The loss is computed with log-sum-exp; ε = 1e-5 only inside the log (the reference code also adds it to the denominator).',
    ],
  };
}

/** The CDC code's per-data-set settings (`start_training` in our_HDC.py) that differ from its defaults. */
const CDC_SGD_PRETRAIN = { name: 'sgd', lr: 0.1, momentum: 0.9 } as const;
const CDC_PER_DATASET = {
  'fashion-mnist': { architecture: { init: 'decUniform' }, pretrain: { epochs: 100, optimizer: CDC_SGD_PRETRAIN }, clusterUpdate: { updateInterval: 100 } },
  'reuters-10k': { architecture: { init: 'decUniform' }, pretrain: { epochs: 30, optimizer: CDC_SGD_PRETRAIN }, clusterUpdate: { updateInterval: 50 } },
} as const;

/**
 * CDC (Trinh & Pham, "Learning discriminative representations for deep clustering", MTAP 2025) as
 * the authors' released code runs it (fict-labs/Deep-Clustering-CDC, our_HDC.py + data_cdc.py):
 * d-500-500-2000-10 AE pretrained with MSE + λ[L_cr(Z,X) + L_cr(Z,X′)] (λ = 0.001), batch 64; then one
 * objective L_c + ηL_a + β[L_cr(Z,X) + L_cr(Z,X′)] (η = 0.75, β = 0.001, no reconstruction) on the
 * encoder, decoder and centres, SGD lr 0.01 momentum 0.9, batch 64, 5,000 iterations, P every h
 * iterations; labels argmax q. Per data set (`perDataset`): Fashion-MNIST pretrains 100 epochs with
 * SGD lr 0.1 momentum 0.9, DEC's variance-scaling init, h = 100; Reuters-10K likewise for 30 epochs, h = 50.
 */
export const CDC: MethodConfig = {
  ...AE_KMEANS,
  name: 'cdc',
  reference: 'Trinh & Pham, "Learning discriminative representations for deep clustering", Multimedia Tools and Applications 2025 (code: fict-labs/Deep-Clustering-CDC)',
  // the code's defaults (Keras Adam, 30 epochs, h = 50); its Fashion-MNIST and Reuters-10K settings per data set
  pretrain: { loss: 'mse', epochs: 30, batchSize: 64, optimizer: { name: 'adam', lr: 1e-3 }, correlation: { lambda: 0.001 } },
  perDataset: CDC_PER_DATASET,
  initNInit: 20,
  nonClusteringLoss: { kind: 'none' },
  // λ (the decoder's weight on L_re) = β: with no reconstruction term the three parameter groups descend one objective, as the code's single optimizer
  clusteringLoss: { kind: 'cdc', eta: 0.75, beta: 0.001, lambda: 0.001 },
  combination: { clusteringWeight: 1, nonClusteringWeight: 0 },
  clusterUpdate: { kind: 'joint', updateInterval: 50, targetScope: 'all', tol: 0 },
  train: { maxIter: 5000, batchSize: 64, optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 }, keepDecoder: true },
  notes: [
    'Settings of the authors’ code (docs/cdc.md): Fashion-MNIST pretrains 100 epochs with SGD lr 0.1 momentum 0.9 and variance-scaling init (1/3, fan-in, uniform), h = 100; Reuters-10K 30 epochs, same SGD and init, h = 50; other data 30 epochs of Adam lr 1e-3, Glorot init, h = 50 (the code: STL-10 and CIFAR-10 features pretrain with SGD lr 1.0, CIFAR-10 h = 80, clustering lr 0.1, λ = 1e-6 — bench/configs/cdc-stl10.yaml, cdc-cifar10.yaml).',
    'Losses as the code forms them, not as the paper writes them: Student-t pair scores normalised per row with the pair (i, i) included (the paper: over all pairs k ≠ l); the target side sharpened by DEC’s target distribution (code scores for L_cr, soft-assignment scores for L_a); Keras’ per-row KL averaged over the batch; gradients through both sides.',
    'Fine-tuning: one objective L_c + 0.75·L_a + 0.001·L_re for the encoder, decoder and centres (the code’s single optimizer; Algorithm 1 of the paper updates the decoder with L_AE, reconstruction included); no reconstruction term.',
    'Deviations: our batches are reshuffled every epoch in both phases (the code’s fine-tuning takes the first pass in data order); the final labels are argmax q after the last iteration (the code reports the last refresh, at iteration 4,900 when h = 100); k-means restarts are seeded by the run seed (the code fixes random_state = 7).',
  ],
};

/** CDC ablation (Table 3, column "AE + L_r"): the same autoencoder and schedule without the correlation loss, then k-means. */
export const CDC_AE: MethodConfig = {
  ...CDC,
  name: 'cdc-ae',
  pretrain: { ...CDC.pretrain!, correlation: undefined },
  perDataset: CDC_PER_DATASET,
  nonClusteringLoss: { kind: 'none' },
  clusteringLoss: { kind: 'none' },
  train: null,
  notes: ['CDC ablation (Table 3, AE + L_r): pretraining with the reconstruction loss only, then k-means (20 restarts) on the code.', CDC.notes![0]!],
};

/** CDC ablation ("AE + L_AE"): pretraining with the correlation loss, then k-means — the "AE accuracy" of the code's log. */
export const CDC_AE_CR: MethodConfig = {
  ...CDC_AE,
  name: 'cdc-ae-cr',
  pretrain: CDC.pretrain,
  notes: ['CDC ablation (Table 3, AE + L_AE = AE*): pretraining with L_AE = L_r + λ[L_cr(Z,X) + L_cr(Z,X′)], then k-means (20 restarts) on the code; this is the "AE Accuracy" of the code’s log (the clustering layer at iteration 0 of fine-tuning).', ...CDC.notes!.slice(0, 2)],
};

/** CDC ablation ("AE* + L_c"): correlation pretraining, then the clustering loss alone (η = β = 0). */
export const CDC_LC: MethodConfig = { ...CDC, name: 'cdc-lc', clusteringLoss: { kind: 'cdc', eta: 0, beta: 0, lambda: 0 }, notes: ['CDC ablation (Table 3, AE* + L_c): fine-tuning with L_c only (η = β = 0); the decoder is left unchanged.', ...CDC.notes!] };

/** CDC ablation ("AE* + L_c + L_a"): the affinity loss added, no correlation regulariser (β = 0). */
export const CDC_LC_LA: MethodConfig = { ...CDC, name: 'cdc-lc-la', clusteringLoss: { kind: 'cdc', eta: 0.75, beta: 0, lambda: 0 }, notes: ['CDC ablation (Table 3, AE* + L_c + L_a): fine-tuning with L_c + 0.75·L_a (β = 0); the decoder is left unchanged.', ...CDC.notes!] };

/** DEC-DA's augmentation (the authors' ImageDataGenerator): rotations up to 10°, shifts up to 10 % of the width and height. */
const DA_AUGMENT = { rotate: 10, shift: 0.1 } as const;
const DA_SHORT_BUDGET = { pretrainEpochs: 80, maxIter: 3000 } as const;
const DA_NOTES = [
  'Augmentation: each batch rotated by up to ±10° and shifted by up to ±10 % (bilinear); pixels from outside the image are 0 (the Keras generator repeats the edge). Targets P come from the clean data. Image data only.',
  'Pretraining: end-to-end with Adam lr 1e-3 (the code: SGD lr 1.0 momentum 0.9 for the MLP methods) for the paper’s 500 epochs; Glorot-uniform init (the code: variance scaling 1/3, fan-in).',
  `The short budget (\`--budget short\`, the quickstart): ${DA_SHORT_BUDGET.pretrainEpochs} pretraining epochs and ${DA_SHORT_BUDGET.maxIter.toLocaleString('en-US')} iterations.`,
];

/**
 * IDEC-DA (Guo, Zhu, Liu & Yin, "Deep Embedded Clustering with Data Augmentation", ACML 2018):
 * IDEC with randomly rotated and shifted images in both phases, P from the clean images.
 */
export const IDEC_DA: MethodConfig = {
  ...IDEC,
  name: 'idec-da',
  reference: 'Guo, Zhu, Liu & Yin, "Deep Embedded Clustering with Data Augmentation", ACML 2018 (FcIDEC-DA)',
  pretrain: { ...IDEC.pretrain!, epochs: 500, augment: DA_AUGMENT },
  train: { maxIter: 20000, batchSize: 256, optimizer: { name: 'sgd', lr: 1, momentum: 0.9 }, keepDecoder: true, augment: DA_AUGMENT },
  perDataset: { usps: { clusterUpdate: { updateInterval: 30 } } },
  shortBudget: DA_SHORT_BUDGET,
  notes: [...DA_NOTES, 'Clustering phase as the authors’ run_exp.py: SGD lr 1.0 momentum 0.9, batch 256, γ = 0.1, T = 140 (MNIST; 30 on USPS), tol 0.1%, at most 20k iterations.'],
};

/** DEC-DA (Guo et al., ACML 2018; FcDEC-DA): DEC with augmented images in both phases. */
export const DEC_DA: MethodConfig = {
  ...DEC,
  name: 'dec-da',
  reference: IDEC_DA.reference.replace('FcIDEC-DA', 'FcDEC-DA'),
  pretrain: IDEC_DA.pretrain,
  train: { ...DEC.train!, augment: DA_AUGMENT },
  perDataset: IDEC_DA.perDataset,
  shortBudget: DA_SHORT_BUDGET,
  notes: [...DA_NOTES, 'Clustering phase as the authors’ run_exp.py: SGD lr 0.01 momentum 0.9, batch 256, T = 140 (MNIST; 30 on USPS), tol 0.1%, at most 20k iterations.'],
};

const CONV_DA_SHORT_BUDGET = { pretrainEpochs: 100, maxIter: 6000 } as const;

/**
 * ConvDEC-DA (Guo, Zhu, Liu & Yin, ACML 2018): DEC on DCEC's convolutional autoencoder, with
 * rotated and shifted images in both phases, Adam throughout (the authors' run_exp.py).
 */
export const CONVDEC_DA: MethodConfig = {
  ...DEC_DA,
  name: 'convdec-da',
  reference: IDEC_DA.reference.replace('FcIDEC-DA', 'ConvDEC-DA'),
  architecture: DCEC.architecture,
  pretrain: { loss: 'mse', epochs: 500, batchSize: 256, optimizer: { name: 'adam', lr: 1e-3 }, augment: DA_AUGMENT },
  train: { maxIter: 20000, batchSize: 256, optimizer: { name: 'adam', lr: 1e-3 }, keepDecoder: false, augment: DA_AUGMENT },
  shortBudget: CONV_DA_SHORT_BUDGET,
  notes: [
    'The network of DCEC and the DEC-DA code: conv 32@5×5, 64@5×5, 128@3×3, stride 2, ReLU, dense 10-d code, mirrored decoder, linear output. All convs use same padding (the code: the third is valid on 28×28 images, a 3×3 map; ours is 4×4). Image rows only.',
    DA_NOTES[0]!,
    'Pretraining and clustering with Adam lr 1e-3, batch 256, for the code’s 500 pretraining epochs; T = 140 (MNIST; the code: 30 on MNIST-test and USPS), tol 0.1%, at most 20k iterations; labels are argmax q.',
    `The short budget (\`--budget short\`): ${CONV_DA_SHORT_BUDGET.pretrainEpochs} pretraining epochs and ${CONV_DA_SHORT_BUDGET.maxIter.toLocaleString('en-US')} iterations.`,
  ],
};

/** ConvIDEC-DA (Guo et al., ACML 2018): ConvDEC-DA keeping the decoder, 0.1·KL + MSE on the augmented batch. */
export const CONVIDEC_DA: MethodConfig = {
  ...CONVDEC_DA,
  name: 'convidec-da',
  reference: IDEC_DA.reference.replace('FcIDEC-DA', 'ConvIDEC-DA'),
  nonClusteringLoss: IDEC.nonClusteringLoss,
  combination: IDEC.combination,
  train: { ...CONVDEC_DA.train!, keepDecoder: true },
  notes: [...CONVDEC_DA.notes!.slice(0, 2), 'Clustering: 0.1·KL(P‖Q) + MSE reconstruction of the augmented batch (the code’s loss weights [0.1, 1.0]).', ...CONVDEC_DA.notes!.slice(2)],
};

/**
 * N2D (McConville, Santos-Rodriguez, Piechocki & Craddock, ICPR 2020), as the authors' code
 * (github rymc/n2d, `n2d.py`, `run.sh`): an autoencoder d-500-500-2000-k pretrained with MSE and
 * Adam (batch 256, 1000 epochs), no clustering loss, then UMAP of the code (20 neighbours,
 * min_dist 0, k dimensions) and a full-covariance Gaussian mixture (docs/gmm.md).
 */
export const N2D: MethodConfig = {
  ...AE_KMEANS,
  perDataset: undefined, // N2D feeds pixels / 255, not DEC's × 0.02
  name: 'n2d',
  reference: 'McConville, Santos-Rodriguez, Piechocki & Craddock, "N2D: (Not Too) Deep Clustering via Clustering the Local Manifold of an Autoencoded Embedding", ICPR 2020',
  embeddingDimFromK: true,
  initNInit: 1,
  pretrain: { loss: 'mse', epochs: 1000, batchSize: 256, optimizer: { name: 'adam', lr: 1e-3 } },
  finalClustering: { kind: 'umap-gmm', nNeighbors: 20, minDist: 0, covariance: 'full', nInit: 1, regCovar: 1e-6, tol: 1e-3, maxIter: 100 },
  shortBudget: { pretrainEpochs: 40, maxIter: 0 },
  notes: [
    'The code width is k (the number of clusters), as the authors\' n_clusters; with nClusters \'auto\' it stays 10 (the preset\'s width) and UMAP gets the estimated k dimensions.',
    'UMAP is our own implementation of umap-learn\'s algorithm (exact kNN; the fuzzy graph equals umap-learn\'s to 1e-5; umap-learn\'s epoch counts), with a random initial layout instead of the spectral one (on MNIST codes it clustered as well: docs/gmm.md) and our seeded generator instead of random_state=0.',
    'New rows (predict) go through an out-of-sample UMAP transform from stored state — the kNN weighted mean umap-learn\'s transform starts from, without its further optimisation epochs — against at most 100,000 stored training rows (a seeded sample when there are more; the other training rows get their labels through the same transform, the stored ones from their own coordinates as in N2D).',
    'Glorot-uniform weights and Adam lr 1e-3 as Keras. The runner\'s initial k-means on the code still runs (one k-means++ run, initNInit 1) before the final clustering; it does not change the result.',
    'The short budget pretrains 40 epochs (the authors: 1000).',
  ],
};

/** Every preset by name. */
export const PRESETS: Readonly<Record<string, MethodConfig>> = {
  'ae-kmeans': AE_KMEANS,
  dec: DEC,
  idec: IDEC,
  'dec-da': DEC_DA,
  'idec-da': IDEC_DA,
  dcn: DCN,
  'conv-dec': CONV_DEC,
  dcec: DCEC,
  'convdec-da': CONVDEC_DA,
  'convidec-da': CONVIDEC_DA,
  n2d: N2D,
  cdc: CDC,
  'cdc-ae': CDC_AE,
  'cdc-ae-cr': CDC_AE_CR,
  'cdc-lc': CDC_LC,
  'cdc-lc-la': CDC_LC_LA,
  ...Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((n) => [`snnl-${n}`, snnlPreset(n)])),
};

/** The preset of that name, or a ParamError listing the known ones (and the closest, when one is near). */
export function preset(name: string): MethodConfig {
  const p = PRESETS[name];
  if (p) return p;
  const names = Object.keys(PRESETS);
  throw new ParamError(`unknown method '${name}'${didYouMean(name, names)}; choose one of ${names.join(', ')}`);
}
