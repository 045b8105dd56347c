// The CLI end to end: a small fit with --json and its files; bad inputs give one clear line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/random.ts';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deepclust-cli-'));
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

// 3 blobs in 12-d with a label column
const rng = new Rng(2);
const rows = ['a,b,c,d,e,f,g,h,i,j,k,l,label'];
for (let i = 0; i < 60; i++) rows.push([...Array.from({ length: 12 }, (_, j) => ((i % 3) * 3 + (j % 3) + 0.1 * rng.normal()).toFixed(4)), String(i % 3)].join(','));
writeFileSync(join(dir, 'blobs.csv'), `${rows.join('\n')}\n`);

test('fit --json: one JSON object as the last stdout line, model/labels/result written atomically', () => {
  const out = join(dir, 'run');
  const r = run(['fit', '--data', join(dir, 'blobs.csv'), '--label-column', 'label', '--method', 'ae-kmeans', '--pretrain-epochs', '3', '--batch-size', '16', '--out', out, '--json', '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  const last = r.stdout.trim().split('\n').pop()!;
  const res = JSON.parse(last) as { k: number; metrics: { acc: number }; config: { name: string }; seed: number };
  assert.equal(res.k, 3);
  assert.equal(res.config.name, 'ae-kmeans');
  assert.equal(res.seed, 0);
  assert.ok(res.metrics.acc > 0.3);
  assert.deepEqual(readdirSync(out).sort(), ['charts', 'labels.csv', 'model', 'report-data.json', 'report.html', 'result.json', 'run-manifest.json']);
  assert.equal(readFileSync(join(out, 'labels.csv'), 'utf8').trim().split('\n').length, 61);
  assert.ok(existsSync(join(out, 'model', 'model.safetensors')));
  // same seed → bit-identical labels and metrics
  const out2 = join(dir, 'run2');
  const r2 = run(['fit', '--data', join(dir, 'blobs.csv'), '--label-column', 'label', '--method', 'ae-kmeans', '--pretrain-epochs', '3', '--batch-size', '16', '--out', out2, '--json', '--quiet']);
  assert.equal(r2.status, 0, r2.stderr);
  assert.equal(readFileSync(join(out2, 'labels.csv'), 'utf8'), readFileSync(join(out, 'labels.csv'), 'utf8'));
  assert.deepEqual((JSON.parse(r2.stdout.trim().split('\n').pop()!) as typeof res).metrics, res.metrics);
  const r2b = run(['fit', '--data', join(dir, 'blobs.csv'), '--label-column', 'label', '--method', 'ae-kmeans', '--pretrain-epochs', '3', '--batch-size', '16', '--out', out, '--force', '--quiet']);
  assert.equal(r2b.status, 0, r2b.stderr);
  // an existing output directory is refused without --force
  const r3 = run(['fit', '--data', join(dir, 'blobs.csv'), '--label-column', 'label', '--out', out, '--quiet']);
  assert.notEqual(r3.status, 0);
  assert.match(r3.stderr, /exists and is not empty; pass --force/);
});

const bad: Array<[string, string[], RegExp]> = [
  ['unknown option', ['fit', '--bogus'], /unknown option '--bogus'/],
  ['unknown method', ['fit', '--method', 'deck'], /unknown method 'deck' \(did you mean 'dec'\?\)/],
  ['unknown data set', ['fit', '--data', 'mnits'], /unknown data set 'mnits'/],
  ['k < 2', ['fit', '--k', '1'], /'--k' must be an integer >= 2/],
  ['negative epochs', ['fit', '--method', 'idec', '--pretrain-epochs', '-3'], /'--pretrain-epochs' must be an integer >= 0/],
  ['k > n', ['fit', '--data', 'BLOBS', '--label-column', 'label', '--k', '100', '--quiet'], /k = 100 clusters were asked for|nClusters = 100 is larger than the 60 samples/],
  ['batch larger than n', ['fit', '--data', 'BLOBS', '--label-column', 'label', '--method', 'idec', '--batch-size', '500', '--quiet'], /batch size 500 is larger than the 60 samples/],
  ['missing file', ['fit', '--data', 'nowhere/x.csv'], /does not exist/],
  ['ragged CSV', ['fit', '--data', 'RAGGED'], /ragged rows/],
  ['NaN in data', ['fit', '--data', 'NAN'], /not finite/],
  ['empty file', ['fit', '--data', 'EMPTY'], /is empty/],
  ['unwritable output', ['fit', '--data', 'BLOBS', '--label-column', 'label', '--out', 'UNWRITABLE'], /output path .* exists and is not a directory|cannot write to the output directory/],
  ['output under /proc', ['fit', '--data', 'BLOBS', '--label-column', 'label', '--out', '/proc/deepclust-out'], /cannot write to the output directory/],
  ['data without labels needs --k', ['fit', '--data', 'NOLABELS', '--method', 'idec', '--quiet'], /has no labels, so pass the number of clusters with --k/],
  ['unknown bench suite', ['bench', 'nope'], /unknown suite 'nope'/],
];

test('bad input: non-zero exit, one clear line on stderr, no stack trace, no partial output', () => {
  writeFileSync(join(dir, 'ragged.csv'), '1,2\n3\n');
  writeFileSync(join(dir, 'nan.csv'), '1,2\n3,NaN\n');
  writeFileSync(join(dir, 'empty.csv'), '');
  writeFileSync(join(dir, 'nolabels.csv'), '1,2\n3,4\n5,6\n');
  const subst: Record<string, string> = { UNWRITABLE: join(dir, 'blobs.csv', 'out'), BLOBS: join(dir, 'blobs.csv'), RAGGED: join(dir, 'ragged.csv'), NAN: join(dir, 'nan.csv'), EMPTY: join(dir, 'empty.csv'), NOLABELS: join(dir, 'nolabels.csv') };
  for (const [name, args, re] of bad) {
    const out = join(dir, `bad-${name.replace(/\W+/g, '-')}`);
    const argv = args.map((a) => subst[a] ?? a);
    if (!argv.includes('--out') && argv[0] === 'fit') argv.push('--out', out);
    const r = run(argv);
    assert.notEqual(r.status, 0, `${name}: exit status`);
    assert.match(r.stderr, re, `${name}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /^\s+at /m, `${name}: stack trace printed`);
    assert.ok(!existsSync(join(out, 'result.json')), `${name}: partial output left`);
  }
});

test('SIGINT during training: one line, exit 130, no partial output files', async () => {
  const { spawn } = await import('node:child_process');
  const out = join(dir, 'interrupted');
  const child = spawn(process.execPath, [bin, 'fit', '--data', join(dir, 'blobs.csv'), '--label-column', 'label', '--method', 'idec', '--batch-size', '8', '--out', out], { env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (b) => {
    stderr += String(b);
    if (/pretrain epoch/.test(stderr) && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /interrupted \(no output file was left half-written/);
  assert.ok(!existsSync(join(out, 'result.json')) && !existsSync(join(out, 'labels.csv')));
  assert.ok(!readdirSync(out).some((f) => f.includes('.tmp')), 'temp files left');
});
