/**
 * Commands on a saved model: `deepclust predict`, `deepclust embed`, `deepclust export`.
 */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Tensor } from '../../engine/index.ts';
import { encodeNpy, writeNpy } from '../../data/npy.ts';
import { STDIO, writeLabels } from '../conventions.ts';
import { verifyRun } from '../run-dir.ts';
import { FittedDeepClustering } from '../../methods/deep-clustering.ts';
import { FittedAutoClustering, isAutoModel } from '../../auto/index.ts';
import { addDataOptions, loadDataFromOptions } from '../data-options.ts';
import { FittedPreprocessing, PREPROCESSING, type Dataset } from '../../data/index.ts';
import { evaluateLabels } from '../evaluate-labels.ts';
import { printJson } from '../output.ts';
import { DataError, ParamError } from '../../errors.ts';
import type { Matrix } from '../../matrix.ts';

function modelFolder(dir: string): string {
  const inner = join(dir, 'model');
  return existsSync(join(inner, 'model.json')) ? inner : dir;
}

/**
 * Loads a model from a `fit --out` directory or its `model/` sub-folder. A run directory must be
 * a finished run (its manifest vouches for its files); a model folder is checked by its own seal.
 */
export function loadModel(dir: string): FittedDeepClustering {
  const folder = modelFolder(dir);
  if (folder !== dir) verifyRun(resolve(dir), dir, { rebuildingReport: true });
  return FittedDeepClustering.load(folder);
}

/**
 * Loads a deep model or an `auto` model (model.json's `kind: 'auto'`, written by `fit` without
 * --method), checked as {@link loadModel} checks a deep one.
 */
export function loadAnyModel(dir: string): { kind: 'deep'; model: FittedDeepClustering } | { kind: 'auto'; model: FittedAutoClustering } {
  const folder = modelFolder(dir);
  if (!isAutoModel(folder)) return { kind: 'deep', model: loadModel(dir) };
  if (folder !== dir) verifyRun(resolve(dir), dir, { rebuildingReport: true });
  return { kind: 'auto', model: FittedAutoClustering.load(folder) };
}

/**
 * The preprocessing steps the model's training data went through, as `deepclust fit` records them
 * in model.json (subsetting notes left out); undefined for a model saved without that record.
 */
export function trainingPreprocessing(dir: string): string[] | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(modelFolder(dir), 'model.json'), 'utf8')) as { dataset?: { preprocessing?: unknown } };
    const notes = meta.dataset?.preprocessing;
    return Array.isArray(notes) ? notes.filter((s): s is string => typeof s === 'string' && s in PREPROCESSING) : undefined;
  } catch {
    return undefined; // loadModel reports a missing or corrupt model.json
  }
}

/**
 * The fitted preprocessing stored in a model's model.json by `deepclust fit` (statistics
 * included); undefined for a model saved before it was stored.
 * @throws DataError when the stored record is corrupt
 */
export function storedPreprocessing(dir: string): FittedPreprocessing | undefined {
  let meta: { preprocessing?: unknown };
  try {
    meta = JSON.parse(readFileSync(join(modelFolder(dir), 'model.json'), 'utf8')) as { preprocessing?: unknown };
  } catch {
    return undefined; // loadModel reports a missing or corrupt model.json
  }
  return meta.preprocessing === undefined ? undefined : FittedPreprocessing.fromJSON(meta.preprocessing, `the model '${dir}'`);
}

/**
 * Loads the data for a saved model, preprocessed as its training data was. A model that stores
 * its fitted preprocessing gets the raw rows transformed with the stored statistics (never
 * re-fitted on the rows given). For older models: without
 * `--preprocess` the model's recorded steps apply (not the data set's default, which may differ,
 * e.g. DEC's ×0.02 MNIST scaling); a different explicit `--preprocess` is refused, because the
 * network would see values on another scale and assign them silently wrong.
 */
export async function loadDataLikeTraining(modelDir: string, opts: Record<string, unknown>): Promise<Dataset> {
  const fitted = storedPreprocessing(modelDir);
  if (fitted) {
    const trained = fitted.names.join(',') || 'none';
    const given = opts.preprocess === undefined ? undefined : String(opts.preprocess).split(',').map((s) => s.trim()).filter(Boolean).join(',') || 'none';
    if (given !== undefined && given !== trained && !(given === 'none' && fitted.steps.length === 0) && given !== fitted.steps.map((s) => s.step).join(','))
      throw new ParamError(`the model was trained on data preprocessed with '${trained}', but --preprocess gives '${given}'; omit --preprocess to use the model's steps (or pass --preprocess ${trained})`);
    const raw = await loadDataFromOptions({ ...opts, preprocess: 'none' });
    const x = fitted.transform(raw.x, `'${raw.name}'`);
    return { ...raw, x, imageShape: x.cols === raw.x.cols ? raw.imageShape : undefined, preprocessing: [...raw.preprocessing, ...fitted.names], fittedPreprocessing: fitted };
  }
  const steps = trainingPreprocessing(modelDir);
  if (steps === undefined) return loadDataFromOptions(opts);
  const trained = steps.length ? steps.join(',') : 'none';
  if (opts.preprocess === undefined) return loadDataFromOptions({ ...opts, preprocess: trained });
  const given = String(opts.preprocess).split(',').map((s) => s.trim()).filter(Boolean).join(',') || 'none';
  if (given !== trained)
    throw new ParamError(`the model was trained on data preprocessed with '${trained}', but --preprocess gives '${given}'; omit --preprocess to use the model's steps (or pass --preprocess ${trained})`);
  return loadDataFromOptions(opts);
}

/** `predict` and `embed` need the data named: a silent default data set would give labels of the wrong rows. */
function requireData(command: string, opts: Record<string, unknown>): void {
  if (opts.data === undefined) throw new ParamError(`${command}: option '--data' is required: the data to ${command === 'predict' ? 'assign' : 'embed'} (a data set name, a file, or '-' for CSV/TSV on stdin)`);
}

function checkWidth(model: FittedDeepClustering, cols: number): void {
  if (cols !== model.nFeatures) throw new DataError(`the model expects rows of ${model.nFeatures} features but the data has ${cols}; use data preprocessed like the training data`);
}

/** A float32 copy of a float64 matrix (the .npy of `embed` is float32). */
function float32(m: Matrix): Matrix {
  return m.data instanceof Float32Array ? m : { data: Float32Array.from(m.data), rows: m.rows, cols: m.cols };
}

/** Registers `predict`, `embed` and `export`. */
export function register(program: Command): void {
  const predict = program
    .command('predict')
    .description('assign clusters to data with a saved model')
    .requiredOption('--model <dir>', "a 'deepclust fit --out' directory")
    .option('--out <file>', "write the labels here, atomically (CSV: a 'label' header, one per line; '-' or no --out: stdout)")
    .option('--json', 'print a JSON summary (and metrics when labels exist) as the last stdout line')
    .option('--seed <n>', 'seed of the --limit subset', '0')
    .option('--quiet', 'no download progress and no summary line on stderr');
  addDataOptions(predict, { defaultData: null });
  predict.addHelpText('after', '\nExample:\n  deepclust predict --model runs/idec --data mnist:test --data-dir ~/data --out test-labels.csv');
  predict.action(async (opts: Record<string, unknown>) => {
    requireData('predict', opts);
    const loaded = loadAnyModel(String(opts.model));
    // an auto model's stored preprocessing is applied here (raw rows in), the rest by the model
    const data = await loadDataLikeTraining(String(opts.model), opts);
    if (loaded.kind === 'deep') checkWidth(loaded.model, data.x.cols);
    const labels = loaded.kind === 'deep' ? await loaded.model.predict(data.x) : await loaded.model.predictPreprocessed(data.x);
    if (opts.out !== undefined && opts.out !== STDIO) writeLabels(resolve(String(opts.out)), labels);
    const metrics = await evaluateLabels(data.labels, labels);
    const result = { model: String(opts.model), dataset: data.name, n: data.x.rows, metrics, out: opts.out ?? null };
    if (opts.json) printJson(result);
    else if (opts.out === undefined || opts.out === STDIO) writeLabels(STDIO, labels);
    else if (!opts.quiet) process.stderr.write(`wrote ${data.x.rows} labels to ${String(opts.out)}${metrics.acc !== null ? ` (ACC ${metrics.acc!.toFixed(4)})` : ''}\n`);
  });

  const embed = program
    .command('embed')
    .description('write the learned embedding of data as a float32 .npy file')
    .requiredOption('--model <dir>', "a 'deepclust fit --out' directory")
    .requiredOption('--out <file.npy>', "output .npy file [rows, embeddingDim] ('-': the .npy bytes to stdout)")
    .option('--seed <n>', 'seed of the --limit subset', '0')
    .option('--quiet', 'no download progress and no summary line on stderr');
  addDataOptions(embed, { defaultData: null });
  embed.addHelpText('after', '\nExample:\n  deepclust embed --model runs/idec --data mnist-10k --out z.npy');
  embed.action(async (opts: Record<string, unknown>) => {
    requireData('embed', opts);
    const loaded = loadAnyModel(String(opts.model));
    const data = await loadDataLikeTraining(String(opts.model), opts);
    if (loaded.kind === 'deep') checkWidth(loaded.model, data.x.cols);
    // auto: the representation its clustering step sees (UMAP coordinates, or the preprocessed features)
    const z = loaded.kind === 'deep' ? await loaded.model.transform(data.x) : float32(await loaded.model.transformPreprocessed(data.x));
    if (opts.out === STDIO) process.stdout.write(encodeNpy(z.data, [z.rows, z.cols]));
    else writeNpy(resolve(String(opts.out)), z);
    if (!opts.quiet && opts.out !== STDIO) process.stderr.write(`wrote ${z.rows}×${z.cols} embedding to ${String(opts.out)}\n`);
  });

  program
    .command('export')
    .description('export the encoder (+ soft-assignment head) as a standalone ONNX model')
    .requiredOption('--model <dir>', "a 'deepclust fit --out' directory")
    .requiredOption('--onnx <file>', 'output .onnx file (input x [batch, d]; outputs embedding, q, label)')
    .option('--encoder-only', 'export only the embedding output')
    .option('--no-preprocessing', "leave the model's fitted preprocessing out: the ONNX input is then the preprocessed features (the behaviour before preprocessing was stored)")
    .option('--preprocessing-only', 'auto models: export only the fitted preprocessing (raw rows → the features UMAP or the clustering step takes); the one export of a UMAP pipeline')
    .addHelpText(
      'after',
      '\nThe exported model takes raw features: the preprocessing fitted by `deepclust fit` (standardize,\nminmax, pca… with their statistics) is part of the graph unless --no-preprocessing.\n\nAn auto model (`fit` without --method) exports preprocessing → k-means or Gaussian mixture (outputs\nfeatures, distances or q, label). One that clusters a UMAP embedding is refused (its transform is a\nnearest-neighbour search over stored rows): use `deepclust predict`, or --preprocessing-only.\n\nExample:\n  deepclust export --model runs/idec --onnx idec.onnx',
    )
    .action((opts: { model: string; onnx: string; encoderOnly?: boolean; preprocessing?: boolean; preprocessingOnly?: boolean }) => {
      const loaded = loadAnyModel(opts.model);
      if (loaded.kind === 'auto') {
        if (opts.encoderOnly) throw new ParamError("export: '--encoder-only' is for deep models; an auto model has no encoder: use --preprocessing-only to export the fitted preprocessing alone");
        loaded.model.exportOnnx(resolve(opts.onnx), { preprocessing: opts.preprocessing !== false, preprocessingOnly: Boolean(opts.preprocessingOnly) });
        const pre = loaded.model.preprocessing;
        process.stderr.write(`wrote ${opts.onnx} (input: ${opts.preprocessing === false ? `preprocessed rows of ${pre.nOutputs} features` : `raw rows of ${pre.nInputs} features${pre.steps.length ? `; preprocessing ${pre.names.join(', ')} inside` : ''}`}; outputs ${opts.preprocessingOnly ? 'features' : `features, ${loaded.model.clustering === 'gmm' ? 'q' : 'distances'}, label`})\n`);
        return;
      }
      if (opts.preprocessingOnly) throw new ParamError("export: '--preprocessing-only' is for auto models (fit without --method); for a deep model use --encoder-only");
      const model = loaded.model;
      const fitted = opts.preprocessing === false ? undefined : storedPreprocessing(opts.model);
      const input = fitted && fitted.steps.length ? { nInputs: fitted.nInputs, apply: (x: Tensor) => fitted.appendToGraph(x) } : undefined;
      model.exportOnnx(resolve(opts.onnx), { softAssignment: !opts.encoderOnly, input });
      process.stderr.write(`wrote ${opts.onnx}${input ? ` (input: raw rows of ${fitted!.nInputs} features; preprocessing ${fitted!.names.join(', ')} inside)` : ''}\n`);
    });
}
