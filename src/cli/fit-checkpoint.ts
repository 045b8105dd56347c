/**
 * The command-line side of checkpoints for `deepclust fit --out dir`: training writes checkpoints
 * into `dir/checkpoint/`; Ctrl-C saves one, prints one line saying how to resume and exits 130;
 * `deepclust fit --resume dir` reads the run's options back from the checkpoint (refusing flags
 * that contradict them) and continues it. SIGTERM is treated as Ctrl-C (exit code 143).
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { removeOutputs, removeTempFiles } from './run-dir.ts';
import { join, resolve } from 'node:path';
import { DataError, ParamError } from '../errors.ts';
import { hasCheckpoint, readCheckpointInfo, removeCheckpoint } from '../methods/checkpoint.ts';
import type { TrackerState } from '../report/data.ts';

/** Folder of the checkpoint inside a `--out` directory. */
export const CHECKPOINT_SUBDIR = 'checkpoint';

/** Options that say how to run, not what: not saved, and free to differ on `--resume`. */
const NOT_SAVED = new Set(['resume', 'out', 'force', 'json', 'quiet', 'config', 'checkpointEvery']);

/** The checkpoint folder of an output directory. */
export function checkpointDirOf(outDir: string): string {
  return join(outDir, CHECKPOINT_SUBDIR);
}

/** What the CLI keeps in each checkpoint: the run's options, where it ran, the history metrics so far. */
export interface CliCheckpointState {
  readonly options: Record<string, unknown>;
  readonly cwd: string;
  readonly tracker?: TrackerState;
}

/**
 * The command that continues an interrupted fit in `dir`, with the flags of how it ran
 * (`--checkpoint-every`, `--json`, `--quiet`): they are not saved, so the line repeats them.
 */
export function resumeCommand(dir: string, opts: { checkpointEvery?: unknown; json?: unknown; quiet?: unknown }): string {
  const flags = [
    opts.checkpointEvery !== undefined ? ` --checkpoint-every ${String(opts.checkpointEvery)}` : '',
    opts.json ? ' --json' : '',
    opts.quiet ? ' --quiet' : '',
  ];
  return `deepclust fit --resume ${dir}${flags.join('')}`;
}

/** The options of a fit that a resumed run must reuse (everything but how to run it). */
export function savedOptions(opts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(opts)) if (!NOT_SAVED.has(key) && v !== undefined) out[key] = v;
  return out;
}

/**
 * Refuses to start a fresh fit over the checkpoint of an interrupted one, unless `--force`
 * (then the new fit replaces it).
 */
export function refuseStaleCheckpoint(out: string, force: boolean): void {
  if (!force && hasCheckpoint(checkpointDirOf(resolve(out))))
    throw new ParamError(`the output directory '${out}' holds the checkpoint of an interrupted fit; continue it with 'deepclust fit --resume ${out}', or pass --force to start again`);
}

const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const shown = (key: string, v: unknown) => (v === true ? flag(key) : v === false ? `--no-${flag(key).slice(2)}` : `${flag(key)} ${String(v)}`);

/**
 * The options of `fit --resume dir`: the interrupted run's, read from its checkpoint, with the
 * ones that say how to run (`--json`, `--quiet`, `--checkpoint-every`) taken from this command.
 * Runs in the folder the interrupted fit ran in, so its relative paths mean the same files.
 * @throws ParamError for flags that contradict the saved options, DataError when there is nothing to resume
 */
export function resumeOptions<T extends Record<string, unknown>>(opts: T, cmd: Command): T {
  const dirArg = String(opts.resume);
  const dir = resolve(dirArg);
  const given = (key: string) => {
    const src = cmd.getOptionValueSource(key);
    return src !== undefined && src !== 'default' && src !== 'implied';
  };
  if (given('force')) throw new ParamError(`fit: use either '--resume ${dirArg}' to continue the interrupted fit or '--force' to start it again, not both`);
  if (given('out') && resolve(String(opts.out)) !== dir) throw new ParamError(`fit: '--resume ${dirArg}' writes its results into '${dirArg}'; drop '--out ${String(opts.out)}'`);
  if (!existsSync(dir)) throw new DataError(`fit --resume: '${dirArg}' does not exist; pass the --out directory of an interrupted 'deepclust fit'`);
  const ckDir = checkpointDirOf(dir);
  if (!hasCheckpoint(ckDir)) {
    const finished = existsSync(join(dir, 'result.json'));
    throw new DataError(`fit --resume: '${dirArg}' holds no checkpoint${finished ? ' (its fit finished: result.json is there)' : ` (${join(dirArg, CHECKPOINT_SUBDIR, 'checkpoint.safetensors')} is missing)`}; nothing to resume`);
  }
  const info = readCheckpointInfo(ckDir);
  const cli = (info.extra.caller as { cli?: CliCheckpointState } | undefined)?.cli;
  if (!cli || typeof cli.options !== 'object' || typeof cli.cwd !== 'string') throw new DataError(`fit --resume: the checkpoint in '${dirArg}' was not written by 'deepclust fit' (it has no saved options); resume it from the library with fit(x, { resumeFrom })`);
  for (const [key, v] of Object.entries(opts)) {
    if (NOT_SAVED.has(key) || !given(key)) continue;
    if (JSON.stringify(v) !== JSON.stringify(cli.options[key]))
      throw new ParamError(
        `fit --resume: '${shown(key, v)}' differs from the interrupted fit's ${cli.options[key] === undefined ? `options (it had no ${flag(key)})` : `'${shown(key, cli.options[key])}'`}; a resumed fit keeps its options, so drop the flag`,
      );
  }
  if (existsSync(cli.cwd) && resolve(cli.cwd) !== process.cwd()) process.chdir(cli.cwd);
  const own: Record<string, unknown> = {};
  for (const key of NOT_SAVED) if (opts[key] !== undefined) own[key] = opts[key];
  return { ...cli.options, ...own, out: dir, resume: dir } as unknown as T;
}

/**
 * The line announcing a resumed fit, printed once (by the returned function) when the fit has
 * accepted the checkpoint: at its first progress event, or when it returns.
 */
export function resumeNotice(outDir: string, quiet: boolean): () => void {
  if (quiet) return () => {};
  const info = readCheckpointInfo(checkpointDirOf(outDir));
  const where = info.phase === 'done' ? 'training had finished' : `${info.phase === 'pretrain' ? 'pretraining' : 'clustering phase'}, step ${info.steps}`;
  let shown = false;
  return () => {
    if (!shown) process.stderr.write(`resumed from the checkpoint in ${outDir} (${where})\n`);
    shown = true;
  };
}

/** What `fit` needs while it owns Ctrl-C. */
export interface FitInterrupt {
  /** Aborted by the first Ctrl-C during training. */
  readonly signal: AbortSignal;
  /** Training is over: from now on Ctrl-C removes the outputs written so far and exits at once. */
  trainingDone(): void;
  /** Prints the one line (how to resume, when a checkpoint is there) and exits with 130. */
  exit(): never;
  /** Gives Ctrl-C back to the handlers it had before. */
  release(): void;
}

/**
 * Takes over Ctrl-C for a fit writing into `outDir` (`resumeLine`: the command that continues it,
 * from {@link resumeCommand}, with the path as the user typed it):
 * the first one asks training to stop at its next safe point (which saves a checkpoint); a
 * second one, or one after training, exits at once.
 */
export function takeOverSigint(outDir: string, resumeLine: string): FitInterrupt {
  const ctl = new AbortController();
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const previous = new Map(signals.map((sig) => [sig, process.listeners(sig)] as const));
  let writing = false;
  let received: NodeJS.Signals = 'SIGINT';
  const exit = (): never => {
    // outputs are whole files (temp + rename), but a run stopped while writing them has only some: remove those
    if (writing) removeOutputs(outDir);
    const kept = hasCheckpoint(checkpointDirOf(outDir));
    const how = kept ? `; its checkpoint is kept, continue with: ${resumeLine}` : '; run again to redo it';
    const what = received === 'SIGTERM' ? 'terminated (SIGTERM)' : 'interrupted';
    process.stderr.write(`${process.stderr.isTTY ? '\n' : ''}deepclust: ${what} (no output file was left half-written${kept ? ')' : ''}${how}${kept ? '' : ')'}\n`);
    process.exit(received === 'SIGTERM' ? 143 : 130);
  };
  // SIGTERM (kill, timeout, Docker, systemd, SLURM) is handled like Ctrl-C: checkpoint, clean up, say how to resume
  const onSignal = (sig: NodeJS.Signals) => {
    received = sig;
    if (writing || ctl.signal.aborted) exit();
    ctl.abort();
  };
  for (const sig of signals) {
    for (const l of previous.get(sig)!) process.removeListener(sig, l as () => void);
    process.on(sig, onSignal);
  }
  return {
    signal: ctl.signal,
    trainingDone() {
      writing = true;
      if (ctl.signal.aborted) exit(); // the signal came as training ended: its last checkpoint holds the result
    },
    exit,
    release() {
      for (const sig of signals) {
        process.removeListener(sig, onSignal);
        for (const l of previous.get(sig)!) process.on(sig, l as () => void);
      }
    },
  };
}

/** After a fit's outputs are written: its checkpoint is no longer needed (nor temp files of interrupted checkpoint writes). */
export function finishCheckpoint(outDir: string): void {
  removeTempFiles(checkpointDirOf(outDir));
  removeCheckpoint(checkpointDirOf(outDir));
}
