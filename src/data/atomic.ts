/**
 * Atomic file writes: the data goes to a temporary file next to the target, which is then renamed
 * over it, so readers never see a half-written file (a crash leaves the old file or nothing).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError } from '../errors.ts';

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
 * Writes `data` to `path` atomically (temporary file in the same folder + `rename`), creating the
 * parent folder when needed.
 *
 * @param path - destination file; an existing file is replaced only once the new one is complete
 * @param data - bytes, or a string written as UTF-8
 * @throws DataError when the folder cannot be created or the file cannot be written
 */
export function atomicWriteFile(path: string, data: Uint8Array | string): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    ensureDir(dir);
    const fd = openSync(tmp, 'w');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    const e = err as NodeJS.ErrnoException;
    throw new DataError(`cannot write '${path}': ${e.code ?? e.message}; check that the folder exists and is writable`);
  }
}
