// Central finite differences in float64 for every differentiable op (through the real runner).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as E from './index.ts';
import { type CheckedArg, gradCheck } from './testing.ts';
import type { Graph, Tensor } from './graph.ts';

const TOL = 1e-5;

// Values bounded away from 0 and from each other, for ops with kinks (relu, abs, max, clip, pooling).
function awayFromKinks(n: number, seed = 3): number[] {
  const vals = Array.from({ length: n }, (_, i) => (0.15 + ((i * 7919 + seed * 104729) % 997) / 997) * (i % 3 === 0 ? -1 : 1));
  return vals;
}
function positive(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 0.5 + ((i * 31 + 7) % 17) / 10);
}

type Case = [name: string, build: (g: Graph, a: Tensor[]) => Tensor, args: CheckedArg[]];

const cases: Case[] = [
  ['add (broadcast [3,4] + [4])', (_g, [a, b]) => E.add(a!, b!), [{ shape: [3, 4] }, { shape: [4] }]],
  ['add (broadcast [3,1] + [1,4])', (_g, [a, b]) => E.add(a!, b!), [{ shape: [3, 1] }, { shape: [1, 4] }]],
  ['sub (broadcast)', (_g, [a, b]) => E.sub(a!, b!), [{ shape: [2, 3] }, { shape: [2, 1] }]],
  ['mul (broadcast, shared input)', (_g, [a, b]) => E.mul(E.mul(a!, b!), a!), [{ shape: [2, 3] }, { shape: [3] }]],
  ['div (broadcast)', (_g, [a, b]) => E.div(a!, b!), [{ shape: [2, 3] }, { shape: [3], values: positive(3) }]],
  ['neg', (_g, [a]) => E.neg(a!), [{ shape: [5] }]],
  ['abs', (_g, [a]) => E.abs(a!), [{ shape: [6], values: awayFromKinks(6) }]],
  ['exp', (_g, [a]) => E.exp(a!), [{ shape: [2, 3] }]],
  ['log', (_g, [a]) => E.log(a!), [{ shape: [4], values: positive(4) }]],
  ['pow (tensor ** tensor)', (_g, [a, b]) => E.pow(a!, b!), [{ shape: [4], values: positive(4) }, { shape: [4] }]],
  ['pow (tensor ** 3)', (_g, [a]) => E.pow(a!, 3), [{ shape: [4] }]],
  ['sqrt', (_g, [a]) => E.sqrt(a!), [{ shape: [4], values: positive(4) }]],
  ['reciprocal', (_g, [a]) => E.reciprocal(a!), [{ shape: [4], values: positive(4) }]],
  ['square', (_g, [a]) => E.square(a!), [{ shape: [3, 2] }]],
  ['clip', (_g, [a]) => E.clip(a!, -0.5, 0.6), [{ shape: [9], values: awayFromKinks(9).map((v) => v * 0.9) }]],
  ['maximum / minimum', (_g, [a, b]) => E.add(E.maximum(a!, b!), E.minimum(a!, E.mul(b!, 0.5))), [{ shape: [6], values: awayFromKinks(6, 1) }, { shape: [6], values: awayFromKinks(6, 2) }]],
  ['where (mask from greater)', (_g, [a, b]) => E.where(E.greater(a!, 0), a!, E.mul(b!, 3)), [{ shape: [6], values: awayFromKinks(6) }, { shape: [6] }]],
  ['relu', (_g, [a]) => E.relu(a!), [{ shape: [8], values: awayFromKinks(8) }]],
  ['leakyRelu', (_g, [a]) => E.leakyRelu(a!, 0.2), [{ shape: [8], values: awayFromKinks(8) }]],
  ['sigmoid', (_g, [a]) => E.sigmoid(a!), [{ shape: [6] }]],
  ['tanh', (_g, [a]) => E.tanh(a!), [{ shape: [6] }]],
  ['softplus', (_g, [a]) => E.softplus(a!), [{ shape: [6] }]],
  ['softmax (axis -1)', (_g, [a]) => E.softmax(a!, -1), [{ shape: [3, 4] }]],
  ['softmax (axis 0)', (_g, [a]) => E.softmax(a!, 0), [{ shape: [3, 4] }]],
  ['logSoftmax', (_g, [a]) => E.logSoftmax(a!, 1), [{ shape: [3, 4] }]],
  ['logSumExp', (_g, [a]) => E.logSumExp(a!, [1]), [{ shape: [3, 4] }]],
  ['reduceSum (axis, keepdims)', (_g, [a]) => E.reduceSum(a!, [1], true), [{ shape: [2, 3, 2] }]],
  ['reduceSum (all)', (_g, [a]) => E.reduceSum(a!), [{ shape: [2, 3] }]],
  ['reduceMean (axes 0,2)', (_g, [a]) => E.reduceMean(a!, [0, 2]), [{ shape: [2, 3, 2] }]],
  ['reduceMax', (_g, [a]) => E.reduceMax(a!, [1]), [{ shape: [3, 4], values: awayFromKinks(12) }]],
  ['reduceMin (keepdims)', (_g, [a]) => E.reduceMin(a!, [0], true), [{ shape: [3, 4], values: awayFromKinks(12, 5) }]],
  ['matmul 2-D', (_g, [a, b]) => E.matmul(a!, b!), [{ shape: [3, 4] }, { shape: [4, 2] }]],
  ['matmul batched + broadcast', (_g, [a, b]) => E.matmul(a!, b!), [{ shape: [2, 3, 4] }, { shape: [4, 2] }]],
  ['gemm transA transB alpha', (_g, [a, b]) => E.gemm(a!, b!, { transA: true, transB: true, alpha: -0.7 }), [{ shape: [4, 3] }, { shape: [2, 4] }]],
  ['gemm transA', (_g, [a, b]) => E.gemm(a!, b!, { transA: true }), [{ shape: [4, 3] }, { shape: [4, 2] }]],
  ['linear', (_g, [x, w, b]) => E.linear(x!, w!, b!), [{ shape: [3, 4] }, { shape: [4, 2] }, { shape: [2] }]],
  ['transpose', (_g, [a]) => E.transpose(a!, [2, 0, 1]), [{ shape: [2, 3, 4] }]],
  ['reshape', (_g, [a]) => E.reshape(a!, [4, -1]), [{ shape: [2, 3, 2] }]],
  ['concat', (_g, [a, b]) => E.concat([a!, b!, a!], 1), [{ shape: [2, 3] }, { shape: [2, 1] }]],
  ['slice', (_g, [a]) => E.slice(a!, 1, 1, 3), [{ shape: [2, 4] }]],
  ['gatherRows (repeated indices)', (g, [a]) => E.gatherRows(a!, g.ints([2, 0, 2, 1])), [{ shape: [3, 2] }]],
  ['squeeze/unsqueeze', (_g, [a]) => E.squeeze(E.unsqueeze(a!, [0, 2]), [0]), [{ shape: [2, 3] }]],
  ['expandLike', (g, [a, b]) => E.mul(E.expandLike(a!, b!), b!), [{ shape: [1, 3] }, { shape: [4, 3] }]],
  ['pairwiseSquaredDistances', (_g, [a, b]) => E.pairwiseSquaredDistances(a!, b!), [{ shape: [3, 4] }, { shape: [2, 4] }]],
  ['cosineSimilarity', (_g, [a, b]) => E.cosineSimilarity(a!, b!), [{ shape: [3, 4] }, { shape: [2, 4] }]],
  ['l2Normalize', (_g, [a]) => E.l2Normalize(a!), [{ shape: [3, 4] }]],
  ['conv2d stride 1 pad 1 + bias', (_g, [x, w, b]) => E.conv2d(x!, w!, b!, { stride: 1, padding: 1 }), [{ shape: [2, 2, 5, 5] }, { shape: [3, 2, 3, 3] }, { shape: [3] }]],
  ['conv2d stride 2 (uneven)', (_g, [x, w]) => E.conv2d(x!, w!, undefined, { stride: 2, padding: 1 }), [{ shape: [1, 2, 6, 6] }, { shape: [2, 2, 3, 3] }]],
  ['convTranspose2d stride 2 + outputPadding + bias', (_g, [x, w, b]) => E.convTranspose2d(x!, w!, b!, { stride: 2, padding: 1, outputPadding: 1 }), [{ shape: [2, 2, 3, 3] }, { shape: [2, 3, 3, 3] }, { shape: [3] }]],
  ['convTranspose2d stride 1', (_g, [x, w]) => E.convTranspose2d(x!, w!, undefined, {}), [{ shape: [1, 2, 3, 3] }, { shape: [2, 1, 2, 2] }]],
  ['maxPool2d', (_g, [x]) => E.maxPool2d(x!, { kernel: 2 }), [{ shape: [2, 1, 4, 4], values: awayFromKinks(32, 4) }]],
  ['upsample2d', (_g, [x]) => E.upsample2d(x!, 2), [{ shape: [1, 2, 2, 3] }]],
  ['maxUnpool2d', (_g, [x]) => { const p = E.maxPool2dWithIndices(x!, { kernel: 2 }); return E.maxUnpool2d(E.mul(p.y, p.y), p.indices, x!); }, [{ shape: [2, 2, 4, 4], values: awayFromKinks(64, 4) }]],
  ['maxUnpool2dTies', (_g, [x]) => { const p = E.maxPool2dWithIndices(x!, { kernel: 2 }); return E.maxUnpool2dTies(E.mul(p.y, p.y), p.y, x!, 2); }, [{ shape: [2, 2, 4, 4], values: awayFromKinks(64, 4) }]],
  ['batchNorm (training)', (g, [x, gm, bt]) => E.batchNorm(x!, gm!, bt!, g.buffer('rm', [3]), g.buffer('rv', [3]), { training: true }), [{ shape: [4, 3] }, { shape: [3] }, { shape: [3] }]],
  ['batchNorm conv (training)', (g, [x, gm, bt]) => E.batchNorm(x!, gm!, bt!, g.buffer('rm', [2]), g.buffer('rv', [2]), { training: true }), [{ shape: [2, 2, 2, 2] }, { shape: [2] }, { shape: [2] }]],
];

for (const [name, build, args] of cases) {
  test(`gradient: ${name}`, async () => {
    const r = await gradCheck(build, args);
    assert.ok(r.maxRelError <= TOL, `max rel error ${r.maxRelError} at ${JSON.stringify(r.worst)}`);
  });
}
