// --config <file>: a JSON/YAML file of long options is equivalent to the flags; flags win.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deepclust-config-'));
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const csv = join(dir, 'blobs.csv');
writeFileSync(csv, `${['a,b,c,label', ...Array.from({ length: 45 }, (_, i) => `${i % 3},${(i % 3) * 2 + ((i * 7) % 5) / 40},${-(i % 3)},${i % 3}`)].join('\n')}\n`);
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
type Result = { metrics: { acc: number }; config: { pretrain: { epochs: number }; train: { maxIter: number } }; seed: number };
const last = (s: string) => JSON.parse(s.trim().split('\n').pop()!) as Result;
const flags = ['--data', csv, '--label-column', 'label', '--method', 'idec', '--pretrain-epochs', '2', '--batch-size', '9', '--max-iter', '10', '--seed', '3', '--quiet', '--json'];

test('a YAML config file gives the same run as the flags; a flag on the command line wins', () => {
  const yaml = file('run.yaml', `data: ${csv}\nlabel-column: label\nmethod: idec\npretrainEpochs: 2\nbatch-size: 9\nmax-iter: 10\nseed: 3\nquiet: true\njson: true\n`);
  const a = run(['fit', ...flags]);
  const b = run(['fit', '--config', yaml]);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(b.status, 0, b.stderr);
  assert.deepEqual(last(b.stdout).metrics, last(a.stdout).metrics);
  assert.equal(last(b.stdout).config.pretrain.epochs, 2);
  const c = run(['fit', '--config', yaml, '--max-iter', '4']);
  assert.equal(last(c.stdout).config.train.maxIter, 4);
  const json = file('run.json', JSON.stringify({ data: csv, 'label-column': 'label', method: 'ae-kmeans', 'pretrain-epochs': 1, 'batch-size': 9, json: true, quiet: true }));
  const d = run(['fit', '--config', json]);
  assert.equal(d.status, 0, d.stderr);
  assert.equal(last(d.stdout).config.pretrain.epochs, 1);
});

test('config file errors are one line naming the key and the fix', () => {
  const cases: Array<[string, RegExp]> = [
    [file('typo.yaml', 'pretrain-epoch: 3\n'), /'pretrain-epoch' is not an option of 'deepclust fit' \(did you mean 'pretrain-epochs'\?\)/],
    [file('switch.yaml', 'json: "yes"\n'), /'json' is a switch \(--json\); give true or false/],
    [file('choice.yaml', 'device: gpu\n'), /'device' must be one of cpu, cuda, got "gpu"/],
    [file('list.yaml', '- a\n- b\n'), /must hold a mapping of option names to values/],
    [file('bad.yaml', 'a: [1, 2\n'), /is not valid YAML/],
    [file('bad.json', '{"a": '), /is not valid JSON/],
    [join(dir, 'missing.yaml'), /cannot read the config file .*ENOENT/],
  ];
  for (const [path, re] of cases) {
    const r = run(['fit', '--config', path]);
    assert.equal(r.status, 2, `${path}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('--config works on other commands too', () => {
  const cfg = file('kmeans.yaml', `data: ${csv}\nlabel-column: label\nk: 3\njson: true\n`);
  const r = run(['kmeans', '--config', cfg]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout.trim().split('\n').pop()!) as { metrics: { acc: number } }).metrics.acc, 1);
});
