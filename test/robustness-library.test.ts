// The library side of the robustness battery (issue 8): bad inputs to DeepClustering, the
// loaders, the fitted model and the classical estimators throw the project's own error class
// (ParamError / DataError / DivergenceError) with one line naming the problem and the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError, DeepClustering, DeepclustError, DivergenceError, FittedDeepClustering, ParamError, cluster, loadDataset } from '../src/index.ts';
import type { DeepPartial, MethodConfig } from '../src/index.ts';
import { encodeIdx } from '../src/data/idx.ts';
import { Rng } from '../src/random.ts';

const dir = mkdtempSync(join(tmpdir(), 'deepclust-robustness-lib-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

// 30 rows of 3 blobs in 4-d
const rng = new Rng(4);
const N = 30;
const D = 4;
const X = Float32Array.from({ length: N * D }, (_, i) => (Math.floor(i / D) % 3) * 3 + (i % 2) + 0.1 * rng.normal());
const matrix = (data = X, rows = N, cols = D) => ({ data, rows, cols });
const withValue = (i: number, v: number) => {
  const c = X.slice();
  c[i] = v;
  return c;
};
const TINY: DeepPartial<MethodConfig> = { pretrain: { epochs: 1, batchSize: 8 }, train: { maxIter: 10, batchSize: 8 } };
/** A tiny fit; `over` is merged into the tiny schedule. */
function fit(opts: { method?: string; nClusters?: number; seed?: number; over?: DeepPartial<MethodConfig> } = {}, x = matrix(), labels?: Int32Array) {
  const overrides: DeepPartial<MethodConfig> = {
    ...TINY,
    ...opts.over,
    pretrain: { ...TINY.pretrain, ...opts.over?.pretrain },
    train: { ...TINY.train, ...opts.over?.train },
  };
  return new DeepClustering({ method: opts.method ?? 'idec', nClusters: opts.nClusters ?? 3, seed: opts.seed, overrides }).fit(x, { labels });
}

// files for the loaders
const csv = `a,b,label\n${Array.from({ length: 12 }, (_, i) => `${i},${i % 5},${i % 3}`).join('\n')}\n`;
writeFileSync(at('ok.csv'), csv);
writeFileSync(at('ragged.csv'), '1,2,3\n4,5,6\n7,8\n');
writeFileSync(at('empty.csv'), '');
writeFileSync(at('cut.csv.gz'), gzipSync(csv).subarray(0, 40));
const idx = encodeIdx([6, 2, 2], Uint8Array.from({ length: 24 }, (_, i) => i));
writeFileSync(at('magic-idx3-ubyte'), Uint8Array.from([0x00, 0x01, ...idx.subarray(2)]));
writeFileSync(at('labels.txt'), '0\n1\n2\n');

/** One bad input: what to call and the error it must throw. */
interface Case {
  readonly name: string;
  readonly call: () => unknown;
  readonly error: typeof ParamError | typeof DataError | typeof DivergenceError;
  /** Must name the problem and the fix. */
  readonly message: RegExp;
  readonly check?: (e: DeepclustError) => void;
}

let fitted: FittedDeepClustering | undefined;
const model = async () => (fitted ??= await fit({ method: 'ae-kmeans' }));

const cases: Case[] = [
  // values and shapes
  { name: 'NaN in x', call: () => fit({}, matrix(withValue(9, Number.NaN))), error: DataError, message: /non-finite value \(NaN\) at row 2, column 1; remove or impute it first/ },
  { name: 'Inf in x', call: () => fit({}, matrix(withValue(14, Number.NEGATIVE_INFINITY))), error: DataError, message: /non-finite value \(-Infinity\) at row 3, column 2; remove or impute it first/ },
  { name: 'empty x', call: () => fit({}, matrix(new Float32Array(0), 0, D)), error: DataError, message: /the data is empty \(0 rows × 4 columns\); pass at least one row/ },
  { name: 'rows × cols differ from the values', call: () => fit({}, matrix(X, N + 1, D)), error: DataError, message: /the data has 120 values, expected 31 × 4 = 124; make rows × cols match/ },
  { name: 'labels of another length', call: () => fit({ method: 'snnl-1' }, matrix(), new Int32Array(5)), error: DataError, message: /5 labels for 30 samples; pass one label per row of x/ },
  { name: 'conv method without an image shape', call: () => fit({ method: 'conv-dec' }), error: DataError, message: /uses a convolutional network, but the data has no image shape; use an image data set or pass the image shape \(fit option imageShape/ },
  // clusters and options
  {
    name: 'BCE reconstruction on data outside [0, 1]',
    call: () => fit({ over: { pretrain: { loss: 'bce' } } }),
    error: DataError,
    message: /method 'idec' reconstructs with binary cross-entropy, which needs data in \[0, 1\], but the values range over \[-?[\d.]+, [\d.]+\]; rescale them \(pixels: the preprocessing step scale255, i\.e\. divide by 255; features: minmax\) or reconstruct with mse/,
  },
  { name: 'k > n', call: () => fit({ nClusters: 31 }), error: DataError, message: /nClusters = 31 is larger than the 30 samples; use at most 30 clusters/ },
  { name: 'k < 2', call: () => fit({ nClusters: 1 }), error: ParamError, message: /option 'nClusters' must be an integer >= 2, got 1/ },
  { name: 'fractional k', call: () => fit({ nClusters: 2.5 }), error: ParamError, message: /option 'nClusters' must be an integer >= 2, got 2\.5/ },
  { name: 'negative seed', call: () => fit({ seed: -1 }), error: ParamError, message: /option 'seed' must be an integer >= 0, got -1/ },
  { name: 'unknown method', call: () => fit({ method: 'deck' }), error: ParamError, message: /unknown method 'deck' \(did you mean 'dec'\?\); choose one of / },
  { name: 'negative epochs', call: () => fit({ over: { pretrain: { epochs: -2 } } }), error: ParamError, message: /method\.pretrain\.epochs must be an integer >= 0, got -2/ },
  { name: 'zero learning rate', call: () => fit({ over: { train: { optimizer: { name: 'adam', lr: 0 } } } }), error: ParamError, message: /method\.train\.optimizer\.lr must be a finite number > 0, got 0/ },
  { name: 'batch size larger than n', call: () => fit({ over: { train: { batchSize: 64 } } }), error: DataError, message: /the clustering batch size 64 is larger than the 30 samples; lower it/ },
  { name: 'KMeans k > n', call: () => new cluster.KMeans({ nClusters: 31 }).fit(matrix()), error: ParamError, message: /KMeans: option 'nClusters' must be an integer in \[1, nSamples=30\], got 31/ },
  // divergence
  {
    name: 'diverging learning rate (clustering phase)',
    call: () => fit({ over: { train: { optimizer: { name: 'adam', lr: 1e8 } } } }),
    error: DivergenceError,
    message: /training diverged in the clustering phase at step \d+: .*(NaN|Infinity); lower the learning rate \(overrides\.train\.optimizer\.lr, now 100000000\)/,
    check: (e) => {
      const d = e as DivergenceError;
      assert.equal(d.phase, 'clustering');
      assert.ok(Number.isInteger(d.step) && d.step >= 1, `step ${d.step}`);
      assert.ok(d.term.length > 0 && !Number.isFinite(d.value!), `term ${d.term} = ${d.value}`);
    },
  },
  {
    name: 'diverging learning rate (pretraining)',
    call: () => fit({ over: { pretrain: { optimizer: { name: 'adam', lr: 1e8 } } } }),
    error: DivergenceError,
    message: /training diverged in the pretraining phase at step \d+: .*(NaN|Infinity); lower the learning rate \(overrides\.pretrain\.optimizer\.lr/,
    check: (e) => assert.equal((e as DivergenceError).phase, 'pretraining'),
  },
  // loaders
  { name: 'ragged CSV', call: () => loadDataset(at('ragged.csv')), error: DataError, message: /ragged\.csv' line 3: 2 columns, expected 3 \(ragged rows\); every row needs the same number of values/ },
  { name: 'empty file', call: () => loadDataset(at('empty.csv')), error: DataError, message: /empty\.csv' is empty; expected rows of numbers/ },
  { name: 'truncated gzip', call: () => loadDataset(at('cut.csv.gz')), error: DataError, message: /cut\.csv\.gz' is a corrupt or truncated gzip file .*; download or copy it again/ },
  { name: 'wrong IDX magic', call: () => loadDataset(at('magic-idx3-ubyte')), error: DataError, message: /is not an IDX file \(wrong magic number 00 01 08 03\); expected an MNIST-style file/ },
  { name: 'labels file of another length', call: () => loadDataset(at('ok.csv'), { labels: at('labels.txt') }), error: DataError, message: /has 3 labels but the data .* has 12 rows; they must match one to one/ },
  { name: 'unknown data set', call: () => loadDataset('mnits'), error: ParamError, message: /unknown data set 'mnits' \(did you mean 'mnist'\?\)/ },
  { name: 'unknown preprocessing step', call: () => loadDataset(at('ok.csv'), { preprocess: ['whiten'] }), error: ParamError, message: /unknown preprocessing step 'whiten'; choose from / },
  // the fitted model
  { name: 'predict rows of another width', call: async () => (await model()).predict(matrix(X.subarray(0, 27), 9, 3)), error: DataError, message: /trained on rows of 4 features, got 3; pass data preprocessed like the training data/ },
  { name: 'predict NaN rows', call: async () => (await model()).predict(matrix(withValue(0, Number.NaN))), error: DataError, message: /non-finite value \(NaN\) at row 0, column 0; remove or impute it first/ },
  { name: 'load a folder that holds no model', call: () => FittedDeepClustering.load(dir), error: DataError, message: /is not a deepclust model directory \(no model\.json\); pass the --out directory/ },
];

for (const c of cases) {
  test(`library, bad input: ${c.name}`, async () => {
    let caught: unknown;
    try {
      await c.call();
    } catch (err) {
      caught = err;
    }
    assert.ok(caught !== undefined, 'no error thrown');
    assert.ok(caught instanceof c.error, `expected ${c.error.name}, got ${(caught as Error)?.constructor?.name}: ${(caught as Error)?.message}`);
    assert.ok(caught instanceof DeepclustError);
    const e = caught as DeepclustError;
    assert.equal(e.name, c.error.name);
    assert.equal(e.exitCode, 2);
    assert.ok(e.message.length > 0 && !e.message.includes('\n'), `one line: ${JSON.stringify(e.message)}`);
    assert.match(e.message, c.message);
    c.check?.(e);
  });
}

test('the library battery covers at least 20 cases', () => assert.ok(cases.length >= 20, `${cases.length} cases`));
