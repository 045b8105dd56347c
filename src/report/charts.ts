/**
 * The report's charts as Vega-Lite specs, compiled to Vega and rendered to SVG strings in Node
 * (`renderer: 'none'`, no browser or canvas); data is always inline, so nothing is fetched.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { HistoryRow } from '../methods/types.ts';

/** A rendered chart: file stem, heading and SVG text. */
export interface Chart {
  readonly name: string;
  readonly title: string;
  readonly svg: string;
  /** True when the SVG draws its own title (the page then adds no caption). */
  readonly titled?: boolean;
}

const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
const CONFIG = {
  font: FONT,
  background: 'white',
  padding: 8,
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridOpacity: 0.5 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 13, anchor: 'start' as const },
  view: { stroke: '#ddd' },
};

/** Renders a Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Colour scheme for `n` categories. */
function scheme(n: number): 'category10' | 'tableau20' {
  return n <= 10 ? 'category10' : 'tableau20';
}

/** Loss terms of one phase over epochs/iterations: one small panel per term (own y scale). */
export async function lossChart(history: readonly HistoryRow[], phase: 'greedy' | 'pretrain' | 'cluster', name: string, title: string): Promise<Chart | null> {
  const xName = phase === 'cluster' ? 'iteration' : 'epoch';
  const values: Array<Record<string, number | string>> = [];
  for (const row of history) {
    if (row.phase !== phase) continue;
    for (const [term, v] of Object.entries(row.losses)) if (Number.isFinite(v)) values.push({ [xName]: row.step, term, value: v });
  }
  if (values.length === 0) return null;
  const terms = [...new Set(values.map((v) => v.term as string))];
  const points = values.length / terms.length <= 60;
  const spec: TopLevelSpec = {
    data: { values },
    facet: { field: 'term', type: 'nominal', title: null, sort: terms },
    columns: Math.min(terms.length, 3),
    spec: {
      width: terms.length === 1 ? 520 : 300,
      height: 170,
      mark: { type: 'line', point: points ? { size: 18 } : false, strokeWidth: 1.5 },
      encoding: {
        x: { field: xName, type: 'quantitative', title: xName, axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'value', type: 'quantitative', title: 'loss', scale: { zero: false } },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
  return { name, title, svg: await renderSvg(spec) };
}

/** Fraction of labels that changed at each target refresh (%), with the stopping tolerance δ. */
export async function labelChangeChart(history: readonly HistoryRow[], tol: number | undefined): Promise<Chart | null> {
  const values = history.filter((r) => r.phase === 'cluster' && r.labelChange !== undefined && r.step > 0).map((r) => ({ iteration: r.step, changed: 100 * r.labelChange! }));
  if (values.length === 0) return null;
  const layers: TopLevelSpec[] = [
    {
      mark: { type: 'line', point: values.length <= 60 ? { size: 18 } : false, color: '#d62728' },
      encoding: { x: { field: 'iteration', type: 'quantitative' }, y: { field: 'changed', type: 'quantitative', title: 'labels changed (%)' } },
    } as TopLevelSpec,
  ];
  if (tol !== undefined && tol > 0)
    layers.push({ data: { values: [{ tol: 100 * tol }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { y: { field: 'tol', type: 'quantitative' } } } as TopLevelSpec);
  const spec = { data: { values }, width: 520, height: 200, layer: layers } as unknown as TopLevelSpec;
  return { name: 'label-change', title: `Labels changed per target refresh${tol ? ` (dashed: stopping tolerance δ = ${100 * tol} %)` : ''}`, svg: await renderSvg(spec) };
}

/** ACC and NMI against the ground truth at the initial k-means (iteration 0) and each refresh. */
export async function accuracyChart(history: readonly HistoryRow[]): Promise<Chart | null> {
  const values: Array<{ iteration: number; metric: string; value: number }> = [];
  const seen = new Set<number>();
  for (const r of history) {
    if ((r.phase !== 'cluster' && r.phase !== 'init') || r.acc === undefined || r.nmi === undefined) continue;
    if (seen.has(r.step)) continue; // the refresh at iteration 0 repeats the k-means labels
    seen.add(r.step);
    values.push({ iteration: r.step, metric: 'ACC', value: r.acc }, { iteration: r.step, metric: 'NMI', value: r.nmi });
  }
  if (seen.size < 2) return null;
  const spec: TopLevelSpec = {
    data: { values },
    width: 520,
    height: 200,
    mark: { type: 'line', point: seen.size <= 60 ? { size: 18 } : false },
    encoding: {
      x: { field: 'iteration', type: 'quantitative' },
      y: { field: 'value', type: 'quantitative', title: 'score', scale: { zero: false } },
      color: { field: 'metric', type: 'nominal', title: null, scale: { range: ['#1f77b4', '#ff7f0e'] } },
    },
  };
  return { name: 'accuracy', title: 'ACC and NMI per target refresh (iteration 0: k-means on the pretrained embedding)', svg: await renderSvg(spec) };
}

/** A 2-D map coloured by a categorical label. */
export async function scatterChart(xy: Float64Array, colour: ArrayLike<number>, names: readonly string[], name: string, title: string, legend: string): Promise<Chart> {
  const n = colour.length;
  const values = Array.from({ length: n }, (_, i) => ({ x: +xy[2 * i]!.toFixed(3), y: +xy[2 * i + 1]!.toFixed(3), c: names[colour[i]!] ?? String(colour[i]) }));
  const used = new Set(values.map((v) => v.c));
  const domain = names.filter((c) => used.has(c));
  const spec: TopLevelSpec = {
    data: { values },
    width: 380,
    height: 320,
    title,
    mark: { type: 'circle', size: n > 1000 ? 10 : 18, opacity: 0.75 },
    encoding: {
      x: { field: 'x', type: 'quantitative', axis: null, scale: { zero: false, nice: false } },
      y: { field: 'y', type: 'quantitative', axis: null, scale: { zero: false, nice: false } },
      color: { field: 'c', type: 'nominal', title: legend, scale: { domain, scheme: scheme(domain.length) }, legend: { columns: domain.length > 12 ? 2 : 1, symbolLimit: 60 } },
    },
  };
  return { name, title, svg: await renderSvg(spec), titled: true };
}

/** Cluster sizes, stacked by true class when the ground truth is known. */
export async function clusterSizesChart(pred: Int32Array, k: number, truth: ArrayLike<number> | null, classNames: readonly string[]): Promise<Chart> {
  const values: Array<{ cluster: number; class?: string; count: number }> = [];
  if (truth) {
    const counts = new Map<string, number>();
    for (let i = 0; i < pred.length; i++) {
      const key = `${pred[i]}\u0000${truth[i]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, count] of counts) {
      const [c, t] = key.split('\u0000').map(Number) as [number, number];
      values.push({ cluster: c, class: classNames[t] ?? String(t), count });
    }
  } else {
    const sizes = new Array<number>(k).fill(0);
    for (const p of pred) sizes[p]!++;
    sizes.forEach((count, cluster) => values.push({ cluster, count }));
  }
  const usedClasses = classNames.filter((c) => values.some((v) => v.class === c));
  const spec: TopLevelSpec = {
    data: { values },
    width: Math.max(240, Math.min(760, 34 * k)),
    height: 220,
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'cluster', type: 'ordinal', title: 'cluster', axis: { labelAngle: 0 } },
      y: { aggregate: 'sum', field: 'count', type: 'quantitative', title: 'points' },
      ...(truth ? { color: { field: 'class', type: 'nominal', title: 'true class', scale: { domain: usedClasses, scheme: scheme(usedClasses.length) }, legend: { columns: usedClasses.length > 12 ? 2 : 1 } } } : {}),
    },
  };
  return { name: 'cluster-sizes', title: truth ? 'Cluster sizes, stacked by true class' : 'Cluster sizes', svg: await renderSvg(spec) };
}
