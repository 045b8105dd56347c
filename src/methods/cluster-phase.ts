/**
 * Phase 3, the clustering phase. The loop asks the method's blocks: the clustering-loss block for
 * its graph terms, parameter groups, feeds and assignments; the cluster-update block for where the
 * centres live and how hard clusters are refreshed. Every T iterations the targets are refreshed
 * from all data and the stop test (few labels changed) runs: hooks of the shared loop ({@link runLoop}).
 */
import { Graph, type ParamGroup, type Tensor, add, compileFunction, compileTrainingStep, mul, type TrainingStep } from '../engine/index.ts';
import { argmaxRows, targetDistribution } from '../losses/clustering.ts';
import { reconstructionLoss } from '../losses/reconstruction.ts';
import { balancedAssignmentLoss, groupSparsityLoss, knnSimilarity, localityPreservingLoss } from '../losses/taxonomy.ts';
import { clusterUpdateBlock, clusteringLossBlock } from './blocks/registry.ts';
import { type HardClusters, compact, lloydRefine, wardMerge } from './hard-clusters.ts';
import { hardFrom } from './initial.ts';
import { type Chunk, type Feeds, type LoopPosition, type RowFeed, assertFiniteAfter, imageAugmenter, runLoop } from './loop.ts';
import { features, makeOptimizer, minTrainingBatch } from './network.ts';
import { SEEDS, blockRng, epochOrder } from './seeds.ts';
import type { ClusterState } from './_run-state.ts';
import type { StoppedBy } from './types.ts';
import type { PhaseInput } from './phase.ts';

/** The option a clustering-phase divergence tells the user to lower. */
export const TRAIN_LR_OPTION = 'overrides.train.optimizer.lr';

/** The clustering phase's view of the safe points: it builds only its own part of the state. */
export interface ClusterSafePoints {
  readonly resume?: ClusterState;
  at(steps: number, state: () => ClusterState, reason?: 'phase'): void;
}

/** What {@link clusterPhase} needs. */
export interface ClusterInput extends PhaseInput {
  readonly k: number;
  readonly imageShape?: readonly [number, number, number];
  readonly stepsPerRun: number;
  readonly inferenceBatch: number;
  /** The initial clusters: centres `[count, dim]` and labels. */
  readonly centers: Float32Array;
  readonly labels: Int32Array;
  readonly dim: number;
  readonly safe: ClusterSafePoints;
}

/** The clustering phase's result. */
export interface ClusterOutput {
  readonly centers: Float32Array;
  readonly labels: Int32Array;
  readonly iterations: number;
  readonly stoppedBy: StoppedBy;
}

/** Runs the clustering phase; see the module comment. */
export async function clusterPhase(input: ClusterInput): Promise<ClusterOutput> {
  const { m, net, store, x, n, d, k, dim, seed } = input;
  const K = input.stepsPerRun;
  const t = m.train!;
  const cu = m.clusterUpdate;
  const B = t.batchSize;
  const block = clusteringLossBlock(m.clusteringLoss);
  const update = clusterUpdateBlock(cu);
  // Hard targets: the clusters live outside the graph and reach it as per-point feeds.
  const hardTargets = block.hardTargets(cu.kind);
  const count0 = input.centers.length / dim;
  const rc = input.safe.resume;
  // Centres live in the store (the update block says how); a resumed run has them.
  if (!hardTargets && !rc) update.addCentres(store, input.centers, k, dim, cu);

  const g = new Graph();
  const xin = g.input('x', ['batch', d]);
  const enc = net.encode(g, xin, true);
  const z = features(m, enc);
  const usePerBatchTarget = cu.targetScope === 'batch';
  const built = block.build({
    config: m.clusteringLoss,
    method: m,
    g,
    net,
    x: xin,
    encoded: enc,
    z,
    store,
    k,
    dim,
    clusters: count0,
    hard: hardTargets,
    perBatchTarget: usePerBatchTarget,
    rng: blockRng(seed),
    optimizer: () => makeOptimizer(t.optimizer),
  });
  const terms: Record<string, Tensor> = { ...built.terms, clustering: built.clustering };
  if (built.loss) terms.loss = built.loss;
  // The schedule: the clustering weight ramps from 0 when rampIterations is set (fed per step).
  const ramp = m.combination.rampIterations ?? 0;
  const weight = ramp > 0 ? g.input('clusteringWeight', []) : m.combination.clusteringWeight;
  let loss = built.loss ?? mul(built.clustering, weight);
  if (!built.groups && m.nonClusteringLoss.kind === 'reconstruction') {
    const rec = reconstructionLoss(m.nonClusteringLoss.loss, net.decode(g, enc.code, true), xin, m.nonClusteringLoss.reduction);
    terms.reconstruction = rec;
    loss = add(loss, mul(rec, m.combination.nonClusteringWeight));
  }
  for (const r of m.regularizers ?? []) {
    const term = r.kind === 'balanced' ? balancedAssignmentLoss(built.q!) : r.kind === 'groupSparsity' ? groupSparsityLoss(z, r.groups) : localityPreservingLoss(z, g.input('similarity', ['batch', 'batch']));
    terms[r.kind] = term;
    loss = add(loss, mul(term, r.weight));
  }
  terms.loss = loss;
  const locality = (m.regularizers ?? []).find((r) => r.kind === 'locality');
  const netParams = g.params.filter((p) => p.name !== 'clusters.centers');
  const groups: ParamGroup[] = built.groups ?? [{ name: 'network', params: netParams, optimizer: makeOptimizer(t.optimizer) }, ...update.groups(g, cu, t.optimizer, makeOptimizer)];
  // The decoder's parameters may be absent from this graph (keepDecoder false): the store keeps them.
  const step: TrainingStep = await compileTrainingStep({ graph: g, loss, groups, store, seed: SEEDS.clusterSteps(seed), runtime: input.runtime, outputs: terms });
  if (rc) step.loadOptimizerState(rc.optimizer, { standard: false });

  // Assignments of all data at each refresh (the block's), or the features (hard targets).
  const ga = new Graph();
  const xa = ga.input('x', ['batch', d]);
  // batch statistics (as the training steps see the data) when the method asks for them
  const batchStatistics = cu.targetBatchNorm === 'batch';
  const za = features(m, net.encode(ga, xa, batchStatistics));
  const assign = hardTargets ? za : block.assign(za, ga.param('clusters.centers', [k, dim]), m.clusteringLoss);
  const assignFn = await compileFunction(ga, { outputs: { q: assign }, store, runtime: input.runtime });
  const runAssign = async (from: number, to: number, chunk: number) => (await assignFn.runBatched({ x: { data: x.subarray(from * d, to * d), rowSize: d } }, to - from, chunk)).q!.data as Float32Array;
  const assignAll = async () => {
    let q: Float32Array;
    const rest = n % B;
    if (!batchStatistics) q = await runAssign(0, n, input.inferenceBatch);
    else if (rest === 0 || n < B) q = await runAssign(0, n, B);
    else {
      // every row in a batch of B: the last `rest` rows are normalised with the B − rest rows before
      // them, not alone (a batch of one row would lose all its information to its own statistics)
      const head = await runAssign(0, n - rest, B);
      const tail = await runAssign(n - B, n, B);
      const width = head.length / (n - rest);
      q = new Float32Array(n * width);
      q.set(head);
      q.set(tail.subarray((B - rest) * width), (n - rest) * width);
    }
    // weights a step left non-finite show here first (that step's loss was still finite)
    if (step.step > 0) assertFiniteAfter(q, 'clustering', step.step, 'assignments', TRAIN_LR_OPTION, t.optimizer.lr);
    return q;
  };

  let labels = rc ? rc.labels : input.labels;
  let hard: HardClusters | undefined = rc?.hard;
  // Per-point rows fed with each batch (P, or the hard-target block's feed), gathered by the permutation.
  const rowFeeds: RowFeed[] = [];
  const feedsP = block.targetDistribution && !usePerBatchTarget && !hardTargets;
  if (feedsP) rowFeeds.push({ name: 'p', width: k, data: new Float32Array(0), scratch: new Float32Array(K * B * k) });
  const hardFeed = hardTargets ? block.hardFeed! : undefined;
  if (hardFeed) {
    const width = hardFeed.width(dim, count0);
    rowFeeds.push({ name: hardFeed.name, width, data: new Float32Array(n * width), scratch: new Float32Array(K * B * width) });
  }
  if (rc?.feed && rowFeeds[0]) rowFeeds[0].data = rc.feed;
  let stoppedBy: StoppedBy = 'maxIter';
  const augment = imageAugmenter(t.augment, input.imageShape, SEEDS.augment(seed), 'cluster');
  // the per-step feeds: the ramped clustering weight, the locality loss's k-NN similarity in input space
  const extraFeeds = ({ steps, batch, ite }: Chunk) => (buf: Float32Array, _rows: number, feeds: Feeds) => {
    if (locality) {
      const sim = new Float32Array(steps * batch * batch);
      for (let s = 0; s < steps; s++) sim.set(knnSimilarity(buf.subarray(s * batch * d, (s + 1) * batch * d), batch, d, locality.neighbors, locality.bandwidth), s * batch * batch);
      feeds.similarity = { data: sim, dims: [steps, batch, batch] };
    }
    if (ramp > 0) {
      const w = new Float32Array(steps);
      for (let s = 0; s < steps; s++) w[s] = m.combination.clusteringWeight * Math.min(1, (ite + s) / ramp);
      feeds.clusteringWeight = { data: w, dims: [steps] };
    }
  };
  // every T iterations: new targets (or hard clusters) from all data, the history row, the stop test
  const refresh = async ({ ite }: LoopPosition, losses: Record<string, number>): Promise<boolean> => {
    const q = await assignAll();
    let labelChange: number;
    let merging = false;
    if (hardTargets) {
      // k-means steps on the new embedding from the current clusters (then, agglomerative, a merge stage)
      const start = hard ?? hardFrom(q, n, dim, labels, count0);
      const refined = lloydRefine(q, n, dim, start, update.refineSteps);
      labelChange = changedFraction(refined.labels, hard ? hard.labels : labels);
      hard = compact(refined, dim);
      const merged = update.merge?.(hard, dim, k, cu);
      if (merged) {
        hard = merged;
        merging = true;
      }
      labels = hard.labels;
      hardFeed!.fill(rowFeeds[0]!, hard, dim);
    } else {
      const newLabels = argmaxRows(q, n, k);
      labelChange = changedFraction(newLabels, labels);
      labels = newLabels;
      if (feedsP) rowFeeds[0]!.data = targetDistribution(q, n, k);
    }
    if (hard) losses.clusters = hard.count;
    input.history.push({ phase: 'cluster', step: ite, losses, labelChange });
    input.onProgress?.({ phase: 'cluster', done: ite, total: t.maxIter, losses, labelChange, labels });
    return ite > 0 && !merging && (!hard || hard.count === k) && labelChange < cu.tol;
  };
  // a resumed run continues the epoch order at its position
  const end = await runLoop({
    step,
    x,
    width: d,
    n,
    batchSize: B,
    stepsPerRun: K,
    minRemainder: minTrainingBatch(m),
    maxSteps: t.maxIter,
    refreshEvery: cu.updateInterval,
    buffer: new Float32Array(K * B * d),
    rowFeeds,
    phase: 'clustering',
    lrOption: TRAIN_LR_OPTION,
    lr: t.optimizer.lr,
    subtotal: true,
    start: rc,
    order: (epoch) => epochOrder(seed, 'cluster', epoch, n),
    hooks: {
      // the safe point: everything the loop carries is in the state (a save when the phase starts)
      beforeChunk: (at, first) =>
        input.safe.at(step.step, () => ({ ...at, sums: { ...at.sums }, labels, feed: rowFeeds[0]?.data, hard, optimizer: step.optimizerState({ standard: false }) }), first && !rc ? 'phase' : undefined),
      onRefresh: refresh,
      transform: (c) => augment?.(c.epoch, c.from, c.batch),
      extraFeeds,
    },
  });
  const ite = end.ite;
  if (end.stopped) stoppedBy = 'tolerance';
  let centers: Float32Array;
  if (hardTargets) {
    // Final clusters on the final embedding, merged down to k if the schedule had not got there.
    let h = lloydRefine(await assignAll(), n, dim, hard!, stoppedBy === 'maxIter' ? 10 : 0, true);
    if (h.count > k) h = wardMerge(h, dim, k);
    labels = h.labels;
    centers = Float32Array.from(h.centroids);
  } else {
    // Steps ran after the last refresh: label the data with the final network and centres.
    if (stoppedBy === 'maxIter') labels = argmaxRows(await assignAll(), n, k);
    centers = Float32Array.from(store.get('clusters.centers').data);
  }
  await step.dispose();
  await assignFn.dispose();
  return { centers, labels, iterations: ite, stoppedBy };
}

function changedFraction(a: Int32Array, b: Int32Array): number {
  let changed = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) changed++;
  return changed / a.length;
}
