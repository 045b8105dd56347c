/**
 * The one atomic file writer of deepclust (the engine's persistence, the data layer and the CLI
 * all use it): the bytes go to a temporary file next to the target, are flushed to disk, and the
 * file is renamed over the target, so a reader never sees half a file. A failed write removes its
 * temporary file and raises one {@link DataError} naming the path and the cause (disk full,
 * read-only file system, permission denied…). Self-contained: only `node:fs` and the error classes.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError } from '../errors.ts';

/** Temporary files of {@link atomicWrite}: `.<name>.<pid>.<random>.tmp` (what stale-file cleanup looks for). */
export const ATOMIC_TEMP_PATTERN = /^\..+\.(\d+)\.[0-9a-z]+\.tmp$/;

/** Plain words for the errno codes a user can act on. */
const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'a folder on the way does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'it already exists',
  EMFILE: 'too many open files',
  EIO: 'input/output error of the device',
  EFBIG: 'the file is too large for the file system',
  ENAMETOOLONG: 'the name is too long',
};

/** Describes a file-system error in words: `"no space left on the device (ENOSPC)"`. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code;
  if (code && CAUSES[code]) return `${CAUSES[code]} (${code})`;
  return code ?? (e instanceof Error ? e.message : String(err));
}

/** True for the errno codes that mean "this place cannot be written" (the user's to fix). */
export function isWriteFault(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code !== undefined && code in CAUSES;
}

/**
 * A test hook: `DEEPCLUST_TEST_WRITE_FAULT=<ERRNO>:<text>` makes every atomic write whose target
 * path contains `<text>` fail with that errno after half of the bytes (as a full disk does).
 * Lets the test suite check the handling of ENOSPC / EROFS / EACCES without such a disk.
 */
function injectedFault(path: string): string | undefined {
  const spec = process.env.DEEPCLUST_TEST_WRITE_FAULT;
  if (!spec) return undefined;
  const i = spec.indexOf(':');
  const code = i > 0 ? spec.slice(0, i) : spec;
  const text = i > 0 ? spec.slice(i + 1) : '';
  return path.includes(text) ? code : undefined;
}

function fault(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected write fault, write '${path}'`), { code, path });
}

/** What the user can do about a failed write. */
export function writeHint(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'free some space, or write somewhere else';
  return 'choose a writable place';
}

/**
 * Creates a folder and its missing parents. Unlike `mkdirSync(dir, { recursive: true })`, it never
 * loops (Node 20 spins forever when a parent refuses new entries with ENOENT, as `/proc` does).
 * @throws the underlying `mkdirSync` error (with its code) when a level cannot be created
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  while (!existsSync(d)) {
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Writes `data` to `path` atomically (temporary file in the same folder, fsync, rename), creating
 * the parent folder when needed. An existing file is replaced only once the new one is complete.
 * @param path - destination file
 * @param data - bytes, or a string written as UTF-8
 * @throws DataError `"cannot write '<path>': no space left on the device (ENOSPC); …"` when the
 *   folder cannot be created or the file cannot be written; the temporary file is removed
 */
export function atomicWrite(path: string, data: Uint8Array | string): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  const injected = injectedFault(path);
  let opened = false;
  try {
    ensureDir(dir);
    const fd = openSync(tmp, 'w');
    opened = true;
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      const stop = injected ? bytes.length >> 1 : bytes.length;
      while (off < stop) off += writeSync(fd, bytes, off, stop - off);
      if (injected) throw fault(injected, path);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    // the cleanup must never hide the first error (on a read-only disk it fails too)
    if (opened)
      try {
        rmSync(tmp, { force: true });
      } catch {
        /* the first error is the one to report */
      }
    throw new DataError(`cannot write '${path}': ${describeFsError(err)}; ${writeHint(err)}`);
  }
}
