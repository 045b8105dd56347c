// The CLI's robustness battery (issue 8): every bad input exits non-zero with ONE line on stderr
// naming the problem and the fix, no stack trace unless --debug, and no partial output files.
// Complements test/cli.test.ts (SIGINT, the first bad-input cases) with stricter checks per case.
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { encodeIdx } from '../src/data/idx.ts';
import { encodeNpy } from '../src/data/npy.ts';
import { Rng } from '../src/random.ts';

const BIN = fileURLToPath(new URL('../bin/deepclust.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'deepclust-robustness-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

/** Runs the CLI (async, so cases can run side by side). */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', DEEPCLUST_OFFLINE: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += String(b)));
    child.stderr.on('data', (b) => (stderr += String(b)));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

// ---- fixtures: 30 rows of 3 blobs in 4-d with a label column, and broken variants of it
const rng = new Rng(8);
const rows: string[] = [];
for (let i = 0; i < 30; i++) rows.push([...Array.from({ length: 4 }, (_, j) => ((i % 3) * 3 + (j % 2) + 0.1 * rng.normal()).toFixed(4)), String(i % 3)].join(','));
const blobs = `a,b,c,d,label\n${rows.join('\n')}\n`;
writeFileSync(at('blobs.csv'), blobs);
writeFileSync(at('truncated.csv.gz'), gzipSync(blobs).subarray(0, 60)); // gzip cut mid-stream
writeFileSync(at('inf.tsv'), 'a\tb\n1\t2\n3\t-inf\n4\t5\n');
writeFileSync(at('ragged.tsv'), '1\t2\t3\n4\t5\n6\t7\t8\n');
writeFileSync(at('header-only.csv'), 'a,b,c\n');
writeFileSync(at('empty.npy'), '');
const withNan = Float32Array.from({ length: 12 }, (_, i) => i);
withNan[7] = Number.NaN;
writeFileSync(at('nan.npy'), encodeNpy(withNan, [4, 3]));
const idx = encodeIdx([10, 4, 4], Uint8Array.from({ length: 160 }, (_, i) => i));
const badMagic = idx.slice();
badMagic[2] = 0x42; // not an IDX element type
writeFileSync(at('bad-idx3-ubyte'), badMagic);
writeFileSync(at('cut-idx3-ubyte'), idx.subarray(0, 100));
writeFileSync(at('images-idx3-ubyte'), idx);
writeFileSync(at('labels-idx1-ubyte'), encodeIdx([7], Uint8Array.from({ length: 7 }, (_, i) => i % 2)));
writeFileSync(at('short-labels.txt'), `${Array.from({ length: 29 }, (_, i) => i % 3).join('\n')}\n`);
writeFileSync(at('typo.yaml'), 'extends: idek\n');
writeFileSync(at('broken.json'), '{"extends": "idec", "pretrain": ');
writeFileSync(at('pretrain-lr.json'), JSON.stringify({ extends: 'idec', pretrain: { optimizer: { name: 'adam', lr: 1e8 } } }));
writeFileSync(at('a-file'), 'not a folder\n');
mkdirSync(at('existing'));
writeFileSync(at('existing/keep.txt'), 'earlier results\n');

const BLOBS = ['--data', at('blobs.csv'), '--label-column', 'label'];
const TINY = ['--method', 'idec', '--pretrain-epochs', '1', '--max-iter', '10', '--batch-size', '8', '--quiet', '--no-report'];

/** One bad input: the arguments (a `fit` gets a fresh `--out` unless it has one) and what stderr must say. */
interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly message: RegExp;
  /** Files that must exist afterwards, exactly (default: the `--out` folder is absent or empty). */
  readonly outAfter?: readonly string[];
}

const cases: Case[] = [
  // values
  { name: 'Inf in a TSV', args: ['fit', '--data', at('inf.tsv'), '--k', '2'], message: /inf\.tsv' line 3, column 2: value -inf is not finite; remove or impute it first/ },
  { name: 'NaN in a .npy', args: ['fit', '--data', at('nan.npy'), '--k', '2'], message: /nan\.npy' has a non-finite value \(NaN\) at row 3, column 2; remove or impute it first/ },
  { name: 'NaN in kmeans data', args: ['kmeans', '--data', at('nan.npy'), '--k', '2', '--out', at('kmeans-nan.txt')], message: /non-finite value \(NaN\).*remove or impute/ },
  // file structure
  { name: 'ragged TSV', args: ['fit', '--data', at('ragged.tsv'), '--k', '2'], message: /ragged\.tsv' line 2: 2 columns, expected 3 \(ragged rows\); every row needs the same number of values/ },
  { name: 'empty .npy file', args: ['fit', '--data', at('empty.npy'), '--k', '2'], message: /empty\.npy' is empty \(0 bytes\); write it again or pass another file/ },
  { name: 'header but no rows', args: ['fit', '--data', at('header-only.csv'), '--k', '2'], message: /header-only\.csv' has a header but no data rows; add one sample per line below it/ },
  { name: 'truncated gzip', args: ['fit', '--data', at('truncated.csv.gz'), '--k', '2'], message: /truncated\.csv\.gz' is a corrupt or truncated gzip file \(.*\); download or copy it again/ },
  { name: 'wrong IDX magic', args: ['fit', '--data', at('bad-idx3-ubyte'), '--k', '2'], message: /bad-idx3-ubyte' is not an IDX file \(wrong magic number 00 00 42 03\); expected an MNIST-style file/ },
  { name: 'truncated IDX body', args: ['fit', '--data', at('cut-idx3-ubyte'), '--k', '2'], message: /cut-idx3-ubyte' is truncated: 84 data bytes, the header promises 160 .*; download it again/ },
  { name: 'missing labels file', args: ['fit', '--data', at('images-idx3-ubyte'), '--labels', at('nowhere.txt')], message: /labels file '.*nowhere\.txt' does not exist; check the path/ },
  { name: 'unsupported extension', args: ['fit', '--data', at('a-file')], message: /unsupported data file '.*a-file': use one of \.csv/ },
  // labels
  { name: 'labels file shorter than the data', args: ['fit', '--data', at('blobs.csv'), '--labels', at('short-labels.txt')], message: /has 29 labels but the data '.*blobs\.csv' has 30 rows; they must match one to one/ },
  { name: 'IDX labels shorter than the images', args: ['fit', '--data', at('images-idx3-ubyte'), '--labels', at('labels-idx1-ubyte')], message: /has 7 labels but the data .* has 10 rows; they must match one to one/ },
  { name: 'label column not found', args: ['fit', '--data', at('blobs.csv'), '--label-column', 'class'], message: /label column "class" not found \(columns: a, b, c, d, label\); name one of them or give a 0-based index/ },
  { name: 'evaluate: predictions of another length', args: ['evaluate', '--true', at('short-labels.txt'), '--pred', at('labels-idx1-ubyte')], message: /has 29 labels but --pred file .* has 7; they must label the same samples/ },
  // clusters
  { name: 'k > n', args: ['fit', ...BLOBS, '--k', '31', ...TINY], message: /the data has 30 samples but k = 31 clusters were asked for; use k <= 30|nClusters = 31 is larger than the 30 samples/ },
  { name: 'k < 2', args: ['fit', ...BLOBS, '--k', '1'], message: /fit: option '--k' must be an integer >= 2, got "1"/ },
  { name: 'kmeans k > n', args: ['kmeans', ...BLOBS, '--k', '31', '--out', at('kmeans-k.txt')], message: /option '--k' must be an integer in \[1, 30\] \(the number of rows\), got 31/ },
  // options
  { name: 'unknown method', args: ['fit', ...BLOBS, '--method', 'idek'], message: /unknown method 'idek' \(did you mean 'idec'\?\); choose one of / },
  { name: 'unknown method in a config file', args: ['fit', ...BLOBS, '--method-config', at('typo.yaml')], message: /unknown method 'idek' \(did you mean 'idec'\?\)/ },
  { name: 'config file is not valid JSON', args: ['fit', ...BLOBS, '--method-config', at('broken.json')], message: /the method config '.*broken\.json' is not valid JSON: .*; fix its syntax/ },
  { name: 'unknown option', args: ['fit', ...BLOBS, '--epochs', '3'], message: /unknown option '--epochs' \(run with --help for usage\)/ },
  { name: 'unknown command', args: ['fti', ...BLOBS], message: /unknown command 'fti' \(Did you mean fit\?\) \(run with --help for usage\)/ },
  { name: 'augmentation on rows that are not images', args: ['fit', ...BLOBS, ...TINY, '--method', 'idec-da'], message: /method 'idec-da' augments images \(rotations and shifts\), but the data has no image shape; .*imageShape: \[1, 28, 28\]/ },
  { name: 'option value not among the choices', args: ['fit', ...BLOBS, '--budget', 'long'], message: /argument 'long' is invalid\. Allowed choices are full, short/ },
  { name: 'negative epochs', args: ['fit', ...BLOBS, '--method', 'idec', '--pretrain-epochs', '-1'], message: /fit: option '--pretrain-epochs' must be an integer >= 0, got -1/ },
  { name: 'negative max-iter', args: ['fit', ...BLOBS, '--method', 'idec', '--max-iter', '-5'], message: /fit: option '--max-iter' must be an integer >= 0, got -5/ },
  { name: 'zero learning rate', args: ['fit', ...BLOBS, '--method', 'idec', '--lr', '0'], message: /fit: option '--lr' must be a finite number > 0, got 0/ },
  { name: 'unknown preprocessing step', args: ['fit', ...BLOBS, '--preprocess', 'whiten'], message: /unknown preprocessing step 'whiten'; choose from none, scale255, /  },
  { name: 'batch size larger than n', args: ['fit', ...BLOBS, ...TINY, '--batch-size', '64'], message: /batch size 64 is larger than the 30 samples; lower it/ },
  // output
  { name: 'output folder under a file', args: ['fit', ...BLOBS, ...TINY, '--out', at('a-file/run')], message: /output path '.*a-file\/run' exists and is not a directory|cannot write to the output directory '.*a-file\/run': .*\(ENOTDIR\); choose a writable --out/ },
  { name: 'output folder not writable', args: ['fit', ...BLOBS, ...TINY, '--out', '/proc/deepclust-robustness'], message: /cannot write to the output directory '\/proc\/deepclust-robustness': .*\(E[A-Z]+\); choose a writable --out/ },
  { name: 'existing output folder without --force', args: ['fit', ...BLOBS, ...TINY, '--out', at('existing')], message: /the output directory '.*existing' exists and is not empty; pass --force to overwrite it or choose another --out/, outAfter: ['keep.txt'] },
  // training
  { name: 'diverging learning rate (clustering phase)', args: ['fit', ...BLOBS, ...TINY, '--lr', '1e8'], message: /training diverged in the clustering phase at step \d+: .*(NaN|Infinity); lower the learning rate \(overrides\.train\.optimizer\.lr, now 100000000\)/ },
  { name: 'diverging learning rate (pretraining)', args: ['fit', ...BLOBS, ...TINY, '--method-config', at('pretrain-lr.json')], message: /training diverged in the pretraining phase at step \d+: .*(NaN|Infinity); lower the learning rate \(overrides\.pretrain\.optimizer\.lr, now 100000000\)/ },
];

describe('bad input: non-zero exit, one line on stderr naming the problem and the fix, no stack trace, no partial output', { concurrency: 3 }, () => {
  cases.forEach((c, i) => {
    it(c.name, async () => {
      const args = [...c.args];
      const ownOut = args.includes('--out');
      const out = ownOut ? args[args.indexOf('--out') + 1]! : at(`out-${i}`);
      if (!ownOut && args[0] === 'fit') args.push('--out', out);
      const r = await cli(args);
      assert.ok(r.code !== 0 && r.code !== null, `exit status ${r.code}`);
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      assert.equal(lines.length, 1, `one line on stderr, got ${JSON.stringify(r.stderr)}`);
      assert.match(lines[0]!, /^deepclust: error: /);
      assert.match(lines[0]!, c.message);
      assert.doesNotMatch(r.stderr, /^\s+at /m, 'stack trace printed');
      assert.equal(r.stdout, '', 'nothing on stdout');
      // no partial output: the --out folder is gone or empty (or as it was), no temp files beside it
      const left = existsSync(out) && !out.startsWith('/proc') ? (readdirSync(out, { recursive: true }) as string[]).sort() : [];
      if (c.outAfter) assert.deepEqual(left, [...c.outAfter], 'the existing folder is untouched');
      else if (args[0] === 'fit') assert.deepEqual(left, [], 'files left in --out');
      if (args[0] === 'kmeans') assert.ok(!existsSync(out), 'kmeans --out written');
      assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'temp files left');
    });
  });
});

test('the battery covers at least 20 cases', () => {
  assert.ok(cases.length >= 20, `${cases.length} cases`);
});

test('--debug: the same one-line error, then the stack trace', async () => {
  for (const args of [['--debug', 'fit', ...BLOBS, '--k', '1'], ['fit', '--data', at('ragged.tsv'), '--k', '2', '--debug']]) {
    const r = await cli(args);
    assert.equal(r.code, 2, r.stderr);
    const [first, ...rest] = r.stderr.trimEnd().split('\n');
    assert.match(first!, /^deepclust: error: /);
    assert.match(rest[0]!, /^(ParamError|DataError): /, 'the stack starts with the error class');
    assert.ok(rest.some((l) => /^\s+at .*\.ts:\d+:\d+/.test(l)), `stack frames printed: ${r.stderr}`);
  }
});
