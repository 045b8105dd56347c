/**
 * The `deepclust` command line. Each sub-command lives in `src/cli/commands/<name>.ts` and
 * exports `register(program)`; this file only wires them and turns errors into one clear line.
 */
import { Command, CommanderError } from 'commander';
import { DeepclustError } from '../errors.ts';
import { commands } from './commands/index.ts';
import { registerConfigFile } from './config-file.ts';
import { registerConventions } from './conventions.ts';
import { describeFsError } from '../engine/atomic-write.ts';

const program = new Command('deepclust')
  .description('Deep clustering in TypeScript: autoencoders, DEC, IDEC, DCN, SNNL, CDC and more.')
  .option('--debug', 'print stack traces for errors')
  // commander's own errors (unknown option, missing argument…) on one line, like ours
  .configureOutput({ outputError: (str, write) => write(`deepclust: ${oneLine(str)} (run with --help for usage)\n`) })
  .exitOverride();

for (const register of commands) register(program);
registerConfigFile(program); // --config <file> on every command, after all are registered
registerConventions(program); // --seed range, --out - (after --config, before any work)

const debug = process.argv.includes('--debug');
// Ctrl-C: outputs are only ever written whole (temp file + rename), so stopping leaves no partial file.
// SIGTERM (kill, timeout, Docker, systemd, SLURM) is handled like Ctrl-C, with its own exit code.
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const)
  process.once(sig, () => {
    process.stderr.write(`\ndeepclust: ${sig === 'SIGINT' ? 'interrupted' : 'terminated (SIGTERM)'} (no output file was left half-written; run again to redo it)\n`);
    process.exit(code);
  });
try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportError(err, debug);
}

/** Prints an error as one line on stderr (with the stack under --debug) and returns the exit code. */
function reportError(err: unknown, withStack: boolean): number {
  if (err instanceof CommanderError) {
    // commander already printed its message (unknown option, missing argument, --help…)
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof DeepclustError) {
    process.stderr.write(`deepclust: error: ${oneLine(err.message)}\n`);
    if (withStack && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const fsErr = err as NodeJS.ErrnoException;
  if (['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM'].includes(fsErr?.code ?? '') && fsErr.path && !withStack) {
    // a file-system refusal that no command turned into its own message: still the user's to fix
    process.stderr.write(`deepclust: error: '${fsErr.path}': ${describeFsError(err)}; free some space or choose a writable place\n`);
    return 2;
  }
  const message = oneLine(err instanceof Error ? err.message : String(err));
  if (withStack && err instanceof Error && err.stack) process.stderr.write(`deepclust: internal error: ${message}\n${err.stack}\n`);
  else process.stderr.write(`deepclust: internal error: ${message} (run again with --debug for the stack trace, and please report it)\n`);
  return 1;
}

/** Joins a message's lines (a library's multi-line text, commander's suggestion) into one. */
function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}
