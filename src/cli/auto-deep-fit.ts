/**
 * The deep branch of `deepclust fit` without `--method` (auto): when the plan trains a network,
 * the network flags (--hidden, --embedding-dim, --batch-size, --pretrain-epochs, --lr) adjust
 * it, {@link runAutoDeep} fits it, and the run directory is written as `fit --method` writes it
 * (model/ with the fitted preprocessing, so `predict --model` and `embed` work, labels.csv,
 * result.json with every choice and its reason and the pretraining history, report.html unless
 * --no-report, run-manifest.json last).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { deepAutoMeta, runAutoDeep } from '../auto/deep.ts';
import type { DataProfile } from '../auto/inspect.ts';
import { type AutoPlan, type NetworkPlan, planReasons, planSummary } from '../auto/plan.ts';
import type { Dataset } from '../data/index.ts';
import { ParamError } from '../errors.ts';
import { pretrainingSummary } from '../auto/pretraining.ts';
import { AUTO_NETWORK_FLAGS, flagName } from './auto-options.ts';
import { STDIO, writeLabels } from './conventions.ts';
import { evaluateLabels } from './evaluate-labels.ts';
import { acquireLock, clearRun, removeOutputs, writeManifest } from './run-dir.ts';
import { collectReportData } from '../report/data.ts';
import { writeAutoReport } from './auto-report.ts';

function positiveInt(key: string, v: unknown): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || String(v).trim() === '') throw new ParamError(`fit: option '${flagName(key)}' must be an integer >= 1, got ${JSON.stringify(v)}`);
  return n;
}

/**
 * The plan with the network flags applied (`--hidden 256,128`, `--embedding-dim 8`,
 * `--batch-size 64`, `--pretrain-epochs 20` — turned into steps on these rows —, `--lr 0.0005`).
 * @throws ParamError when a flag is given but the plan trains no network, or a value is bad
 */
export function applyNetworkFlags(plan: AutoPlan, opts: Readonly<Record<string, unknown>>, parseHidden: FitHelpers['parseHidden'] = (v) => v?.split(',').map(Number)): AutoPlan {
  const given = AUTO_NETWORK_FLAGS.filter((key) => opts[key] !== undefined);
  if (given.length === 0) return plan;
  const net = plan.network.value;
  if (!net)
    throw new ParamError(`fit: '${flagName(given[0]!)}' configures a network, but auto trains none on this data (${plan.network.reason}); drop it or choose a --method`);
  const n = plan.profile.rows;
  const changed: Partial<{ -readonly [K in keyof NetworkPlan]: NetworkPlan[K] }> = {};
  if (opts.hidden !== undefined) {
    const hidden = parseHidden(String(opts.hidden));
    if (!hidden || hidden.length === 0) throw new ParamError("fit: auto's autoencoder needs at least one hidden layer; pass --hidden with widths such as 256,128");
    changed.hidden = hidden;
  }
  if (opts.embeddingDim !== undefined) changed.embeddingDim = positiveInt('embeddingDim', opts.embeddingDim);
  if (opts.batchSize !== undefined) {
    const b = positiveInt('batchSize', opts.batchSize);
    if (b > n) throw new ParamError(`fit: the batch size ${b} is larger than the ${n} samples; lower it (e.g. --batch-size ${Math.max(1, 2 ** Math.floor(Math.log2(Math.max(1, n / 4))))})`);
    changed.batchSize = b;
  }
  const batch = changed.batchSize ?? net.batchSize;
  if (opts.pretrainEpochs !== undefined) changed.pretrainSteps = positiveInt('pretrainEpochs', opts.pretrainEpochs) * Math.ceil(n / batch);
  if (opts.lr !== undefined) {
    const lr = Number(opts.lr);
    if (!Number.isFinite(lr) || lr <= 0 || String(opts.lr).trim() === '') throw new ParamError(`fit: option '--lr' must be a number > 0, got ${JSON.stringify(opts.lr)}`);
    changed.lr = lr;
  }
  return { ...plan, network: { value: { ...net, ...changed }, reason: `${plan.network.reason}; given: ${given.map(flagName).join(', ')}` } };
}

/** fit's helpers the deep branch reuses (fit.ts passes them in). */
export interface FitHelpers {
  /** fit's `--hidden` parser (validates the widths). */
  readonly parseHidden: (v: string | undefined) => number[] | undefined;
  /** fit's writer of model/, labels.csv and result.json. */
  readonly writeRun: (outDir: string, result: Record<string, unknown>, fitted: { save(dir: string, extra?: Record<string, unknown>): void; labels: Int32Array }, preprocessing?: unknown) => void;
}

/** What {@link runAutoDeepFit} needs from auto-fit. */
export interface AutoDeepFitInput {
  /** The loaded rows, not preprocessed (auto's plan chose the preprocessing). */
  readonly data: Dataset;
  /** The plan, with a network. */
  readonly plan: AutoPlan;
  /** What the inspector measured. */
  readonly profile: DataProfile;
  readonly seed: number;
  readonly threads?: number;
  /** k when given (--k), else undefined (estimated). */
  readonly k?: number;
  /** --out as given ('-' for labels on stdout), or undefined. */
  readonly out?: string;
  readonly force: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  /** fit's check-and-create of the output directory. */
  readonly prepareOutDir: (out: string, force: boolean) => string;
  /** fit's writer of model/, labels.csv and result.json. */
  readonly writeRun: FitHelpers['writeRun'];
  /** false (--no-report): no report.html, charts/ or report-data.json. @defaultValue true */
  readonly report?: boolean;
}

/** Runs the deep plan and writes its run directory; returns the result object (with the labels when there is no --out and --json is set). */
export async function runAutoDeepFit(input: AutoDeepFitInput): Promise<Record<string, unknown>> {
  const { data, plan, profile, seed, quiet } = input;
  const toStdout = input.out === STDIO;
  const outArg = toStdout ? undefined : input.out;
  const created = outArg !== undefined && !existsSync(outArg);
  const outDir = outArg ? input.prepareOutDir(outArg, input.force) : undefined;
  const unlock = outDir ? acquireLock(outDir, outArg!, 'fit') : undefined;
  let done = false;
  try {
    if (outDir) clearRun(outDir, false);
    if (!quiet) process.stderr.write(`auto: ${planSummary(plan)}\n`);
    const t0 = performance.now();
    const res = await runAutoDeep(data.x, plan, {
      seed,
      threads: input.threads,
      imageShape: data.imageShape,
      onProgress: quiet ? undefined : (e) => e.phase === 'pretrain' && (e.done % 10 === 0 || e.done === e.total) && process.stderr.write(`auto: pretraining epoch ${e.done}/${e.total} ${Object.entries(e.losses ?? {}).map(([key, v]) => `${key} ${v.toFixed(5)}`).join(' ')}\n`),
    });
    const seconds = (performance.now() - t0) / 1000;
    const pretraining = res.decision.pretraining;
    if (!quiet && pretraining) process.stderr.write(`auto: pretraining ${pretraining.reason}\n`);
    const summary = `${planSummary(plan)}${pretraining ? `; ${pretrainingSummary(pretraining)}` : ''}`;
    const xPre = res.preprocessing.transform(data.x);
    const embedding = await res.fitted.transform(xPre);
    const metrics = await evaluateLabels(data.labels, res.labels, embedding, { silhouetteSample: data.x.rows > 20000 ? 20000 : undefined, seed });
    const result: Record<string, unknown> = {
      method: 'auto',
      summary,
      plan: planReasons(plan),
      profile,
      dataset: { name: data.name, n: data.x.rows, d: data.x.cols, classes: data.labels ? new Set(data.labels).size : null, preprocessing: [...data.preprocessing, ...res.preprocessing.names], sources: data.sources },
      k: res.k,
      kEstimated: input.k === undefined,
      ...(res.fitted.kEstimate ? { kEstimate: res.fitted.kEstimate } : {}),
      ...(res.kScores ? { kScores: res.kScores } : {}),
      clustering: res.clustering,
      decision: res.decision,
      pretrainEpochs: res.pretrainEpochs,
      ...(pretraining ? { pretraining } : {}),
      seed,
      metrics,
      timings: { ...res.timings, total: seconds },
      config: res.method,
      history: res.fitted.history, // the pretraining losses: the report draws them
      outDir: outDir ?? null,
    };
    if (toStdout) writeLabels(STDIO, res.labels);
    if (outDir) {
      try {
        // the auto plan goes into model.json too, so FittedAutoClustering.load reads the folder
        const auto = deepAutoMeta(plan, res);
        const model = { labels: res.labels, save: (dir: string, extra: Record<string, unknown> = {}) => res.fitted.save(dir, { ...extra, auto }) };
        input.writeRun(outDir, result, model, res.preprocessing.toJSON());
        if (input.report !== false) {
          const rd = await collectReportData({ x: xPre, fitted: res.fitted, embedding, truth: data.labels, classNames: data.classNames, imageShape: data.imageShape, seed });
          await writeAutoReport(outDir, rd, quiet);
        }
        writeManifest(outDir); // last: from now on readers accept the directory as one run
      } catch (err) {
        removeOutputs(outDir); // a run that could not be written whole leaves none of its outputs
        throw err;
      }
    }
    if (!quiet) {
      const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(4));
      process.stderr.write(`auto on ${data.name}: ${summary}; k = ${res.k}${input.k === undefined ? ` (${res.decision.reason})` : ''}  ACC ${fmt(metrics.acc)}  NMI ${fmt(metrics.nmi)}  ARI ${fmt(metrics.ari)}  (${seconds.toFixed(1)} s)\n`);
      if (outDir) process.stderr.write(`results in ${outDir}\n`);
    }
    done = true;
    if (!outDir && !toStdout) {
      if (input.json) return { ...result, labels: Array.from(res.labels) };
      writeLabels(STDIO, res.labels);
      if (!quiet) process.stderr.write('labels on stdout, one per row after a label header (pass --out <dir> to keep the model and a labels.csv)\n');
    }
    return result;
  } finally {
    unlock?.();
    // a run that failed leaves no folder it created behind
    if (!done && created && outDir && readdirSync(outDir).length === 0) rmSync(resolve(outDir), { recursive: true, force: true });
  }
}
