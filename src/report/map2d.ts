/**
 * 2-D maps of an embedding for the report: our seeded UMAP (src/cluster/umap.ts), so the same run
 * always gives the same picture.
 */
import { Umap } from '../cluster/umap.ts';
import { Rng } from '../random.ts';

/** UMAP epochs: umap-learn's choice for large data; enough for a ≤ 2,000-point overview. */
const EPOCHS = 200;

/**
 * Projects `rows × cols` values to 2-D; returns `[rows, 2]` coordinates.
 * Fewer than 10 rows, or data already 2-D or less, are shown as they are (padded with zeros).
 */
export async function map2d(values: Float32Array, rows: number, cols: number, seed: number): Promise<Float64Array> {
  const out = new Float64Array(rows * 2);
  if (rows < 10 || cols <= 2) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < Math.min(cols, 2); c++) out[r * 2 + c] = values[r * cols + c]!;
    return out;
  }
  const umapSeed = new Rng(seed).fork('report-umap').nextUint32();
  const u = await new Umap({ nComponents: 2, nNeighbors: Math.min(15, rows - 1), minDist: 0.1, nEpochs: EPOCHS, seed: umapSeed, threads: 1 }).fit({ data: values, rows, cols });
  for (let i = 0; i < out.length; i++) out[i] = u.embedding.data[i]!;
  return out;
}
