/**
 * Conventions every `deepclust` command shares: the label-file format (`label` header, one 0-based
 * cluster per line, rows in input order), `--out -` for stdout, and seeds checked before any work.
 */
import type { Command } from 'commander';
import { atomicWriteFile } from '../data/atomic.ts';
import { ParamError } from '../errors.ts';

/** `--out -` / `--data -`: standard output or input. */
export const STDIO = '-';

/** Largest seed accepted: the RNG mixes any safe integer (0 … 2^53 − 1) exactly. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/**
 * The one label-file format of every command (`fit`'s labels.csv, `predict --out`, `kmeans --out`):
 * a CSV with the header `label`, then one 0-based cluster index per line, in the order of the
 * input rows; `\n` line ends, a final newline.
 */
export function formatLabels(labels: ArrayLike<number>): string {
  return `label\n${Array.from(labels).join('\n')}\n`;
}

/**
 * Writes labels in the {@link formatLabels} format: to stdout for `-`, else atomically to the file.
 * @throws DataError naming the path and the cause when the file cannot be written
 */
export function writeLabels(out: string, labels: ArrayLike<number>): void {
  const text = formatLabels(labels);
  if (out === STDIO) process.stdout.write(text);
  else atomicWriteFile(out, text);
}

/**
 * Parses a `--seed` value: an integer 0 … 2^53 − 1 (`1e3` is fine, `1e300` or `0.5` are not).
 * @throws ParamError naming the option and the range
 */
export function parseSeed(value: unknown, command = 'deepclust'): number {
  const s = String(value).trim();
  const n = Number(s);
  if (s === '' || !Number.isInteger(n) || n < 0 || n > MAX_SEED)
    throw new ParamError(`${command}: option '--seed' must be an integer from 0 to ${MAX_SEED} (2^53 - 1), got ${JSON.stringify(String(value))}`);
  return n;
}

/** Refuses `--out -` together with `--json` (both would write to stdout). */
export function checkStdoutUse(command: string, opts: { out?: unknown; json?: unknown }): void {
  if (opts.out === STDIO && opts.json) throw new ParamError(`${command}: '--out -' writes the labels to stdout, and so does '--json' with its result; use one of them`);
}

/**
 * Checks, before any command runs (after `--config` files are applied), the options every
 * command shares: `--seed` is an integer in range, `--out -` is not combined with `--json`.
 */
export function registerConventions(program: Command): void {
  program.hook('preAction', (_root, cmd) => {
    const opts = cmd.opts() as Record<string, unknown>;
    if (opts.seed !== undefined) parseSeed(opts.seed, cmd.name());
    checkStdoutUse(cmd.name(), opts);
  });
}
