// `deepclust fit --out dir` checkpoints and `fit --resume dir`: Ctrl-C during training keeps a
// checkpoint (exit 130, one line, no other output), resuming gives the uninterrupted run's files
// byte for byte; bad resumes are refused with one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/random.ts';
import { readCheckpointInfo } from '../src/methods/checkpoint.ts';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deepclust-resume-'));
const at = (...p: string[]) => join(dir, ...p);

function writeBlobs(path: string, seed: number): void {
  const rng = new Rng(seed);
  const rows = ['a,b,c,d,e,f,g,h,label'];
  for (let i = 0; i < 60; i++) rows.push([...Array.from({ length: 8 }, (_, j) => ((i % 3) * (j % 2 ? 1 : -1) + 0.3 * rng.normal()).toFixed(4)), String(i % 3)].join(','));
  writeFileSync(path, `${rows.join('\n')}\n`);
}
writeBlobs(at('blobs.csv'), 2);

// tol 0: all 80 iterations run, so a Ctrl-C at the first refresh lands mid clustering phase
const FIT = ['fit', '--data', at('blobs.csv'), '--label-column', 'label', '--method', 'idec', '--pretrain-epochs', '3', '--max-iter', '80', '--batch-size', '8', '--update-interval', '20', '--tol', '0', '--no-report', '--checkpoint-every', '10'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; with `interruptOn`, sends one SIGINT once stderr matches it. */
function cli(args: readonly string[], interruptOn?: RegExp): Promise<Run> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (b) => (stdout += String(b)));
    child.stderr.on('data', (b) => {
      stderr += String(b);
      if (interruptOn && !sent && interruptOn.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('exit', (code) => res({ code, stdout, stderr }));
  });
}

const lastJson = (r: Run) => JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
/** The result without what differs between any two runs (wall time, the folder). */
const comparable = (r: Record<string, unknown>) => ({ ...r, timings: Object.keys(r.timings as object).sort(), outDir: null });

let reference: { result: Record<string, unknown>; labels: Buffer; model: Buffer } | undefined;
async function uninterrupted() {
  if (reference) return reference;
  const r = await cli([...FIT, '--out', at('reference'), '--quiet', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(at('reference')).sort(), ['labels.csv', 'model', 'result.json', 'run-manifest.json'], 'no checkpoint left after a finished fit');
  reference = { result: lastJson(r), labels: readFileSync(at('reference', 'labels.csv')), model: readFileSync(at('reference', 'model', 'model.safetensors')) };
  return reference;
}

/** Interrupts a fit into `out` at the first stderr line matching `on`; checks exit 130, the one line, and that only the checkpoint is left. */
async function interrupted(out: string, on: RegExp, args: readonly string[] = FIT): Promise<{ phase: string; steps: number }> {
  const r = await cli([...args, '--out', out], on);
  assert.equal(r.code, 130, r.stderr);
  const lines = r.stderr.trim().split('\n');
  // the line repeats the flags of how it ran, which the checkpoint does not save
  const how = `${args.includes('--checkpoint-every') ? ` --checkpoint-every ${args[args.indexOf('--checkpoint-every') + 1]}` : ''}${args.includes('--json') ? ' --json' : ''}`;
  assert.match(lines.at(-1)!, new RegExp(`^deepclust: interrupted \\(no output file was left half-written\\); its checkpoint is kept, continue with: deepclust fit --resume ${(out + how).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
  assert.equal(lines.filter((l) => l.startsWith('deepclust:')).length, 1, 'one line about the interruption');
  assert.deepEqual(readdirSync(out), ['checkpoint'], 'nothing but the checkpoint: no model, labels, result or report');
  assert.deepEqual(readdirSync(join(out, 'checkpoint')), ['checkpoint.safetensors'], 'no temp files');
  const info = readCheckpointInfo(join(out, 'checkpoint'));
  return { phase: info.phase, steps: info.steps };
}

async function assertResumesToReference(out: string): Promise<void> {
  const ref = await uninterrupted();
  const r = await cli(['fit', '--resume', out, '--quiet', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(out).sort(), ['labels.csv', 'model', 'result.json', 'run-manifest.json'], 'outputs written, checkpoint removed');
  assert.ok(readFileSync(join(out, 'labels.csv')).equals(ref.labels), 'labels.csv: the same bytes');
  assert.ok(readFileSync(join(out, 'model', 'model.safetensors')).equals(ref.model), 'model.safetensors: the same bytes');
  const result = lastJson(r);
  assert.deepEqual((result as { metrics: unknown }).metrics, (ref.result as { metrics: unknown }).metrics, 'the same metrics');
  assert.deepEqual(comparable(result), comparable(ref.result), 'the same result.json (history with ACC/NMI, config, iterations) but for timings');
  assert.deepEqual(comparable(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'))), comparable(ref.result));
}

test('Ctrl-C in the clustering phase keeps a checkpoint; --resume gives the uninterrupted files byte for byte', async () => {
  const out = at('stopped-clustering');
  const cp = await interrupted(out, /cluster iter 0\//);
  assert.equal(cp.phase, 'cluster');
  await assertResumesToReference(out);
});

test('Ctrl-C in pretraining; a resume with a conflicting flag is refused, then resumes (stopped again) to the same result', async () => {
  const out = at('stopped-pretraining');
  const cp = await interrupted(out, /pretrain epoch 1\//);
  assert.equal(cp.phase, 'pretrain');
  for (const [flag, message] of [
    [['--seed', '1'], /fit --resume: '--seed 1' differs from the interrupted fit's '--seed 0'; a resumed fit keeps its options, so drop the flag/],
    [['--max-iter', '90'], /'--max-iter 90' differs from the interrupted fit's '--max-iter 80'/],
    [['--force'], /use either '--resume .*' to continue the interrupted fit or '--force' to start it again/],
  ] as const) {
    const r = await cli(['fit', '--resume', out, ...flag]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.equal(readCheckpointInfo(join(out, 'checkpoint')).steps, cp.steps, 'the refused resumes left the checkpoint alone');
  // a fresh fit into it is refused too
  const fresh = await cli([...FIT, '--out', out]);
  assert.equal(fresh.code, 2);
  assert.match(fresh.stderr, /holds the checkpoint of an interrupted fit; continue it with 'deepclust fit --resume .*', or pass --force to start again/);
  // resumed, and stopped again in the clustering phase, then resumed to the end (the same flags are fine)
  const again = await cli(['fit', '--resume', out, '--seed', '0', '--json'], /cluster iter 0\//);
  assert.equal(again.code, 130, again.stderr);
  assert.ok(again.stderr.trim().endsWith(`continue with: deepclust fit --resume ${out} --json`), again.stderr); // this run's own output flags
  assert.match(again.stderr, /^resumed from the checkpoint in .* \(pretraining, step \d+\)$/m);
  assert.equal(readCheckpointInfo(join(out, 'checkpoint')).phase, 'cluster');
  await assertResumesToReference(out);
});

test('bad resumes: no folder, no checkpoint, a finished run, a truncated or corrupt checkpoint, changed data: one line, non-zero exit', async () => {
  writeBlobs(at('other.csv'), 2);
  const args = FIT.map((a) => (a === at('blobs.csv') ? at('other.csv') : a));
  await interrupted(at('changed'), /pretrain epoch 1\//, args);
  for (const name of ['truncated', 'corrupt']) cpSync(at('changed'), at(name), { recursive: true });
  const file = (d: string) => at(d, 'checkpoint', 'checkpoint.safetensors');
  truncateSync(file('truncated'), Math.floor(readFileSync(file('truncated')).length * 0.9));
  const bytes = readFileSync(file('corrupt'));
  bytes[bytes.length - 5] ^= 0x10;
  writeFileSync(file('corrupt'), bytes);
  writeBlobs(at('other.csv'), 3); // the data changed after the interruption
  await uninterrupted();
  const cases: Array<[string, RegExp]> = [
    [at('nowhere'), /fit --resume: '.*nowhere' does not exist; pass the --out directory of an interrupted 'deepclust fit'/],
    [dir, /fit --resume: '.*' holds no checkpoint \(.*checkpoint\.safetensors is missing\); nothing to resume/],
    [at('reference'), /holds no checkpoint \(its fit finished: result\.json is there\); nothing to resume/],
    [at('truncated'), /the checkpoint '.*' is damaged \(.*truncated or corrupt.*\); it cannot be resumed/],
    [at('corrupt'), /the checkpoint '.*' is damaged \(its SHA-256 does not match its contents\); it cannot be resumed/],
    [at('changed'), /the checkpoint '.*' was made for different data \(its data fingerprint differs\); resume with the same data and options/],
  ];
  for (const [target, message] of cases) {
    const r = await cli(['fit', '--resume', target]);
    assert.equal(r.code, 2, `${target}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line: ${r.stderr}`);
    assert.match(lines[0]!, /^deepclust: error: /);
    assert.match(lines[0]!, message);
    assert.ok(!existsSync(join(target, 'result.json')) || target === at('reference'), 'no outputs written');
  }
  assert.ok(existsSync(file('changed')), 'a refused resume keeps the checkpoint');
});
