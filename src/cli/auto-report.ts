/**
 * report.html of a `deepclust fit` run without `--method` (auto), written into the run directory
 * after result.json and before run-manifest.json (so a run directory is whole or absent): the
 * report's data (report-data.json), then the page and its charts, as `fit --method` writes them.
 */
import { join } from 'node:path';
import { atomicWrite } from '../engine/index.ts';
import type { ReportData } from '../report/data.ts';

/** Writes report-data.json, report.html and charts/ into `outDir` (its result.json and labels.csv written already). */
export async function writeAutoReport(outDir: string, data: ReportData, quiet: boolean): Promise<void> {
  atomicWrite(join(outDir, 'report-data.json'), JSON.stringify(data));
  const { generateReport } = await import('../report/index.ts'); // vega loads only when needed
  const rep = await generateReport(outDir);
  if (!quiet) process.stderr.write(`report ${rep.html} (${rep.seconds.toFixed(1)} s)\n`);
}
