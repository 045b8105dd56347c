/** Every op of the engine, by family. */
export * from './elementwise.ts';
export * from './activation.ts';
export * from './reduce.ts';
export * from './matmul.ts';
export * from './shape.ts';
export * from './distance.ts';
export * from './conv.ts';
export * from './norm.ts';
