// `deepclust datasets` end to end, and the data layer's bad-input behaviour through the CLI: one line, exit 2, no stack.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const fixtures = new URL('./fixtures/data/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deepclust-datasets-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, NO_COLOR: '1', DEEPCLUST_OFFLINE: '1', DEEPCLUST_CACHE_DIR: join(dir, 'cache'), DEEPCLUST_DATA_DIR: '' };
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
/** Runs the CLI without blocking, so several runs share the cores. */
const runAsync = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((res) => {
    const p = spawn(process.execPath, [bin, ...args], { env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => res({ status, stdout, stderr }));
  });
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;

test('datasets --json: every name, found or not, where, shape', () => {
  const r = run(['datasets', '--json', '--data-dir', fixtures]);
  assert.equal(r.status, 0, r.stderr);
  const list = lastJson(r.stdout).datasets as Array<{ name: string; found: boolean; where?: string; shape: number[]; files: string[][] }>;
  const by = Object.fromEntries(list.map((d) => [d.name, d]));
  for (const n of ['mnist-10k', 'mnist', 'fashion-mnist', 'emnist-balanced', 'usps', 'reuters-10k', 'coil-20']) assert.ok(by[n], n);
  assert.equal(by['mnist-10k']!.found, true);
  assert.deepEqual([by['coil-20']!.found, by['coil-20']!.where, by['coil-20']!.shape], [true, join(fixtures, 'coil-20'), [1440, 1024]]);
  assert.deepEqual([by.mnist!.found, by.mnist!.files[0]!.length], [false, 4]);
  assert.deepEqual(by.usps!.files, [['zip.train.gz', 'zip.test.gz'], ['usps_train.jf', 'usps_test.jf']]);
});

test('datasets show: n, d, classes, histogram as JSON; human output; a CSV with --limit and --preprocess', () => {
  const r = run(['datasets', 'show', 'mnist-10k', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const s = lastJson(r.stdout);
  assert.deepEqual([s.n, s.d, s.classes, s.histogram, s.preprocessing], [10000, 784, 10, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978], ['scale255']]);
  const rows = ['a,b,label', ...Array.from({ length: 40 }, (_, i) => `${i},${i % 7},${i % 4}`)];
  writeFileSync(join(dir, 'x.csv'), `${rows.join('\n')}\n`);
  const c = run(['datasets', 'show', join(dir, 'x.csv'), '--label-column', 'label', '--limit', '20', '--stratified', '--seed', '3', '--preprocess', 'standardize', '--json']);
  assert.equal(c.status, 0, c.stderr);
  const cs = lastJson(c.stdout);
  assert.deepEqual([cs.n, cs.d, cs.histogram, cs.preprocessing], [20, 2, [5, 5, 5, 5], ['limit(20,stratified,seed=3)', 'standardize']]);
  const h = run(['datasets', 'show', 'coil-20', '--data-dir', fixtures]);
  assert.equal(h.status, 0, h.stderr);
  assert.match(h.stdout, /coil-20: n = 4, d = 1024 \(images 1×32×32\), 20 classes/);
  assert.match(h.stdout, /preprocessing: scale255/);
});

test('bad input through the CLI: one clear line on stderr, exit 2, no stack trace', async () => {
  writeFileSync(join(dir, 'ragged.csv'), '1,2\n3\n');
  writeFileSync(join(dir, 'ok.csv'), '1,2\n3,4\n');
  writeFileSync(join(dir, 'three.txt'), '0\n1\n1\n');
  const cases: Array<[string[], RegExp]> = [
    [['datasets', 'show', 'fashion-mnst'], /unknown data set 'fashion-mnst' \(did you mean 'fashion-mnist'\?\)/],
    [['datasets', 'show', 'mnist'], /data set 'mnist' not found: place train-images-idx3-ubyte\.gz, .* in one of: .*cache\/mnist.*Downloading is off/],
    [['datasets', 'show', join(dir, 'ragged.csv')], /line 2: 1 columns, expected 2 \(ragged rows\)/],
    [['datasets', 'show', join(dir, 'ok.csv'), '--labels', join(dir, 'three.txt')], /has 3 labels but the data '.*ok\.csv' has 2 rows/],
    [['datasets', 'show', 'mnist-10k', '--limit', '0'], /option '--limit' must be an integer >= 1, got "0"/],
  ];
  const results = await Promise.all(cases.map(([args]) => runAsync(args)));
  for (const [k, [args, re]] of cases.entries()) {
    const r = results[k]!;
    assert.equal(r.status, 2, `${args.join(' ')}: status ${r.status}\n${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  }
});
