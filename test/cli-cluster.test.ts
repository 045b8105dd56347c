// `deepclust kmeans` and `deepclust evaluate`: JSON output, labels files, and one-line errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/random.ts';

const BIN = fileURLToPath(new URL('../bin/deepclust.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'deepclust-cli-cluster-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON, read field by field
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').pop()!) as Record<string, any>;

// three well-separated blobs with a label column
const rng = new Rng(3);
const rows = ['x,y,z,label'];
const truth: number[] = [];
for (let i = 0; i < 90; i++) {
  const c = i % 3;
  truth.push(c);
  rows.push([c * 10 + rng.normal(), -c * 5 + rng.normal(), rng.normal(), c].join(','));
}
writeFileSync(join(dir, 'blobs.csv'), `${rows.join('\n')}\n`);
writeFileSync(join(dir, 'truth.txt'), `${truth.join('\n')}\n`);

test('kmeans --json clusters a CSV, reports inertia, iterations and metrics, writes labels; evaluate scores them', () => {
  const r = cli(['kmeans', '--data', 'blobs.csv', '--label-column', 'label', '--k', '3', '--seed', '1', '--internal', '--out', 'pred.txt', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = lastJson(r.stdout);
  assert.equal(out.k, 3);
  assert.ok(out.inertia > 0 && out.nIter >= 1);
  assert.equal(out.metrics.acc, 1);
  assert.equal(out.metrics.ari, 1);
  assert.ok(out.metrics.silhouette > 0.7);
  const pred = readFileSync(join(dir, 'pred.txt'), 'utf8').trim().split('\n');
  assert.equal(pred.shift(), 'label'); // the one label-file format of every command
  assert.equal(pred.length, 90);

  const e = cli(['evaluate', '--true', 'truth.txt', '--pred', 'pred.txt', '--data', 'blobs.csv', '--label-column', 'label', '--json']);
  assert.equal(e.code, 0, e.stderr);
  const ev = lastJson(e.stdout);
  assert.equal(ev.metrics.acc, 1);
  assert.equal(ev.metrics.nmi, 1);
  assert.ok(Math.abs(ev.metrics.silhouette - out.metrics.silhouette) < 1e-12);
  assert.equal(Object.keys(ev.mapping).length, 3);
  const human = cli(['evaluate', '--true', 'truth.txt', '--pred', 'pred.txt']);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /ACC\s+1\.0000/);
});

test('kmeans and evaluate: bad input gives one line on stderr naming the fix, exit code 2, no stack trace', () => {
  writeFileSync(join(dir, 'nan.csv'), 'a,b\n1,2\nNaN,3\n4,5\n');
  writeFileSync(join(dir, 'frac.txt'), '0\n1.5\n');
  writeFileSync(join(dir, 'short.txt'), '0\n1\n');
  const cases: Array<[string[], RegExp]> = [
    [['kmeans', '--data', 'blobs.csv', '--label-column', 'label', '--k', '500'], /option '--k' must be an integer in \[1, 90\]/],
    [['kmeans', '--data', 'blobs.csv', '--label-column', 'label', '--k', '0'], /option '--k' must be an integer >= 1, got "0"/],
    [['kmeans', '--data', 'nan.csv', '--k', '2'], /not finite/],
    [['evaluate', '--true', 'frac.txt', '--pred', 'short.txt'], /"1\.5" is not an integer label/],
    [['evaluate', '--true', 'truth.txt', '--pred', 'short.txt'], /has 90 labels but --pred file 'short.txt' has 2; they must label the same samples/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: exit code`);
    const lines = r.stderr.trim().split('\n').filter((l) => !/^[^:]+: \d+ × \d+/.test(l));
    assert.equal(lines.length, 1, `${args.join(' ')}: one line, got ${JSON.stringify(r.stderr)}`);
    assert.match(lines[0]!, /^deepclust: error: /);
    assert.match(lines[0]!, re);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});
