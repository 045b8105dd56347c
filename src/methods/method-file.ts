/**
 * Method config files: a JSON or YAML {@link MethodConfig}, or `extends: <preset>` plus
 * overrides (see examples/methods). Read by `deepclust fit --method-config`, `describe` and the
 * bench suites.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DataError, ParamError } from '../errors.ts';
import type { MethodConfig } from './config.ts';
import { resolveMethod } from './deep-clustering.ts';

/** Reads a method config file (JSON or YAML). */
export function readMethodConfig(path: string): MethodConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new DataError(`cannot read the method config '${path}' (no such file?)`);
  }
  try {
    const parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (parsed && typeof parsed === 'object' && typeof parsed.extends === 'string') {
      const { extends: base, ...over } = parsed;
      return resolveMethod(base, over);
    }
    return resolveMethod(parsed as MethodConfig);
  } catch (err) {
    if (err instanceof ParamError || err instanceof DataError) throw err;
    throw new DataError(`the method config '${path}' is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}; fix its syntax (see examples/methods)`);
  }
}
