/**
 * `--config <file>` on every command: a JSON or YAML mapping of the command's long options
 * (`pretrain-epochs: 20` or `pretrainEpochs: 20`, `json: true`, `report: false` for `--no-report`)
 * equivalent to writing them as flags; flags given on the command line win over the file.
 */
import { readFileSync } from 'node:fs';
import type { Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { ParamError } from '../errors.ts';
import { didYouMean } from '../suggest.ts';

/** Every command below `program` (sub-commands of sub-commands included). */
function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** `pretrain-epochs` → `pretrainEpochs` (commander's attribute names). */
function camel(key: string): string {
  return key.replace(/^-+/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Reads a config file into a plain mapping. @throws ParamError naming the file and the problem */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ParamError(`cannot read the config file '${path}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the --config path`);
  }
  let parsed: unknown;
  try {
    parsed = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ParamError(`the config file '${path}' is not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ParamError(`the config file '${path}' must hold a mapping of option names to values, e.g. "method: idec"`);
  return parsed as Record<string, unknown>;
}

/** A config value as commander would have stored the flag's value. */
function optionValue(path: string, opt: Option, key: string, value: unknown): unknown {
  const flag = opt.long ?? key;
  if (opt.negate || (!opt.required && !opt.optional)) {
    // a flag without a value: true/false (for --no-x, `x: false` means the flag)
    if (typeof value !== 'boolean') throw new ParamError(`config file '${path}': '${key}' is a switch (${flag}); give true or false, got ${JSON.stringify(value)}`);
    return value;
  }
  const scalar = (v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new ParamError(`config file '${path}': '${key}' (${flag}) takes a value such as a string or number, got ${JSON.stringify(v)}`);
  };
  const out = opt.variadic ? (Array.isArray(value) ? value : [value]).map(scalar) : scalar(value);
  if (opt.argChoices && !(Array.isArray(out) ? out : [out]).every((v) => opt.argChoices!.includes(v)))
    throw new ParamError(`config file '${path}': '${key}' must be one of ${opt.argChoices.join(', ')}, got ${JSON.stringify(value)}`);
  return out;
}

/** Applies `--config` of the command about to run: file values for every option not given as a flag. */
export function applyConfigFile(cmd: Command): void {
  const path = cmd.getOptionValue('config') as string | undefined;
  if (!path) return;
  const values = readConfigFile(path);
  const byName = new Map<string, Option>();
  for (const opt of cmd.options) if (opt.long && opt.long !== '--config') byName.set(opt.attributeName(), opt);
  for (const [key, value] of Object.entries(values)) {
    const name = camel(key);
    const opt = byName.get(name);
    if (!opt) {
      const names = [...byName.values()].map((o) => o.long!.replace(/^--(no-)?/, ''));
      const hint = didYouMean(key.replace(/^-+/, ''), names);
      throw new ParamError(`config file '${path}': '${key}' is not an option of '${commandPath(cmd)}'${hint}; see '${commandPath(cmd)} --help'`);
    }
    if (cmd.getOptionValueSource(name) === 'cli') continue; // a flag on the command line wins
    const v = optionValue(path, opt, key, value);
    cmd.setOptionValueWithSource(name, opt.parseArg && typeof v === 'string' ? opt.parseArg(v, undefined) : v, 'config');
  }
}

/**
 * Adds `--config <file>` to every command of `program` that has options and applies the file
 * before the command runs. Call it after the commands are registered.
 */
export function registerConfigFile(program: Command): void {
  for (const cmd of allCommands(program)) {
    if (cmd.options.length === 0 || cmd.commands.length > 0) continue;
    cmd.option('--config <file>', 'read options from a JSON or YAML file (keys: long option names; command-line flags win)');
  }
  program.hook('preAction', (_root, actionCommand) => applyConfigFile(actionCommand));
}
