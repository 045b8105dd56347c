/**
 * Atomic file writes for the data layer and the CLI. The implementation is the engine's single
 * writer ({@link atomicWrite} in `src/engine/atomic-write.ts`, which has no other imports), so
 * every part of deepclust writes files the same way: temporary file, fsync, rename, and one
 * DataError naming the path and the cause when the disk refuses.
 */
import { atomicWrite } from '../engine/atomic-write.ts';

export { ensureDir, describeFsError, isWriteFault } from '../engine/atomic-write.ts';

/**
 * Writes `data` to `path` atomically (temporary file in the same folder + `rename`), creating the
 * parent folder when needed.
 *
 * @param path - destination file; an existing file is replaced only once the new one is complete
 * @param data - bytes, or a string written as UTF-8
 * @throws DataError when the folder cannot be created or the file cannot be written (naming the
 *   path and the cause: disk full, read-only file system, permission denied…)
 */
export function atomicWriteFile(path: string, data: Uint8Array | string): void {
  atomicWrite(path, data);
}
