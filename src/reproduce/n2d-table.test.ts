// `deepclust reproduce n2d-table`: the registry entry, the time split (autoencoder, UMAP, GMM) from
// synthetic records, the `name:split` data sets, and one tiny real run on an MNIST-shaped IDX set
// the test writes (USPS and Fashion-MNIST absent: skipped with the files they need).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { gzipSync } from 'node:zlib';
import { encodeIdx } from '../data/idx.ts';
import { missingDataMessage } from './availability.ts';
import { EXPERIMENTS, formatMarkdown, runExperiment } from './index.ts';
import { formatTimeSplit, timeSplitRows } from './n2d-time-split.ts';
import { benchRecord } from '../../bench/n2d-table.ts';

const e = EXPERIMENTS['n2d-table']!;

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'deepclust-n2d-table-'));
  after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** MNIST-style gzip IDX files in `folder`: image i of class i % classes is a bright band at its class's rows, plus a little texture. */
function writeIdxSet(folder: string, opts: { train: number; test: number; classes?: number }): void {
  mkdirSync(folder, { recursive: true });
  const classes = opts.classes ?? 10;
  for (const [split, n] of [['train', opts.train], ['t10k', opts.test]] as const) {
    const px = new Uint8Array(n * 784);
    for (let i = 0; i < n; i++) for (let p = 0; p < 784; p++) px[i * 784 + p] = Math.floor(p / 28 / (28 / classes)) === i % classes ? 200 + ((i + p) % 50) : (i * 7 + p) % 40;
    writeFileSync(join(folder, `${split}-images-idx3-ubyte.gz`), gzipSync(encodeIdx([n, 28, 28], px)));
    writeFileSync(join(folder, `${split}-labels-idx1-ubyte.gz`), gzipSync(encodeIdx([n], Uint8Array.from({ length: n }, (_, i) => i % classes))));
  }
}

test('n2d-table: the four data sets, the paper values with their sources, the time split', () => {
  assert.deepEqual(
    e.groups.map((g) => g.dataset),
    ['mnist', 'mnist:test', 'usps', 'fashion-mnist'],
  );
  const paper = Object.fromEntries(e.groups.map((g) => [g.dataset, [g.paper!.N2D!.acc!.value, g.paper!.N2D!.nmi!.value]]));
  assert.deepEqual(paper, { mnist: [0.979, 0.942], 'mnist:test': [0.948, 0.882], usps: [0.958, 0.901], 'fashion-mnist': [0.672, 0.684] });
  for (const g of e.groups) {
    assert.equal(g.rows.length, 1);
    assert.deepEqual(g.rows[0], { kind: 'deep', label: 'N2D', method: 'n2d' });
    assert.ok(e.sources[g.paper!.N2D!.acc!.source], `source of ${g.dataset}`);
  }
  // the values no source read here confirms are marked
  assert.equal(e.groups[0]!.paper!.N2D!.acc!.unverified, true);
  assert.equal(e.groups[2]!.paper!.N2D!.acc!.unverified, true);
  assert.equal(e.groups[1]!.paper!.N2D!.acc!.unverified, undefined);
  assert.deepEqual(
    e.timeSplit!.map((p) => p.label),
    ['autoencoder', 'UMAP', 'GMM'],
  );
  assert.deepEqual(e.short, { pretrainEpochs: 40, trainRows: 3000 });
});

test('time split: means over the finished runs, the rest of the fit as "other", missing parts as —', () => {
  const rec = (groupIndex: number, seed: number, timings: Record<string, number> | undefined, error?: string) => ({ dataset: groupIndex ? 'mnist:test' : 'mnist', row: 'N2D', groupIndex, seed, timings, error });
  const rows = timeSplitRows(
    [
      rec(0, 0, { pretrain: 10, 'recluster.umap': 4, 'recluster.gmm': 1, recluster: 6, total: 17 }),
      rec(0, 1, { pretrain: 20, 'recluster.umap': 6, 'recluster.gmm': 3, recluster: 10, total: 31 }),
      rec(0, 2, undefined, 'training diverged'),
      rec(1, 0, { pretrain: 5, total: 6 }),
    ],
    e.timeSplit!,
  );
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[0], { dataset: 'mnist', row: 'N2D', runs: 2, seconds: { autoencoder: 15, UMAP: 5, GMM: 2 }, other: 2, total: 24 });
  assert.deepEqual(rows[1], { dataset: 'mnist:test', row: 'N2D', runs: 1, seconds: { autoencoder: 5, UMAP: null, GMM: null }, other: 1, total: 6 });
  const md = formatTimeSplit(rows, e.timeSplit!).join('\n');
  assert.match(md, /\| data set \| method \| autoencoder \| UMAP \| GMM \| other \| fit total \| runs \|/);
  assert.match(md, /\| mnist \| N2D \| 15\.0 \(63%\) \| 5\.0 \(21%\) \| 2\.0 \(8%\) \| 2\.0 \(8%\) \| 24\.0 \| 2 \|/);
  assert.match(md, /\| mnist:test \| N2D \| 5\.0 \(83%\) \| — \| — \| 1\.0 \(17%\) \| 6\.0 \| 1 \|/);
  assert.deepEqual(formatTimeSplit([], e.timeSplit!), []);
});

test('a group may name one split of a set (mnist:test); a bad split is one line', () => {
  const empty = tempDir();
  const none = { dataDir: empty, cacheDir: empty };
  assert.match(missingDataMessage('mnist:test', { kind: 'whole' }, none)!, /^data set 'mnist:test' not found: place t10k-images-idx3-ubyte\.gz, t10k-labels-idx1-ubyte\.gz in one of: /);
  assert.equal(missingDataMessage('mnist:bogus', { kind: 'whole' }, none), "'mnist:bogus': a split (train, test or all) can only be named with the whole protocol");
  assert.equal(missingDataMessage('mnist:test', { kind: 'split', labelled: 10 }, none), "'mnist:test': a split (train, test or all) can only be named with the whole protocol");
  assert.equal(missingDataMessage('nope:test', { kind: 'whole' }, none), "'nope' is not a named data set");
  const dir = tempDir();
  writeIdxSet(`${dir}/mnist`, { train: 0, test: 5 });
  assert.equal(missingDataMessage('mnist:test', { kind: 'whole' }, { dataDir: dir, cacheDir: empty }), undefined);
});

test('n2d-table end to end (tiny MNIST-shaped set): records, time split, skipped sets, Markdown, bench record', async () => {
  const dir = tempDir();
  const cache = tempDir();
  // three classes keep the mixture well posed on so few rows (k = 3 → a 3-d code and UMAP)
  writeIdxSet(`${dir}/mnist`, { train: 300, test: 260, classes: 3 });
  const saved = process.env.DEEPCLUST_DATA_DIR;
  process.env.DEEPCLUST_DATA_DIR = '';
  try {
    const res = await runExperiment('n2d-table', { dataDir: dir, cacheDir: cache, seeds: 1, pretrainEpochs: 1, threads: 1 });
    assert.deepEqual(
      res.skipped.map((s) => s.dataset),
      ['usps', 'fashion-mnist'],
    );
    assert.match(res.skipped[1]!.message, /^data set 'fashion-mnist' not found: place train-images-idx3-ubyte\.gz/);
    assert.equal(res.comparableToPaper, false);
    assert.deepEqual(
      res.records.map((r) => [r.dataset, r.train.rows, r.k, r.error ?? 'ok']),
      [
        ['mnist', 560, 3, 'ok'],
        ['mnist:test', 260, 3, 'ok'],
      ],
    );
    for (const r of res.records) {
      assert.equal(r.method, 'n2d');
      assert.equal(r.pretrainEpochs, 1);
      for (const key of ['pretrain', 'recluster', 'recluster.umap', 'recluster.gmm', 'total']) assert.ok(r.timings![key]! >= 0, `${r.dataset} timings.${key}`);
      assert.ok(r.timings!['recluster.umap']! + r.timings!['recluster.gmm']! <= r.timings!.recluster! + 1e-9);
      assert.ok(r.metrics.acc! >= 1 / 3 - 1e-9 && r.metrics.acc! <= 1);
    }
    assert.equal(res.timeSplit!.length, 2);
    assert.ok(res.timeSplit![0]!.seconds.UMAP! > 0);
    const md = formatMarkdown(res);
    assert.match(md, /^## N2D: autoencoder → UMAP → Gaussian mixture/);
    assert.match(md, /\| mnist:test \| N2D \| ACC \| [01]\.\d{4} \| 0\.0000 \|.*\| 0\.948 \[\d\] \|/);
    assert.match(md, /\| mnist \| N2D \| ACC \|.*\| 0\.979 \(unverified\) \[\d\] \|/);
    assert.match(md, /\*\*Time split\*\*/);
    assert.match(md, /\| mnist:test \| N2D \| \d+\.\d \(\d+%\) \| \d+\.\d \(\d+%\) \| \d+\.\d \(\d+%\) \|/);
    assert.match(md, /- usps: data set 'usps' not found/);
    assert.match(md, /paperswithcode/);

    const rec = benchRecord(res.records[1]!, 'deepclust bench n2d-table -o pretrainEpochs=1 --json');
    assert.equal(rec.suite, 'n2d-table');
    assert.equal(rec.data, 'mnist:test');
    assert.deepEqual(rec.paper, { acc: 0.948, nmi: 0.882 });
    assert.deepEqual(Object.keys(rec.timeSplit as object), ['autoencoder', 'UMAP', 'GMM', 'other', 'total']);
    assert.ok(typeof rec.commit === 'string' || rec.commit === null);
    assert.ok(typeof rec.machine === 'string' && typeof rec.date === 'string');
  } finally {
    if (saved === undefined) delete process.env.DEEPCLUST_DATA_DIR;
    else process.env.DEEPCLUST_DATA_DIR = saved;
  }
});
