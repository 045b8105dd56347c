/**
 * Run directories (`deepclust fit --out dir`) are all-or-nothing:
 * - a lock file (`.deepclust.lock`, holding the pid) for the whole run, so two fits cannot write
 *   into one directory (a lock left by a killed process is taken over);
 * - on start, the previous run's outputs, its manifest and stale temporary files are removed
 *   (`--force`; a `--resume` keeps only the checkpoint), the manifest first;
 * - a manifest (`run-manifest.json`) written last, naming the run id and every file with its
 *   SHA-256; readers (`report --run`, `predict/embed/export --model dir`) refuse a directory whose
 *   manifest is missing or does not match its files, so a killed or mixed run is never read as one.
 */
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative, sep } from 'node:path';
import { atomicWriteFile } from '../data/atomic.ts';
import { ATOMIC_TEMP_PATTERN, describeFsError } from '../engine/atomic-write.ts';
import { DataError, ParamError } from '../errors.ts';

/** The manifest of a finished run, written last. */
export const MANIFEST = 'run-manifest.json';
/** The lock file held while a command writes into a run directory. */
export const LOCK = '.deepclust.lock';
/** Format tag of {@link MANIFEST}. */
export const MANIFEST_FORMAT = 'deepclust-run/1';
/** What a run writes besides its checkpoint (removed when a new run starts in the directory). */
export const RUN_OUTPUTS = ['model', 'labels.csv', 'result.json', 'report-data.json', 'report.html', 'charts'];

/** The files `deepclust report --run` rebuilds (so they may differ from the manifest before it does). */
export const REPORT_FILES = ['report.html', 'charts'];

/** The content of {@link MANIFEST}. */
export interface RunManifest {
  readonly format: string;
  /** Random id of the run (a UUID). */
  readonly runId: string;
  /** ISO time the run finished. */
  readonly finished: string;
  /** Every file of the run (relative path, `/`-separated) with its SHA-256. */
  readonly files: Record<string, string>;
}

const temp = /(^\..+\.\d+\.[0-9a-z]+\.tmp$)|(\.tmp-\d+-\d+$)/; // this writer's and the old engine writer's temp names

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface LockInfo {
  pid: number;
  host: string;
  started: string;
  command: string;
}

function readLock(path: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
  } catch {
    return undefined; // empty (killed while writing it) or gone
  }
}

/** The live process holding `dir`'s lock, or undefined when it is free or its holder is gone. */
export function lockHolder(dir: string): LockInfo | undefined {
  const info = readLock(join(dir, LOCK));
  if (!info || typeof info.pid !== 'number') return undefined;
  if (info.host !== hostname()) return info; // another machine (shared disk): cannot tell, so assume it runs
  return info.pid !== process.pid && alive(info.pid) ? info : undefined;
}

function inUse(dir: string, shown: string, h: LockInfo): ParamError {
  return new ParamError(`the output directory '${shown}' is in use by another deepclust ${h.command} (pid ${h.pid} on ${h.host}, started ${h.started}); wait for it to finish, or choose another --out (delete ${join(shown, LOCK)} if that process is gone)`);
}

/** Refuses a directory that another live deepclust process holds. */
export function refuseLocked(dir: string, shown: string): void {
  const h = lockHolder(dir);
  if (h) throw inUse(dir, shown, h);
}

/**
 * Takes the lock of `dir` (which must exist) for this process; a lock left by a dead process is
 * taken over. Released by the returned function, and at exit in any case.
 * @throws ParamError when another live process holds it
 */
export function acquireLock(dir: string, shown: string, command: string): () => void {
  const path = join(dir, LOCK);
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new DataError(`cannot write '${path}': ${describeFsError(err)}; choose a writable --out`);
      const h = lockHolder(dir);
      if (h) throw inUse(dir, shown, h);
      if (attempt > 2) throw new ParamError(`cannot take the lock '${path}' (it keeps reappearing); is another deepclust writing into '${shown}'?`);
      rmSync(path, { force: true }); // stale: its process is gone
      continue;
    }
    try {
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString(), command } satisfies LockInfo));
    } finally {
      closeSync(fd);
    }
    break;
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    try {
      if (readLock(path)?.pid === process.pid) rmSync(path, { force: true });
    } catch {
      /* a read-only disk: the next run sees a dead pid and takes the lock over */
    }
  };
  process.on('exit', release);
  return release;
}

function walk(dir: string, visit: (path: string, isDir: boolean) => void): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const p = join(dir, n);
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      continue;
    }
    visit(p, isDir);
    if (isDir) walk(p, visit);
  }
}

/** Removes the temporary files of interrupted atomic writes anywhere under `dir` (call with the lock held). */
export function removeTempFiles(dir: string): string[] {
  const removed: string[] = [];
  walk(dir, (p, isDir) => {
    const name = p.slice(p.lastIndexOf(sep) + 1);
    if (!isDir && (temp.test(name) || ATOMIC_TEMP_PATTERN.test(name))) {
      rmSync(p, { force: true });
      removed.push(p);
    }
  });
  return removed;
}

/**
 * Empties a run directory for a new run (call with the lock held): the manifest first (so the old
 * run is no longer vouched for), then its outputs, stale temporary files and, unless
 * `keepCheckpoint` (a `--resume`), the checkpoint folder. Files deepclust did not write are kept.
 */
export function clearRun(dir: string, keepCheckpoint: boolean): void {
  rmSync(join(dir, MANIFEST), { force: true });
  for (const name of RUN_OUTPUTS) rmSync(join(dir, name), { recursive: true, force: true });
  if (!keepCheckpoint) rmSync(join(dir, 'checkpoint'), { recursive: true, force: true });
  removeTempFiles(dir);
}

/** Removes what a run wrote so far (after a failure or a signal); never throws, so the first error stays the one reported. */
export function removeOutputs(dir: string): void {
  for (const name of [MANIFEST, ...RUN_OUTPUTS])
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
    } catch {
      /* a read-only disk: nothing more can be done, and the manifest was never written */
    }
}

/** Files of a run, relative and `/`-separated: everything but the manifest, the lock, the checkpoint and temp files. */
function runFiles(dir: string): string[] {
  const out: string[] = [];
  walk(dir, (p, isDir) => {
    const rel = relative(dir, p).split(sep).join('/');
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (isDir || rel === MANIFEST || rel === LOCK || rel.startsWith('checkpoint/') || temp.test(name) || ATOMIC_TEMP_PATTERN.test(name)) return;
    out.push(rel);
  });
  return out.sort();
}

/**
 * Writes the manifest of a finished run, last: its id and the SHA-256 of every file in `dir`.
 * @param runId - the run's id (kept when a report is rebuilt)
 */
export function writeManifest(dir: string, runId: string = randomUUID()): RunManifest {
  const files: Record<string, string> = {};
  for (const rel of runFiles(dir)) files[rel] = sha256(join(dir, ...rel.split('/')));
  const manifest: RunManifest = { format: MANIFEST_FORMAT, runId, finished: new Date().toISOString(), files };
  atomicWriteFile(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Checks that `dir` holds one finished run: no live process writes into it, its manifest is there,
 * every file it names has the hash it records, and no run output lies there that it does not name
 * (left by another run).
 * @param shown - the directory as the user typed it (for messages)
 * @throws DataError naming the first problem and what to do
 */
export function verifyRun(dir: string, shown = dir, options: { rebuildingReport?: boolean } = {}): RunManifest {
  const skip = (rel: string) => Boolean(options.rebuildingReport) && REPORT_FILES.some((o) => rel === o || rel.startsWith(`${o}/`));
  if (!existsSync(dir)) throw new DataError(`the run directory '${shown}' does not exist; pass the --out directory of a 'deepclust fit' run`);
  const h = lockHolder(dir);
  if (h) throw new DataError(`the run in '${shown}' is still being written by deepclust ${h.command} (pid ${h.pid}); wait for it to finish`);
  const path = join(dir, MANIFEST);
  if (!existsSync(path))
    throw new DataError(`'${shown}' is not a finished deepclust run: ${MANIFEST} is missing (the fit was interrupted, failed, or was made by a deepclust before 0.2); run 'deepclust fit --out ${shown} --force' again${existsSync(join(dir, 'checkpoint')) ? ` or continue it with 'deepclust fit --resume ${shown}'` : ''}`);
  let m: RunManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as RunManifest;
  } catch {
    throw new DataError(`'${join(shown, MANIFEST)}' is not valid JSON (damaged); run the fit again`);
  }
  if (!m || m.format !== MANIFEST_FORMAT || typeof m.files !== 'object' || m.files === null || typeof m.runId !== 'string')
    throw new DataError(`'${join(shown, MANIFEST)}' is not a deepclust run manifest (format ${JSON.stringify((m as { format?: unknown })?.format)}); run the fit again`);
  for (const [rel, hash] of Object.entries(m.files)) {
    if (skip(rel)) continue;
    const p = join(dir, ...rel.split('/'));
    if (!existsSync(p)) throw new DataError(`'${shown}' is incomplete: ${rel} of run ${m.runId} is missing; run the fit again`);
    if (sha256(p) !== hash) throw new DataError(`'${join(shown, rel)}' does not match the manifest of run ${m.runId} (changed, or from another run); run the fit again`);
  }
  const stray = runFiles(dir).filter((rel) => !(rel in m.files) && !skip(rel) && RUN_OUTPUTS.some((o) => rel === o || rel.startsWith(`${o}/`)));
  if (stray.length) throw new DataError(`'${shown}' mixes runs: ${stray.slice(0, 3).join(', ')}${stray.length > 3 ? ', …' : ''} ${stray.length > 1 ? 'are' : 'is'} not part of run ${m.runId}; remove ${stray.length > 1 ? 'them' : 'it'}, or run the fit again with --force`);
  return m;
}

/** Reads a run's manifest without checking the files (e.g. to keep its id when the report is rebuilt). */
export function readManifest(dir: string): RunManifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as RunManifest;
  } catch {
    return undefined;
  }
}
