/**
 * The network and pretraining sections of a method config: optimizer, architecture, features,
 * pretraining (corruption, SNNL, correlation, greedy layer pairs, augmentation).
 */
import type { Activation, InitName } from '../nn/layers.ts';

/** Optimizer settings (see the engine's `sgd` / `adam`). */
export type OptimizerConfig =
  | {
      /** Adam (Kingma & Ba). */
      readonly name: 'adam';
      /** Learning rate. */
      readonly lr: number;
      /** Decay of the first-moment average. @defaultValue 0.9 */
      readonly beta1?: number;
      /** Decay of the second-moment average. @defaultValue 0.999 */
      readonly beta2?: number;
      /** Added to the root of the second moment. @defaultValue 1e-8 */
      readonly eps?: number;
      /** L2 penalty added to the gradient. @defaultValue 0 */
      readonly weightDecay?: number;
    }
  | {
      /** Stochastic gradient descent. */
      readonly name: 'sgd';
      /** Learning rate. */
      readonly lr: number;
      /** Momentum factor. @defaultValue 0 */
      readonly momentum?: number;
      /** Nesterov momentum. @defaultValue false */
      readonly nesterov?: boolean;
      /** L2 penalty added to the gradient. @defaultValue 0 */
      readonly weightDecay?: number;
    };

/** Network architecture. */
export type ArchitectureConfig =
  | {
      /** A fully connected autoencoder. */
      readonly kind: 'mlp';
      /** Encoder hidden widths; the decoder mirrors them. */
      readonly hidden: readonly number[];
      /** Width of the code (embedding) layer. */
      readonly embeddingDim: number;
      /** Activation of the hidden layers. */
      readonly activation: Activation;
      /** Activation of the code layer (usually linear). */
      readonly codeActivation: Activation;
      /** Activation of the reconstruction (linear, or sigmoid for data in [0, 1]). */
      readonly outputActivation: Activation;
      /** Weight initialiser. */
      readonly init: InitName;
    }
  | {
      /** A convolutional autoencoder (image rows). */
      readonly kind: 'conv';
      /** Output channels of each strided conv layer of the encoder; the decoder mirrors them. */
      readonly channels: readonly number[];
      /** Kernel size of each conv layer. */
      readonly kernels: readonly number[];
      /** Stride of each conv layer (2 halves the image). */
      readonly strides: readonly number[];
      /** Max-pooling window after each conv (1 = none). @defaultValue all 1 */
      readonly pools?: readonly number[];
      /** 'same' or 'valid' conv padding. @defaultValue 'same' */
      readonly padding?: 'same' | 'valid';
      /** A dense code layer (DCEC) or the last conv's output as the code (Aljalbout). @defaultValue true */
      readonly denseCode?: boolean;
      /** Decoder unpooling: to the encoder's switches (arg-max, or every tied maximum) or nearest-neighbour. @defaultValue 'switches' */
      readonly unpool?: 'switches' | 'switchesTies' | 'nearest';
      /** Width of the dense code layer (with `denseCode`). */
      readonly embeddingDim: number;
      /** Activation of the conv layers. */
      readonly activation: Activation;
      /** Batch normalisation after each conv layer. */
      readonly batchNorm: boolean;
      /** Activation of the reconstruction. */
      readonly outputActivation: Activation;
      /** Weight initialiser. */
      readonly init: InitName;
    };

/** Which representation the clustering sees. */
export type FeaturesConfig =
  | {
      /** The code (embedding) layer. */
      readonly kind: 'code';
    }
  | {
      /** Several encoder layers, concatenated. */
      readonly kind: 'layers';
      /** Encoder layer indices (0 = first hidden); concatenated. */
      readonly layers: readonly number[];
    };

/** Autoencoder pretraining (phase 1). */
export interface PretrainConfig {
  /** Reconstruction loss: mean squared error, or binary cross-entropy (data in [0, 1]). */
  readonly loss: 'mse' | 'bce';
  /** Epochs (passes over the data). */
  readonly epochs: number;
  /** Mini-batch size. */
  readonly batchSize: number;
  /** Optimizer of the pretraining. */
  readonly optimizer: OptimizerConfig;
  /** Input corruption while pretraining (denoising autoencoder). */
  readonly corruption?: {
    /** Drop inputs to 0 (scaled), or add Gaussian noise. */
    readonly kind: 'dropout' | 'gaussian';
    /** Dropout probability, or the noise's standard deviation. */
    readonly rate: number;
  };
  /** Soft nearest neighbour loss on the hidden layers (Agarap & Azcarraga 2020), added with weight α. */
  readonly snnl?: SnnlConfig;
  /** CDC's pretraining regulariser λ[L_cr(Z, X) + L_cr(Z, X′)] (Trinh & Pham). */
  readonly correlation?: {
    /** Weight λ of the regulariser. */
    readonly lambda: number;
  };
  /** Greedy layer-wise denoising pretraining before the end-to-end epochs (DEC; MLP only). */
  readonly greedy?: GreedyPretrainConfig;
  /** Random rotations and shifts of the input images (DEC-DA) in the end-to-end epochs (greedy layer-wise pairs train on clean rows); image data only. */
  readonly augment?: AugmentConfig;
  /** Stop the end-to-end epochs early when the loss stops improving (see {@link PlateauConfig}); the epochs stay the cap. @defaultValue none: every epoch runs */
  readonly plateau?: PlateauConfig;
}

/**
 * Early stop of pretraining on a plateau: every `window` steps the mean loss of those steps is
 * compared with the best window mean so far; a window lower by more than `minDelta` (relative)
 * becomes the best. Pretraining stops at the first window end where the best is `steps` or more
 * steps old, and not before `minSteps` steps.
 */
export interface PlateauConfig {
  /** Steps without an improvement after which pretraining stops. */
  readonly steps: number;
  /** Relative improvement that counts (0.01: the window mean must be 1 % below the best). @defaultValue 0.01 */
  readonly minDelta?: number;
  /** Steps per loss window (the checks fall on its multiples). @defaultValue max(1, round(steps / 10)) */
  readonly window?: number;
  /** No stop before this many steps. @defaultValue steps */
  readonly minSteps?: number;
}

/** Random affine augmentation of image inputs (Guo et al., ACML 2018: rotation ≤ 10°, shift ≤ 10 %). */
export interface AugmentConfig {
  /** Largest rotation in degrees. */
  readonly rotate: number;
  /** Largest shift along each axis, as a fraction of the image's width and height (0.1: 2.8 pixels of 28). */
  readonly shift: number;
}

/** DEC's greedy layer-wise pretraining: each encoder/decoder layer pair as a denoising autoencoder. */
export interface GreedyPretrainConfig {
  /** Epochs per layer pair (DEC: 50,000 iterations of batch 256 per layer). */
  readonly epochs: number;
  /** Dropout rate of each pair's input. @defaultValue 0.2 */
  readonly corruption?: number;
  /** Optimizer of the layer pairs (DEC: SGD lr 0.1, momentum 0.9). @defaultValue the pretraining optimizer */
  readonly optimizer?: OptimizerConfig;
}

/** The SNNL block of the SNNL autoencoder. */
export interface SnnlConfig {
  /** Weight α of the SNNL term. */
  readonly alpha: number;
  /** A fixed temperature, or `'annealed'`: T = 1/(1 + epoch)^0.55. */
  readonly temperature: number | 'annealed';
  /** Sum of the per-layer losses, or their minimum ("arg-min"). */
  readonly layers: 'sum' | 'min';
  /** Groups are the ground-truth labels (supervised) or all other points (unsupervised). */
  readonly supervised: boolean;
  /** Distance between points in the loss's kernel. */
  readonly distance: 'cosine' | 'euclidean';
}

