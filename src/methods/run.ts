/**
 * A whole method run: builds the network, then the phases — pretraining → initial clustering →
 * clustering phase → optional final clustering — with checkpoints at their safe points. Presets
 * never contain loops; they only choose blocks, and the phases ask the blocks.
 */
import { type KCriterion, estimateK } from '../cluster/estimate-k.ts';
import { DataError } from '../errors.ts';
import type { ParameterStore } from '../engine/index.ts';
import type { RuntimeOptions } from '../engine/session.ts';
import { clusteringLossBlock, finalClusteringOf, hasClusteringPhase } from './blocks/registry.ts';
import { checkPairwiseMemory } from './checks.ts';
import { clusterPhase } from './cluster-phase.ts';
import type { MethodConfig } from './config.ts';
import { initialClustering } from './initial.ts';
import { buildNetwork, compileFeatures, embed, requireImageShape } from './network.ts';
import { pretrainPhase } from './pretrain.ts';
import { SEEDS } from './seeds.ts';
import type { PhaseInput } from './phase.ts';
import type { RunState, SafePoints } from './_run-state.ts';
import type { Autoencoder, FitKEstimate, FitRecord, HistoryRow, ProgressEvent } from './types.ts';

/** Everything the runner needs besides the method. */
export interface RunInput {
  readonly x: Float32Array;
  readonly n: number;
  readonly d: number;
  readonly imageShape?: readonly [number, number, number];
  readonly k: number;
  readonly seed: number;
  readonly runtime?: RuntimeOptions;
  /** Steps per session.run in training phases. @defaultValue 16 */
  readonly stepsPerRun?: number;
  /** Rows per inference call when embedding data. @defaultValue 4096 */
  readonly inferenceBatch?: number;
  readonly onProgress?: (e: ProgressEvent) => void;
  /** Parameters of a pretrained network to start from (skips pretraining). */
  readonly pretrained?: ParameterStore;
  /** Ground-truth labels, used only by supervised blocks (supervised SNNL). */
  readonly labels?: Int32Array;
  /** Bytes the b×b matrices of pairwise losses may take per step. @defaultValue 2 GiB */
  readonly pairwiseMemoryLimit?: number;
  /** Checkpointing: a state to resume from, and the safe points where the run may be saved or stopped. */
  readonly checkpoint?: SafePoints;
  /**
   * Called once when the pretraining phase ends (the network, the history so far, its seconds), before
   * the clustering phase: a pretraining cache stores it here, so a run that fails or stops later
   * still leaves it for the next.
   */
  readonly onPretrained?: (store: ParameterStore, history: readonly HistoryRow[], seconds: number) => void;
  /** Estimate k on the embedding after pretraining (then `k` is ignored). */
  readonly kAuto?: KAuto;
}

/** Estimating k in a run: where, how, and (when resuming) the estimate already made. */
export interface KAuto {
  /** Smallest and largest k tried (checked against the rows already). */
  readonly range: readonly [number, number];
  /** The criterion that decides. */
  readonly criterion: KCriterion;
  /** More criteria whose curves are reported. */
  readonly criteria?: readonly KCriterion[];
  /** Decides when `criterion`'s best k is the top of the range (estimateK's `topFallback`). */
  readonly topFallback?: KCriterion;
  /** The fallback also decides when its k is at least this many times `criterion`'s (estimateK's `finerRatio`). */
  readonly finerRatio?: number;
  /** The estimate of the run being resumed (not made again). */
  readonly known?: FitKEstimate;
  /** Called with the estimate as soon as it is made (a checkpoint keeps it). */
  readonly onEstimate?: (e: FitKEstimate) => void;
}

/** The criteria computed by default when k is estimated: cheap ones given the k-means fits. */
export const FIT_K_CRITERIA: readonly KCriterion[] = ['silhouette', 'calinski-harabasz', 'davies-bouldin'];

/** What a run produces. */
export interface RunOutput extends FitRecord {
  readonly net: Autoencoder;
  readonly store: ParameterStore;
  readonly history: HistoryRow[];
  readonly timings: Record<string, number>;
  /** Parameters right after pretraining (for caching). */
  readonly pretrainedStore?: ParameterStore;
  /** Clusters used (the estimate with `kAuto`). */
  readonly k: number;
  /** How k was estimated (with `kAuto`; undefined when resumed past the estimate without it). */
  readonly kEstimate?: FitKEstimate;
}

/** Refuses data the method cannot train on (before any work). */
function checkRunInput(m: MethodConfig, input: RunInput): void {
  const { n, d, k } = input;
  checkPairwiseMemory(m, input.pairwiseMemoryLimit);
  if (m.pretrain?.augment || m.train?.augment) requireImageShape(`method '${m.name}' augments images (rotations and shifts)`, input.imageShape, d);
  if (!input.kAuto && n < k) throw new DataError(`the data has ${n} samples but k = ${k} clusters were asked for; use k <= ${n}`);
  const phases = [
    ['pretraining', 'pretrain', m.pretrain?.batchSize],
    ['clustering', 'train', clusteringLossBlock(m.clusteringLoss).trains ? m.train?.batchSize : undefined],
  ] as const;
  for (const [phase, section, b] of phases)
    if (b !== undefined && b > n) throw new DataError(`the ${phase} batch size ${b} is larger than the ${n} samples; lower it (method option ${section}.batchSize, e.g. ${Math.max(1, Math.floor(n / 4))})`);
}

/** Runs a whole method; see the module comment. */
export async function runMethod(m: MethodConfig, input: RunInput): Promise<RunOutput> {
  const { x, n, d, seed } = input;
  let k = input.k;
  const K = input.stepsPerRun ?? 16;
  const inferenceBatch = input.inferenceBatch ?? 4096;
  const net = buildNetwork(m, d, input.imageShape);
  const cp = input.checkpoint;
  const resume = cp?.resume;
  // a resumed run continues from the saved state: timings so far, history, parameters
  const timings: Record<string, number> = resume ? { ...resume.timings } : {};
  const history: HistoryRow[] = resume ? resume.history : [];
  const store = resume ? resume.store : input.pretrained ? input.pretrained.clone() : net.initParameters(SEEDS.network(seed));
  checkRunInput(m, input);
  const phase: PhaseInput = { m, net, store, x, n, d, seed, runtime: input.runtime, history, onProgress: input.onProgress };

  let pretrainedStore: ParameterStore | undefined = resume?.pretrainedStore;
  let pretrainSteps = resume?.pretrainSteps ?? 0;
  // The parts of the state every phase shares; `current` names the phase whose seconds so far count.
  const common = (phase: RunState['phase'], steps: number, current?: string, t0?: number) => ({
    phase,
    steps,
    history,
    timings: current ? { ...timings, [current]: (performance.now() - t0!) / 1000 } : { ...timings },
    store,
    pretrainedStore,
    pretrainSteps,
  });
  // the clock of a phase, counting the seconds it ran before the run was resumed
  const clock = (phase: string) => performance.now() - 1000 * (resume?.timings[phase] ?? 0);
  if (resume?.phase === 'done') {
    const r = resume.done!;
    return { net, store, labels: r.labels, centers: r.centers, embeddingDim: r.embeddingDim, history, timings, iterations: r.iterations, stoppedBy: r.stoppedBy, pretrainedStore, k: r.centers.length / r.embeddingDim, kEstimate: input.kAuto?.known };
  }

  // ---- phase 1: pretraining
  const resumePretrain = resume?.phase === 'pretrain' ? resume.pretrain : undefined;
  if (resumePretrain || (!resume && m.pretrain && !input.pretrained && (m.pretrain.epochs > 0 || (m.pretrain.greedy?.epochs ?? 0) > 0))) {
    const t0 = clock('pretrain');
    pretrainSteps = await pretrainPhase({
      ...phase,
      imageShape: input.imageShape,
      labels: input.labels,
      stepsPerRun: K,
      resume: resumePretrain,
      safePoint: cp && ((steps, state) => cp.at(steps, () => ({ ...common('pretrain', steps, 'pretrain', t0), pretrain: state() }))),
    });
    pretrainedStore = store.clone();
    timings.pretrain = (performance.now() - t0) / 1000;
    input.onPretrained?.(pretrainedStore, history, timings.pretrain);
  }
  // a given (or cached) network stands for the pretraining: the later phases' streams do not
  // depend on it (seeds.ts), so they make the random choices of the fit that pretrained

  // ---- estimating k on the pretrained embedding (once; a resumed run carries the estimate)
  let kEstimate = input.kAuto?.known;
  if (input.kAuto) {
    if (!kEstimate) {
      const t0 = performance.now();
      const f = await compileFeatures(m, net, store, d, input.runtime);
      const z = await embed(f, x, n, d, inferenceBatch);
      await f.fn.dispose();
      const { range, criterion } = input.kAuto;
      const e = await estimateK({ data: z, rows: n, cols: f.dim }, { range, select: criterion, criteria: input.kAuto.criteria ?? FIT_K_CRITERIA, topFallback: input.kAuto.topFallback, finerRatio: input.kAuto.finerRatio, seed: SEEDS.estimateK(seed), threads: input.runtime?.threads });
      kEstimate = { chosen: e.k, criterion: e.selectedBy, ks: e.ks, curves: e.curves, sampleSize: e.sampleSize, seconds: e.seconds };
      timings.estimateK = (performance.now() - t0) / 1000;
      input.kAuto.onEstimate?.(kEstimate);
    }
    k = kEstimate.chosen;
  }

  // ---- phase 2: initial clustering on the features (a resumed clustering phase has it)
  const init = resume?.init ?? (await initialClustering({ ...phase, k, inferenceBatch, pretrainSteps, timings }));
  let { labels, centers } = init;
  const dim = init.dim;

  // ---- phase 3: clustering
  let iterations = 0;
  let stoppedBy: RunOutput['stoppedBy'] = 'none';
  if (hasClusteringPhase(m)) {
    const t0 = clock('cluster');
    const safe = {
      resume: resume?.cluster,
      at: (steps: number, state: () => NonNullable<RunState['cluster']>, reason?: 'phase') =>
        cp?.at(pretrainSteps + steps, () => ({ ...common('cluster', pretrainSteps + steps, 'cluster', t0), init, cluster: state() }), reason),
    };
    const r = await clusterPhase({ ...phase, k, imageShape: input.imageShape, stepsPerRun: K, inferenceBatch, centers, labels, dim, safe });
    ({ centers, labels, iterations, stoppedBy } = r);
    timings.cluster = (performance.now() - t0) / 1000;
  }

  // ---- phase 4: the final clustering on the final embedding
  const final = finalClusteringOf(m);
  if (final) {
    const t0 = performance.now();
    const f = await compileFeatures(m, net, store, d, input.runtime);
    const z = await embed(f, x, n, d, inferenceBatch);
    await f.fn.dispose();
    const r = await final.block.run(final.config, { z, n, dim: f.dim, k, method: m, seed, threads: input.runtime?.threads });
    ({ labels, centers } = r);
    for (const [name, p] of Object.entries(r.params ?? {})) store.add(`final.${name}`, [...p.shape], p.data, false);
    timings.recluster = (performance.now() - t0) / 1000;
    for (const [step, seconds] of Object.entries(r.timings ?? {})) timings[`recluster.${step}`] = seconds;
    input.onProgress?.({ phase: 'recluster', done: 1, total: 1, labels });
  }
  const steps = pretrainSteps + iterations; // every clustering iteration is one step
  cp?.at(steps, () => ({ ...common('done', steps), done: { labels, centers, iterations, stoppedBy, embeddingDim: dim } }), 'end');
  return { net, store, labels, centers, embeddingDim: dim, history, timings, iterations, stoppedBy, pretrainedStore, k, kEstimate };
}
