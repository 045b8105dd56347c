/**
 * Named data sets and where their files are looked up: `--data-dir`, then `$DEEPCLUST_DATA_DIR`,
 * then the per-user cache (`~/.cache/deepclust`), each directly or in a sub-folder named after
 * the data set.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A named data set made of files. */
export interface NamedDataset {
  readonly name: string;
  readonly description: string;
  /** Files per split. */
  readonly files: Readonly<Record<'train' | 'test', { images: string; labels: string }>>;
  /** Official download location of the files. */
  readonly url: string;
  readonly classNames?: readonly string[];
}

/** The IDX data sets (images 28×28, labels 0..9). */
export const IDX_DATASETS: Readonly<Record<string, NamedDataset>> = {
  mnist: {
    name: 'mnist',
    description: 'MNIST handwritten digits, 60,000 train + 10,000 test, 28×28',
    files: {
      train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
      test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
    },
    url: 'https://ossci-datasets.s3.amazonaws.com/mnist/',
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    description: 'Fashion-MNIST (Zalando), 60,000 train + 10,000 test, 28×28',
    files: {
      train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
      test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
    },
    url: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  },
};

/** Folders searched for a data set's files, in order. */
export function searchDirs(name: string, dataDir?: string): string[] {
  const roots = [dataDir, process.env.DEEPCLUST_DATA_DIR, join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'deepclust')].filter((d): d is string => Boolean(d));
  return roots.flatMap((r) => [join(r, name), r]);
}

/** The first folder holding every one of `files`, or undefined. */
export function findFiles(name: string, files: readonly string[], dataDir?: string): string | undefined {
  for (const dir of searchDirs(name, dataDir)) {
    if (files.every((f) => existsSync(join(dir, f)) || existsSync(join(dir, f.replace(/\.gz$/, ''))))) return dir;
  }
  return undefined;
}
