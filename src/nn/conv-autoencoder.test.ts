// The convolutional autoencoder's pooled variant (Aljalbout et al. §4): sizes, switch unpooling,
// a code without a dense layer, and the errors of shapes that cannot be mirrored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph, add, compileFunction, maxPool2dWithIndices, maxUnpool2d, maxUnpool2dTies } from '../engine/index.ts';
import { ConvAutoencoder } from './conv-autoencoder.ts';
import { ParamError } from '../errors.ts';
import { DeepClustering } from '../methods/deep-clustering.ts';
import { Rng } from '../random.ts';

const aljalbout = () =>
  new ConvAutoencoder({ imageShape: [1, 28, 28], channels: [50, 50, 120], kernels: [5, 5, 4], strides: [1, 1, 1], pools: [2, 2, 1], padding: 'valid', denseCode: false, embeddingDim: 120, batchNorm: true, outputActivation: 'relu' });


// n 8×8 images of class (i + shift) % 3: rows 3c..3c+2 lit for class c, plus noise.
function stripes(n: number, seed: number, shift = 0): { x: Float32Array; y: Int32Array } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 64);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = (i + shift) % 3;
    for (let p = 0; p < 64; p++) x[i * 64 + p] = ((p >> 3) % 3 === y[i] ? 1 : 0) + 0.05 * rng.normal();
  }
  return { x, y };
}
test("Aljalbout et al.'s MNIST network: 28 → 24 → 12 → 8 → 4 → 1×1×120 code and back to 28×28", async () => {
  const net = aljalbout();
  assert.deepEqual(net.convSizes, [[24, 24], [8, 8], [1, 1]]);
  assert.deepEqual(net.sizes, [[28, 28], [12, 12], [4, 4], [1, 1]]);
  assert.ok(!net.encoderParamNames().some((p) => p.includes('.code.')));
  assert.ok(!net.decoderParamNames().some((p) => p.includes('.uncode.')));
  const store = net.initParameters(1);
  const g = new Graph();
  const x = g.input('x', ['batch', 784]);
  const enc = net.encode(g, x, false);
  const dec = net.decode(g, enc.code, false);
  const fn = await compileFunction(g, { outputs: { z: enc.code, y: dec.output }, store });
  try {
    const rng = new Rng(2);
    const data = Float32Array.from({ length: 3 * 784 }, () => rng.random());
    const out = await fn.runBatched({ x: { data, rowSize: 784 } }, 3, 3);
    assert.equal(out.z!.data.length, 3 * 120);
    assert.equal(out.y!.data.length, 3 * 784);
    assert.ok(Array.from(out.y!.data as Float32Array).every((v) => Number.isFinite(v) && v >= 0)); // ReLU output
  } finally {
    await fn.dispose();
  }
});

test('max-unpooling puts each maximum back where it was, zeros elsewhere', async () => {
  const g = new Graph();
  const x = g.input('x', ['batch', 1, 4, 4]);
  const p = maxPool2dWithIndices(x, { kernel: 2 });
  const fn = await compileFunction(g, { outputs: { y: p.y, u: maxUnpool2d(p.y, p.indices, x) } });
  try {
    const img = [1, 5, 2, 0, 3, 4, 8, 1, 0, 0, 1, 2, 9, 0, 3, 1];
    const img2 = [2, 1, 0, 3, 1, 0, 4, 5, 6, 7, 0, 1, 2, 3, 4, 0]; // the maxima sit elsewhere
    const out = await fn.run({ x: { data: Float32Array.from([...img, ...img2]), dims: [2, 1, 4, 4] } });
    assert.deepEqual(Array.from(out.y!.data as Float32Array), [5, 8, 9, 3, 2, 5, 7, 4]);
    const u = Array.from(out.u!.data as Float32Array);
    assert.deepEqual(u.slice(0, 16), [0, 5, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 9, 0, 3, 0]);
    assert.deepEqual(u.slice(16), [2, 0, 0, 0, 0, 0, 0, 5, 0, 7, 0, 0, 0, 0, 4, 0]);
  } finally {
    await fn.dispose();
  }
});

test("max-unpooling with Theano's tie rule fills every position equal to its window's maximum", async () => {
  const g = new Graph();
  const x = g.input('x', ['batch', 1, 4, 4]);
  const p = maxPool2dWithIndices(x, { kernel: 2 });
  // the decoder unpools its own values (here: the maxima + 10) to the encoder's positions
  const incoming = add(p.y, 10);
  const fn = await compileFunction(g, { outputs: { u: maxUnpool2dTies(incoming, p.y, x, 2), one: maxUnpool2d(incoming, p.indices, x) } });
  try {
    // window 1: a tie of 5s; window 2: all zero (as after a ReLU); windows 3, 4: single maxima
    const img = [5, 5, 0, 0, 1, 0, 0, 0, 9, 0, 3, 1, 0, 2, 0, 1];
    const out = await fn.run({ x: { data: Float32Array.from(img), dims: [1, 1, 4, 4] } });
    assert.deepEqual(Array.from(out.u!.data as Float32Array), [15, 15, 10, 10, 0, 0, 10, 10, 19, 0, 13, 0, 0, 0, 0, 0]);
    // the arg-max rule keeps one position per window
    const one = Array.from(out.one!.data as Float32Array);
    assert.equal(one.filter((v) => v === 15).length, 1);
    assert.equal(one.filter((v) => v === 10).length, 1);
  } finally {
    await fn.dispose();
  }
});

test('shapes that cannot be pooled, mirrored or coded are refused with the fix', () => {
  assert.throws(() => new ConvAutoencoder({ imageShape: [1, 28, 28], channels: [8], kernels: [5], strides: [1], pools: [5], padding: 'valid' }), (e: Error) => e instanceof ParamError && /24×24 output cannot be pooled by 5/.test(e.message));
  assert.throws(() => new ConvAutoencoder({ imageShape: [1, 28, 28], channels: [50, 50, 120], kernels: [5, 5, 4], strides: [1, 1, 1], pools: [2, 2, 1], padding: 'valid', denseCode: false, embeddingDim: 10 }), /set embeddingDim to 120/);
  assert.throws(() => new ConvAutoencoder({ imageShape: [1, 28, 28], channels: [8, 8], kernels: [5], strides: [1, 1] }), /must have the same length/);
  const net = aljalbout();
  const g = new Graph();
  assert.throws(() => net.decode(g, g.input('z', ['batch', 120])), /needs the code from encode\(\)/);
});

test('the conv-dec network adapts to the image size: the last (code) conv spans the map left, so the code stays 1×1×120', async () => {
  const { buildNetwork } = await import('../methods/network.ts');
  const { preset } = await import('../methods/presets.ts');
  const cases: Array<[number, number, number[]]> = [[28, 4, [28, 12, 4, 1]], [32, 5, [32, 14, 5, 1]], [64, 13, [64, 30, 13, 1]], [20, 2, [20, 8, 2, 1]]];
  for (const [size, lastKernel, sides] of cases) {
    const net = buildNetwork(preset('conv-dec'), size * size, [1, size, size]) as ConvAutoencoder;
    assert.equal(net.options.kernels[2], lastKernel, `${size}×${size}`);
    assert.deepEqual(net.sizes.map((s) => s[0]), sides);
    const g = new Graph();
    assert.deepEqual(net.encode(g, g.input('x', ['batch', size * size])).code.shape, ['batch', 120]);
  }
  // only a 1×1 code asked for is adapted: another embeddingDim keeps the kernels and is refused with the fix
  assert.throws(() => new ConvAutoencoder({ imageShape: [1, 32, 32], channels: [50, 50, 120], kernels: [5, 5, 4], strides: [1, 1, 1], pools: [2, 2, 1], padding: 'valid', denseCode: false, embeddingDim: 10 }), /2×2 = 480 values; set embeddingDim to 480/);
});

test('kernels and pools that do not fit the image are refused before training, naming the image size', async () => {
  const { buildNetwork } = await import('../methods/network.ts');
  const { preset } = await import('../methods/presets.ts');
  // 30 → 26 → 13 → 9: 9×9 cannot be pooled by 2
  assert.throws(() => buildNetwork(preset('conv-dec'), 900, [1, 30, 30]), (e: Error) => e instanceof ParamError && /on 30×30 images layer 1's 9×9 output cannot be pooled by 2/.test(e.message));
  // 12 → 8 → 4 → 0: the second 5×5 kernel does not fit a 4×4 input
  assert.throws(() => buildNetwork(preset('conv-dec'), 144, [1, 12, 12]), (e: Error) => e instanceof ParamError && /on 12×12 images layer 1's 5×5 kernel does not fit its 4×4 input/.test(e.message));
  // a non-square map is not adapted: the code would not be 1×1
  assert.throws(() => buildNetwork(preset('conv-dec'), 28 * 32, [1, 28, 32]), /set embeddingDim to/);
  // the fit refuses before any training step
  const rows = 4;
  const est = new DeepClustering({ method: 'conv-dec', nClusters: 2, seed: 0 });
  await assert.rejects(est.fit({ data: new Float32Array(rows * 900), rows, cols: 900 }, { imageShape: [1, 30, 30] }), /on 30×30 images/);
});

for (const unpool of ['switches', 'switchesTies'] as const) {
  test(`a pooled conv autoencoder trains in a method (unpool: ${unpool}), deterministically`, async () => {
    const n = 60;
    const { x } = stripes(n, 4);
    const fit = () =>
      new DeepClustering({
        method: 'conv-dec',
        nClusters: 3,
        seed: 1,
        overrides: {
          architecture: { kind: 'conv', channels: [4, 6], kernels: [3, 2], strides: [1, 1], pools: [2, 1], padding: 'valid', denseCode: false, unpool, embeddingDim: 24, batchNorm: true },
          pretrain: { epochs: 3, batchSize: 12 },
          train: { maxIter: 10, batchSize: 12 },
          clusterUpdate: { updateInterval: 5 },
          initNInit: 2,
        } as never,
      }).fit({ data: x, rows: n, cols: 64 }, { imageShape: [1, 8, 8] });
    const a = await fit();
    const b = await fit();
    assert.equal(a.embeddingDim, 24); // 6 channels × 2 × 2
    assert.deepEqual(a.labels, b.labels);
    assert.ok(a.history.some((r) => r.phase === 'cluster'));
  });
}

test("the target pass's batch-norm statistics (clusterUpdate.targetBatchNorm) change a batch-norm network's training, and nothing without batch norm", async () => {
  const n = 60;
  const { x } = stripes(n, 5);
  const fit = (batchNorm: boolean, targetBatchNorm: 'running' | 'batch') =>
    new DeepClustering({
      method: 'conv-dec',
      nClusters: 3,
      seed: 2,
      overrides: {
        architecture: { kind: 'conv', channels: [4, 6], kernels: [3, 2], strides: [1, 1], pools: [2, 1], padding: 'valid', denseCode: false, embeddingDim: 24, batchNorm },
        pretrain: { epochs: 3, batchSize: 12 },
        train: { maxIter: 12, batchSize: 12 },
        clusterUpdate: { updateInterval: 4, targetBatchNorm },
        initNInit: 2,
      } as never,
    }).fit({ data: x, rows: n, cols: 64 }, { imageShape: [1, 8, 8] });
  const [bnBatch, bnBatchAgain, bnRunning, plainBatch, plainRunning] = await Promise.all([fit(true, 'batch'), fit(true, 'batch'), fit(true, 'running'), fit(false, 'batch'), fit(false, 'running')]);
  assert.deepEqual(Array.from(bnBatch.clusterCenters), Array.from(bnBatchAgain.clusterCenters), 'deterministic');
  // P differs (batch vs running statistics), so the centres trained towards it differ
  assert.notDeepEqual(Array.from(bnBatch.clusterCenters), Array.from(bnRunning.clusterCenters));
  // without batch norm the option has no effect (up to float rounding of a different chunking)
  const gap = Math.max(...plainBatch.clusterCenters.map((v, i) => Math.abs(v - plainRunning.clusterCenters[i]!)));
  assert.ok(gap < 1e-4, `centres differ by ${gap} without batch norm`);
  assert.deepEqual(Array.from(plainBatch.labels), Array.from(plainRunning.labels));
});

test('with batch statistics, rows left over after the last full batch are normalised within a full batch', async () => {
  // 5 batches of 12 and one row left over; the left-over row's class rotates over three fits. A
  // row normalised alone has batch-norm output = beta whatever it shows, so it could not follow.
  const n = 61;
  const lastLabelMatches: boolean[] = [];
  for (const shift of [0, 1, 2]) {
    const { x, y } = stripes(n, 6, shift);
    const fitted = await new DeepClustering({
      method: 'conv-dec',
      nClusters: 3,
      seed: 3,
      overrides: {
        // a 1×1 code, as conv-dec's: batch norm there has only the batch to average over
        architecture: { kind: 'conv', channels: [4, 6], kernels: [3, 3], strides: [1, 1], pools: [2, 1], padding: 'valid', denseCode: false, embeddingDim: 6, batchNorm: true },
        pretrain: { epochs: 3, batchSize: 12 },
        train: { maxIter: 10, batchSize: 12 },
        clusterUpdate: { updateInterval: 5, targetBatchNorm: 'batch' },
        reclusterAfterTraining: false, // the final labels come from the batch-statistics pass
        initNInit: 2,
      } as never,
    }).fit({ data: x, rows: n, cols: 64 }, { imageShape: [1, 8, 8] });
    const votes = [0, 0, 0];
    for (let i = 0; i < n - 1; i++) if (y[i] === y[n - 1]) votes[fitted.labels[i]!]!++;
    lastLabelMatches.push(fitted.labels[n - 1] === votes.indexOf(Math.max(...votes)));
  }
  assert.deepEqual(lastLabelMatches, [true, true, true], 'the left-over row joins its blob');
});
