// `deepclust gmm` and `--k auto` / `--k lo..hi`: JSON output, labels file, k estimation and one-line errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/random.ts';

const BIN = fileURLToPath(new URL('../bin/deepclust.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'deepclust-cli-gmm-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const lastJson = (s: string) => JSON.parse(s.trim().split("\n").pop()!) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// four well-separated blobs of unequal sizes, with a label column
const rng = new Rng(5);
const rows = ['x,y,z,label'];
const sizes = [60, 40, 25, 15];
sizes.forEach((m, c) => {
  for (let i = 0; i < m; i++) rows.push([c * 12 + rng.normal(), (c % 2) * 9 + rng.normal() * 0.5, rng.normal(), c].join(','));
});
writeFileSync(join(dir, 'blobs.csv'), `${rows.join('\n')}\n`);
writeFileSync(join(dir, 'tiny.csv'), `x,y\n${Array.from({ length: 12 }, (_, i) => `${i},${i % 3}`).join('\n')}\n`);

test('gmm --json fits a mixture, reports likelihood, BIC and metrics, and writes labels', () => {
  const r = cli(['gmm', '--data', 'blobs.csv', '--label-column', 'label', '--k', '4', '--out', 'pred.txt', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = lastJson(r.stdout);
  assert.equal(out.k, 4);
  assert.equal(out.covarianceType, 'full');
  assert.equal(out.metrics.acc, 1);
  assert.ok(Number.isFinite(out.bic) && Number.isFinite(out.score));
  assert.equal(readFileSync(join(dir, 'pred.txt'), 'utf8').trim().split('\n').length, 140);
});

test('--k auto and --k lo..hi estimate k for gmm and kmeans, with each criterion curve in the JSON', () => {
  const g = cli(['gmm', '--data', 'blobs.csv', '--label-column', 'label', '--k', 'auto', '--covariance-type', 'diag', '--json', '--quiet']);
  assert.equal(g.code, 0, g.stderr);
  const go = lastJson(g.stdout);
  assert.equal(go.k, 4);
  assert.equal(go.kEstimate.selectedBy, 'silhouette');
  assert.equal(go.kEstimate.ks[0], 2);
  const k = cli(['kmeans', '--data', 'blobs.csv', '--label-column', 'label', '--k', '2..8', '--k-criteria', 'bic,gap', '--json', '--quiet']);
  assert.equal(k.code, 0, k.stderr);
  const ko = lastJson(k.stdout);
  assert.equal(ko.k, 4);
  assert.deepEqual(ko.kEstimate.ks, [2, 3, 4, 5, 6, 7, 8]);
  for (const c of ['silhouette', 'bic', 'gap']) assert.equal(ko.kEstimate.curves[c].values.length, 7, c);
  assert.equal(ko.kEstimate.curves.bic.best, 4);
});

test('bad --k, covariance type, too few rows and too many UMAP neighbours give one-line errors', () => {
  const cases: Array<[string[], RegExp]> = [
    [['gmm', '--data', 'blobs.csv', '--label-column', 'label', '--k', '2..200'], /k range .*n − 1 = 139/],
    [['kmeans', '--data', 'blobs.csv', '--label-column', 'label', '--k', '1..5'], /k range/],
    [['kmeans', '--data', 'blobs.csv', '--label-column', 'label', '--k', 'many'], /'--k' must be a positive integer, "auto" or a range/],
    [['gmm', '--data', 'blobs.csv', '--label-column', 'label', '--covariance-type', 'round'], /'--covariance-type' must be one of full, tied, diag, spherical/],
    [['gmm', '--data', 'blobs.csv', '--label-column', 'label', '--k', '3', '--init', 'both'], /option '--init' must be kmeans, k-means\+\+ or mixed, got "both"/],
    [['gmm', '--data', 'tiny.csv', '--k', 'auto'], /at least 20 rows/],
    [['gmm', '--data', 'tiny.csv', '--k', '2', '--umap', '2'], /'--umap-neighbors' \(20\) must be smaller than the number of rows \(12\)/],
    [['gmm', '--data', 'blobs.csv', '--label-column', 'label', '--k-criterion', 'vibes', '--k', 'auto'], /unknown criterion "vibes"/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('deepclust:'));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, re);
  }
});
