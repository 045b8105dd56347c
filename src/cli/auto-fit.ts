/**
 * `deepclust fit --method auto`: inspects the data, plans the pipeline and runs it, through the
 * library's {@link AutoClustering} (src/auto). With --out it writes a run directory as `fit
 * --method` does (locked while written, emptied first, `run-manifest.json` last): `model/` (the
 * fitted pipeline, which `predict`, `embed` and `export --model` read), labels.csv,
 * result.json (every choice with its reason) and, unless --no-report, report.html with
 * report-data.json and charts/; without --out the labels go to stdout, or into the --json line.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AutoClustering, type AutoClusteringOptions } from '../auto/index.ts';
import { planReasons, planSummary } from '../auto/plan.ts';
import { checkPreprocessing } from '../data/preprocess.ts';
import { atomicWrite } from '../engine/index.ts';
import { ParamError } from '../errors.ts';
import { DEEP_ONLY } from './auto-options.ts';
import type { FitHelpers } from './auto-deep-fit.ts';
import { STDIO, writeLabels } from './conventions.ts';
import { loadDataFromOptions } from './data-options.ts';
import { evaluateLabels } from './evaluate-labels.ts';
import { parseKSpec } from './k-option.ts';
import { acquireLock, clearRun, removeOutputs, removeTempFiles, writeManifest } from './run-dir.ts';
import { collectAutoReportData } from '../report/data.ts';
import { writeAutoReport } from './auto-report.ts';

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

/** `--k` for auto: a number >= 2, `auto`, or a range `lo..hi`. */
function nClustersOf(value: string | undefined): AutoClusteringOptions['nClusters'] {
  const spec = parseKSpec('fit', value);
  if (spec === undefined) return undefined;
  if ('fixed' in spec) {
    if (spec.fixed < 2) throw new ParamError(`fit: option '--k' must be an integer >= 2, got ${JSON.stringify(value)}`);
    return spec.fixed;
  }
  const r = spec.range;
  if (r && !(r[0] >= 2 && r[0] <= r[1])) throw new ParamError(`fit: option '--k' as a range must be lo..hi with 2 <= lo <= hi, got ${JSON.stringify(value)}`);
  return r ?? 'auto';
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
  const nClusters = nClustersOf(opts.k);
  const threads = int('threads', opts.threads, 1);
  const given = typeof opts.preprocess === 'string' ? checkPreprocessing(opts.preprocess.split(',').map((s) => s.trim()).filter(Boolean)) : undefined;
  // the inspector sees the values as stored; auto chooses the preprocessing (unless --preprocess)
  const data = await loadDataFromOptions({ ...opts, preprocess: 'none' });
  const log = opts.quiet ? undefined : (l: string) => process.stderr.write(`${l}\n`);
  const auto = new AutoClustering({ nClusters, seed, threads, log, ...(given ? { preprocess: given.length ? given : 'none' } : {}) });
  const planned = auto.plan(data.x, { imageShape: data.imageShape }); // validates k against the rows before anything is written
  // --- deep branch (src/cli/auto-deep-fit.ts): the plan trains a network; network flags adjust it
  const deep = await import('./auto-deep-fit.ts');
  const plan = deep.applyNetworkFlags(planned, opts, helpers?.parseHidden);
  if (plan.network.value) {
    if (!helpers) throw new ParamError('auto: this plan trains a network; run it through deepclust fit');
    return deep.runAutoDeepFit({ data, plan, profile: plan.profile, seed, threads, k: typeof nClusters === 'number' ? nClusters : undefined, out: opts.out, force: Boolean(opts.force), json: Boolean(opts.json), quiet: Boolean(opts.quiet), prepareOutDir, writeRun: helpers.writeRun, report: opts.report !== false });
  }
  // --- no network
  const created = opts.out !== undefined && !existsSync(opts.out);
  const outDir = opts.out ? prepareOutDir(opts.out, Boolean(opts.force)) : undefined;
  // the directory is this run's from here: locked, and emptied of an earlier run's outputs
  const unlock = outDir ? acquireLock(outDir, opts.out!, 'fit') : undefined;
  let done = false;
  try {
    if (outDir) clearRun(outDir, false);
    const result = await fitInto(auto, plan, data, opts, seed, nClusters, outDir);
    done = true;
    return result;
  } catch (err) {
    if (outDir) removeOutputs(outDir); // a run that could not be written whole leaves none of its outputs
    throw err;
  } finally {
    unlock?.();
    if (!done && created && outDir && readdirSync(outDir).length === 0) rmSync(outDir, { recursive: true, force: true });
  }
}

async function fitInto(auto: AutoClustering, plan: ReturnType<AutoClustering['plan']>, data: Awaited<ReturnType<typeof loadDataFromOptions>>, opts: AutoFitOptions, seed: number, nClusters: AutoClusteringOptions['nClusters'], outDir: string | undefined): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const res = await auto.fit(data.x, { imageShape: data.imageShape, plan });
  const seconds = (performance.now() - t0) / 1000;
  const metrics = await evaluateLabels(data.labels, res.labels, res.representation, { silhouetteSample: data.x.rows > 20000 ? 20000 : undefined, seed });
  const nClasses = data.labels ? new Set(data.labels).size : null;
  const estimated = typeof nClusters !== 'number';
  const result: Record<string, unknown> = {
    method: 'auto',
    summary: planSummary(plan),
    plan: planReasons(plan),
    profile: plan.profile,
    dataset: { name: data.name, n: data.x.rows, d: data.x.cols, classes: nClasses, preprocessing: [...data.preprocessing, ...res.preprocessing.names], sources: data.sources },
    k: res.k,
    kEstimated: estimated,
    ...(res.kScores ? { kScores: res.kScores } : {}),
    clustering: res.clustering,
    decision: res.decision,
    seed,
    metrics,
    timings: { ...res.timings, total: seconds },
    outDir: outDir ?? null,
  };
  if (outDir) {
    // the fitted pipeline: predict / embed / export --model read it (model.json: kind 'auto')
    res.save(join(outDir, 'model'), { dataset: result.dataset });
    writeLabels(join(outDir, 'labels.csv'), res.labels);
    atomicWrite(join(outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    if (opts.report !== false) {
      const rd = collectAutoReportData({ x: data.x, representation: res.representation ?? res.preprocessing.transform(data.x), labels: res.labels, k: res.k, truth: data.labels, classNames: data.classNames, imageShape: data.imageShape, seed });
      await writeAutoReport(outDir, rd, Boolean(opts.quiet));
    }
    removeTempFiles(outDir);
    writeManifest(outDir); // last: from now on readers accept the directory as one run
  }
  if (!opts.quiet) {
    const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(4));
    process.stderr.write(`auto on ${data.name}: ${planSummary(plan)}; ran ${res.clustering}${res.decision.units?.chosen === 'center' ? ' on the raw units (center: the better Gaussian fit)' : ''}${res.decision.fallback ? ' (fallback: no clear BIC minimum)' : ''}, k = ${res.k}${estimated ? ` (estimated by ${res.decision.criterion})` : ''}  ACC ${fmt(metrics.acc)}  NMI ${fmt(metrics.nmi)}  ARI ${fmt(metrics.ari)}  (${seconds.toFixed(1)} s)\n`);
    if (outDir) process.stderr.write(`results in ${outDir}\n`);
  }
  if (!outDir) {
    if (opts.json) return { ...result, labels: Array.from(res.labels) };
    writeLabels(STDIO, res.labels); // the one label format: a 'label' header, one cluster per row
    if (!opts.quiet) process.stderr.write('labels on stdout, one per row after a label header (pass --out <dir> to keep the model, labels.csv and result.json)\n');
  }
  return result;
}
