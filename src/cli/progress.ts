/**
 * Live progress of training for the CLI: a cli-progress bar on a terminal (phase, epoch or
 * iteration, loss terms, label change, ACC when labels are known), plain lines otherwise.
 */
import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../methods/types.ts';
import { clusterAccuracy } from '../metrics/index.ts';
import { isInteractive } from './output.ts';

/** A progress display. */
export interface Progress {
  update(e: ProgressEvent): void;
  stop(): void;
}

/** Creates the display; `labels` (ground truth) enables the live ACC column. */
export function createProgress(options: { quiet: boolean; labels?: Int32Array }): Progress {
  if (options.quiet) return { update: () => {}, stop: () => {} };
  const acc = (e: ProgressEvent) => (options.labels && e.labels && e.labels.length === options.labels.length ? clusterAccuracy(options.labels, e.labels).accuracy : undefined);
  const describe = (e: ProgressEvent) => {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(e.losses ?? {})) parts.push(`${k} ${v.toPrecision(4)}`);
    if (e.labelChange !== undefined) parts.push(`changed ${(100 * e.labelChange).toFixed(2)}%`);
    const a = acc(e);
    if (a !== undefined) parts.push(`ACC ${a.toFixed(4)}`);
    return parts.join('  ');
  };
  if (!isInteractive()) {
    let lastPhase = '';
    return {
      update(e) {
        // one line per epoch / refresh, and each phase change
        if (e.phase === 'init' && e.done === 0) return;
        const head = e.phase === 'pretrain' ? `pretrain epoch ${e.done}/${e.total}` : e.phase === 'cluster' ? `cluster iter ${e.done}/${e.total}` : e.phase;
        if (e.phase !== lastPhase || e.phase !== 'pretrain' || e.done % 5 === 0 || e.done === e.total) process.stderr.write(`${head}  ${describe(e)}\n`);
        lastPhase = e.phase;
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: '{phase} [{bar}] {value}/{total}  {info}', hideCursor: true, clearOnComplete: false, barsize: 24, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let phase = '';
  return {
    update(e) {
      if (e.phase !== phase) {
        if (phase) bar.stop();
        phase = e.phase;
        bar.start(e.total, e.done, { phase: e.phase.padEnd(8), info: describe(e) });
      } else bar.update(e.done, { info: describe(e) });
    },
    stop() {
      if (phase) bar.stop();
    },
  };
}
