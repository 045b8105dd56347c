/**
 * The report's "Estimating k" section: when a run estimated the number of clusters — `kEstimate`
 * in a fit's result.json (`--k auto` / `nClusters: 'auto'`) or `kScores` + `decision` in an auto
 * run's — one small panel per criterion with its value over k, the chosen k marked in every
 * panel, each criterion's own pick marked on its curve, and the chosen k and criterion in words.
 * Runs given k get no section.
 */
import type { TopLevelSpec } from 'vega-lite';
import { type Chart, renderSvg } from './charts.ts';

/** One criterion's curve over k. */
export interface KCurveData {
  readonly criterion: string;
  readonly ks: readonly number[];
  /** Value at each k (null where undefined). */
  readonly values: readonly (number | null)[];
  /** How the criterion picks (`max`, `min`, `gap`), when known. */
  readonly rule?: string;
  /** The k this criterion alone would pick, when known. */
  readonly best?: number;
}

/** The k estimate of a run, in one shape whichever command wrote it. */
export interface KEstimateView {
  readonly chosen: number;
  /** The deciding criterion (null when the record does not name it). */
  readonly criterion: string | null;
  readonly curves: readonly KCurveData[];
  /** `fit` (kEstimate) or `auto` (kScores/decision). */
  readonly source: 'fit' | 'auto';
  readonly sampleSize?: number;
  readonly seconds?: number;
  /** Auto's reason for its decision (e.g. a fallback), when given. */
  readonly reason?: string;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The k estimate of a result.json, or null when k was given (or the record is unreadable:
 * curves whose lengths do not match their ks are left out rather than drawn wrong).
 */
export function kEstimateOf(result: unknown): KEstimateView | null {
  if (!isObj(result)) return null;
  const est = result.kEstimate;
  if (isObj(est) && isNum(est.chosen) && Array.isArray(est.ks) && est.ks.every(isNum) && isObj(est.curves)) {
    const ks = est.ks as number[];
    const curves: KCurveData[] = [];
    for (const [criterion, c] of Object.entries(est.curves)) {
      if (!isObj(c) || !Array.isArray(c.values) || c.values.length !== ks.length) continue;
      const values = c.values.map((v) => (isNum(v) ? v : null));
      curves.push({ criterion, ks, values, ...(typeof c.rule === 'string' ? { rule: c.rule } : {}), ...(isNum(c.best) ? { best: c.best } : {}) });
    }
    return {
      chosen: est.chosen,
      criterion: typeof est.criterion === 'string' ? est.criterion : null,
      curves,
      source: 'fit',
      ...(isNum(est.sampleSize) ? { sampleSize: est.sampleSize } : {}),
      ...(isNum(est.seconds) ? { seconds: est.seconds } : {}),
    };
  }
  const scores = result.kScores;
  if (isObj(scores) && isNum(result.k)) {
    const pairs = Object.entries(scores)
      .map(([k, v]) => [Number(k), isNum(v) ? v : null] as const)
      .filter(([k]) => Number.isInteger(k))
      .sort((a, b) => a[0] - b[0]);
    const decision = isObj(result.decision) ? result.decision : {};
    const criterion = typeof decision.criterion === 'string' ? decision.criterion : null;
    return {
      chosen: result.k,
      criterion,
      curves: pairs.length ? [{ criterion: criterion ?? 'score', ks: pairs.map((p) => p[0]), values: pairs.map((p) => p[1]) }] : [],
      source: 'auto',
      ...(typeof decision.reason === 'string' ? { reason: decision.reason } : {}),
    };
  }
  return null;
}

const RULES: Record<string, string> = { max: 'highest', min: 'lowest', gap: 'first k with gap(k) ≥ gap(k+1) − s(k+1)' };

/** The curves as one faceted chart: a panel per criterion, dashed rule at the chosen k, diamond at each criterion's own pick. */
export async function kCurvesChart(view: KEstimateView): Promise<Chart | null> {
  const values: Array<{ criterion: string; k: number; value: number; chosen: boolean; own: boolean }> = [];
  for (const c of view.curves)
    c.ks.forEach((k, i) => {
      const v = c.values[i];
      if (v !== null && v !== undefined) values.push({ criterion: c.criterion, k, value: v, chosen: k === view.chosen, own: k === c.best });
    });
  if (values.length === 0) return null;
  const order = view.curves.map((c) => c.criterion);
  const panels = order.length;
  const spec = {
    data: { values },
    facet: { field: 'criterion', type: 'nominal', title: null, sort: order },
    columns: Math.min(panels, 3),
    spec: {
      width: panels === 1 ? 520 : 250,
      height: 150,
      layer: [
        { mark: { type: 'line', point: { size: 16 }, strokeWidth: 1.5 }, encoding: { x: { field: 'k', type: 'quantitative', title: 'k', axis: { tickMinStep: 1, format: 'd' } }, y: { field: 'value', type: 'quantitative', title: 'value', scale: { zero: false } } } },
        { transform: [{ filter: 'datum.own' }], mark: { type: 'point', shape: 'diamond', size: 110, filled: true, color: '#ff7f0e' }, encoding: { x: { field: 'k', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' } } },
        { transform: [{ filter: 'datum.chosen' }], mark: { type: 'rule', strokeDash: [5, 3], color: '#d62728', strokeWidth: 1.5 }, encoding: { x: { field: 'k', type: 'quantitative' } } },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } as unknown as TopLevelSpec;
  return {
    name: 'k-curves',
    title: `Criteria over k (dashed red: the chosen k = ${view.chosen}${view.curves.some((c) => c.best !== undefined) ? '; orange diamond: the k each criterion alone would pick' : ''})`,
    svg: await renderSvg(spec),
  };
}

/** The words of the section: the chosen k and criterion, and a table of each criterion's pick. */
export function kEstimateText(view: KEstimateView, esc: (s: unknown) => string): string {
  const ks = view.curves[0]?.ks ?? [];
  const range = ks.length ? ` over k = ${ks[0]}..${ks.at(-1)}` : '';
  const by = view.criterion ? ` by <b>${esc(view.criterion)}</b>` : '';
  const where = view.source === 'fit' ? ` on the pretrained embedding${view.sampleSize ? ` (${view.sampleSize.toLocaleString('en-US')} rows)` : ''}` : ' on the representation auto clustered';
  const secs = view.seconds !== undefined ? `, ${view.seconds.toFixed(1)} s` : '';
  const lines = [`<p class="kchosen">k was estimated: <b>k = ${view.chosen}</b>, chosen${by}${range}${where}${secs}.${view.reason ? ` ${esc(view.reason)}.` : ''}</p>`];
  if (view.curves.some((c) => c.best !== undefined || c.rule)) {
    const rows = view.curves
      .map((c) => `<tr${c.criterion === view.criterion ? ' class="decides"' : ''}><th>${esc(c.criterion)}${c.criterion === view.criterion ? ' (decides)' : ''}</th><td>${esc(c.rule ? (RULES[c.rule] ?? c.rule) : '–')}</td><td data-k-best="${esc(c.criterion)}">${c.best ?? '–'}</td></tr>`)
      .join('');
    lines.push(`<table class="metrics kbest"><tr><th>criterion</th><th>picks</th><th>its k</th></tr>${rows}</table>`);
  }
  return lines.join('');
}
