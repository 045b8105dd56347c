/**
 * The named data sets of the papers: which files make them, where those files are looked up, and
 * where they are officially downloaded from (with SHA-256 where known).
 *
 * Lookup order: `--data-dir`, then `$DEEPCLUST_DATA_DIR`, then the per-user cache; in each, first
 * the data set's sub-folders (`mnist/`, `MNIST/raw/`…), then the folder itself. A `.gz` file may
 * also be present uncompressed, and an uncompressed one gzip-compressed.
 */
import { basename, join, resolve } from 'node:path';
import { isFile } from './io.ts';
import { cacheDir } from './download.ts';

/** An official split of a data set, or `all` for a file holding every sample. */
export type FileSplit = 'train' | 'test' | 'all';

/** A file a data set is made of. */
export interface FileSpec {
  /** File name as distributed (e.g. `train-images-idx3-ubyte.gz`). */
  readonly name: string;
  /** Official download location of this file, when it can be fetched alone. */
  readonly url?: string;
  /** SHA-256 of the official file, when known. */
  readonly sha256?: string;
  /** When the file is only distributed inside a zip archive: the archive and the member's path. */
  readonly archive?: {
    /** Download location of the zip archive. */
    readonly url: string;
    /** Path of the file inside the archive. */
    readonly member: string;
    /** SHA-256 of the archive, when pinned. */
    readonly sha256?: string;
  };
}

/** One way of having a data set on disk (e.g. USPS as the ESL files or as DEC's `.jf` files). */
export interface Variant {
  /** Short id recorded in listings: `idx`, `esl`, `jf`, `npy`, `mat`. */
  readonly id: string;
  /** One line on this layout. */
  readonly description: string;
  /** Files per split (`train` + `test`, or a single `all`). */
  readonly files: Readonly<Partial<Record<FileSplit, readonly FileSpec[]>>>;
  /** Preprocessing applied when the user gives none (recorded like any other). */
  readonly defaultPreprocess: readonly string[];
}

/** A named data set. */
export interface NamedDataset {
  /** The name `--data` takes. */
  readonly name: string;
  /** One line on what it holds. */
  readonly description: string;
  /** Paper or page that defines it. */
  readonly reference: string;
  /** Sub-folders (of each search root) searched before the root itself; the first is where downloads go. */
  readonly folders: readonly string[];
  /** Expected `[nSamples, nFeatures]` per split (`all` = everything). */
  readonly shapes: Readonly<Partial<Record<FileSplit, readonly [number, number]>>>;
  /** Number of classes. */
  readonly classes: number;
  /** Names of the classes, index = label. */
  readonly classNames?: readonly string[];
  /** `[channels, height, width]` of image data sets. */
  readonly imageShape?: readonly [number, number, number];
  /** Subtracted from the labels in the files (1 when they count from 1, as EMNIST letters and MATLAB files do). @defaultValue 0 */
  readonly labelOffset?: number;
  /** True when each image is stored transposed (EMNIST); the loader transposes it back. */
  readonly transposed?: boolean;
  /** Ways to have it on disk, in order of preference (the first downloadable one is downloaded). */
  readonly variants: readonly Variant[];
  /** What to do when it cannot be downloaded (shown in the not-found error). */
  readonly howToGet?: string;
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const UPPER = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));
const LOWER = Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i));

const MNIST_URL = 'https://ossci-datasets.s3.amazonaws.com/mnist/';
const FASHION_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';
const EMNIST_ZIP = 'https://biometrics.nist.gov/cs_links/EMNIST/gzip.zip';

function idxVariant(prefix: string, base: string | undefined, sha: Record<string, string>, archive?: string): Variant {
  const f = (name: string): FileSpec => {
    const full = `${prefix}${name}`;
    return archive ? { name: full, archive: { url: archive, member: `gzip/${full}` } } : { name: full, url: base ? `${base}${full}` : undefined, sha256: sha[full] };
  };
  return {
    id: 'idx',
    description: 'IDX files, gzip-compressed or not',
    files: {
      train: [f('train-images-idx3-ubyte.gz'), f('train-labels-idx1-ubyte.gz')],
      // MNIST and Fashion-MNIST call the test split t10k; EMNIST calls it test
      test: [f(`${prefix ? 'test' : 't10k'}-images-idx3-ubyte.gz`), f(`${prefix ? 'test' : 't10k'}-labels-idx1-ubyte.gz`)],
    },
    defaultPreprocess: ['scale255'],
  };
}

const EMNIST_SPLITS: Record<string, { train: number; test: number; classes: readonly string[]; note: string }> = {
  balanced: { train: 112800, test: 18800, classes: [...DIGITS, ...UPPER, 'a', 'b', 'd', 'e', 'f', 'g', 'h', 'n', 'q', 'r', 't'], note: '47 balanced classes' },
  byclass: { train: 697932, test: 116323, classes: [...DIGITS, ...UPPER, ...LOWER], note: '62 unbalanced classes' },
  bymerge: { train: 697932, test: 116323, classes: [...DIGITS, ...UPPER, 'a', 'b', 'd', 'e', 'f', 'g', 'h', 'n', 'q', 'r', 't'], note: '47 unbalanced classes' },
  digits: { train: 240000, test: 40000, classes: DIGITS, note: '10 balanced digit classes' },
  letters: { train: 124800, test: 20800, classes: UPPER.map((u, i) => `${u}/${LOWER[i]}`), note: '26 letter classes (upper and lower case merged; files label them 1..26)' },
  mnist: { train: 60000, test: 10000, classes: DIGITS, note: 'MNIST-compatible 10 digits' },
};

/** Every named data set, by name. */
export const NAMED_DATASETS: Readonly<Record<string, NamedDataset>> = Object.fromEntries(
  ([
    {
      name: 'mnist',
      description: 'MNIST handwritten digits, 60,000 train + 10,000 test, 28×28 grey levels',
      reference: 'LeCun et al. 1998; http://yann.lecun.com/exdb/mnist/',
      folders: ['mnist', 'MNIST/raw', 'MNIST'],
      shapes: { train: [60000, 784], test: [10000, 784], all: [70000, 784] },
      classes: 10,
      classNames: DIGITS,
      imageShape: [1, 28, 28],
      variants: [
        idxVariant('', MNIST_URL, {
          't10k-images-idx3-ubyte.gz': '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
          't10k-labels-idx1-ubyte.gz': 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
          'train-images-idx3-ubyte.gz': '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
          'train-labels-idx1-ubyte.gz': '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
        }),
      ],
    },
    {
      name: 'fashion-mnist',
      description: 'Fashion-MNIST (Zalando), 60,000 train + 10,000 test, 28×28 grey levels',
      reference: 'Xiao, Rasul & Vollgraf 2017; https://github.com/zalandoresearch/fashion-mnist',
      folders: ['fashion-mnist', 'fashion_mnist', 'FashionMNIST/raw', 'FashionMNIST'],
      shapes: { train: [60000, 784], test: [10000, 784], all: [70000, 784] },
      classes: 10,
      classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
      imageShape: [1, 28, 28],
      variants: [
        idxVariant('', FASHION_URL, {
          't10k-images-idx3-ubyte.gz': '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073',
          't10k-labels-idx1-ubyte.gz': '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5',
          'train-images-idx3-ubyte.gz': '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84',
          'train-labels-idx1-ubyte.gz': 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845',
        }),
      ],
    },
    ...Object.entries(EMNIST_SPLITS).map(([split, s]): NamedDataset => ({
      name: `emnist-${split}`,
      description: `EMNIST ${split}: ${s.train.toLocaleString('en')} train + ${s.test.toLocaleString('en')} test, 28×28, ${s.note}`,
      reference: 'Cohen et al. 2017, EMNIST; https://www.nist.gov/itl/products-and-services/emnist-dataset',
      folders: ['emnist', 'emnist/gzip', 'gzip', 'EMNIST/raw'],
      shapes: { train: [s.train, 784], test: [s.test, 784], all: [s.train + s.test, 784] },
      classes: s.classes.length,
      classNames: s.classes,
      imageShape: [1, 28, 28],
      transposed: true,
      labelOffset: split === 'letters' ? 1 : 0,
      variants: [idxVariant(`emnist-${split}-`, undefined, {}, EMNIST_ZIP)],
    })),
    {
      name: 'usps',
      description: 'USPS handwritten digits, 7,291 train + 2,007 test, 16×16',
      reference: 'Hull 1994; files from The Elements of Statistical Learning, or as DEC/IDEC/N2D use them',
      folders: ['usps', 'USPS'],
      shapes: { train: [7291, 256], test: [2007, 256], all: [9298, 256] },
      classes: 10,
      classNames: DIGITS,
      imageShape: [1, 16, 16],
      variants: [
        {
          id: 'esl',
          description: 'ESL zip.train.gz / zip.test.gz: a label then 256 values in [-1, 1] per line',
          files: {
            train: [{ name: 'zip.train.gz', url: 'https://hastie.su.domains/ElemStatLearn/datasets/zip.train.gz' }],
            test: [{ name: 'zip.test.gz', url: 'https://hastie.su.domains/ElemStatLearn/datasets/zip.test.gz' }],
          },
          defaultPreprocess: ['pm1-to-01'],
        },
        {
          id: 'jf',
          description: "DEC/N2D usps_train.jf / usps_test.jf (a header line, a label then 256 values per line, '-1' at the end)",
          files: {
            train: [{ name: 'usps_train.jf', url: 'http://www-i6.informatik.rwth-aachen.de/~keysers/usps_train.jf.gz' }],
            test: [{ name: 'usps_test.jf', url: 'http://www-i6.informatik.rwth-aachen.de/~keysers/usps_test.jf.gz' }],
          },
          defaultPreprocess: ['div2'],
        },
      ],
    },
    {
      name: 'reuters-10k',
      description: 'Reuters (RCV1) 10,000 documents, 2,000 tf-idf features, 4 root categories, as DEC makes it',
      reference: 'Xie, Girshick & Farhadi 2016 (DEC); Lewis et al. 2004 (RCV1)',
      folders: ['reuters-10k', 'reuters10k', 'reuters'],
      shapes: { all: [10000, 2000] },
      classes: 4,
      classNames: ['CCAT', 'GCAT', 'MCAT', 'ECAT'],
      variants: [
        { id: 'npy', description: "DEC's reutersidf10k.npy (a pickled dict with 'data' and 'label')", files: { all: [{ name: 'reutersidf10k.npy' }] }, defaultPreprocess: [] },
        { id: 'mat', description: 'reuters10k.mat (a 10000×2000 matrix and 10000 labels)', files: { all: [{ name: 'reuters10k.mat' }] }, defaultPreprocess: [] },
      ],
      howToGet:
        "it is built from RCV1 by DEC's make_reuters_data (the IDEC/DEC-keras repositories ship data/reuters/get_data.sh and the script; run it once, then place reutersidf10k.npy here)",
    },
    {
      name: 'coil-20',
      description: 'COIL-20: 20 objects × 72 poses, 1,440 images, 32×32 grey levels (Deng Cai\'s COIL20.mat)',
      reference: 'Nene, Nayar & Murase 1996; http://www.cad.zju.edu.cn/home/dengcai/Data/MLData.html',
      folders: ['coil-20', 'coil20', 'COIL20'],
      shapes: { all: [1440, 1024] },
      classes: 20,
      classNames: Array.from({ length: 20 }, (_, i) => `obj${i + 1}`),
      labelOffset: 1,
      imageShape: [1, 32, 32],
      variants: [
        {
          id: 'mat',
          description: "COIL20.mat (MATLAB: 'fea' 1440×1024 column-major 32×32 images, 'gnd' labels 1..20)",
          files: { all: [{ name: 'COIL20.mat', url: 'http://www.cad.zju.edu.cn/home/dengcai/Data/COIL20/COIL20.mat' }] },
          defaultPreprocess: ['scale255'],
        },
      ],
    },
  ] satisfies NamedDataset[]).map((d) => [d.name, d]),
);

/** Options of file lookup. */
export interface LookupOptions {
  /** `--data-dir`, searched first. */
  readonly dataDir?: string;
  /** Overrides the per-user cache folder (tests). */
  readonly cacheDir?: string;
}

/** The search roots in order: `dataDir`, `$DEEPCLUST_DATA_DIR`, the cache. */
export function searchRoots(options: LookupOptions = {}): string[] {
  const roots = [options.dataDir, process.env.DEEPCLUST_DATA_DIR, options.cacheDir ?? cacheDir()].filter((d): d is string => Boolean(d));
  return [...new Set(roots.map((r) => resolve(r)))];
}

/**
 * Folders searched for a data set's files, in order: in each root, the data set's sub-folders,
 * then the root itself — unless the root is named after another data set (so `--data-dir
 * data/mnist` never serves MNIST's files as Fashion-MNIST).
 */
export function searchDirs(ds: NamedDataset, options: LookupOptions = {}): string[] {
  const foreign = new Set(Object.values(NAMED_DATASETS).filter((o) => o.folders[0] !== ds.folders[0]).flatMap((o) => o.folders.map((f) => basename(f).toLowerCase())));
  const own = new Set(ds.folders.map((f) => basename(f).toLowerCase()));
  return searchRoots(options).flatMap((r) => [...ds.folders.map((f) => join(r, f)), ...(foreign.has(basename(r).toLowerCase()) && !own.has(basename(r).toLowerCase()) ? [] : [r])]);
}

/** The path of `file` in `dir`: as named, or without/with `.gz`; undefined when absent. */
export function findFile(dir: string, file: string): string | undefined {
  const alts = file.endsWith('.gz') ? [file, file.slice(0, -3)] : [file, `${file}.gz`];
  for (const a of alts) if (isFile(join(dir, a))) return join(dir, a);
  return undefined;
}

/** Which splits' files a request needs: `all` = train + test when the variant has both. */
export function splitsFor(v: Variant, split: FileSplit): FileSplit[] {
  if (v.files.all) return ['all'];
  return split === 'all' ? ['train', 'test'] : [split];
}

/** A data set found on disk. */
export interface Located {
  /** The layout found. */
  readonly variant: Variant;
  /** Folder holding the files. */
  readonly dir: string;
  /** Absolute path of each file, by its canonical name. */
  readonly paths: Readonly<Record<string, string>>;
}

/** Finds the first variant whose files (for `split`) are all in one search folder. */
export function locate(ds: NamedDataset, split: FileSplit, options: LookupOptions = {}): Located | undefined {
  const dirs = searchDirs(ds, options);
  for (const v of ds.variants) {
    const needed = splitsFor(v, split).flatMap((s) => v.files[s] ?? []);
    for (const dir of dirs) {
      const paths: Record<string, string> = {};
      for (const f of needed) {
        const p = findFile(dir, f.name);
        if (!p) break;
        paths[f.name] = p;
      }
      if (Object.keys(paths).length === needed.length) return { variant: v, dir, paths };
    }
  }
  return undefined;
}
