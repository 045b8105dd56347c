/**
 * Where and when a benchmark record was measured, for every record in bench/results/: the commit
 * (with `-dirty` when the work tree had changes), the date and the machine.
 */
import { spawnSync } from 'node:child_process';
import { machineDescription } from '../src/machine.ts';

/** The provenance fields of a record. */
export interface Provenance {
  /** Short commit hash, `-dirty` appended for uncommitted changes; null outside a git checkout. */
  readonly commit: string | null;
  /** ISO 8601 time of the measurement. */
  readonly date: string;
  /** Cores, architecture and CPU model, e.g. `2-core x64, AMD EPYC 7B13`. */
  readonly machine: string;
}

/** The provenance of a measurement taken now, in the checkout that holds this file. */
export function provenance(): Provenance {
  const cwd = import.meta.dirname;
  const git = (...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no').stdout.trim() !== '';
  return {
    commit: head.status === 0 ? `${head.stdout.trim()}${dirty ? '-dirty' : ''}` : null,
    date: new Date().toISOString(),
    machine: machineDescription(),
  };
}
