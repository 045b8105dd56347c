/**
 * The sub-commands of `deepclust`: one entry per command module. A module is imported only when
 * its command runs, so `deepclust --help` and `--version` never load onnxruntime, vega, umap or
 * h5wasm. `--help` lists every command from the names, terms and descriptions written here; a
 * test (test/cli-startup.test.ts) checks that they match what each module registers.
 */
import type { Command } from 'commander';

/** A sub-command module's registration function. */
export type RegisterCommand = (program: Command) => void;

/** One command as the top-level `--help` lists it. */
export interface CommandSummary {
  /** The command's name, as typed after `deepclust`. */
  readonly name: string;
  /** Its arguments as commander prints them after the name (`[options] <suite>`). */
  readonly args: string;
  /** Its one-line description (the same text as the module's `.description(...)`). */
  readonly description: string;
}

/** A module of sub-commands, loaded on demand. */
export interface CommandModule {
  /** The commands the module registers, in `--help` order. */
  readonly commands: readonly CommandSummary[];
  /** Imports the module and returns its registration function. */
  readonly load: () => Promise<RegisterCommand>;
}

/** Every command module, in the order `--help` lists them. */
export const commandModules: readonly CommandModule[] = [
  {
    commands: [{ name: 'fit', args: '[options]', description: 'train a deep clustering method and write model, labels and results' }],
    load: async () => (await import('./fit.ts')).register,
  },
  {
    commands: [
      { name: 'predict', args: '[options]', description: 'assign clusters to data with a saved model' },
      { name: 'embed', args: '[options]', description: 'write the learned embedding of data as a float32 .npy file' },
      { name: 'export', args: '[options]', description: 'export the encoder (+ soft-assignment head) as a standalone ONNX model' },
    ],
    load: async () => (await import('./model.ts')).register,
  },
  {
    commands: [{ name: 'report', args: '[options]', description: 'build report.html (metrics, training curves, embedding maps, confusion matrix, images) of a saved run' }],
    load: async () => (await import('./report.ts')).register,
  },
  {
    commands: [{ name: 'describe', args: '[options] [method]', description: 'show the building blocks and defaults of a method (all presets when none is named)' }],
    load: async () => (await import('./describe.ts')).register,
  },
  {
    commands: [{ name: 'kmeans', args: '[options]', description: 'k-means (k-means++, nInit restarts, as scikit-learn) on a data set; metrics when labels are known' }],
    load: async () => (await import('./kmeans.ts')).register,
  },
  {
    commands: [{ name: 'gmm', args: '[options]', description: 'Gaussian mixture (EM with full/tied/diag/spherical covariances, as scikit-learn) on a data set; metrics when labels are known' }],
    load: async () => (await import('./gmm.ts')).register,
  },
  {
    commands: [{ name: 'evaluate', args: '[options]', description: 'score predicted labels: ACC, NMI, ARI, AMI, purity vs ground truth; silhouette, CH, DB on --data' }],
    load: async () => (await import('./evaluate.ts')).register,
  },
  {
    commands: [{ name: 'datasets', args: '', description: 'list the named data sets and where their files are; show or download one' }],
    load: async () => (await import('./datasets.ts')).register,
  },
  {
    commands: [{ name: 'bench', args: '[options] <suite>', description: 'run a benchmark suite and print its result (last stdout line is JSON with --json)' }],
    load: loadBench,
  },
  {
    commands: [{ name: 'reproduce', args: '[options] <experiment>', description: "re-run a table of the papers over seeds: mean, std, median and best next to the paper's values (Markdown; JSON with --json)" }],
    load: async () => (await import('./reproduce.ts')).register,
  },
];

/**
 * `deepclust bench` runs the suites in bench/, which live (with their Python baselines) only in a
 * source checkout, as TypeScript. From the sources it is an ordinary command; from the compiled
 * package it re-runs the same command line on the sources through tsx, or says where to get them.
 */
async function loadBench(): Promise<RegisterCommand> {
  // A computed specifier: the compiled package's type check and build must not pull in bench/.
  const benchModule = './bench.ts';
  if (import.meta.url.endsWith('.ts')) return ((await import(benchModule)) as { register: RegisterCommand }).register;
  const { runBenchFromSources } = await import('./bench-from-sources.ts');
  return runBenchFromSources;
}
