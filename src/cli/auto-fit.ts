/**
 * `deepclust fit --method auto`: inspects the data, plans the pipeline (src/auto) and runs it.
 * Writes labels.csv, result.json (every choice with its reason) and preprocessing.json (the
 * fitted statistics) into --out; without --out the labels go to stdout, or into the --json line.
 */
import { join } from 'node:path';
import { inspectData } from '../auto/inspect.ts';
import { planAuto, planReasons, planSummary } from '../auto/plan.ts';
import { runAuto } from '../auto/run.ts';
import { checkPreprocessing } from '../data/preprocess.ts';
import { atomicWrite } from '../engine/index.ts';
import { ParamError } from '../errors.ts';
import { DEEP_ONLY } from './auto-options.ts';
import type { FitHelpers } from './auto-deep-fit.ts';
import { loadDataFromOptions } from './data-options.ts';
import { evaluateLabels } from './evaluate-labels.ts';

/** The options `auto` reads (a subset of fit's). */
export interface AutoFitOptions {
  readonly k?: string;
  readonly seed?: string;
  readonly out?: string;
  readonly force?: boolean;
  readonly threads?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly preprocess?: unknown;
  readonly [key: string]: unknown;
}

function int(name: string, v: unknown, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || String(v).trim() === '') throw new ParamError(`fit: option '--${name}' must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}


/**
 * Runs `auto` from fit's parsed options and returns the result object (with `labels` when there
 * is no --out and --json is set).
 * @param prepareOutDir - fit's check-and-create of the output directory, called only after the
 *   data and the options have passed validation
 * @param helpers - fit's `--hidden` parser and run writer, for the deep branch (passed in: importing
 *   fit.ts from here would close an import cycle)
 */
export async function runAutoFit(opts: AutoFitOptions, prepareOutDir: (out: string, force: boolean) => string, helpers?: FitHelpers): Promise<Record<string, unknown>> {
  for (const key of DEEP_ONLY)
    if (opts[key] !== undefined) throw new ParamError(`fit: '--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}' configures a deep method, but --method auto does not use it; drop it or choose a --method`);
  const seed = int('seed', opts.seed ?? '0', 0)!;
  const k = int('k', opts.k, 2);
  const threads = int('threads', opts.threads, 1);
  const given = typeof opts.preprocess === 'string' ? checkPreprocessing(opts.preprocess.split(',').map((s) => s.trim()).filter(Boolean)) : undefined;
  // the inspector sees the values as stored; auto chooses the preprocessing (unless --preprocess)
  const data = await loadDataFromOptions({ ...opts, preprocess: 'none' });
  const profile = inspectData(data.x, { imageShape: data.imageShape });
  let plan = planAuto(profile, { k });
  if (given) plan = { ...plan, preprocessing: { value: given.filter((s) => s !== 'none'), reason: 'given (--preprocess)' } };
  // --- deep branch (src/cli/auto-deep-fit.ts): the plan trains a network; network flags adjust it
  const deep = await import('./auto-deep-fit.ts');
  plan = deep.applyNetworkFlags(plan, opts, helpers?.parseHidden);
  if (plan.network.value) {
    if (!helpers) throw new ParamError('auto: this plan trains a network; run it through deepclust fit');
    return deep.runAutoDeepFit({ data, plan, profile, seed, threads, k, out: opts.out, force: Boolean(opts.force), json: Boolean(opts.json), quiet: Boolean(opts.quiet), prepareOutDir, writeRun: helpers.writeRun });
  }
  // --- no network
  const outDir = opts.out ? prepareOutDir(opts.out, Boolean(opts.force)) : undefined;
  const log = opts.quiet ? undefined : (l: string) => process.stderr.write(`${l}\n`);
  if (!opts.quiet) process.stderr.write(`auto: ${planSummary(plan)}\n`);
  const t0 = performance.now();
  const res = await runAuto(data.x, plan, { seed, threads, log });
  const seconds = (performance.now() - t0) / 1000;
  const metrics = await evaluateLabels(data.labels, res.labels, res.representation, { silhouetteSample: data.x.rows > 20000 ? 20000 : undefined, seed });
  const nClasses = data.labels ? new Set(data.labels).size : null;
  const result: Record<string, unknown> = {
    method: 'auto',
    summary: planSummary(plan),
    plan: planReasons(plan),
    profile,
    dataset: { name: data.name, n: data.x.rows, d: data.x.cols, classes: nClasses, preprocessing: [...data.preprocessing, ...res.preprocessing.names], sources: data.sources },
    k: res.k,
    kEstimated: k === undefined,
    ...(res.kScores ? { kScores: res.kScores } : {}),
    clustering: res.clustering,
    decision: res.decision,
    seed,
    metrics,
    timings: { ...res.timings, total: seconds },
    outDir: outDir ?? null,
  };
  if (outDir) {
    atomicWrite(join(outDir, 'labels.csv'), `label\n${Array.from(res.labels).join('\n')}\n`);
    atomicWrite(join(outDir, 'preprocessing.json'), `${JSON.stringify(res.preprocessing.toJSON())}\n`);
    atomicWrite(join(outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  }
  if (!opts.quiet) {
    const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(4));
    process.stderr.write(`auto on ${data.name}: ${planSummary(plan)}; ran ${res.clustering}${res.decision.fallback ? ' (fallback: no clear BIC minimum)' : ''}, k = ${res.k}${k === undefined ? ` (estimated by ${res.decision.criterion})` : ''}  ACC ${fmt(metrics.acc)}  NMI ${fmt(metrics.nmi)}  ARI ${fmt(metrics.ari)}  (${seconds.toFixed(1)} s)\n`);
    if (outDir) process.stderr.write(`results in ${outDir}\n`);
  }
  if (!outDir) {
    if (opts.json) return { ...result, labels: Array.from(res.labels) };
    process.stdout.write(`${Array.from(res.labels).join('\n')}\n`);
    if (!opts.quiet) process.stderr.write('labels on stdout, one per row (pass --out <dir> to keep labels.csv and result.json)\n');
  }
  return result;
}
