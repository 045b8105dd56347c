/**
 * `deepclust describe [method]`: the building blocks and defaults of a preset (or a config file);
 * `--options`: every method option with its type, range, default and doc, from the method schema.
 */
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { PRESETS } from '../../methods/presets.ts';
import { resolveMethod } from '../../methods/deep-clustering.ts';
import { readMethodConfig } from './fit.ts';
import { printJson } from '../output.ts';
import { optionRows, optionsText } from '../../methods/schema-doc.ts';

/** Registers `deepclust describe`. */
export function register(program: Command): void {
  program
    .command('describe')
    .description('show the building blocks and defaults of a method (all presets when none is named)')
    .argument('[method]', `a preset (${Object.keys(PRESETS).join(', ')}) or a method config file`)
    .option('--json', 'print the resolved config as JSON')
    .option('--options', 'list every method option: path, type and range, default, what it does (docs/config.md)')
    .addHelpText('after', '\nExamples:\n  deepclust describe\n  deepclust describe idec\n  deepclust describe my-method.yaml --json\n  deepclust describe --options')
    .action((method: string | undefined, opts: { json?: boolean; options?: boolean }) => {
      if (opts.options) {
        if (opts.json) printJson(optionRows());
        else process.stdout.write(optionsText());
        return;
      }
      if (!method) {
        for (const [name, m] of Object.entries(PRESETS)) process.stdout.write(`${name.padEnd(10)} ${m.reference}\n`);
        return;
      }
      const m = /\.(json|ya?ml)$/i.test(method) ? readMethodConfig(method) : resolveMethod(method);
      if (opts.json) printJson(m);
      else process.stdout.write(stringify(m, { aliasDuplicateObjects: false }));
    });
}
