/**
 * The deepclust engine: symbolic tensor graphs, reverse-mode autodiff, optimizers as graph
 * transforms, and compiled onnxruntime-node sessions (inference functions and whole training
 * steps run K at a time with the ONNX Loop op).
 *
 * @example
 * ```ts
 * const g = new Graph();
 * const x = g.input('x', ['batch', 4]);
 * const w = g.param('w', [4, 2]);
 * const loss = reduceMean(square(matmul(x, w)));
 * const store = initParameters(g.paramSpecs(), new Map([['w', { init: heNormal(), layout: 'dense' }]]), 42);
 * const step = await compileTrainingStep({ graph: g, loss, optimizer: adam({ lr: 1e-3 }), store });
 * const out = await step.run({ x: new Float32Array(3 * 8 * 4) }, { steps: 3 }); // 3 steps, batch 8
 * ```
 */
export * from './graph.ts';
export * from './ops/index.ts';
export { grad, topoOrder, type GradOptions } from './autodiff.ts';
export * from './optim/types.ts';
export { sgd, type SgdOptions } from './optim/sgd.ts';
export { adam, type AdamOptions } from './optim/adam.ts';
export * from './params.ts';
export { type RuntimeOptions, type TensorData, type TensorValue, executionProviderAvailable, ortVersion } from './session.ts';
export * from './runner.ts';
export { encodeModel, graphProto, OPSET, type GraphProtoSpec, type ValueSpec } from './onnx.ts';
/** The seeded random generator that {@link initialize} draws from. */
export { Rng, type RngState } from '../random.ts';
export * from './persistence.ts';
