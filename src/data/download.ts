/**
 * Downloading data set files into the per-user cache: streamed to a temporary file with a
 * SHA-256 computed on the way, verified against the known checksum, then renamed into place (so
 * an interrupted download never leaves a file that looks complete).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DataError } from '../errors.ts';
import { describeFsError, ensureDir, isWriteFault } from './atomic.ts';

/** Progress of one file's download. */
export interface DownloadProgress {
  /** File name being written. */
  readonly file: string;
  /** Where it comes from. */
  readonly url: string;
  /** Bytes received so far. */
  readonly received: number;
  /** Total bytes when the server says (Content-Length). */
  readonly total?: number;
  /** True on the last event of the file (after verification). */
  readonly done: boolean;
}

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** Expected SHA-256 (hex); a mismatch deletes the file and throws. */
  readonly sha256?: string;
  /** Called as bytes arrive (at most every 64 KiB) and once at the end. */
  readonly onProgress?: (p: DownloadProgress) => void;
  /** Abort when no byte arrives for this long. @defaultValue 30000 ms */
  readonly idleTimeoutMs?: number;
}

/** Raised when a download fails (network, HTTP status, checksum); a {@link DataError}. */
export class DownloadError extends DataError {}

/**
 * The per-user cache folder: `$DEEPCLUST_CACHE_DIR`, else `$XDG_CACHE_HOME/deepclust`, else
 * `~/Library/Caches/deepclust` (macOS), `%LOCALAPPDATA%\deepclust\cache` (Windows) or
 * `~/.cache/deepclust`.
 */
export function cacheDir(): string {
  if (process.env.DEEPCLUST_CACHE_DIR) return process.env.DEEPCLUST_CACHE_DIR;
  if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'deepclust');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'deepclust');
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return join(process.env.LOCALAPPDATA, 'deepclust', 'cache');
  return join(homedir(), '.cache', 'deepclust');
}

function reason(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return 'timed out';
  const code = e?.cause?.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code}; offline?)`;
  if (code) return `${code}${e.cause?.message && !e.cause.message.includes(code) ? `: ${e.cause.message}` : ''}`;
  if (e?.cause?.message) return e.cause.message;
  return e?.message ?? String(err);
}

/**
 * Downloads `url` to `dest` (folder created when missing), verifying `sha256` when given.
 * @returns the file's path, its SHA-256 and its size
 * @throws DownloadError for a network failure, an HTTP error status, a truncated body or a
 *   checksum mismatch; no partial file is left at `dest`
 */
export async function downloadFile(url: string, dest: string, options: DownloadOptions = {}): Promise<{
  /** The file written (`dest`). */
  path: string;
  /** SHA-256 of its bytes (hex). */
  sha256: string;
  /** Its size. */
  bytes: number;
}> {
  const file = basename(dest);
  const tmp = join(dirname(dest), `.${file}.${process.pid}.download`);
  const idle = options.idleTimeoutMs ?? 30000;
  const ctrl = new AbortController();
  let timer = setTimeout(() => ctrl.abort(), idle);
  const kick = () => {
    clearTimeout(timer);
    timer = setTimeout(() => ctrl.abort(), idle);
  };
  let fd: number | undefined;
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal: ctrl.signal, headers: { 'accept-encoding': 'identity', 'user-agent': 'deepclust' }, redirect: 'follow' });
    } catch (err) {
      throw new DownloadError(`cannot download ${url}: ${reason(err)}`);
    }
    if (!res.ok || !res.body) throw new DownloadError(`cannot download ${url}: HTTP ${res.status} ${res.statusText}`.trim());
    const total = Number(res.headers.get('content-length')) || undefined;
    try {
      ensureDir(dirname(dest));
      fd = openSync(tmp, 'w');
    } catch (err) {
      throw new DownloadError(`cannot write ${tmp}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; is the cache folder writable? (set DEEPCLUST_CACHE_DIR)`);
    }
    const hash = createHash('sha256');
    let received = 0;
    let reported = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        kick();
        hash.update(chunk);
        let off = 0;
        while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
        received += chunk.length;
        if (options.onProgress && received - reported >= 65536) {
          reported = received;
          options.onProgress({ file, url, received, total, done: false });
        }
      }
    } catch (err) {
      if (isWriteFault(err)) throw new DownloadError(`cannot write ${tmp}: ${describeFsError(err)}; free some space or set DEEPCLUST_CACHE_DIR to a writable folder`);
      throw new DownloadError(`download of ${url} broke off after ${received} bytes: ${reason(err)}`);
    }
    closeSync(fd);
    fd = undefined;
    if (total !== undefined && received !== total) throw new DownloadError(`download of ${url} is incomplete: ${received} of ${total} bytes`);
    const sha = hash.digest('hex');
    if (options.sha256 && sha !== options.sha256.toLowerCase())
      throw new DownloadError(`download of ${url} is corrupt: sha256 ${sha}, expected ${options.sha256}; try again later or place the file yourself`);
    renameSync(tmp, dest);
    options.onProgress?.({ file, url, received, total, done: true });
    return { path: dest, sha256: sha, bytes: received };
  } finally {
    clearTimeout(timer);
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
  }
}
