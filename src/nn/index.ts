/** Layers and autoencoders built on the engine. */
export * from './layers.ts';
export * from './mlp-autoencoder.ts';
export * from './conv-autoencoder.ts';
