// Issue #23 (and #22 item 5), through the command line: run directories are all-or-nothing (a
// --force rerun, a killed run or two fits at once never leave files a later command accepts as one
// run), SIGTERM is Ctrl-C, write faults are one line, --data - / --out - and the one label format,
// predict/embed need --data, seeds and configs are checked before any work, edited models refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/random.ts';
import { verifyRun } from '../src/cli/run-dir.ts';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deepclust-cli-safety-'));
const at = (...p: string[]) => join(dir, ...p);

const rng = new Rng(5);
const rows = ['a,b,c,d,e,f,label'];
for (let i = 0; i < 60; i++) rows.push([...Array.from({ length: 6 }, (_, j) => ((i % 3) * (j % 2 ? 1 : -1) + 0.3 * rng.normal()).toFixed(4)), String(i % 3)].join(','));
const BLOBS = `${rows.join('\n')}\n`;
writeFileSync(at('blobs.csv'), BLOBS);

// a small, quick fit (ae-kmeans: pretraining, then k-means on the embedding)
const FIT = ['fit', '--data', at('blobs.csv'), '--label-column', 'label', '--method', 'ae-kmeans', '--pretrain-epochs', '2', '--batch-size', '10'];
// a longer one with checkpoints, to be stopped mid training (idec, tol 0: every iteration runs)
const LONG = ['fit', '--data', at('blobs.csv'), '--label-column', 'label', '--method', 'idec', '--pretrain-epochs', '3', '--max-iter', '200', '--batch-size', '8', '--update-interval', '20', '--tol', '0', '--no-report', '--checkpoint-every', '10'];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface CliOptions {
  env?: Record<string, string>;
  input?: string;
  /** Called with the child once it runs (to signal it, or to start another). */
  during?: (child: ChildProcess, output: { stderr: () => string }) => void;
}

function cli(args: readonly string[], o: CliOptions = {}): Promise<Run> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', ...o.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += String(b)));
    child.stderr.on('data', (b) => (stderr += String(b)));
    child.stdin.end(o.input ?? '');
    o.during?.(child, { stderr: () => stderr });
    child.on('exit', (code, signal) => res({ code, signal, stdout, stderr }));
  });
}

/** Resolves when `cond` holds (polled every 5 ms), or rejects after `ms`. */
function until(cond: () => boolean, ms = 120_000): Promise<void> {
  const t0 = Date.now();
  return new Promise((res, rej) => {
    const tick = () => (cond() ? res() : Date.now() - t0 > ms ? rej(new Error('timed out waiting')) : setTimeout(tick, 5));
    tick();
  });
}

/** One line on stderr, exit 2, no stack trace. */
function oneLineError(r: Run, re: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, re);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
}

const seedOf = (out: string) => (JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as { seed: number }).seed;
const OUTPUTS = ['labels.csv', 'model', 'result.json', 'report.html', 'report-data.json', 'charts', 'run-manifest.json'];
// a folder the failed fit created is removed whole, which leaves no outputs either
const leftOutputs = (out: string) => (existsSync(out) ? readdirSync(out).filter((f) => OUTPUTS.includes(f)) : []);

// --- run directories -------------------------------------------------------------------------------

test('fit --force --no-report --seed 1 over a seed-0 run leaves none of the seed-0 report files', async () => {
  const out = at('force');
  const first = await cli([...FIT, '--out', out, '--quiet']);
  assert.equal(first.code, 0, first.stderr);
  assert.ok(existsSync(join(out, 'report.html')) && existsSync(join(out, 'charts')));
  // a --force rerun that fails before training (here: a typo in --data) keeps the old run whole
  oneLineError(await cli([...FIT, '--out', out, '--force', '--data', 'blobz.csv']), /does not exist/);
  verifyRun(out);
  writeFileSync(join(out, 'notes.txt'), 'my own file');
  const again = await cli([...FIT, '--out', out, '--force', '--no-report', '--seed', '1', '--quiet']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(readdirSync(out).sort(), ['labels.csv', 'model', 'notes.txt', 'result.json', 'run-manifest.json']);
  assert.equal(seedOf(out), 1);
  verifyRun(out);
  // the report now drawn is the seed-1 run's, and the manifest is updated to vouch for it
  const rep = await cli(['report', '--run', out, '--no-png', '--quiet']);
  assert.equal(rep.code, 0, rep.stderr);
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /has no report-data\.json/);
  verifyRun(out);
});

test('SIGKILL during the report of a --force rerun: report --run and predict refuse the directory; a new --force run takes it over', async () => {
  const out = at('killed');
  const first = await cli([...FIT, '--out', out, '--quiet', '--no-report']);
  assert.equal(first.code, 0, first.stderr);
  const killed = await cli([...FIT, '--out', out, '--force', '--seed', '1', '--quiet'], {
    during: (child) => void until(() => existsSync(join(out, 'report-data.json'))).then(() => child.kill('SIGKILL')),
  });
  assert.equal(killed.signal, 'SIGKILL');
  assert.ok(!existsSync(join(out, 'run-manifest.json')));
  oneLineError(await cli(['report', '--run', out]), /is not a finished deepclust run: run-manifest\.json is missing/);
  oneLineError(await cli(['predict', '--model', out, '--data', at('blobs.csv'), '--label-column', 'label']), /is not a finished deepclust run/);
  const redo = await cli([...FIT, '--out', out, '--force', '--quiet', '--no-report']); // the dead process's lock is taken over
  assert.equal(redo.code, 0, redo.stderr);
  verifyRun(out);
});

test('two fits with the same --out: the second is refused while the first runs, the first finishes whole', async () => {
  const out = at('twice');
  let second: Promise<Run> | undefined;
  const first = await cli([...LONG, '--out', out, '--quiet'], {
    during: () => void until(() => existsSync(join(out, '.deepclust.lock'))).then(() => (second = cli([...FIT, '--out', out, '--force', '--quiet']))),
  });
  assert.equal(first.code, 0, first.stderr);
  const r = await second!;
  oneLineError(r, /the output directory '.*twice' is in use by another deepclust fit \(pid \d+/);
  verifyRun(out);
  assert.ok(!existsSync(join(out, '.deepclust.lock')));
});

test('SIGTERM is Ctrl-C: checkpoint kept, outputs removed, exit 143, the resume command; a stale checkpoint temp file does not survive the resume', async () => {
  const out = at('term');
  const r = await cli([...LONG, '--out', out], { during: (child, o) => void until(() => /cluster iter 0\//.test(o.stderr())).then(() => child.kill('SIGTERM')) });
  assert.equal(r.code, 143, r.stderr);
  const last = r.stderr.trim().split('\n').pop()!;
  assert.match(last, /^deepclust: terminated \(SIGTERM\) \(no output file was left half-written\); its checkpoint is kept, continue with: deepclust fit --resume .*term --checkpoint-every 10$/);
  assert.deepEqual(readdirSync(out), ['checkpoint']);
  // as if a SIGKILL had hit a checkpoint write
  writeFileSync(join(out, 'checkpoint', '.checkpoint.safetensors.99999.k2j3l4.tmp'), 'half a checkpoint');
  const resumed = await cli(['fit', '--resume', out, '--quiet']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(readdirSync(out).sort(), ['labels.csv', 'model', 'result.json', 'run-manifest.json']);
  verifyRun(out);
});

// --- the file system refuses ----------------------------------------------------------------------

test('disk full while writing the results: one line naming the file and the cause, no partial outputs, the checkpoint kept to resume', async () => {
  const out = at('enospc');
  const r = await cli([...FIT, '--out', out, '--quiet', '--no-report'], { env: { DEEPCLUST_TEST_WRITE_FAULT: 'ENOSPC:result.json' } });
  oneLineError(r, /cannot write '.*enospc\/result\.json': no space left on the device \(ENOSPC\); free some space, or write somewhere else; the trained state is kept in the checkpoint, continue with: deepclust fit --resume /);
  assert.deepEqual(leftOutputs(out), []);
  assert.ok(!readdirSync(out).some((f) => f.endsWith('.tmp')));
  const resumed = await cli(['fit', '--resume', out, '--quiet']);
  assert.equal(resumed.code, 0, resumed.stderr);
  verifyRun(out);
});

test('read-only file system at a checkpoint write: the first error is the one shown (not the cleanup\'s), one line, nothing left', async () => {
  const out = at('erofs');
  const r = await cli([...LONG, '--out', out, '--quiet'], { env: { DEEPCLUST_TEST_WRITE_FAULT: 'EROFS:checkpoint.safetensors' } });
  oneLineError(r, /cannot write '.*erofs\/checkpoint\/checkpoint\.safetensors': the file system is read-only \(EROFS\)/);
  assert.deepEqual(leftOutputs(out), []);
});

test('permission denied writing kmeans --out: one line naming the file', async () => {
  const r = await cli(['kmeans', '--data', 'blobs.csv', '--label-column', 'label', '--out', 'denied.csv', '--quiet'], { env: { DEEPCLUST_TEST_WRITE_FAULT: 'EACCES:denied.csv' } });
  oneLineError(r, /cannot write 'denied\.csv': permission denied \(EACCES\)/);
  assert.ok(!readdirSync(dir).some((f) => f.includes('denied')));
});

// --- stdin, stdout, the label format --------------------------------------------------------------

const labelLines = (text: string) => text.trimEnd().split('\n');

test('--data - reads CSV from stdin; --out - writes the labels to stdout in the label format', async () => {
  const r = await cli(['kmeans', '--data', '-', '--label-column', 'label', '--out', '-', '--quiet'], { input: BLOBS });
  assert.equal(r.code, 0, r.stderr);
  const lines = labelLines(r.stdout);
  assert.equal(lines[0], 'label');
  assert.equal(lines.length, 61);
  assert.ok(lines.slice(1).every((l) => /^[0-2]$/.test(l)));
});

test('--data - reads TSV from stdin too, and names an empty stdin', async () => {
  const tsv = BLOBS.replaceAll(',', '\t');
  const r = await cli(['kmeans', '--data', '-', '--label-column', '-1', '--k', '3', '--json', '--quiet'], { input: tsv });
  assert.equal(r.code, 0, r.stderr);
  const res = JSON.parse(labelLines(r.stdout).pop()!) as { dataset: { name: string; n: number; d: number }; metrics: { acc: number } };
  assert.deepEqual([res.dataset.name, res.dataset.n, res.dataset.d], ['<stdin>', 60, 6]);
  oneLineError(await cli(['kmeans', '--data', '-', '--k', '2']), /standard input is empty \(--data -\)/);
});

test('kmeans --out, predict --out and fit labels.csv share one format; predict prints it without --out', async () => {
  const out = at('formats');
  const f = await cli([...FIT, '--out', out, '--quiet', '--no-report']);
  assert.equal(f.code, 0, f.stderr);
  const km = await cli(['kmeans', '--data', 'blobs.csv', '--label-column', 'label', '--out', 'km.csv', '--quiet']);
  assert.equal(km.code, 0, km.stderr);
  const pr = await cli(['predict', '--model', out, '--data', 'blobs.csv', '--label-column', 'label', '--out', 'pred.csv', '--quiet']);
  assert.equal(pr.code, 0, pr.stderr);
  const stdout = await cli(['predict', '--model', out, '--data', 'blobs.csv', '--label-column', 'label', '--quiet']);
  for (const text of [readFileSync(join(out, 'labels.csv'), 'utf8'), readFileSync(at('km.csv'), 'utf8'), readFileSync(at('pred.csv'), 'utf8'), stdout.stdout]) {
    assert.equal(labelLines(text)[0], 'label');
    assert.equal(labelLines(text).length, 61);
    assert.ok(text.endsWith('\n'));
  }
  assert.equal(stdout.stdout, readFileSync(at('pred.csv'), 'utf8'));
  // embed --out - writes the .npy bytes
  const emb = await cli(['embed', '--model', out, '--data', 'blobs.csv', '--label-column', 'label', '--out', '-', '--quiet']);
  assert.equal(emb.code, 0, emb.stderr);
  assert.ok(emb.stdout.includes('NUMPY'));
});

test('fit --out - prints only the labels; on identical rows with --k 3 it warns of fewer distinct clusters', async () => {
  writeFileSync(at('same.csv'), `a,b,c\n${'1,2,3\n'.repeat(30)}`);
  const r = await cli(['fit', '--data', 'same.csv', '--k', '3', '--method', 'ae-kmeans', '--pretrain-epochs', '1', '--batch-size', '10', '--out', '-', '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(labelLines(r.stdout)[0], 'label');
  assert.equal(labelLines(r.stdout).length, 31);
  assert.match(r.stderr, /^deepclust: warning: number of distinct clusters \(1\) found smaller than k \(3\)/m);
});

test('predict and embed need --data (no silent mnist-10k); --out - with --json is refused', async () => {
  oneLineError(await cli(['predict', '--model', 'nowhere']), /predict: option '--data' is required/);
  oneLineError(await cli(['embed', '--model', 'nowhere', '--out', 'z.npy']), /embed: option '--data' is required/);
  oneLineError(await cli(['kmeans', '--data', 'blobs.csv', '--out', '-', '--json']), /'--out -' writes the labels to stdout, and so does '--json'/);
});

// --- checked before any work ----------------------------------------------------------------------

test('--seed 1e300 is refused before any data is loaded or trained, also from a --config file', async () => {
  oneLineError(await cli([...LONG, '--seed', '1e300']), /fit: option '--seed' must be an integer from 0 to 9007199254740991 \(2\^53 - 1\), got "1e300"/);
  oneLineError(await cli(['kmeans', '--data', 'blobs.csv', '--seed', '-1']), /kmeans: option '--seed' must be an integer/);
  writeFileSync(at('cfg.yaml'), 'seed: 0.5\n');
  oneLineError(await cli([...FIT, '--config', 'cfg.yaml']), /option '--seed' must be an integer .* got "0\.5"/);
});

test('inputs named plainly: /dev/null, a directory, a binary .csv, an ambiguous label column, an empty method config', async () => {
  oneLineError(await cli(['kmeans', '--data', '/dev/null', '--k', '2']), /'\/dev\/null' is not a regular file/);
  oneLineError(await cli(['kmeans', '--data', `${dir}/`, '--k', '2']), /is a directory, not a file/);
  writeFileSync(at('nul.csv'), Buffer.alloc(4096));
  oneLineError(await cli(['kmeans', '--data', 'nul.csv', '--k', '2']), /nul\.csv' is binary, not text/);
  writeFileSync(at('two-labels.csv'), 'label,x,label\n0,1,1\n1,2,0\n0,3,1\n');
  oneLineError(await cli(['kmeans', '--data', 'two-labels.csv', '--label-column', 'label']), /label column "label" is ambiguous: columns 1 and 3/);
  writeFileSync(at('empty.yaml'), '');
  oneLineError(await cli([...FIT, '--method-config', 'empty.yaml']), /the method config 'empty\.yaml' is empty/);
  writeFileSync(at('extends-list.yaml'), 'extends:\n  - idec\n  - dec\n');
  oneLineError(await cli([...FIT, '--method-config', 'extends-list.yaml']), /'extends' must be the name of one preset/);
});

// --- edited runs and models -----------------------------------------------------------------------

test('an edited result.json, or an edited/mismatched model.json, is refused by report, predict and export', async () => {
  const out = at('edited');
  const f = await cli([...FIT, '--out', out, '--quiet', '--no-report']);
  assert.equal(f.code, 0, f.stderr);
  const runCopy = at('edited-result');
  cpSync(out, runCopy, { recursive: true });
  const res = JSON.parse(readFileSync(join(runCopy, 'result.json'), 'utf8'));
  writeFileSync(join(runCopy, 'result.json'), JSON.stringify({ ...res, seed: 7 }, null, 2));
  oneLineError(await cli(['report', '--run', runCopy]), /result\.json' does not match the manifest of run/);

  const model = at('edited-model');
  cpSync(join(out, 'model'), model, { recursive: true });
  const meta = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
  writeFileSync(join(model, 'model.json'), JSON.stringify({ ...meta, embeddingDim: meta.embeddingDim + 1 }));
  oneLineError(await cli(['predict', '--model', model, '--data', 'blobs.csv', '--label-column', 'label']), /model\.json' was edited after the model was saved/);
  // without the seal (a model copied by hand), the shapes still have to agree with the tensors
  const { integrity: _seal, ...unsealed } = meta;
  const arch = unsealed.method.architecture;
  writeFileSync(join(model, 'model.json'), JSON.stringify({ ...unsealed, method: { ...unsealed.method, architecture: { ...arch, hidden: arch.hidden.map((h: number) => h + 1) } } }));
  oneLineError(await cli(['export', '--model', model, '--onnx', at('x.onnx')]), /gives parameter '.*' the shape \[.*\], but model\.safetensors holds \[.*\]; model\.json and model\.safetensors disagree/);
  assert.ok(!existsSync(at('x.onnx')));
  writeFileSync(join(model, 'model.json'), JSON.stringify({ ...unsealed, nFeatures: unsealed.nFeatures + 2 }));
  oneLineError(await cli(['predict', '--model', model, '--data', 'blobs.csv', '--label-column', 'label']), /model\.json and model\.safetensors disagree/);
});
