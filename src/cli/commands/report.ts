/**
 * `deepclust report --run <dir>`: (re)builds `report.html` and the chart files of a run saved by
 * `deepclust fit --out <dir>` (which writes the report itself unless `--no-report`).
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { acquireLock, verifyRun, writeManifest } from '../run-dir.ts';
import { ParamError } from '../../errors.ts';
import { printJson } from '../output.ts';

interface ReportCliOptions {
  run?: string;
  png: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** Registers `deepclust report`. */
export function register(program: Command): void {
  const cmd = program
    .command('report')
    .description('build report.html (metrics, training curves, embedding maps, confusion matrix, images) of a saved run')
    .option('--run <dir>', 'the --out directory of a deepclust fit run')
    .option('--no-png', 'write the charts as SVG only (default: SVG and PNG)')
    .option('--json', 'print what was written as one JSON line (last line of stdout)')
    .option('--quiet', 'no human-readable output');
  cmd.addHelpText(
    'after',
    `
Writes <dir>/report.html (self-contained: opens offline in any browser) and <dir>/charts/*.svg,
*.png. The page is rebuilt from result.json, labels.csv and report-data.json; the same run always
gives the same page. The directory must hold one finished run: its run-manifest.json (written last
by fit) must vouch for every file, else the report is refused.

Examples:
  deepclust report --run runs/idec
  deepclust report --run runs/idec --no-png --json`,
  );
  cmd.action(async (opts: ReportCliOptions) => {
    if (!opts.run) throw new ParamError("report: option '--run <dir>' is required (the --out directory of a 'deepclust fit' run)");
    const dir = resolve(opts.run);
    const { generateReport, readRun } = await import('../../report/index.ts'); // vega loads only when needed
    readRun(dir); // the files' own checks first: they name what is wrong inside a file
    // one finished run only: its manifest vouches for every file (report.html and charts/ are rebuilt)
    const manifest = verifyRun(dir, opts.run, { rebuildingReport: true });
    const unlock = acquireLock(dir, opts.run, 'report');
    let out: Awaited<ReturnType<typeof generateReport>>;
    try {
      out = await generateReport(dir, { png: opts.png });
      writeManifest(dir, manifest.runId);
    } finally {
      unlock();
    }
    if (opts.json) printJson({ report: out.html, charts: out.charts, files: out.files, seconds: out.seconds });
    else if (!opts.quiet) process.stderr.write(`wrote ${out.html} (${out.charts} charts, ${out.files.length} chart files) in ${out.seconds.toFixed(1)} s\n`);
  });
}
