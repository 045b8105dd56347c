/**
 * What the classical clustering commands (`deepclust kmeans`, `deepclust gmm`) share: their common
 * options in one order, the number arguments, and the preamble — loading the data, refusing a k it
 * cannot have, PCA-n features and resolving k (a number, or estimated).
 */
import type { Command } from 'commander';
import { PCA } from '../cluster/index.ts';
import type { Dataset } from '../data/index.ts';
import { ParamError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { addDataOptions, loadDataFromOptions } from './data-options.ts';
import type { KEstimate } from '../cluster/estimate-k.ts';
import { K_HELP, addKEstimationOptions, parseKCriteria, parseKSpec, resolveK } from './k-option.ts';

/** Parses an integer CLI option. @throws ParamError naming the option */
export function intArg(command: string, name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new ParamError(`${command}: option '--${name}' must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  return n;
}

/** Parses a real-valued CLI option. @throws ParamError naming the option */
export function realArg(command: string, name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min) throw new ParamError(`${command}: option '--${name}' must be a number >= ${min}, got ${JSON.stringify(value)}`);
  return n;
}

/** The parsed options every classical command has. */
export interface ClassicalCliOptions {
  k?: string;
  kCriterion?: string;
  kCriteria?: string;
  seed: string;
  pca?: string;
  threads?: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  [key: string]: unknown;
}

/** How a classical command differs in its options: its own ones, and a few help texts. */
export interface ClassicalCommandSpec {
  readonly name: string;
  readonly description: string;
  /** Options between --k and --seed (the algorithm's). */
  algorithmOptions(cmd: Command): void;
  readonly pcaHelp: string;
  /** Options between --pca and --threads (further feature steps). */
  featureOptions?(cmd: Command): void;
  readonly outHelp: string;
  /** The help's examples, one command a line. */
  readonly examples: readonly string[];
}

/** Declares a classical clustering command with its options (in the order of its help). */
export function classicalCommand(program: Command, spec: ClassicalCommandSpec): Command {
  const cmd = program.command(spec.name).description(spec.description).option('--k <n|auto|lo..hi>', K_HELP);
  spec.algorithmOptions(cmd);
  cmd.option('--seed <n>', 'seed of every random choice (also of --limit subsets)', '0').option('--pca <n>', spec.pcaHelp);
  spec.featureOptions?.(cmd);
  cmd
    .option('--threads <n>', 'onnxruntime threads (default: all cores)')
    .option('--out <file>', spec.outHelp)
    .option('--json', 'print the result as one JSON line (last line of stdout)')
    .option('--quiet', 'no progress output');
  addKEstimationOptions(cmd);
  addDataOptions(cmd);
  cmd.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}`);
  return cmd;
}

/** The common options, parsed and checked. */
export interface ClassicalSetup {
  readonly seed: number;
  readonly pcaDim?: number;
  readonly threads?: number;
  readonly kSpec: ReturnType<typeof parseKSpec>;
  readonly kCriteria: ReturnType<typeof parseKCriteria>;
  /** A progress line on stderr (none with --quiet). */
  say(line: string): void;
}

/** Parses the common options of command `c`. @throws ParamError naming the option */
export function classicalSetup(c: string, opts: ClassicalCliOptions): ClassicalSetup {
  return {
    seed: intArg(c, 'seed', opts.seed, 0)!,
    pcaDim: intArg(c, 'pca', opts.pca, 1),
    threads: intArg(c, 'threads', opts.threads, 1),
    kSpec: parseKSpec(c, opts.k),
    kCriteria: parseKCriteria(c, opts.kCriterion, opts.kCriteria),
    say: (line) => {
      if (!opts.quiet) process.stderr.write(`${line}\n`);
    },
  };
}

/**
 * Loads the data, refuses a k it cannot have (before anything is printed or computed) and any
 * further misfit `check` finds, and says what was loaded.
 * @throws ParamError naming the option
 */
export async function loadClassicalData(c: string, opts: ClassicalCliOptions, s: ClassicalSetup, check?: (data: Dataset) => void): Promise<Dataset> {
  const data = await loadDataFromOptions(opts);
  const { kSpec } = s;
  if (kSpec === undefined && !data.labels) throw new ParamError(`${c}: the data '${data.name}' has no labels, so pass the number of clusters with --k (a number, auto or a range such as 2..30)`);
  if (kSpec && 'fixed' in kSpec && kSpec.fixed > data.x.rows) throw new ParamError(`${c}: option '--k' must be an integer in [1, ${data.x.rows}] (the number of rows), got ${kSpec.fixed}`);
  check?.(data);
  s.say(`${data.name}: ${data.x.rows} × ${data.x.cols}${data.labels ? `, ${new Set(data.labels).size} classes` : ''}`);
  return data;
}

/** The first `--pca` principal components of `x` (x itself without --pca), and what the step did. */
export async function pcaFeatures(c: string, x: Matrix, s: ClassicalSetup): Promise<{ features: Matrix; info: Record<string, unknown> | null }> {
  if (s.pcaDim === undefined) return { features: x, info: null };
  const t = performance.now();
  const maxDim = Math.min(x.rows, x.cols);
  if (s.pcaDim > maxDim) throw new ParamError(`${c}: option '--pca' must be an integer in [1, ${maxDim}] (min of rows and features), got ${s.pcaDim}`);
  const pca = await new PCA({ nComponents: s.pcaDim, seed: s.seed, threads: s.threads }).fit(x);
  const features = await pca.transform(x);
  const kept = pca.explainedVarianceRatio.reduce((a, b) => a + b, 0);
  s.say(`PCA-${s.pcaDim} (${pca.svdSolver}): ${(100 * kept).toFixed(1)}% of the variance`);
  return { features, info: { nComponents: s.pcaDim, solver: pca.svdSolver, explainedVariance: kept, seconds: (performance.now() - t) / 1000 } };
}

/** k: the --k number, estimated for auto or a range, or the number of classes. */
export function classicalK(c: string, data: Dataset, features: Matrix, s: ClassicalSetup): Promise<{ k: number; estimate: KEstimate | null }> {
  return resolveK(c, s.kSpec ?? { fixed: new Set(data.labels!).size }, features, { ...s.kCriteria, seed: s.seed, threads: s.threads, log: s.say });
}
