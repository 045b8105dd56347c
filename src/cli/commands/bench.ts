/** `deepclust bench <suite>`: runs a benchmark suite from bench/suites.ts. */
import type { Command } from 'commander';
import { ParamError } from '../../errors.ts';
import { benchSuites } from '../../../bench/suites.ts';
import { printJson } from '../output.ts';

/** Registers `deepclust bench`. */
export function register(program: Command): void {
  program
    .command('bench')
    .description('run a benchmark suite and print its result (last stdout line is JSON with --json)')
    .argument('<suite>', `one of: ${Object.keys(benchSuites).join(', ')}`)
    .option('--json', 'print the result as one JSON line on stdout')
    .option('--quiet', 'no progress lines')
    .option('-o, --option <key=value...>', 'suite option, e.g. -o rounds=5 -o torch=false')
    .addHelpText('after', `\nSuites:\n${Object.entries(benchSuites).map(([k, s]) => `  ${k.padEnd(12)} ${s.description}`).join('\n')}\n\nExample:\n  deepclust bench engine --json`)
    .action(async (suite: string, opts: { json?: boolean; quiet?: boolean; option?: string[] }) => {
      const s = benchSuites[suite];
      if (!s) throw new ParamError(`bench: unknown suite '${suite}'; choose one of ${Object.keys(benchSuites).join(', ')}`);
      const options: Record<string, string> = {};
      for (const kv of opts.option ?? []) {
        const i = kv.indexOf('=');
        if (i < 1) throw new ParamError(`bench: option '${kv}' must look like key=value`);
        options[kv.slice(0, i)] = kv.slice(i + 1);
      }
      const result = await s.run({ options, log: (l) => (opts.quiet ? undefined : process.stderr.write(`${l}\n`)) });
      if (opts.json) printJson(result);
      else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    });
}
