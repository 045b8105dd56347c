/**
 * `deepclust bench` in the compiled package: the benchmark suites (bench/*.ts and their Python
 * baselines) are not compiled nor published, so this stand-in re-runs the same command line on
 * the TypeScript sources through tsx when they are there (a source checkout) and otherwise says
 * how to get them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ParamError } from '../../errors.ts';
import { packageRoot } from '../../package-root.ts';

/** Registers a `bench` command that forwards everything to the sources' CLI. */
export function runBenchFromSources(program: Command): void {
  program
    .command('bench')
    .description('run a benchmark suite and print its result (last stdout line is JSON with --json)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .action(() => {
      const main = join(packageRoot(import.meta.url), 'src', 'cli', 'main.ts');
      let tsx: string | undefined;
      try {
        tsx = import.meta.resolve('tsx');
      } catch {
        tsx = undefined;
      }
      if (!existsSync(main) || tsx === undefined) {
        throw new ParamError('deepclust bench runs the benchmark suites of a source checkout; get one with `git clone <deepclust repository> && cd deepclust && npm ci`, then run `npx deepclust bench <suite>` there');
      }
      const r = spawnSync(process.execPath, ['--import', tsx, main, ...process.argv.slice(2)], { stdio: 'inherit' });
      if (r.error) throw r.error;
      process.exitCode = r.status ?? 1;
    });
}
