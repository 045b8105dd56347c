/**
 * The `deepclust` command line. Each sub-command lives in `src/cli/commands/<name>.ts` and
 * exports `register(program)`; this file only wires them and turns errors into one clear line.
 * Only the module of the command being run is imported (see commands/index.ts), so that
 * `--help` and `--version` start as fast as node itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { DeepclustError } from '../errors.ts';
import { packageRoot } from '../package-root.ts';
import { type CommandSummary, commandModules } from './commands/index.ts';
import { describeFsError } from '../engine/atomic-write.ts';

const program = new Command('deepclust')
  .description('Deep clustering in TypeScript: autoencoders, DEC, IDEC, DCN, SNNL, CDC and more.')
  .version(packageVersion(), '-V, --version', 'print the version of deepclust')
  .option('--debug', 'print stack traces for errors')
  // commander's own errors (unknown option, missing argument…) on one line, like ours
  .configureOutput({ outputError: (str, write) => write(`deepclust: ${oneLine(str)} (run with --help for usage)\n`) })
  .exitOverride();

const debug = process.argv.includes('--debug');
try {
  await registerCommands(program, commandName(process.argv.slice(2)));
} catch (err) {
  process.exitCode = reportError(err, debug);
}

// Ctrl-C: outputs are only ever written whole (temp file + rename), so stopping leaves no partial file.
// SIGTERM (kill, timeout, Docker, systemd, SLURM) is handled like Ctrl-C, with its own exit code.
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const)
  process.once(sig, () => {
    process.stderr.write(`\ndeepclust: ${sig === 'SIGINT' ? 'interrupted' : 'terminated (SIGTERM)'} (no output file was left half-written; run again to redo it)\n`);
    process.exit(code);
  });
if (process.exitCode === undefined) {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    process.exitCode = reportError(err, debug);
  }
}

/**
 * Registers the command `name` (the module that holds it, so its sibling commands too) for real,
 * and every other command as a stand-in that `--help` lists and that commander can suggest.
 */
async function registerCommands(root: Command, name: string | undefined): Promise<void> {
  const terms = new Map<Command, string>();
  let loaded = false;
  for (const mod of commandModules) {
    if (name !== undefined && mod.commands.some((c) => c.name === name)) {
      (await mod.load())(root);
      loaded = true;
    } else {
      for (const c of mod.commands) terms.set(standIn(root, c), `${c.name}${c.args ? ` ${c.args}` : ''}`);
    }
  }
  if (loaded) {
    // --config <file> on every loaded command (stand-ins have no options, so they get none)
    const { registerConfigFile } = await import('./config-file.ts');
    registerConfigFile(root);
    const { registerConventions } = await import('./conventions.ts');
    registerConventions(root); // --seed range, --out - (after --config, before any work)
  }
  root.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd) ?? defaultTerm(cmd) });
}

/** A command listed by `--help` whose module is not loaded (never run: naming it loads it). */
function standIn(root: Command, summary: CommandSummary): Command {
  return root
    .command(summary.name)
    .description(summary.description)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new Error(`the module of command '${summary.name}' was not loaded`);
    });
}

/** commander's own help term of a command (`fit [options]`, `bench [options] <suite>`). */
function defaultTerm(cmd: Command): string {
  const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)).join(' ');
  return `${cmd.name()}${cmd.options.length > 0 ? ' [options]' : ''}${args ? ` ${args}` : ''}`;
}

/**
 * The command a command line runs: its first word that is not an option (the top-level options
 * take no value), or the word after `help`.
 */
function commandName(args: readonly string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/** The version in deepclust's package.json (found from src/cli/main.ts or the bundled dist/cli/main.js). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
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
