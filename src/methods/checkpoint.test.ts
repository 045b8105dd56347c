// Checkpoints and resume: a fit stopped at any safe point (mid pretraining epoch, at a phase
// start, mid clustering phase, after training) and resumed gives the uninterrupted result bit
// for bit; resuming with other data, seed or settings, or from a damaged file, is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeepClustering, type FittedDeepClustering } from './deep-clustering.ts';
import type { DeepPartial, MethodConfig } from './config.ts';
import { checkpointPath, hasCheckpoint, readCheckpointInfo } from './checkpoint.ts';
import { DataError, InterruptedError } from '../errors.ts';
import { Rng } from '../random.ts';
import { normalizedMutualInfoScore } from '../metrics/index.ts';

function blobs(n = 60, d = 8, seed = 3) {
  const rng = new Rng(seed);
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < d; j++) x[i * d + j] = (i % 3) * (j % 2 ? 1 : -1) + 0.3 * rng.normal();
  }
  return { x: { data: x, rows: n, cols: d }, y };
}
const { x, y } = blobs();
// batch 16 on 60 rows: full batches and a remainder batch; 2 steps per engine call, so safe
// points fall inside epochs too
const tiny: DeepPartial<MethodConfig> = {
  architecture: { kind: 'mlp', hidden: [12], embeddingDim: 3 },
  pretrain: { epochs: 3, batchSize: 16 },
  train: { maxIter: 30, batchSize: 16 },
  clusterUpdate: { updateInterval: 7, tol: 0 },
  initNInit: 2,
};
const estimator = (method: string, seed = 5, overrides: DeepPartial<MethodConfig> = tiny) => new DeepClustering({ method, nClusters: 3, seed, overrides, stepsPerRun: 2 });
const tmp = () => mkdtempSync(join(tmpdir(), 'deepclust-ckpt-'));

/** Every output of a fit that must not depend on interruptions (timings excepted). */
function assertSameFit(b: FittedDeepClustering, a: FittedDeepClustering, what: string): void {
  assert.deepEqual(b.labels, a.labels, `${what}: labels`);
  assert.deepEqual(b.clusterCenters, a.clusterCenters, `${what}: centres`);
  assert.deepEqual(b.parameters.names(), a.parameters.names(), `${what}: parameter names and order`);
  for (const name of a.parameters.names()) assert.deepEqual(b.parameters.get(name).data, a.parameters.get(name).data, `${what}: ${name}`);
  assert.equal(b.pretrainedParameters === undefined, a.pretrainedParameters === undefined, `${what}: pretrained network`);
  for (const name of a.pretrainedParameters?.names() ?? []) assert.deepEqual(b.pretrainedParameters!.get(name).data, a.pretrainedParameters!.get(name).data, `${what}: pretrained ${name}`);
  assert.deepEqual(b.history, a.history, `${what}: history`);
  assert.equal(b.iterations, a.iterations, `${what}: iterations`);
  assert.equal(b.stoppedBy, a.stoppedBy, `${what}: stoppedBy`);
  assert.deepEqual(Object.keys(b.timings).sort(), Object.keys(a.timings).sort(), `${what}: timing phases`);
  assert.equal(normalizedMutualInfoScore(y, b.labels), normalizedMutualInfoScore(y, a.labels), `${what}: NMI`);
}

/** Fits with a checkpoint at every safe point and stops after the `stopAfter`-th save; returns the checkpoint's phase and steps. */
async function fitStopped(method: string, dir: string, stopAfter: number, resumeFrom?: string, overrides: DeepPartial<MethodConfig> = tiny): Promise<{ phase: string; steps: number }> {
  const ctl = new AbortController();
  let saves = 0;
  const err = await estimator(method, 5, overrides)
    .fit(x, { resumeFrom, signal: ctl.signal, checkpoint: { dir, every: 1, onSaved: () => ++saves === stopAfter && ctl.abort() } })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(err instanceof InterruptedError, `expected an interruption, got ${String(err)}`);
  assert.equal(err.exitCode, 130);
  assert.equal(err.checkpoint, checkpointPath(dir));
  const info = readCheckpointInfo(dir);
  return { phase: info.phase, steps: info.steps };
}

// Methods covering the state kinds: Adam + soft targets P (idec), SGD with momentum and dropout
// masks drawn per step (dec, denoising), hard assignments with a centre buffer (dcn), three
// parameter groups with their own optimizers (cdc); greedy pretraining before the end-to-end epochs.
const cases: Array<[string, string, DeepPartial<MethodConfig>, number[]]> = [
  ['idec', 'idec', tiny, [2, 5, 9, 13, 16]],
  ['denoising dec', 'dec', { ...tiny, pretrain: { ...tiny.pretrain, corruption: { kind: 'dropout', rate: 0.2 } } } as DeepPartial<MethodConfig>, [3, 11]],
  ['dcn', 'dcn', tiny, [4, 12]],
  ['cdc', 'cdc', tiny, [5, 12]],
  ['dec with greedy layer-wise pretraining', 'dec', { ...tiny, pretrain: { ...tiny.pretrain, greedy: { epochs: 2 } } } as DeepPartial<MethodConfig>, [3, 10]],
];

for (const [label, method, overrides, stops] of cases) {
  test(`${label}: stopped at safe points and resumed, the result is bit-identical to an uninterrupted fit`, async () => {
    const a = await estimator(method, 5, overrides).fit(x);
    // checkpointing itself changes nothing
    const dirA = tmp();
    const a2 = await estimator(method, 5, overrides).fit(x, { checkpoint: { dir: dirA, every: 1 } });
    assertSameFit(a2, a, `${label} with checkpoints`);
    assert.equal(readCheckpointInfo(dirA).phase, 'done', 'the last checkpoint holds the finished run');
    const phases = new Set<string>();
    for (const stop of stops) {
      const dir = tmp();
      const at = await fitStopped(method, dir, stop, undefined, overrides);
      phases.add(at.phase);
      const b = await estimator(method, 5, overrides).fit(x, { resumeFrom: dir });
      assertSameFit(b, a, `${label} stopped at save ${stop} (${at.phase}, step ${at.steps})`);
    }
    assert.ok(phases.has('pretrain') && phases.has('cluster'), `stops cover both phases: ${[...phases]}`);
  });
}

test('augmented images (idec-da): stopped in both phases and resumed, bit-identical to an uninterrupted fit', async () => {
  // the 8 features as 2×4 images; each run of batches draws its transforms from (seed, phase, epoch, position)
  const imageShape = [1, 2, 4] as const;
  const over = { ...tiny, train: { ...tiny.train, optimizer: { name: 'adam', lr: 1e-3 } } } as DeepPartial<MethodConfig>; // lr 1 diverges on 60 rows
  const a = await estimator('idec-da', 5, over).fit(x, { imageShape });
  // each batch's transforms depend on its position, not on how many steps one engine call runs
  const k5 = await new DeepClustering({ method: 'idec-da', nClusters: 3, seed: 5, overrides: over, stepsPerRun: 5 }).fit(x, { imageShape });
  assertSameFit(k5, a, 'idec-da with 5 steps per engine call');
  for (const stop of [3, 12]) {
    const dir = tmp();
    const ctl = new AbortController();
    let saves = 0;
    await assert.rejects(estimator('idec-da', 5, over).fit(x, { imageShape, signal: ctl.signal, checkpoint: { dir, every: 1, onSaved: () => ++saves === stop && ctl.abort() } }), InterruptedError);
    const b = await estimator('idec-da', 5, over).fit(x, { imageShape, resumeFrom: dir });
    assertSameFit(b, a, `idec-da stopped at save ${stop} (${readCheckpointInfo(dir).phase})`);
  }
});

test('a resumed fit can be stopped and resumed again; a finished checkpoint resumes at once', async () => {
  const method = 'idec';
  const a = await estimator(method).fit(x);
  const dir = tmp();
  const first = await fitStopped(method, dir, 3);
  const second = await fitStopped(method, dir, 6, dir);
  assert.ok(second.steps > first.steps, `progress between the stops: ${first.steps} → ${second.steps}`);
  const b = await estimator(method).fit(x, { resumeFrom: dir });
  assertSameFit(b, a, 'stopped twice');
  assert.equal(readCheckpointInfo(dir).phase, 'done');
  const c = await estimator(method).fit(x, { resumeFrom: dir });
  assertSameFit(c, a, 'resumed from the finished run');
});

test('hard-target methods (pseudo-label head, agglomerative k-means loss) resume bit-identically', async () => {
  const heads: Array<[string, DeepPartial<MethodConfig>]> = [
    ['classification', { ...tiny, clusteringLoss: { kind: 'classification' }, clusterUpdate: { kind: 'alternating', updateInterval: 7, tol: 0 } } as DeepPartial<MethodConfig>],
    ['agglomerative', { ...tiny, clusteringLoss: { kind: 'kmeans' }, clusterUpdate: { kind: 'agglomerative', updateInterval: 7, tol: 0 } } as DeepPartial<MethodConfig>],
  ];
  for (const [name, overrides] of heads) {
    const fit = (o: Parameters<DeepClustering['fit']>[1] = {}) => estimator('idec', 5, overrides).fit(x, o);
    const a = await fit();
    const dir = tmp();
    const ctl = new AbortController();
    let saves = 0;
    await assert.rejects(fit({ signal: ctl.signal, checkpoint: { dir, every: 1, onSaved: () => ++saves === 12 && ctl.abort() } }), InterruptedError);
    assert.equal(readCheckpointInfo(dir).phase, 'cluster', name);
    assertSameFit(await fit({ resumeFrom: dir }), a, name);
  }
});

test('resume is refused for other data, seed, k or settings, and for missing or damaged checkpoints', async () => {
  const dir = tmp();
  await fitStopped('idec', dir, 4);
  const refuse = async (p: Promise<unknown>, re: RegExp) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof DataError, `expected a DataError, got ${String(err)}`);
    assert.match(err.message, re);
    assert.ok(!err.message.includes('\n'), 'one line');
  };
  const other = blobs(60, 8, 4).x;
  await refuse(estimator('idec').fit(other, { resumeFrom: dir }), /was made for different data/);
  await refuse(estimator('idec', 6).fit(x, { resumeFrom: dir }), /was made with seed 5, not 6/);
  await refuse(new DeepClustering({ method: 'idec', nClusters: 4, seed: 5, overrides: tiny, stepsPerRun: 2 }).fit(x, { resumeFrom: dir }), /k = 3 clusters, not 4/);
  await refuse(estimator('idec', 5, { ...tiny, train: { maxIter: 31, batchSize: 16 } }).fit(x, { resumeFrom: dir }), /other method settings/);
  await refuse(estimator('idec').fit(x, { resumeFrom: tmp() }), /holds no checkpoint/);

  const bytes = readFileSync(checkpointPath(dir));
  const flipped = tmp();
  const b2 = Buffer.from(bytes);
  b2[b2.length - 3] ^= 0x40; // one bit of a tensor
  writeFileSync(checkpointPath(flipped), b2);
  await refuse(estimator('idec').fit(x, { resumeFrom: flipped }), /is damaged \(its SHA-256 does not match/);
  const cut = tmp();
  writeFileSync(checkpointPath(cut), bytes);
  truncateSync(checkpointPath(cut), Math.floor(bytes.length / 2));
  await refuse(estimator('idec').fit(x, { resumeFrom: cut }), /is damaged \(.*truncated/);
  const junk = tmp();
  writeFileSync(checkpointPath(junk), 'not a checkpoint');
  await refuse(estimator('idec').fit(x, { resumeFrom: junk }), /is damaged/);
  assert.ok(hasCheckpoint(dir), 'the good checkpoint is still there');
});

test('a signal without checkpoints stops the fit; a fresh fit replaces an old checkpoint', async () => {
  const ctl = new AbortController();
  ctl.abort();
  await assert.rejects(estimator('idec').fit(x, { signal: ctl.signal }), (e: unknown) => e instanceof InterruptedError && e.checkpoint === undefined);
  const dir = tmp();
  await fitStopped('idec', dir, 2);
  const before = readCheckpointInfo(dir).steps;
  await estimator('dec').fit(x, { checkpoint: { dir, every: 0 } });
  const info = readCheckpointInfo(dir);
  assert.equal(info.phase, 'done');
  assert.notEqual(info.steps, before);
});

test('Rng state round-trips exactly, the cached normal included', () => {
  const r = new Rng(11);
  r.normal(); // leaves a spare
  const copy = Rng.fromState(JSON.parse(JSON.stringify(r.getState())));
  for (let i = 0; i < 5; i++) assert.equal(copy.normal(), r.normal());
  assert.equal(copy.nextUint32(), r.nextUint32());
  assert.throws(() => Rng.fromState({ s: [1, 2], spare: null } as never), /not a generator state/);
});

test('a fit that started from the pretrained-network cache resumes with its source and history', async () => {
  const cache = tmp();
  const withCache = (method: string) => new DeepClustering({ method, nClusters: 3, seed: 5, overrides: tiny, stepsPerRun: 2, pretrainCache: cache });
  await withCache('ae-kmeans').fit(x); // stores the pretraining
  const a = await withCache('idec').fit(x);
  assert.equal(a.pretrainSource?.kind, 'cache');
  const dir = tmp();
  const ctl = new AbortController();
  let saves = 0;
  await assert.rejects(withCache('idec').fit(x, { signal: ctl.signal, checkpoint: { dir, every: 1, onSaved: () => ++saves === 4 && ctl.abort() } }), InterruptedError);
  assert.equal(readCheckpointInfo(dir).phase, 'cluster');
  const b = await withCache('idec').fit(x, { resumeFrom: dir });
  assert.deepEqual(b.pretrainSource, a.pretrainSource);
  assertSameFit(b, a, 'cached pretraining');
});
