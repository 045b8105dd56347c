/**
 * ONNX export of an auto model: raw features → the fitted preprocessing (PCA included) → the
 * clustering step (k-means distances, or a Gaussian mixture's posteriors) → `label`. A UMAP
 * pipeline is refused: its transform of new rows is a nearest-neighbour search over the stored
 * training rows, not graph ops; its parametric part (the preprocessing) can be exported alone.
 */
import { Graph, ParameterStore, type Tensor, add, argMax, argMin, exportOnnx, matmul, mul, reduceSum, reshape, softmax, square, sub } from '../engine/index.ts';
import { ParamError } from '../errors.ts';
import type { AutoModel } from './model.ts';

/** Options of the ONNX export of an auto model (`FittedAutoClustering.exportOnnx`). */
export interface AutoOnnxOptions {
  /**
   * Put the fitted preprocessing in the graph, so the input is the raw features (false: the input
   * is the preprocessed features). @defaultValue true
   */
  readonly preprocessing?: boolean;
  /**
   * Export only the preprocessing: output `features`, what the UMAP or the clustering step takes.
   * The one export a UMAP pipeline allows. @defaultValue false
   */
  readonly preprocessingOnly?: boolean;
}

/** Why a UMAP pipeline is not exported whole, and what to do instead (one line). */
export const UMAP_EXPORT_REFUSAL =
  'this auto model clusters a UMAP embedding, whose transform of new rows is a nearest-neighbour search over the stored training rows, not ONNX graph ops; assign new rows with `deepclust predict --model <dir>` (library: FittedAutoClustering.predict), or export only the fitted preprocessing (`deepclust export --preprocessing-only`; library: { preprocessingOnly: true }) and run UMAP + the clustering step outside';

/**
 * Writes the model as a standalone ONNX file. Input `x` `[batch, d]` (float32); outputs
 * `features` (the preprocessed rows), `distances` `[batch, k]` (k-means: squared distances to the
 * centres) or `q` `[batch, k]` (mixture posteriors), and `label` `[batch]` (int64). The graph
 * computes in float32: labels agree with `predict` except for rows within rounding of a tie.
 * @throws ParamError for a UMAP pipeline without `preprocessingOnly` (see {@link UMAP_EXPORT_REFUSAL})
 */
export function exportAutoOnnx(model: AutoModel, path: string, options: AutoOnnxOptions = {}): void {
  if (model.umap && !options.preprocessingOnly) throw new ParamError(`export: ${UMAP_EXPORT_REFUSAL}`);
  const withPre = options.preprocessing ?? true;
  if (options.preprocessingOnly && !withPre) throw new ParamError('export: preprocessingOnly exports the preprocessing, so it cannot leave it out (preprocessing: false); drop one of them');
  const g = new Graph();
  const x = g.input('x', ['batch', withPre ? model.preprocessing.nInputs : model.preprocessing.nOutputs]);
  const f = withPre ? model.preprocessing.appendToGraph(x) : x;
  const outputs: Record<string, Tensor> = { features: f };
  if (!options.preprocessingOnly) {
    const c = model.clusterer;
    if (c.kind === 'kmeans') {
      const { rows: k, cols: d } = c.centers;
      const ct = new Float32Array(d * k);
      const cc = new Float32Array(k);
      for (let j = 0; j < k; j++)
        for (let a = 0; a < d; a++) {
          const v = c.centers.data[j * d + a]!;
          ct[a * k + j] = v;
          cc[j] += v * v;
        }
      // ‖f‖² − 2 f·c + ‖c‖²
      const dist = add(sub(reduceSum(square(f), [1], true), mul(matmul(f, g.constant(ct, [d, k])), 2)), g.constant(cc, [k]));
      outputs.distances = dist;
      outputs.label = argMin(dist, 1);
    } else {
      // log N(f | j) + log w_j = logNorm_j − ½ ‖f P_j − μ_j P_j‖², then a softmax over j
      const { k, d, precFlat, meanProj, logNorm } = c.mixture;
      const y = sub(matmul(f, g.constant(precFlat, [d, k * d])), g.constant(meanProj, [k * d]));
      const dist = reduceSum(reshape(square(y), [0, k, d]), [2]);
      const q = softmax(add(mul(dist, -0.5), g.constant(logNorm, [k])), 1);
      outputs.q = q;
      outputs.label = argMax(q, 1);
    }
  }
  exportOnnx(path, g, outputs, new ParameterStore());
}
