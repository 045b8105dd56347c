/**
 * The `--k` option of the clustering commands: a number, `auto` (estimate k in 2..min(30, n − 1))
 * or a range `lo..hi` to estimate it in; plus `--k-criterion` / `--k-criteria` choosing how.
 */
import type { Command } from 'commander';
import { DEFAULT_K_CRITERION, K_CRITERIA, type KCriterion, type KEstimate, checkKRange, estimateK } from '../cluster/estimate-k.ts';
import { ParamError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';

/** A parsed `--k`: a fixed number, or estimate it (optionally within a range). */
export type KSpec = { readonly fixed: number } | { readonly auto: true; readonly range?: readonly [number, number] };

/** Help text of `--k`. */
export const K_HELP = 'number of clusters, "auto" to estimate it in 2..30, or a range such as 2..30 to estimate it in (default: the number of classes when the data has labels)';

/** Adds `--k-criterion` and `--k-criteria` (the `--k` option itself stays with each command). */
export function addKEstimationOptions(cmd: Command): Command {
  return cmd
    .option('--k-criterion <name>', `with --k auto or a range: the criterion that decides (${K_CRITERIA.join(', ')})`, DEFAULT_K_CRITERION)
    .option('--k-criteria <list>', 'with --k auto or a range: more criteria whose curves are reported (comma-separated, or "all")');
}

/**
 * Parses `--k`: a positive integer, `auto`, or `lo..hi`.
 * @throws ParamError naming the accepted forms
 */
export function parseKSpec(command: string, value: string | undefined): KSpec | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === 'auto') return { auto: true };
  const m = /^(\d+)\s*\.\.\s*(\d+)$/.exec(v);
  if (m) return { auto: true, range: [Number(m[1]), Number(m[2])] };
  const n = Number(v);
  if (v !== '' && Number.isInteger(n) && n >= 1) return { fixed: n };
  if (v !== '' && Number.isFinite(n)) throw new ParamError(`${command}: option '--k' must be an integer >= 1, got ${JSON.stringify(value)} (or "auto", or a range such as 2..30)`);
  throw new ParamError(`${command}: option '--k' must be a positive integer, "auto" or a range lo..hi such as 2..30, got ${JSON.stringify(value)}`);
}

/** Parses `--k-criterion` and `--k-criteria`. @throws ParamError for an unknown name */
export function parseKCriteria(command: string, select: string | undefined, extra: string | undefined): { select: KCriterion; criteria: KCriterion[] } {
  const check = (name: string, option: string): KCriterion => {
    if (!K_CRITERIA.includes(name as KCriterion)) throw new ParamError(`${command}: option '${option}' has unknown criterion ${JSON.stringify(name)}; choose from ${K_CRITERIA.join(', ')}`);
    return name as KCriterion;
  };
  const s = check(select ?? DEFAULT_K_CRITERION, '--k-criterion');
  const list = extra === undefined ? [] : extra.trim() === 'all' ? [...K_CRITERIA] : extra.split(',').map((c) => check(c.trim(), '--k-criteria'));
  return { select: s, criteria: [...new Set([s, ...list])] };
}

/**
 * The k to use: the fixed one (checked against the rows), or the estimate on `x`.
 * @throws ParamError for k outside `[1, n]`, a range outside `[2, n − 1]` or fewer than 20 rows with auto
 */
export async function resolveK(
  command: string,
  spec: KSpec,
  x: Matrix,
  o: { select: KCriterion; criteria: KCriterion[]; seed: number; threads?: number; log?: (line: string) => void },
): Promise<{ k: number; estimate: KEstimate | null }> {
  if ('fixed' in spec) {
    if (spec.fixed > x.rows) throw new ParamError(`${command}: option '--k' must be an integer in [1, ${x.rows}] (the number of rows), got ${spec.fixed}`);
    return { k: spec.fixed, estimate: null };
  }
  const range = checkKRange(`${command}: option '--k'`, spec.range, x.rows);
  o.log?.(`estimating k in ${range[0]}..${range[1]} by ${o.select}${o.criteria.length > 1 ? ` (also ${o.criteria.filter((c) => c !== o.select).join(', ')})` : ''}…`);
  const estimate = await estimateK(x, { range, criteria: o.criteria, select: o.select, seed: o.seed, threads: o.threads });
  const others = o.criteria.filter((c) => c !== o.select).map((c) => `${c} ${estimate.curves[c]!.best}`);
  o.log?.(`k = ${estimate.k} (${o.select}${others.length ? `; ${others.join(', ')}` : ''}), ${estimate.seconds.toFixed(1)} s on ${estimate.sampleSize} rows`);
  return { k: estimate.k, estimate };
}
