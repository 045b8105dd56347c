/** The list of sub-commands of `deepclust`; add one line per command module. */
import type { Command } from 'commander';
import { register as bench } from './bench.ts';
import { register as datasets } from './datasets.ts';
import { register as describe } from './describe.ts';
import { register as evaluate } from './evaluate.ts';
import { register as fit } from './fit.ts';
import { register as gmm } from './gmm.ts';
import { register as kmeans } from './kmeans.ts';
import { register as model } from './model.ts';
import { register as report } from './report.ts';
import { register as reproduce } from './reproduce.ts';

/** A sub-command module's registration function. */
export type RegisterCommand = (program: Command) => void;

/** Every sub-command, in the order `--help` lists them. */
export const commands: RegisterCommand[] = [
  fit,
  model,
  report,
  describe,
  kmeans,
  gmm,
  evaluate,
  datasets,
  bench,
  reproduce,
];
