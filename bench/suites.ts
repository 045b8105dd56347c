/**
 * The benchmark suites `deepclust bench <suite>` can run. Adding a suite is one entry here:
 * a description and a function that returns the result object (printed as the last JSON line).
 */

/** Options every suite receives from the CLI. */
export interface SuiteOptions {
  /** Extra suite-specific options from `--option key=value`. */
  readonly options: Readonly<Record<string, string>>;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
}

/** A benchmark suite. */
export interface BenchSuite {
  readonly description: string;
  readonly run: (o: SuiteOptions) => Promise<unknown>;
}

function num(o: Readonly<Record<string, string>>, key: string): number | undefined {
  return o[key] === undefined ? undefined : Number(o[key]);
}

/** Every suite by name. */
export const benchSuites: Record<string, BenchSuite> = {
  engine: {
    description: 'training throughput of the reference autoencoder (784-500-500-2000-10-…, batch 256, Adam) vs PyTorch',
    run: async ({ options, log }) => {
      const { runEngineBench } = await import('./engine.ts');
      return runEngineBench({
        steps: num(options, 'steps'),
        stepsPerRun: num(options, 'stepsPerRun'),
        batch: num(options, 'batch'),
        threads: num(options, 'threads'),
        rounds: num(options, 'rounds'),
        noTorch: options.torch === 'false',
        variant: options.variant,
        log,
      });
    },
  },
  'engine-ab': {
    description: 'in-process A/B of engine variants, alternating rounds, paired ratios to the first (options: variants=standard,lazy,…, rounds, steps, stepsPerRun, threads, record)',
    run: async ({ options, log }) => {
      const { runEngineAb } = await import('./engine.ts');
      return runEngineAb({ variants: (options.variants ?? 'standard,lazy').split(','), rounds: num(options, 'rounds'), steps: num(options, 'steps'), stepsPerRun: num(options, 'stepsPerRun'), batch: num(options, 'batch'), threads: num(options, 'threads'), record: options.record, log });
    },
  },
  'time-to-acc': {
    description: 'wall time until clustering ACC >= target, with the ACC-vs-time curve (options: mode=method|pretrain, data, data-dir, limit, seeds, target, method, pretrainEpochs, maxIter, finalNInit (EM starts of a final mixture, e.g. n2d), epochs, batch, lr, schedule=constant|cosine|onecycle, evalEvery, augment, nInit, threads, record)',
    run: async ({ options, log }) => {
      const { runTimeToAcc } = await import('./time-to-acc.ts');
      return runTimeToAcc({
        mode: options.mode as 'method' | 'pretrain' | undefined,
        data: options.data ?? 'mnist',
        dataDir: options['data-dir'],
        limit: num(options, 'limit'),
        seeds: (options.seeds ?? '0').split(',').map(Number),
        target: num(options, 'target'),
        stopAtTarget: options.stopAtTarget !== 'false',
        threads: num(options, 'threads'),
        record: options.record,
        resultsDir: options['results-dir'],
        method: options.method,
        pretrainEpochs: num(options, 'pretrainEpochs'),
        maxIter: num(options, 'maxIter'),
        finalNInit: num(options, 'finalNInit'),
        epochs: num(options, 'epochs'),
        batch: num(options, 'batch'),
        lr: num(options, 'lr'),
        schedule: options.schedule as 'constant' | 'cosine' | 'onecycle' | undefined,
        evalEvery: num(options, 'evalEvery'),
        augment: options.augment === 'true',
        nInit: num(options, 'nInit'),
        stepsPerRun: num(options, 'stepsPerRun'),
        log,
      });
    },
  },
  kmeans: {
    description: 'k-means k=10, nInit=10 on MNIST test (10,000×784) vs scikit-learn (options: rounds, threads, seed, data, data-dir, sklearn=false)',
    run: async ({ options, log }) => (await import('./kmeans.ts')).runKMeansBench({ data: options.data, dataDir: options['data-dir'], rounds: num(options, 'rounds'), threads: num(options, 'threads'), seed: num(options, 'seed'), k: num(options, 'k'), nInit: num(options, 'nInit'), noSklearn: options.sklearn === 'false', log }),
  },
  gmm: {
    description: 'Gaussian mixture k=10, full covariance, on MNIST test PCA-50 vs scikit-learn (options: rounds, threads, seed, k, pca, cov, nInit, data, data-dir, sklearn=false)',
    run: async ({ options, log }) => (await import('./gmm.ts')).runGmmBench({ data: options.data, dataDir: options['data-dir'], rounds: num(options, 'rounds'), threads: num(options, 'threads'), seed: num(options, 'seed'), k: num(options, 'k'), pca: num(options, 'pca'), cov: options.cov as never, nInit: num(options, 'nInit'), noSklearn: options.sklearn === 'false', log }),
  },
  umap: {
    description: 'our UMAP step (seeded) on MNIST-70k PCA-10 (or -o rows=FILE.f32 -o cols=D [-o labels=FILE.i32]) → 10 dims, N2D settings, split kNN / graph / layout, umap-learn on the same rows with -o umap-learn=true (options: n, dim, nComponents, nNeighbors, minDist, nEpochs, init, seed, threads, check, data, data-dir, record)',
    run: async ({ options, log }) => (await import('./gmm-umap.ts')).runUmapBench({ data: options.data, dataDir: options['data-dir'], n: num(options, 'n'), dim: num(options, 'dim'), nComponents: num(options, 'nComponents'), nNeighbors: num(options, 'nNeighbors'), minDist: num(options, 'minDist'), nEpochs: num(options, 'nEpochs'), seed: num(options, 'seed'), init: options.init as 'random' | 'spectral' | undefined, threads: num(options, 'threads'), rows: options.rows, cols: num(options, 'cols'), labels: options.labels, umapLearn: options['umap-learn'] === 'true', record: options.record, check: options.check === 'true', log }),
  },
  'estimate-k': {
    description: 'every k criterion over k=2..30 on synthetic sets, digits, COIL-20, MNIST, Fashion-MNIST, on PCA and UMAP representations (options: sets, reps, sample, range=a..b, criteria, nInit, hdbscanSample, dipSignificance, dipTestRows, dipPairFraction, aeEpochs, seed, tag, data-dir)',
    run: async ({ options, log }) =>
      (await import('./estimate-k.ts')).runEstimateKBench({
        sets: options.sets?.split(','),
        reps: options.reps?.split(',') as never,
        dataDir: options['data-dir'],
        sample: num(options, 'sample'),
        range: options.range ? (options.range.split('..').map(Number) as [number, number]) : undefined,
        criteria: options.criteria?.split(',') as never,
        seed: num(options, 'seed'),
        tag: options.tag,
        aeEpochs: num(options, 'aeEpochs'),
        nInit: num(options, 'nInit'),
        hdbscanSample: num(options, 'hdbscanSample'),
        dipSignificance: num(options, 'dipSignificance'),
        dipTestRows: num(options, 'dipTestRows'),
        dipPairFraction: num(options, 'dipPairFraction'),
        log,
      }),
  },
  n2d: {
    description: 'N2D from parts: autoencoder d-500-500-2000-k → UMAP (k dims, 20 neighbours, minDist 0) → full GMM; ACC/NMI and the time split (options: data, data-dir, limit, pretrainEpochs (default 1000), seeds, threads)',
    run: async ({ options, log }) =>
      (await import('./gmm-n2d.ts')).runN2dBench({
        data: options.data,
        dataDir: options['data-dir'],
        limit: num(options, 'limit'),
        pretrainEpochs: num(options, 'pretrainEpochs'),
        seeds: options.seeds?.split(',').map(Number),
        threads: num(options, 'threads'),
        resultsDir: options['results-dir'],
        log,
      }),
  },
  'reproduce-record': {
    description: 'join the .runs.jsonl of `deepclust reproduce … --out` (split by --seed-list or --datasets) into one record bench/results/reproduce-<experiment>-<tag>.json with commit, date and machine; trains nothing (options: experiment, runs=a.runs.jsonl,b.runs.jsonl, tag, runs-commit, note)',
    run: async ({ options, log }) =>
      (await import('./reproduce-record.ts')).runReproduceRecord({
        experiment: options.experiment ?? '',
        runs: options.runs?.split(',') ?? [],
        tag: options.tag ?? '',
        runsCommit: options['runs-commit'],
        note: options.note,
        resultsDir: options['results-dir'],
        log,
      }),
  },
  'n2d-table': {
    description: 'deepclust reproduce n2d-table with a record per run in bench/results/: N2D ACC/NMI next to the paper, time split autoencoder/UMAP/GMM (options: data-dir, budget (full|short), seeds, limit, pretrainEpochs, threads)',
    run: async ({ options, log }) =>
      (await import('./n2d-table.ts')).runN2dTableBench({
        dataDir: options['data-dir'],
        budget: options.budget as 'full' | 'short' | undefined,
        seeds: num(options, 'seeds'),
        limit: num(options, 'limit'),
        pretrainEpochs: num(options, 'pretrainEpochs'),
        threads: num(options, 'threads'),
        resultsDir: options['results-dir'],
        log,
      }),
  },
  'n2d-authors-run': {
    description: "scores cluster files written by the N2D authors' n2d.py against our data sets, to check the paper values (options: mnist, mnist-test, fashion, usps = <clusters.txt>, source, data-dir)",
    run: async ({ options, log }) => {
      const { 'data-dir': dataDir, source, 'results-dir': resultsDir, ...files } = options;
      return (await import('./n2d-authors-run.ts')).runN2dAuthorsRun({ files, dataDir, source, resultsDir, log });
    },
  },
  silhouette: {
    description: 'exact silhouette of 70,000×10 random points vs scikit-learn (options: n, d, k, rounds, threads, precision, sklearn=false)',
    run: async ({ options, log }) => (await import('./silhouette.ts')).runSilhouetteBench({ n: num(options, 'n'), d: num(options, 'd'), k: num(options, 'k'), rounds: num(options, 'rounds'), threads: num(options, 'threads'), seed: num(options, 'seed'), precision: options.precision as 'float64' | 'float32' | undefined, noSklearn: options.sklearn === 'false', log }),
  },
  method: {
    description: 'one method over seeds, optionally trained on a stratified subset of one split and evaluated on another (options: method, method-config, data, eval, data-dir, preprocess, limit, seeds, pretrainEpochs, maxIter, threads, cache)',
    run: async ({ options, log }) => {
      const { runMethodBench } = await import('./method.ts');
      return runMethodBench({
        method: options.method ?? 'idec',
        methodConfig: options['method-config'],
        data: options.data ?? 'mnist-10k',
        eval: options.eval,
        dataDir: options['data-dir'],
        limit: num(options, 'limit'),
        seeds: (options.seeds ?? '0').split(',').map(Number),
        pretrainEpochs: num(options, 'pretrainEpochs'),
        maxIter: num(options, 'maxIter'),
        threads: num(options, 'threads'),
        pretrainCache: options.cache,
        preprocess: options.preprocess?.split(','),
        resultsDir: options['results-dir'],
        log,
      });
    },
  },
  'user-suite': {
    description: 'auto (no --method, no --k) on digits, wine, breast cancer, mnist-10k, Fashion-MNIST test, COIL-20 and two synthetic sets, vs k-means with the true k (options: sets (also mnist, fashion-mnist: all 70,000 rows, only when named), data-dir, sklearn-dir, seed, threads, representation, preprocess, gmm=false, baselines=false; measurements: true-k=true, deep=on|off|plan, hidden=500,500,2000, embedding-dim, batch, steps, augment=true|false, lr, umap-components, tag)',
    run: async ({ options, log }) =>
      (await import('./user-suite.ts')).runUserSuite({
        ...(await import('./user-suite.ts')).measurementOptions(options),
        sets: options.sets?.split(','),
        dataDir: options['data-dir'] ?? process.env.DEEPCLUST_DATA_DIR,
        sklearnDir: options['sklearn-dir'],
        seed: num(options, 'seed'),
        threads: num(options, 'threads'),
        representation: options.representation as 'features' | 'umap' | undefined,
        preprocess: options.preprocess?.split(','),
        gmm: options.gmm !== 'false',
        resultsDir: options['results-dir'],
        log,
      }),
  },
  heldout: {
    description: 'auto (no --method, no --k) on held-out tables it was not tuned on (iris, small, few informative of many features, log-normal counts, mixed scales with constant/duplicated columns, negative, Likert-coded, unequal sizes, moons/circles + noise, 30,000 rows, 50-D embeddings, 200 × 300), vs k-means with the true k (options: tables, sklearn-dir, seed, table-seed, threads, tag)',
    run: async ({ options, log }) =>
      (await import('./heldout.ts')).runHeldout({
        tables: options.tables?.split(','),
        sklearnDir: options['sklearn-dir'],
        seed: num(options, 'seed'),
        tableSeed: num(options, 'table-seed'),
        threads: num(options, 'threads'),
        tag: options.tag,
        resultsDir: options['results-dir'],
        log,
      }),
  },
  'dec-family': {
    description: 'AE+k-means, DEC and IDEC sharing one pretrained autoencoder per seed (options: data, data-dir, preprocess, seeds, pretrainEpochs, maxIter, threads, methods, cache)',
    run: async ({ options, log }) => {
      const { runDecFamily } = await import('./dec-family.ts');
      return runDecFamily({
        data: options.data ?? 'mnist-10k',
        dataDir: options['data-dir'],
        seeds: (options.seeds ?? '0').split(',').map(Number),
        pretrainEpochs: num(options, 'pretrainEpochs'),
        maxIter: num(options, 'maxIter'),
        threads: num(options, 'threads'),
        methods: options.methods?.split(','),
        preprocess: options.preprocess?.split(','),
        pretrainCache: options.cache,
        resultsDir: options['results-dir'],
        log,
      });
    },
  },
};
