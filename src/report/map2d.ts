/**
 * 2-D maps of an embedding for the report: UMAP (umap-js) seeded with the project's generator,
 * so the same run always gives the same picture.
 */
import { UMAP } from 'umap-js';
import { Rng } from '../random.ts';

/** UMAP epochs: umap-learn's choice for large data; enough for a ≤ 2,000-point overview. */
const EPOCHS = 200;

/**
 * Projects `rows × cols` values to 2-D; returns `[rows, 2]` coordinates.
 * Fewer than 10 rows, or data already 2-D or less, are shown as they are (padded with zeros).
 */
export function map2d(values: Float32Array, rows: number, cols: number, seed: number): Float64Array {
  const out = new Float64Array(rows * 2);
  if (rows < 10 || cols <= 2) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < Math.min(cols, 2); c++) out[r * 2 + c] = values[r * cols + c]!;
    return out;
  }
  const data: number[][] = Array.from({ length: rows }, (_, r) => Array.from(values.subarray(r * cols, (r + 1) * cols)));
  const rng = new Rng(seed).fork('report-umap');
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, rows - 1), minDist: 0.1, nEpochs: EPOCHS, random: () => rng.random() });
  const y = umap.fit(data);
  for (let r = 0; r < rows; r++) {
    const p = y[r]!;
    out[r * 2] = Number.isFinite(p[0]) ? p[0]! : 0;
    out[r * 2 + 1] = Number.isFinite(p[1]) ? p[1]! : 0;
  }
  return out;
}
