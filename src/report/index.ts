/**
 * The HTML report of a run: `report.html` (self-contained: inline SVG charts and data-URI
 * images, no scripts, nothing fetched) plus each chart as `charts/<name>.svg` (and `.png`).
 * `generateReport(dir)` builds it from the files `deepclust fit --out dir` saved, so the same run
 * always gives the same page.
 */
import { join } from 'node:path';
import { ensureDir } from '../data/atomic.ts';
import { atomicWrite } from '../engine/index.ts';
import { clusterAccuracy } from '../metrics/index.ts';
import { type Chart, accuracyChart, clusterSizesChart, labelChangeChart, lossChart, scatterChart } from './charts.ts';
import { type ReportData, type SavedRun, decodeFloat32, readRun } from './data.ts';
import { autoPlanSection, isAutoResult } from './auto-plan.ts';
import { kCurvesChart, kEstimateOf, kEstimateText } from './k-curves.ts';
import { map2d } from './map2d.ts';
import { pretrainEndOf, pretrainEndText } from '../methods/pretrain-plateau.ts';
import { encodePng, pngDataUri } from './png.ts';

export { collectReportData, historyMetricsTracker, readRun, type ReportData, type SavedRun } from './data.ts';

/** Options of {@link generateReport}. */
export interface ReportOptions {
  /** Also write each chart as PNG (via @resvg/resvg-js). @defaultValue true */
  readonly png?: boolean;
}

/** What {@link generateReport} wrote. */
export interface ReportOutput {
  /** Path of `report.html`. */
  readonly html: string;
  /** Paths of the chart files (SVG, and PNG when asked). */
  readonly files: string[];
  /** Number of charts in the page. */
  readonly charts: number;
  /** Seconds it took. */
  readonly seconds: number;
}

/** Escapes text for HTML. */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const METRIC_NAMES: Record<string, string> = {
  acc: 'ACC (Hungarian)',
  nmi: 'NMI',
  ari: 'ARI',
  silhouette: 'Silhouette',
  calinskiHarabasz: 'Calinski–Harabasz',
  daviesBouldin: 'Davies–Bouldin',
};

function fmt(v: unknown, digits = 4): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : Math.abs(v) >= 1000 ? v.toLocaleString('en-US', { maximumFractionDigits: 1 }) : v.toFixed(digits);
  return esc(typeof v === 'string' ? v : JSON.stringify(v));
}

function keyValueTable(rows: Array<[string, string]>): string {
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function chartFigure(c: Chart): string {
  return `<figure class="chart" id="chart-${esc(c.name)}">${c.titled ? '' : `<figcaption>${esc(c.title)}</figcaption>`}${c.svg.replace(/^<\?xml[^>]*>/, '')}</figure>`;
}

function note(text: string): string {
  return `<p class="note">${text}</p>`;
}

/** Class names of a run (index = label): saved names, else the label numbers. */
function classNamesOf(data: ReportData | null): string[] {
  if (!data?.truth) return [];
  const c = data.truth.reduce((m, v) => Math.max(m, v), -1) + 1;
  return Array.from({ length: c }, (_, i) => data.classNames?.[i] ?? String(i));
}

/** Confusion matrix (rows: true classes; columns: clusters ordered by the class the Hungarian mapping gives them). */
export function confusionTable(truth: ArrayLike<number>, pred: ArrayLike<number>, k: number, classNames: readonly string[]): { html: string; accuracy: number; mapping: Map<number, number> } {
  const c = classNames.length;
  const counts = Array.from({ length: c }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < pred.length; i++) counts[truth[i]!]![pred[i]!]!++;
  const { accuracy, mapping } = clusterAccuracy(truth, pred);
  const order: number[] = [];
  const classOf = new Map<number, number>();
  for (const [cl, cls] of mapping) if (cls >= 0) classOf.set(cl, cls);
  for (let cls = 0; cls < c; cls++) for (const [cl, m] of classOf) if (m === cls) order.push(cl);
  for (let cl = 0; cl < k; cl++) if (!order.includes(cl)) order.push(cl);
  const colTotals = order.map((cl) => counts.reduce((s, r) => s + r[cl]!, 0));
  const head = `<tr><th class="corner">class \\ cluster</th>${order.map((cl) => `<th title="cluster ${cl}${classOf.has(cl) ? ` → class ${esc(classNames[classOf.get(cl)!])}` : ' (no class)'}">${cl}<span class="map">${classOf.has(cl) ? `→ ${esc(classNames[classOf.get(cl)!])}` : '–'}</span></th>`).join('')}<th>total</th></tr>`;
  const body = counts
    .map((row, cls) => {
      const total = row.reduce((s, v) => s + v, 0);
      const cells = order.map((cl) => {
        const v = row[cl]!;
        const a = total > 0 ? v / total : 0;
        const matched = classOf.get(cl) === cls;
        return `<td data-class="${cls}" data-cluster="${cl}" class="${matched ? 'match' : ''}" style="background:rgba(31,119,180,${a.toFixed(3)});${a > 0.55 ? 'color:#fff;' : ''}">${v}</td>`;
      });
      return `<tr><th>${esc(classNames[cls])}</th>${cells.join('')}<td class="total">${total}</td></tr>`;
    })
    .join('');
  const foot = `<tr><th>total</th>${colTotals.map((t) => `<td class="total">${t}</td>`).join('')}<td class="total">${pred.length}</td></tr>`;
  return { html: `<div class="scroll"><table class="confusion">${head}${body}${foot}</table></div>`, accuracy, mapping };
}

/** Thumbnails per cluster as inline PNG strips. */
function imagesSection(data: ReportData, labels: Int32Array, mapping: Map<number, number> | null, classNames: readonly string[]): string {
  const im = data.images!;
  const pixels = Buffer.from(im.pixels, 'base64');
  const per = im.height * im.width * im.channels;
  const scale = Math.max(1, Math.round(56 / Math.max(im.height, im.width)));
  const sizes = new Array<number>(labels.reduce((m, l) => Math.max(m, l), 0) + 1).fill(0);
  for (const l of labels) sizes[l]!++;
  let o = 0;
  const rows: string[] = [];
  for (const cl of im.clusters) {
    const count = cl.indices.length;
    const gap = 2;
    const w = count > 0 ? count * im.width + (count - 1) * gap : 0;
    let img = '<span class="empty">(empty cluster)</span>';
    if (count > 0) {
      const strip = new Uint8Array(w * im.height * im.channels).fill(255);
      for (let t = 0; t < count; t++) {
        const src = pixels.subarray(o + t * per, o + (t + 1) * per);
        for (let y = 0; y < im.height; y++) strip.set(src.subarray(y * im.width * im.channels, (y + 1) * im.width * im.channels), (y * w + t * (im.width + gap)) * im.channels);
      }
      img = `<img alt="cluster ${cl.cluster}: ${count} samples" src="${pngDataUri(encodePng(strip, w, im.height, im.channels))}" width="${w * scale}" height="${im.height * scale}">`;
    }
    o += count * per;
    const cls = mapping?.get(cl.cluster);
    rows.push(`<tr><th>cluster ${cl.cluster}<br><span class="sub">${sizes[cl.cluster] ?? 0} points${cls !== undefined && cls >= 0 ? ` · → ${esc(classNames[cls])}` : ''}</span></th><td>${img}</td></tr>`);
  }
  return `<table class="thumbs">${rows.join('')}</table>`;
}

const CSS = `
body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#222;margin:0;background:#f6f7f9}
main{max-width:1140px;margin:0 auto;padding:16px 24px 40px;background:#fff}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.lead{color:#555;margin:0 0 12px}.note{color:#555;font-size:13px;margin:6px 0}
.cols{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
table{border-collapse:collapse;font-size:13px}
table.kv th{text-align:left;font-weight:600;padding:3px 12px 3px 0;vertical-align:top;white-space:nowrap}table.kv td{padding:3px 0;max-width:520px;overflow-wrap:anywhere}
table.metrics th,table.metrics td{padding:4px 14px;border-bottom:1px solid #eee;text-align:right}table.metrics th:first-child{text-align:left}
table.confusion{font-size:12px}table.confusion th,table.confusion td{border:1px solid #ddd;padding:3px 6px;text-align:right;min-width:30px}
table.confusion td.match{outline:2px solid #d62728;outline-offset:-2px;font-weight:700}table.confusion .total{background:#f3f3f3;color:#333}
table.confusion th .map{display:block;font-weight:400;color:#666;font-size:11px}
table.thumbs th{text-align:left;font-weight:600;padding:4px 12px 4px 0;white-space:nowrap;vertical-align:middle}table.thumbs td{padding:4px 0}
table.thumbs img{image-rendering:pixelated;border:1px solid #ccc;display:block}
.sub{font-weight:400;color:#666;font-size:12px}
figure.chart{margin:8px 0 14px}figure.chart figcaption{font-size:13px;font-weight:600;margin-bottom:4px}
figure.chart svg{max-width:100%;height:auto;display:block}
.maps{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:8px 18px}.maps figure.chart{margin:4px 0}
.scroll{overflow-x:auto}pre{background:#f6f6f6;padding:10px;font-size:12px;max-height:420px;overflow:auto}
`;

/**
 * Builds `report.html` and the chart files in a run directory written by `deepclust fit --out`.
 * @throws DataError (one line) when the run directory or its files are missing or corrupt
 */
export async function generateReport(dir: string, options: ReportOptions = {}): Promise<ReportOutput> {
  const t0 = performance.now();
  const run = readRun(dir);
  const { html, charts } = await buildReportHtml(run);
  const chartDir = join(dir, 'charts');
  ensureDir(chartDir);
  const files: string[] = [];
  const png = options.png ?? true;
  const { Resvg } = png ? await import('@resvg/resvg-js') : { Resvg: undefined };
  for (const c of charts) {
    const svgPath = join(chartDir, `${c.name}.svg`);
    atomicWrite(svgPath, c.svg);
    files.push(svgPath);
    if (Resvg) {
      const pngPath = join(chartDir, `${c.name}.png`);
      atomicWrite(pngPath, new Resvg(c.svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng());
      files.push(pngPath);
    }
  }
  const htmlPath = join(dir, 'report.html');
  atomicWrite(htmlPath, html);
  return { html: htmlPath, files, charts: charts.length, seconds: (performance.now() - t0) / 1000 };
}

/** The Run table of an auto run: the clustering step that ran instead of clustering iterations. */
function autoRunRows(result: SavedRun['result'], timings: string, hasPretrain: boolean): Array<[string, string]> {
  return [
    ['method', 'auto (no --method: the plan below chose every step)'],
    ['clusters k', `${fmt(result.k)}${result.kEstimated ? ' (estimated)' : ' (given)'}`],
    ['clustering step', esc(result.clustering ?? '–')],
    ['seed', fmt(result.seed)],
    ['phases', [hasPretrain ? 'pretraining' : null, esc(result.clustering ?? 'clustering')].filter(Boolean).join(' → ')],
    ['time', timings || '–'],
  ];
}

/** The page and its charts for a saved run. */
export async function buildReportHtml(run: SavedRun): Promise<{ html: string; charts: Chart[] }> {
  const { result, labels, data } = run;
  const history = result.history;
  const k = result.k;
  const classNames = classNamesOf(data);
  const truth = data?.truth ?? null;
  const charts: Chart[] = [];
  const sections: string[] = [];
  const cfg = result.config as { name?: string; clusterUpdate?: { tol?: number }; notes?: unknown };
  const hasPretrain = history.some((r) => r.phase === 'pretrain');
  const hasCluster = history.some((r) => r.phase === 'cluster');
  const auto = isAutoResult(result);

  // ---- summary
  const ds = result.dataset;
  const timings = Object.entries(result.timings ?? {}).map(([p, s]) => `${esc(p)} ${s.toFixed(1)} s`).join(', ');
  const runRows: Array<[string, string]> = [
    ['method', esc(result.method)],
    ['clusters k', fmt(k)],
    ['seed', fmt(result.seed)],
    ['clustering iterations', `${fmt(result.iterations ?? 0)}${result.stoppedBy && result.stoppedBy !== 'none' ? ` (stopped by ${esc(result.stoppedBy)})` : ''}`],
    ['phases', [hasPretrain ? 'pretraining' : null, 'k-means init', hasCluster ? 'clustering' : null].filter(Boolean).join(' → ')],
    ['time', timings || '–'],
  ];
  if (auto) runRows.splice(0, runRows.length, ...autoRunRows(result, timings, hasPretrain));
  if (result.usedLabels) runRows.push(['used labels', 'yes: a supervised block trained with the ground truth']);
  const dataRows: Array<[string, string]> = [
    ['data set', esc(ds.name)],
    ['rows × features', `${fmt(ds.n)} × ${fmt(ds.d)}`],
    ['classes', ds.classes === null ? 'no labels' : fmt(ds.classes)],
    ['preprocessing', esc((ds.preprocessing ?? []).join(', ') || 'none')],
  ];
  if (data?.imageShape) dataRows.push(['image shape', esc(data.imageShape.join(' × '))]);
  if (truth) {
    const hist = new Array<number>(classNames.length).fill(0);
    for (const t of truth) hist[t]!++;
    dataRows.push(['class sizes', hist.map((h, i) => `${esc(classNames[i])}: ${h}`).join(', ')]);
  }
  if (ds.sources?.length) dataRows.push(['files', ds.sources.map(esc).join('<br>')]);
  const metricRows = Object.entries(result.metrics)
    .map(([key, v]) => `<tr><th>${esc(METRIC_NAMES[key] ?? key)}</th><td data-metric="${esc(key)}">${fmt(v)}</td></tr>`)
    .join('');
  sections.push(
    `<div class="cols"><section><h2>Run</h2>${keyValueTable(runRows)}</section><section><h2>Data</h2>${keyValueTable(dataRows)}</section></div>`,
    `<h2>Metrics</h2><table class="metrics">${metricRows}</table>${note(`ACC/NMI/ARI against the ground truth${truth ? '' : ' (none: the data has no labels)'}; silhouette, Calinski–Harabasz and Davies–Bouldin on the final embedding.`)}`,
  );

  // ---- the auto plan (runs without --method)
  if (auto) sections.push(autoPlanSection(result, esc));

  // ---- estimating k (only when the run estimated it)
  const kView = kEstimateOf(result);
  if (kView) {
    const kChart = await kCurvesChart(kView);
    if (kChart) charts.push(kChart);
    sections.push(`<section id="k-estimate"><h2>Estimating k</h2>${kEstimateText(kView, esc)}${kChart ? chartFigure(kChart) : note('No curve values were recorded.')}</section>`);
  }

  // ---- training curves
  const curves: string[] = [];
  const greedy = await lossChart(history, 'greedy', 'greedy-losses', 'Greedy layer-wise pretraining: reconstruction loss of each layer pair per epoch (epochs counted over all pairs)');
  if (greedy) {
    charts.push(greedy);
    curves.push(chartFigure(greedy));
  }
  const pre = await lossChart(history, 'pretrain', 'pretrain-losses', 'Pretraining loss per epoch');
  if (pre) {
    charts.push(pre);
    curves.push(chartFigure(pre));
  } else curves.push(note(auto ? 'auto trained no network on this data (see the plan), so there is no training curve.' : 'This run has no pretraining phase.'));
  // how pretraining ended, when it could stop on a plateau (pretrain.plateau: auto's network, or a method config)
  const end = pretrainEndOf(history);
  if (pre && end) curves.push(note(`Pretraining ${esc(pretrainEndText(end))}.`));
  const init = history.find((r) => r.phase === 'init');
  if (init?.losses.inertia !== undefined) curves.push(note(`k-means initialisation: inertia ${fmt(init.losses.inertia)}${init.acc !== undefined ? `, ACC ${fmt(init.acc)}, NMI ${fmt(init.nmi)}` : ''}.`));
  if (hasCluster) {
    for (const c of [await lossChart(history, 'cluster', 'cluster-losses', 'Clustering-phase loss terms (mean over each target-refresh interval)'), await labelChangeChart(history, cfg.clusterUpdate?.tol), await accuracyChart(history)]) {
      if (!c) continue;
      charts.push(c);
      curves.push(chartFigure(c));
    }
    if (!history.some((r) => r.acc !== undefined)) curves.push(note(truth ? 'ACC/NMI per update are not in this run’s history.' : 'No ACC/NMI curve: the data has no labels.'));
  } else if (auto) curves.push(note(`auto's clustering step (${esc(result.clustering ?? 'clustering')}) has no training phase: no clustering losses, label changes or per-update ACC.`));
  else curves.push(note(`This method (${esc(result.method)}) has no clustering-training phase: the clusters are k-means on the ${hasPretrain ? 'pretrained ' : ''}embedding, so there are no clustering losses, label changes or per-update ACC.`));
  sections.push(`<h2>Training curves</h2>${curves.join('')}`);

  // ---- 2-D maps
  const maps: string[] = [];
  if (!data) maps.push(note('This run has no report-data.json (fit with --no-report, or an older run), so there are no embedding maps, confusion matrix or images; rerun the fit with --out to get them.'));
  else {
    const sample = data.sample;
    const pick = (all: ArrayLike<number>) => Int32Array.from(sample, (i) => all[i]!);
    const predNames = Array.from({ length: k }, (_, i) => String(i));
    const mapOf = (m: NonNullable<ReportData['embeddingBefore']>) => map2d(decodeFloat32(m.float32), m.rows, m.cols, data.seed);
    const panels: Array<Promise<Chart>> = [];
    const sampleNote = `UMAP (seeded) of ${sample.length === data.n ? `all ${fmt(data.n)} points` : `a seeded sample of ${fmt(sample.length)} of the ${fmt(data.n)} points`}.`;
    if (hasCluster && data.embeddingBefore) {
      const xyB = await mapOf(data.embeddingBefore);
      const before = 'before clustering training (after pretraining)';
      panels.push(scatterChart(xyB, data.initLabels ? pick(data.initLabels) : pick(labels), predNames, 'map-before-cluster', `Embedding ${before}`, data.initLabels ? 'k-means cluster' : 'final cluster'));
      if (truth) panels.push(scatterChart(xyB, pick(truth), classNames, 'map-before-class', `Embedding ${before}`, 'true class'));
    }
    const xyA = await mapOf(data.embeddingAfter);
    const afterTitle = hasCluster ? 'Embedding after clustering training' : `Final embedding${hasPretrain ? ' (after pretraining)' : ''}`;
    panels.push(scatterChart(xyA, pick(labels), predNames, 'map-after-cluster', afterTitle, 'predicted cluster'));
    if (truth) panels.push(scatterChart(xyA, pick(truth), classNames, 'map-after-class', afterTitle, 'true class'));
    const done = await Promise.all(panels);
    charts.push(...done);
    maps.push(note(`${sampleNote} ${hasCluster ? (data.embeddingBefore ? 'Top: the embedding after pretraining, coloured by the k-means clusters that started the clustering phase; bottom: after training, coloured by the final clusters.' : 'This run had no pretraining phase (or started from given parameters), so only the map after training is shown.') : auto ? 'One map: the representation auto’s clustering step saw (the UMAP embedding, or the preprocessed features; the code for a network).' : 'This method has no clustering-training phase, so the embedding after pretraining is the final one and one map is shown.'}${truth ? ' Right: coloured by the true class.' : ''}`));
    maps.push(`<div class="maps">${done.map(chartFigure).join('')}</div>`);
  }
  sections.push(`<h2>Embedding maps</h2>${maps.join('')}`);

  // ---- confusion matrix and cluster sizes
  let mapping: Map<number, number> | null = null;
  if (truth) {
    const conf = confusionTable(truth, labels, k, classNames);
    mapping = conf.mapping;
    sections.push(
      `<h2>Confusion matrix</h2>${note(`Rows: true classes; columns: clusters, ordered by the class the Hungarian matching assigns them (header: cluster → class; outlined cells are the matched pairs, whose sum gives ACC = ${conf.accuracy.toFixed(4)}). Shading: share of the class’s points.`)}${conf.html}`,
    );
  } else sections.push(`<h2>Confusion matrix</h2>${note('None: the data has no labels.')}`);
  const sizes = await clusterSizesChart(labels, k, truth, classNames);
  charts.push(sizes);
  sections.push(`<h2>Cluster sizes</h2>${chartFigure(sizes)}`);

  // ---- images
  if (data?.images) sections.push(`<h2>Sample images per cluster</h2>${note(`Up to ${Math.max(...data.images.clusters.map((c) => c.indices.length))} seeded random members of each cluster, each scaled to its own value range.`)}${imagesSection(data, labels, mapping, classNames)}`);
  else if (data) sections.push(`<h2>Sample images per cluster</h2>${note('None: the rows are not images (no image shape).')}`);

  // ---- config (an auto run without a network has none: its plan is its whole configuration)
  if (!auto) sections.push(`<h2>Method config</h2><pre>${esc(JSON.stringify(result.config, null, 2))}</pre>`);
  else if (hasPretrain) sections.push(`<h2>Network config</h2>${note('The method config auto ran for its autoencoder (the n2d preset with the plan’s network).')}<pre>${esc(JSON.stringify(result.config, null, 2))}</pre>`);

  const title = `deepclust report: ${result.method} on ${ds.name}`;
  const acc = result.metrics.acc;
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head>
<body><main><h1>${esc(title)}</h1><p class="lead">${fmt(ds.n)} points, k = ${k}, seed ${result.seed}${typeof acc === 'number' ? ` · ACC ${acc.toFixed(4)}, NMI ${fmt(result.metrics.nmi)}, ARI ${fmt(result.metrics.ari)}` : ''}</p>
${sections.join('\n')}
</main></body></html>
`;
  return { html, charts };
}
