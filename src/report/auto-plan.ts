/**
 * The report's "Auto plan" section for a `deepclust fit` run without `--method`: the plan in one
 * line, every choice (preprocessing, representation, network, clustering step, k, fallback, units)
 * with its value and reason, how k and the units were decided at run time, and how the network's
 * pretraining ended.
 */
import type { RunResult } from './data.ts';

/** The choices in the order the plan makes them. */
const ORDER = ['preprocessing', 'representation', 'network', 'clustering', 'k', 'fallback', 'units'];

/** A choice's value in words: arrays joined, objects as `key value` pairs, null as `none`. */
export function choiceValueText(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (Array.isArray(v)) return v.length ? v.map(choiceValueText).join(v.every((e) => typeof e === 'number') ? ', ' : ' → ') : 'none';
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, e]) => e !== undefined);
    return entries.map(([key, e]) => `${key} ${Array.isArray(e) && e.every((n) => typeof n === 'number') ? `[${e.join(', ')}]` : choiceValueText(e)}`).join('; ');
  }
  return String(v);
}

/** Whether a result.json is an auto run's with a plan. */
export function isAutoResult(result: RunResult): boolean {
  return result.method === 'auto' && typeof result.plan === 'object' && result.plan !== null;
}

/** The section's HTML (empty for a run that is not auto's). */
export function autoPlanSection(result: RunResult, esc: (s: unknown) => string): string {
  if (!isAutoResult(result)) return '';
  const plan = result.plan!;
  const keys = [...ORDER.filter((k) => k in plan), ...Object.keys(plan).filter((k) => !ORDER.includes(k))];
  const rows = keys
    .map((key) => {
      const c = plan[key]!;
      return `<tr data-choice="${esc(key)}"><th>${esc(key)}</th><td>${esc(choiceValueText(c?.value))}</td><td>${esc(c?.reason ?? '')}</td></tr>`;
    })
    .join('');
  const d = result.decision;
  const ran: string[] = [];
  if (result.clustering) ran.push(`Ran: <b>${esc(result.clustering)}</b>${d?.fallback ? ' (the fallback)' : ''}, k = ${esc(result.k)}${result.kEstimated ? ' (estimated)' : ' (given)'}.`);
  if (d?.reason) ran.push(`k: ${esc(d.reason)}.`);
  if (d?.units) ran.push(`Units: ${esc(d.units.reason)}.`);
  if (d?.pretraining) ran.push(`Pretraining: ${esc(d.pretraining.reason)}.`);
  return `<section id="auto-plan"><h2>Auto plan</h2><p class="lead">${esc(result.summary ?? '')}</p><table class="metrics plan"><tr><th>choice</th><th>value</th><th>why</th></tr>${rows}</table>${ran.length ? `<p class="note">${ran.join(' ')}</p>` : ''}</section>`;
}
