/**
 * `deepclust reproduce`: the seed papers' tables re-run by one command. The registry holds the
 * experiments (protocols, paper values with their sources, deviations), the runner runs them over
 * seeds and records every run, and the Markdown module formats the tables.
 *
 * @example
 * ```ts
 * import { runExperiment, formatMarkdown } from './reproduce/index.ts';
 * const res = await runExperiment('quickstart', { budget: 'short' });
 * process.stdout.write(formatMarkdown(res));
 * ```
 */
export { EXPERIMENTS, LOWER_IS_BETTER, METRIC_LABELS, QUICKSTART_SCHEDULE, SHORT_SCHEDULE, SNNL_BASELINE_AE, experiment } from './registry.ts';
export type { Experiment, Group, Headline, MetricKey, PaperValue, Protocol, RowSpec, ShortSchedule } from './registry.ts';
export { mergeRuns, readRunRecords, runExperiment, scheduleFor, summarizeRecords } from './runner.ts';
export type { MetricSummary, ReproduceOptions, ReproduceResult, RowSummary, RunRecord, ScheduleUsed } from './runner.ts';
export { formatMarkdown, formatNumber } from './markdown.ts';
export { missingDataMessage, splitsNeeded } from './availability.ts';
export { type SeedStats, seedStats } from './stats.ts';
