/**
 * IDX files (the MNIST family's format), plain or gzip-compressed: magic check, dims, uint8 data.
 */
import { gunzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { DataError } from '../errors.ts';

/** A decoded IDX array. */
export interface IdxArray {
  readonly dims: number[];
  readonly data: Uint8Array;
}

/** Reads a file, gunzipping it when it starts with the gzip magic. @throws DataError naming the file. */
export function readMaybeGzip(path: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(`cannot read '${path}': ${code === 'ENOENT' ? 'no such file' : code ?? (err as Error).message}`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes);
    } catch (err) {
      throw new DataError(`'${path}' is a corrupt or truncated gzip file (${(err as Error).message}); download it again`);
    }
  }
  return bytes;
}

/** Decodes IDX bytes (unsigned-byte type only, as the image/label files of MNIST-like sets). */
export function decodeIdx(bytes: Uint8Array, source: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new DataError(`'${source}' is not an IDX file (wrong magic number); expected e.g. train-images-idx3-ubyte(.gz)`);
  const type = bytes[2];
  const rank = bytes[3]!;
  if (type !== 0x08) throw new DataError(`'${source}': IDX element type 0x${type!.toString(16)} is not supported (only unsigned bytes, 0x08)`);
  if (rank < 1 || bytes.length < 4 + 4 * rank) throw new DataError(`'${source}': truncated IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (bytes.length - start < size) throw new DataError(`'${source}' is truncated: ${bytes.length - start} data bytes, the header promises ${size} (dims ${dims.join('×')})`);
  return { dims, data: bytes.subarray(start, start + size) };
}

/** Reads an IDX(.gz) file. */
export function readIdx(path: string): IdxArray {
  return decodeIdx(readMaybeGzip(path), path);
}
