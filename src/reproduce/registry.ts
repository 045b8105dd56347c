/**
 * The experiments `deepclust reproduce` knows: for each, the data sets, the rows of the paper's
 * table (which method or baseline), the protocol, the paper's reported values with their source
 * (docs/papers.md or the issue that quoted them) and the known deviations.
 */
import { ParamError } from '../errors.ts';
import type { MethodConfig } from '../methods/config.ts';
import { IDEC_DA, snnlPreset } from '../methods/presets.ts';
import { didYouMean } from '../suggest.ts';
import type { TimeSplitPart } from './n2d-time-split.ts';

/** A metric of the tables: ACC, NMI, ARI (against the ground truth) and SIL, CHS, DBI (internal). */
export type MetricKey = 'acc' | 'nmi' | 'ari' | 'sil' | 'chs' | 'dbi';

/** Column heading of each metric, as the papers write them. */
export const METRIC_LABELS: Readonly<Record<MetricKey, string>> = { acc: 'ACC', nmi: 'NMI', ari: 'ARI', sil: 'SIL', chs: 'CHS', dbi: 'DBI' };

/** Metrics where a smaller value is better (Davies–Bouldin). */
export const LOWER_IS_BETTER: ReadonlySet<MetricKey> = new Set(['dbi']);

/** A number a paper reports, with where it comes from. */
export interface PaperValue {
  readonly value: number;
  /** How the paper aggregates runs: their mean, the best run, or not stated. */
  readonly aggregate: 'mean' | 'best' | 'unstated';
  /** Key into the experiment's {@link Experiment.sources}. */
  readonly source: string;
  /** True when docs/papers.md marks the number as recalled or unverified. */
  readonly unverified?: boolean;
}

/** What one row of a table runs. */
export type RowSpec =
  /** k-means (k-means++, `nInit` restarts) on the raw features. */
  | { readonly kind: 'kmeans'; readonly label: string; readonly nInit: number }
  /** k-means on a PCA projection fitted to the training rows ("Original" in the SNNL tables). */
  | { readonly kind: 'pca-kmeans'; readonly label: string; readonly components: number; readonly nInit: number }
  /**
   * A deep clustering method (preset name or config). `sharePretrainingOf` names an earlier row of
   * the same data set whose pretrained autoencoder this row starts from (same seed), as the papers do.
   */
  | { readonly kind: 'deep'; readonly label: string; readonly method: string | MethodConfig; readonly sharePretrainingOf?: string };

/** How a data set is used: whole (fit and score the same rows) or split (train on a labelled subset of :train, score :test). */
export type Protocol = { readonly kind: 'whole' } | { readonly kind: 'split'; readonly labelled: number };

/** One data set of an experiment: its protocol, rows and the paper's values per row label. */
export interface Group {
  /** Named data set (`mnist`, `usps`, `mnist-10k`, …). */
  readonly dataset: string;
  readonly protocol: Protocol;
  readonly rows: readonly RowSpec[];
  /** Paper values by row label and metric. */
  readonly paper?: Readonly<Record<string, Partial<Record<MetricKey, PaperValue>>>>;
}

/** A reference number that belongs to no single row (e.g. "best configuration, abstract"). */
export interface Headline {
  readonly dataset: string;
  readonly metric: MetricKey;
  readonly text: string;
  readonly value: PaperValue;
}

/** The reduced schedule of `--budget short`. */
export interface ShortSchedule {
  /** Pretraining epochs of every method that pretrains. */
  readonly pretrainEpochs: number;
  /** Clustering-phase iterations of every method that has one; undefined = the method's own. */
  readonly maxIter?: number;
  /** Most training rows (stratified, seeded); undefined = all. */
  readonly trainRows?: number;
  /** Most evaluation rows of a split protocol (stratified, seed 0); undefined = all. */
  readonly evalRows?: number;
}

/** An experiment `deepclust reproduce` runs. */
export interface Experiment {
  readonly name: string;
  readonly title: string;
  /** The paper (citation) whose table or figure this is. */
  readonly reference: string;
  readonly metrics: readonly MetricKey[];
  readonly groups: readonly Group[];
  /** The protocol in words (printed above the table). */
  readonly protocol: string;
  /** Known differences from the paper's setup. */
  readonly deviations: readonly string[];
  readonly headlines?: readonly Headline[];
  /** Source texts of the paper values, by key. */
  readonly sources: Readonly<Record<string, string>>;
  /** Budget when `--budget` is not given. */
  readonly defaultBudget: 'full' | 'short';
  readonly short: ShortSchedule;
  /** What the full budget means, in words. */
  readonly fullSchedule: string;
  /** Phases of the fit timed per row (mean seconds over seeds, printed under the table). */
  readonly timeSplit?: readonly TimeSplitPart[];
}

/** The default short schedule: minutes on 2 cores per data set, for smoke checks. */
export const SHORT_SCHEDULE: ShortSchedule = { pretrainEpochs: 5, maxIter: 300, trainRows: 3000, evalRows: 2000 };

/** The quickstart's schedule: `idec-da`'s short budget (`fit --budget short`), 80 pretraining epochs and 3,000 iterations. */
export const QUICKSTART_SCHEDULE: ShortSchedule = { ...IDEC_DA.shortBudget! };

const PRESET_SCHEDULE = 'each preset’s paper-faithful schedule (docs/methods.md; per-data-set settings such as IDEC’s T on USPS applied)';

const pv = (value: number, aggregate: PaperValue['aggregate'], source: string, unverified?: boolean): PaperValue => ({ value, aggregate, source, ...(unverified ? { unverified } : {}) });

// ---------------------------------------------------------------- IDEC Table 2
const IDEC_ROWS: RowSpec[] = [
  { kind: 'kmeans', label: 'k-means', nInit: 20 },
  { kind: 'deep', label: 'AE+k-means', method: 'ae-kmeans' },
  { kind: 'deep', label: 'DEC', method: 'dec', sharePretrainingOf: 'AE+k-means' },
  { kind: 'deep', label: 'IDEC', method: 'idec', sharePretrainingOf: 'AE+k-means' },
];

const idecPaper = (km: [number, number], ae: number, dec: number, idec: number, idecNmi: number): Group['paper'] => ({
  'k-means': { acc: pv(km[0], 'mean', 'keras'), nmi: pv(km[1], 'mean', 'keras') },
  'AE+k-means': { acc: pv(ae, 'unstated', 'idec') },
  DEC: { acc: pv(dec, 'unstated', 'idec') },
  IDEC: { acc: pv(idec, 'unstated', 'idec'), nmi: pv(idecNmi, 'unstated', 'idec-nmi', true) },
});

const IDEC_TABLE2: Experiment = {
  name: 'idec-table2',
  title: 'IDEC Table 2: k-means, AE+k-means, DEC and IDEC on MNIST, USPS and Reuters-10K',
  reference: 'Guo, Gao, Liu & Yin, "Improved Deep Embedded Clustering with Local Structure Preservation", IJCAI 2017',
  metrics: ['acc', 'nmi', 'ari'],
  groups: [
    { dataset: 'mnist', protocol: { kind: 'whole' }, rows: IDEC_ROWS, paper: idecPaper([0.53, 0.5], 0.818, 0.866, 0.881, 0.867) },
    { dataset: 'usps', protocol: { kind: 'whole' }, rows: IDEC_ROWS, paper: idecPaper([0.67, 0.63], 0.693, 0.741, 0.761, 0.785) },
    { dataset: 'reuters-10k', protocol: { kind: 'whole' }, rows: IDEC_ROWS, paper: idecPaper([0.52, 0.31], 0.705, 0.737, 0.756, 0.498) },
  ],
  protocol:
    'Whole data set, fitted and scored on the same rows (MNIST: 70,000 = train + test; USPS: 9,298; Reuters-10K: 10,000). Per seed one autoencoder (d-500-500-2000-10, MSE) is pretrained by the AE+k-means row and shared by DEC and IDEC, as the papers do (bench dec-family). k-means: k-means++ with 20 restarts on the raw features. DEC/IDEC labels are argmax q. The deep rows read MNIST as the IDEC code does (pixels × 0.02, the presets’ per-data-set preprocessing).',
  deviations: [
    'Batches are a seeded permutation per epoch; the reference code walks the data in order (docs/papers.md §9.4). The pretraining is the presets’ (see the method notes).',
    'The k-means paper values are DEC-keras’s README means over 10 trials, not the IDEC paper’s k-means row (not recorded in docs/papers.md).',
  ],
  sources: {
    idec: 'docs/papers.md §3.4: IDEC paper ACC as quoted ("paper" rows) by the IDEC-toy README; mean or best over runs not stated',
    'idec-nmi': 'docs/papers.md §3.4: IDEC Table 2 NMI, recalled (unverified)',
    keras: 'docs/papers.md §2.3: DEC-keras README Table 1, k-means mean over 10 trials (rounded to two digits)',
  },
  defaultBudget: 'full',
  short: SHORT_SCHEDULE,
  fullSchedule: PRESET_SCHEDULE,
};

// ---------------------------------------------------------------- SNNL Tables III–V and Fig. 3
/** The SNNL baseline autoencoder: the SNNL architecture and schedule trained with BCE only. */
export const SNNL_BASELINE_AE: MethodConfig = (() => {
  const p = snnlPreset(2);
  return {
    ...p,
    name: 'snnl-baseline-ae',
    pretrain: { ...p.pretrain!, snnl: undefined },
    notes: ['The SNNL papers’ baseline autoencoder: the SNNL architecture and schedule with the BCE loss only, then k-means on the code.'],
  };
})();

const SNNL_CONFIGS = [1, 2, 3, 4, 5, 6, 7, 8];
const snnlRows = (configs: number[], withBaselines: boolean): RowSpec[] => [
  ...(withBaselines
    ? ([
        { kind: 'pca-kmeans', label: 'Original (PCA-70 + k-means)', components: 70, nInit: 10 },
        { kind: 'deep', label: 'Baseline AE', method: SNNL_BASELINE_AE },
      ] as RowSpec[])
    : []),
  ...configs.map((n): RowSpec => ({ kind: 'deep', label: `snnl-${n}`, method: `snnl-${n}` })),
];

const SNNL_PROTOCOL = (labelled: string) =>
  `Train on a class-stratified, seeded subset of ${labelled} labelled rows of :train (supervised configurations 1, 3, 5, 7 use its labels), then assign the whole :test split to the centres found on the training codes (as \`fit --labelled N --eval\` and \`bench method\` do) and score it. "Original": PCA-70 fitted on the training subset, k-means (10 restarts) on it. SIL, CHS and DBI are computed on the test set's features (code, or PCA-70 for Original).`;

const SNNL_DEVIATIONS = [
  'Tables III–V could not be read (docs/papers.md §5.4); only the abstract’s headline numbers (configuration not stated) and the issue’s MNIST snnl-5 average are compared.',
  'The eight configurations follow the author code’s three switches (labels, annealing, sum/min over layers); the table’s exact rows are unverified (§5.1). Unsupervised configurations (even) train like the BCE autoencoder (docs/methods.md).',
  'The SNNL is differentiable here; the author code of the paper period detached it (docs/papers.md §5.3).',
  'The test set is assigned to the training centres; the companion code may re-run k-means on the test codes.',
];

const SNNL_SOURCES = {
  abstract: 'docs/papers.md §5.4: the paper’s abstract / paperswithcode, AE+SNNL test-set clustering, configuration not stated',
  issue6: 'issue 6 (Deep clustering II) acceptance: "snnl-5 ACC ≥ 0.95 (paper 0.955 average)"',
};

const snnlTable = (name: string, table: string, dataset: string, labelled: number, acc: number, nmi: number, extraPaper?: Group['paper']): Experiment => ({
  name,
  title: `SNNL ${table}: the 8 SNNL configurations, the baseline AE and "Original" on ${dataset}`,
  reference: 'Agarap & Azcarraga, "Improving k-Means Clustering Performance with Disentangled Internal Representations", IJCNN 2020',
  metrics: ['acc', 'nmi', 'ari', 'sil', 'chs', 'dbi'],
  groups: [{ dataset, protocol: { kind: 'split', labelled }, rows: snnlRows(SNNL_CONFIGS, true), paper: extraPaper }],
  protocol: SNNL_PROTOCOL(labelled.toLocaleString('en-US')),
  deviations: SNNL_DEVIATIONS,
  headlines: [
    { dataset, metric: 'acc', text: 'AE+SNNL (best configuration, abstract)', value: pv(acc, 'unstated', 'abstract') },
    { dataset, metric: 'nmi', text: 'AE+SNNL (best configuration, abstract)', value: pv(nmi, 'unstated', 'abstract') },
  ],
  sources: SNNL_SOURCES,
  defaultBudget: 'full',
  short: SHORT_SCHEDULE,
  fullSchedule: `${PRESET_SCHEDULE}: Adam 1e-3, batch 256, 50 epochs`,
});

const SNNL_FIG3: Experiment = {
  name: 'snnl-fig3',
  title: 'SNNL Fig. 3: fewer labels (1,000 / 3,000 / 6,000 labelled MNIST training rows)',
  reference: 'Agarap & Azcarraga, IJCNN 2020',
  metrics: ['acc', 'nmi', 'ari'],
  groups: [1000, 3000, 6000].map((labelled): Group => ({ dataset: 'mnist', protocol: { kind: 'split', labelled }, rows: snnlRows([1, 3, 5, 7], false) })),
  protocol: SNNL_PROTOCOL('1,000, 3,000 or 6,000'),
  deviations: [
    'Fig. 3 could not be read: its data set and configurations are unverified (docs/papers.md §5.2); this runs the supervised configurations (1, 3, 5, 7) on MNIST.',
    ...SNNL_DEVIATIONS.slice(2),
  ],
  sources: {},
  defaultBudget: 'full',
  // the labelled counts are what the figure varies, so the short budget keeps them
  short: { ...SHORT_SCHEDULE, trainRows: undefined },
  fullSchedule: `${PRESET_SCHEDULE}: Adam 1e-3, batch 256, 50 epochs`,
};

// ---------------------------------------------------------------- CDC Tables 2 and 3
const CDC_SOURCES = {
  table2: 'Trinh & Pham (MTAP 2025) Table 2, mean of 10 trials (= results_report_final.txt of fict-labs/Deep-Clustering-CDC)',
  table3: 'Trinh & Pham (MTAP 2025) Table 3, mean of 10 trials; AE + L_AE is the "AE Accuracy" of the code’s log',
};
const CDC_DEVIATIONS = [
  'Settings of the authors’ code (our_HDC.py, data_cdc.py), per data set; the losses as the code forms them (row-normalised pair scores, sharpened targets); our differences are in the presets’ notes and docs/cdc.md.',
  'The paper runs 10 trials; STL-10 and CIFAR-10 use ResNet-50 features (features:<file>, bench/configs/cdc-stl10.yaml, cdc-cifar10.yaml) and are not run here.',
];
const CDC_PROTOCOL = 'Whole data set (train + test where the set has both), fitted and scored on the same rows; labels from the clustering layer.';

const CDC_TABLE2_PAPER: Record<string, Record<string, ReturnType<typeof pv>>> = {
  'fashion-mnist': { acc: pv(0.649, 'mean', 'table2'), nmi: pv(0.645, 'mean', 'table2') },
  'reuters-10k': { acc: pv(0.826, 'mean', 'table2'), nmi: pv(0.607, 'mean', 'table2') },
};

const CDC_TABLE2: Experiment = {
  name: 'cdc-table2',
  title: 'CDC Table 2: CDC on the data sets present',
  reference: 'Trinh & Pham, "Learning discriminative representations for deep clustering"',
  metrics: ['acc', 'nmi', 'ari'],
  groups: ['mnist', 'fashion-mnist', 'usps', 'reuters-10k'].map(
    (dataset): Group => ({ dataset, protocol: { kind: 'whole' }, rows: [{ kind: 'deep', label: 'CDC', method: 'cdc' }], ...(CDC_TABLE2_PAPER[dataset] ? { paper: { CDC: CDC_TABLE2_PAPER[dataset]! } } : {}) }),
  ),
  protocol: CDC_PROTOCOL,
  deviations: CDC_DEVIATIONS,
  sources: CDC_SOURCES,
  defaultBudget: 'full',
  short: SHORT_SCHEDULE,
  fullSchedule: `${PRESET_SCHEDULE}: batch 64; pretraining 30 epochs of Adam (Fashion-MNIST: 100 epochs of SGD 0.1 momentum 0.9; Reuters-10K: 30 of SGD 0.1); fine-tuning SGD 0.01 momentum 0.9, 5,000 iterations, h = 50 (Fashion-MNIST 100)`,
};

const CDC_ABLATION_ROWS: RowSpec[] = [
  { kind: 'deep', label: 'AE + L_r (cdc-ae)', method: 'cdc-ae' },
  { kind: 'deep', label: 'AE + L_AE (cdc-ae-cr)', method: 'cdc-ae-cr' },
  { kind: 'deep', label: 'AE* + L_c (cdc-lc)', method: 'cdc-lc', sharePretrainingOf: 'AE + L_AE (cdc-ae-cr)' },
  { kind: 'deep', label: 'AE* + L_c + L_a (cdc-lc-la)', method: 'cdc-lc-la', sharePretrainingOf: 'AE + L_AE (cdc-ae-cr)' },
  { kind: 'deep', label: 'AE* + L_DC (cdc)', method: 'cdc', sharePretrainingOf: 'AE + L_AE (cdc-ae-cr)' },
];
const cdcT3 = (acc: number, nmi: number) => ({ acc: pv(acc, 'mean', 'table3'), nmi: pv(nmi, 'mean', 'table3') });
/** Paper Table 3 in the rows' order (ACC, NMI). */
const CDC_TABLE3_PAPER: Record<string, Record<string, Record<string, ReturnType<typeof pv>>>> = {
  'fashion-mnist': {
    'AE + L_r (cdc-ae)': cdcT3(0.564, 0.59),
    'AE + L_AE (cdc-ae-cr)': cdcT3(0.601, 0.581),
    'AE* + L_c (cdc-lc)': cdcT3(0.611, 0.64),
    'AE* + L_c + L_a (cdc-lc-la)': cdcT3(0.631, 0.643),
    'AE* + L_DC (cdc)': cdcT3(0.649, 0.645),
  },
  'reuters-10k': {
    'AE + L_r (cdc-ae)': cdcT3(0.752, 0.512),
    'AE + L_AE (cdc-ae-cr)': cdcT3(0.795, 0.549),
    'AE* + L_c (cdc-lc)': cdcT3(0.778, 0.585),
    'AE* + L_c + L_a (cdc-lc-la)': cdcT3(0.815, 0.607),
    'AE* + L_DC (cdc)': cdcT3(0.826, 0.607),
  },
};

const CDC_TABLE3: Experiment = {
  name: 'cdc-table3',
  title: 'CDC Table 3: ablation (AE + L_r, AE + L_AE, AE* + L_c, AE* + L_c + L_a, AE* + L_DC)',
  reference: 'Trinh & Pham, "Learning discriminative representations for deep clustering"',
  metrics: ['acc', 'nmi', 'ari'],
  groups: ['fashion-mnist', 'reuters-10k'].map((dataset): Group => ({ dataset, protocol: { kind: 'whole' }, rows: CDC_ABLATION_ROWS, paper: CDC_TABLE3_PAPER[dataset]! })),
  protocol: `${CDC_PROTOCOL} Per seed the correlation-pretrained autoencoder of the AE + L_AE row is shared by the three fine-tuning rows (their pretraining settings are identical).`,
  deviations: [...CDC_DEVIATIONS, 'Table 3 also has STL-10 and CIFAR-10 (ResNet-50 features, not run here).'],
  sources: CDC_SOURCES,
  defaultBudget: 'full',
  short: SHORT_SCHEDULE,
  fullSchedule: CDC_TABLE2.fullSchedule,
};

// ---------------------------------------------------------------- Aljalbout Table 1
const ALJALBOUT_TABLE1: Experiment = {
  name: 'aljalbout-table1',
  title: 'Aljalbout et al. Table 1: the convolutional AE + cluster hardening method on MNIST and COIL-20',
  reference: 'Aljalbout, Golkov, Siddiqui, Strobel & Cremers, "Clustering with Deep Learning: Taxonomy and New Methods", 2018',
  metrics: ['acc', 'nmi', 'ari'],
  groups: [
    { dataset: 'mnist', protocol: { kind: 'whole' }, rows: [{ kind: 'deep', label: 'conv-dec', method: 'conv-dec' }], paper: { 'conv-dec': { acc: pv(0.961, 'best', 'issue5'), nmi: pv(0.92, 'best', 'readme') } } },
    {
      dataset: 'coil-20',
      protocol: { kind: 'whole' },
      rows: [{ kind: 'deep', label: 'conv-dec (32×32 network)', method: 'conv-dec' }, { kind: 'deep', label: 'convdec-da', method: 'convdec-da' }],
      paper: { 'conv-dec (32×32 network)': { acc: pv(0.762, 'unstated', 'readme-coil'), nmi: pv(0.848, 'unstated', 'readme-coil') } },
    },
  ],
  protocol: 'Whole data set, fitted and scored on the same rows (MNIST: 70,000; COIL-20: 1,440 images of 32×32); final labels from k-means (20 restarts) on the learned embedding.',
  deviations: [
    'conv-dec follows the authors’ MNIST network and settings on MNIST (conv/pool/unpool 50-50-120, batch norm, Nesterov SGD, KL weighted as their batch sum); the epoch counts are unverified and the L2 penalty is applied as weight decay (preset notes).',
    'MNIST: the authors’ code uses 60,000 images (train 50,000 + test 10,000); here all 70,000.',
    'COIL-20: Deng Cai’s 32×32 version; the authors used 128×128 images (docs/papers.md §7.2). conv-dec’s COIL-20 settings are its per-data-set defaults (docs/conv-coil20.md): the channel widths of the authors’ COIL-20 network on two conv + pool stages (conv 20@5×5 → conv 40@5×5 → a 320-d code; theirs has four stages on 128×128), batch 10, KL weight 10, P from the running batch-norm averages; convdec-da (Guo et al. 2018, not Aljalbout’s method) is shown next to it.',
    'Paper Table 1 could not be read (§7.3): MNIST is compared with the best run quoted by the issue and the README’s unreleased commit; COIL-20 with the released code’s README.',
  ],
  sources: {
    issue5: 'issue 5 (Deep clustering I) acceptance: "conv-dec on MNIST … paper: 0.961 best run"; docs/papers.md §7.3 (README: "up to 0.96 accuracy")',
    readme: 'docs/papers.md §7.3: the authors’ README, an unreleased commit "gives up to 0.96 accuracy and 0.92 NMI on MNIST"',
    'readme-coil': 'docs/papers.md §7.3: the authors’ README for the released code (AE + KL-div loss), not paper Table 1',
  },
  defaultBudget: 'full',
  short: SHORT_SCHEDULE,
  fullSchedule: `${PRESET_SCHEDULE}: conv-dec 50 pretraining epochs and 50 clustering epochs`,
};

// ---------------------------------------------------------------- N2D table
const N2D_TABLE: Experiment = {
  name: 'n2d-table',
  title: 'N2D: autoencoder → UMAP → Gaussian mixture on MNIST, MNIST-test, USPS and Fashion-MNIST',
  reference: 'McConville, Santos-Rodriguez, Piechocki & Craddock, "N2D: (Not Too) Deep Clustering via Clustering the Local Manifold of an Autoencoded Embedding", ICPR 2020 (arXiv 1908.05968)',
  metrics: ['acc', 'nmi', 'ari'],
  groups: (
    [
      ['mnist', 0.979, 0.942, 'issue20'],
      ['mnist:test', 0.948, 0.882, 'pwc'],
      ['usps', 0.958, 0.901, 'brief'],
      ['fashion-mnist', 0.672, 0.684, 'pwc'],
    ] as const
  ).map(
    ([dataset, acc, nmi, source]): Group => ({
      dataset,
      protocol: { kind: 'whole' },
      rows: [{ kind: 'deep', label: 'N2D', method: 'n2d' }],
      paper: { N2D: { acc: pv(acc, 'unstated', source, source !== 'pwc'), nmi: pv(nmi, 'unstated', source, source !== 'pwc') } },
    }),
  ),
  protocol:
    'Whole data set, fitted and scored on the same rows, as the authors’ n2d.py loads them: MNIST 70,000 (train + test), MNIST-test the 10,000 test digits (`mnist:test`), USPS 9,298 (train + test), Fashion-MNIST 70,000 (train + test); pixels / 255. The `n2d` preset: autoencoder d-500-500-2000-k (MSE, Adam 1e-3, batch 256), UMAP of the code (20 neighbours, min_dist 0, k dimensions), full-covariance Gaussian mixture; labels from the mixture. Time split from the fit’s timings: autoencoder = pretraining, UMAP and GMM = the final clustering’s two fits.',
  deviations: [
    'UMAP is our implementation of umap-learn’s algorithm (exact kNN, a random initial layout instead of the spectral one), seeded from our generator; the preset’s notes list the rest.',
    'The paper text could not be read here, so the MNIST and USPS values are marked unverified (docs/n2d.md): MNIST’s 0.979 / 0.942 is issue 20’s quote (paperswithcode lists 0.987 / 0.964), and a run of the authors’ code stored in their repository’s history scores 0.9785 / 0.9412 (bench n2d-authors-run); USPS’s is the brief’s.',
  ],
  sources: {
    issue20: 'issue 20 (N2D, Gaussian mixtures and estimating k): "MNIST-70k ACC 0.979 / NMI 0.942"; not the paper text (paperswithcode lists 0.987 / 0.964 for MNIST-full; the cluster file of a 2022 run of the authors’ code in rymc/n2d’s history scores 0.9785 / 0.9412, bench/results/n2d-authors-run.json)',
    pwc: 'paperswithcode.com, N2D (UMAP) "Results from the Paper" (MNIST-test 0.948 / 0.882, Fashion-MNIST 0.672 / 0.684); Fashion-MNIST also as issue 20 quotes it',
    brief: 'the task brief of `reproduce n2d-table` (USPS 0.958 / 0.901); not found in any source read here',
  },
  defaultBudget: 'full',
  // the preset's own short budget (40 pretraining epochs) on a stratified subset
  short: { pretrainEpochs: 40, trainRows: 3000 },
  fullSchedule: 'the n2d preset: 1000 pretraining epochs (the authors’ default), UMAP with umap-learn’s epoch count, a full-covariance mixture (nInit 1, k-means initialisation)',
  timeSplit: [
    { label: 'autoencoder', keys: ['pretrain'] },
    { label: 'UMAP', keys: ['recluster.umap'] },
    { label: 'GMM', keys: ['recluster.gmm'] },
  ],
};

// ---------------------------------------------------------------- quickstart
const QUICKSTART: Experiment = {
  name: 'quickstart',
  title: 'Quickstart: IDEC-DA on the embedded mnist-10k (offline)',
  reference: 'Guo, Zhu, Liu & Yin, ACML 2018 (IDEC-DA), on the 10,000 MNIST digits shipped with the project',
  metrics: ['acc', 'nmi', 'ari'],
  groups: [{ dataset: 'mnist-10k', protocol: { kind: 'whole' }, rows: [{ kind: 'deep', label: 'IDEC-DA', method: 'idec-da' }] }],
  protocol: 'The embedded mnist-10k (the first 10,000 MNIST training digits, in [0, 1]), fitted and scored on the same rows; needs no files and no network.',
  deviations: ['mnist-10k is a seventh of MNIST-70k, so the paper’s MNIST numbers are loose references only.'],
  headlines: [
    { dataset: 'mnist-10k', metric: 'acc', text: 'IDEC on MNIST-70k, full schedule (reference only)', value: pv(0.881, 'unstated', 'idec') },
    { dataset: 'mnist-10k', metric: 'acc', text: 'target of the short-budget quickstart (issue 5: ACC ≥ 0.85 in under 5 minutes on 2 cores)', value: pv(0.85, 'unstated', 'issue5') },
  ],
  sources: {
    idec: 'docs/papers.md §3.4: IDEC paper MNIST ACC as quoted by the IDEC-toy README',
    issue5: 'issue 5 (Deep clustering I) acceptance, a project target rather than a paper value',
  },
  defaultBudget: 'short',
  short: QUICKSTART_SCHEDULE,
  fullSchedule: 'the idec-da preset’s schedule (500 pretraining epochs, at most 20k iterations)',
};

/** Every experiment by name, in the order `--help` lists them. */
export const EXPERIMENTS: Readonly<Record<string, Experiment>> = Object.fromEntries(
  [
    QUICKSTART,
    IDEC_TABLE2,
    snnlTable('snnl-table3', 'Table III', 'mnist', 10000, 0.962, 0.903, { 'snnl-5': { acc: pv(0.955, 'mean', 'issue6') } }),
    snnlTable('snnl-table4', 'Table IV', 'fashion-mnist', 10000, 0.856, 0.767),
    snnlTable('snnl-table5', 'Table V', 'emnist-balanced', 20000, 0.792, 0.783),
    SNNL_FIG3,
    CDC_TABLE2,
    CDC_TABLE3,
    ALJALBOUT_TABLE1,
    N2D_TABLE,
  ].map((e) => [e.name, e]),
);

/** The experiment of that name, or a one-line ParamError listing the valid names. */
export function experiment(name: string): Experiment {
  const e = EXPERIMENTS[name];
  if (e) return e;
  const names = Object.keys(EXPERIMENTS);
  throw new ParamError(`reproduce: unknown experiment '${name}'${didYouMean(name, names)}; choose one of ${names.join(', ')}`);
}
