/**
 * Method config files: a JSON or YAML {@link MethodConfig}, or `extends: <preset>` plus
 * overrides (see examples/methods). Read by `deepclust fit --method-config`, `describe` and the
 * bench suites.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DataError, ParamError } from '../errors.ts';
import type { MethodConfig } from './config.ts';
import { PRESETS } from './presets.ts';
import { resolveMethod } from './deep-clustering.ts';

/** Reads a method config file (JSON or YAML). */
export function readMethodConfig(path: string): MethodConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new DataError(`cannot read the method config '${path}' (no such file?)`);
  }
  if (text.trim() === '' || /^(\s*#.*\n?)*\s*$/.test(text))
    throw new DataError(`the method config '${path}' is empty; write a method in it (e.g. 'extends: idec' and the blocks to change; see examples/methods)`);
  try {
    const parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new DataError(`the method config '${path}' must hold a mapping (e.g. 'extends: idec' and blocks such as 'pretrain:'), got ${Array.isArray(parsed) ? 'a list' : JSON.stringify(parsed)}; see examples/methods`);
    if ('extends' in parsed && typeof parsed.extends !== 'string')
      throw new ParamError(`the method config '${path}': 'extends' must be the name of one preset (${Object.keys(PRESETS).slice(0, 4).join(', ')}, …), got ${Array.isArray(parsed.extends) ? 'a list' : JSON.stringify(parsed.extends)}; extend one preset and change its blocks`);
    if (typeof parsed.extends === 'string') {
      const { extends: base, ...over } = parsed;
      return resolveMethod(base, over);
    }
    return resolveMethod(parsed as MethodConfig);
  } catch (err) {
    if (err instanceof ParamError || err instanceof DataError) throw err;
    throw new DataError(`the method config '${path}' is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}; fix its syntax (see examples/methods)`);
  }
}
