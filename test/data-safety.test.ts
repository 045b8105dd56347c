// Issue #23, library side: inputs that used to give a wrong answer or a message that did not name
// the problem (CR-only and quoted CSV, ambiguous label columns, directories, devices, binary and
// huge files, data scaled twice), the one atomic writer's file-system errors, sealed model
// folders, run manifests and locks, seeds and method configs checked first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError, ParamError } from '../src/errors.ts';
import { loadDataset, parseDelimited, readLabelsEncoded } from '../src/data/index.ts';
import { TEXT_SIZE_LIMIT } from '../src/data/io.ts';
import { alreadyScaledError, checkStepRange } from '../src/data/value-range.ts';
import { atomicWrite, describeFsError } from '../src/engine/atomic-write.ts';
import { atomicWriteFile } from '../src/data/atomic.ts';
import { checkModelShapes, sealModel, verifyModelSeal } from '../src/data/model-integrity.ts';
import { LOCK, MANIFEST, acquireLock, clearRun, removeTempFiles, verifyRun, writeManifest } from '../src/cli/run-dir.ts';
import { MAX_SEED, formatLabels, parseSeed } from '../src/cli/conventions.ts';
import { distinctWarnings, readMethodConfig } from '../src/cli/commands/fit.ts';

const dir = mkdtempSync(join(tmpdir(), 'deepclust-safety-'));
let n = 0;
const put = (name: string, content: string | Uint8Array) => {
  const p = join(dir, `${n++}-${name}`);
  writeFileSync(p, content);
  return p;
};
const data = (re: RegExp) => (e: unknown) => e instanceof DataError && re.test((e as Error).message) && !(e as Error).message.includes('\n');
const param = (re: RegExp) => (e: unknown) => e instanceof ParamError && re.test((e as Error).message);

// --- line endings, quotes, label columns -------------------------------------------------------

test('a CR-only (classic Mac) CSV is read like any other', async () => {
  const ds = await loadDataset(put('mac.csv', 'a,b,label\r1,2,x\r3,4,y\r5,6,x\r'), { labelColumn: 'label' });
  assert.deepEqual([ds.x.rows, ds.x.cols], [3, 2]);
  assert.deepEqual(Array.from(ds.x.data), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(ds.labels!), [0, 1, 0]);
});

test('mixed CRLF, LF and CR line ends in one file; the error line numbers count every kind', () => {
  const t = parseDelimited('1,2\r\n3,4\n5,6\r7,8', 'mixed.csv');
  assert.equal(t.rows, 4);
  assert.throws(() => parseDelimited('1,2\r3,4\r5,x\r', 'cr.csv'), data(/line 3, column 2: non-numeric value "x"/));
});

test('labels files with CR-only line ends are read too', () => {
  const enc = readLabelsEncoded(put('labels.txt', '3\r1\r3\r'));
  assert.deepEqual(Array.from(enc.labels), [1, 0, 1]);
});

test('RFC 4180: a quoted header cell may hold the delimiter, and names the label column', async () => {
  const ds = await loadDataset(put('q.csv', '"width, cm","height",label\n1.5,2,a\n"3","4.25","b"\n'), { labelColumn: 'label' });
  assert.deepEqual(Array.from(ds.x.data), [1.5, 2, 3, 4.25]);
  const t = parseDelimited('"width, cm","lab"\n1,2\n', 'q.csv');
  assert.deepEqual(t.header, ['width, cm', 'lab']);
  const byQuotedName = parseDelimited('"x, y",b\n1,0\n2,1\n', 'q.csv', { labelColumn: 'x, y' });
  assert.deepEqual(Array.from(byQuotedName.labels!.labels), [0, 1]);
});

test('RFC 4180: escaped quotes and line breaks inside quoted class names', () => {
  const t = parseDelimited('a,name\n1,"the ""big"" one"\n2,"two\nlines"\n3,"the ""big"" one"\n', 'q.csv', { labelColumn: 'name' });
  assert.equal(t.rows, 3);
  assert.deepEqual(Array.from(t.labels!.labels), [0, 1, 0]);
  assert.deepEqual(t.labels!.classes, ['the "big" one', 'two\nlines']);
});

test('a quoted number with a decimal comma is named as such, not as a ragged row', () => {
  assert.throws(() => parseDelimited('a,b\n"1,25",2\n', 'dec.csv'), data(/line 2, column 1: non-numeric value "1,25" \(a decimal comma\? write it with a point\)/));
});

test('a quote never closed, and quotes in a whitespace-separated file, are named', () => {
  assert.throws(() => parseDelimited('a,b\n1,"2\n3,4\n', 'open.csv'), data(/line 2: a quoted field is never closed/));
  assert.throws(() => parseDelimited('a b\n"1" 2\n', 'ws.txt'), data(/quoted fields, which are supported only with a comma, tab or semicolon/));
});

test('--label-column naming two header cells is refused, naming both columns', async () => {
  const p = put('dup.csv', 'label,f1,label\n0,1.5,1\n1,2.5,0\n');
  await assert.rejects(loadDataset(p, { labelColumn: 'label' }), data(/label column "label" is ambiguous: columns 1 and 3 \(0-based 0, 2\)/));
  const byIndex = await loadDataset(p, { labelColumn: 2 });
  assert.deepEqual(Array.from(byIndex.labels!), [1, 0]); // an index still picks one
});

test('a labels file whose header names the asked column twice is refused', () => {
  assert.throws(() => readLabelsEncoded(put('dup-labels.csv', 'id,y,y\n1,0,1\n2,1,0\n'), 'y'), data(/column name "y" is ambiguous: columns 2 and 3/));
});

// --- what the path is ------------------------------------------------------------------------------

test('a directory as data says "is a directory", not "does not exist"', async () => {
  const d = join(dir, 'folder.csv');
  mkdirSync(d);
  await assert.rejects(loadDataset(d), data(/is a directory, not a file/));
  await assert.rejects(loadDataset(`${dir}/`), data(/is a directory/));
});

test('/dev/null as data says "is not a regular file"', async () => {
  await assert.rejects(loadDataset('/dev/null'), data(/'\/dev\/null' is not a regular file/));
});

test('a binary file named .csv (NUL bytes) is "binary, not text", gzip-compressed or not', async () => {
  await assert.rejects(loadDataset(put('zeros.csv', new Uint8Array(200_000))), data(/is binary, not text \(it holds NUL bytes at byte 0\)/));
  await assert.rejects(loadDataset(put('zeros.csv.gz', gzipSync(new Uint8Array(5000)))), data(/is binary, not text/));
  const npyLike = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0x76, 0]);
  await assert.rejects(loadDataset(put('renamed.csv', npyLike)), data(/binary, not text/));
});

test('a CSV over the text limit is refused up front, naming the limit and .npy', async () => {
  const p = put('huge.csv', '');
  truncateSync(p, TEXT_SIZE_LIMIT + 1); // sparse: no disk used, nothing read
  await assert.rejects(loadDataset(p), data(/is 500 MB of text; text files up to 500 MB are read .*save the data as a \.npy file/));
});

// --- value ranges: never scale twice ---------------------------------------------------------------

test('each range-assuming step: in range, already scaled, or outside its range', () => {
  assert.equal(checkStepRange('scale255', { min: 0, max: 255 }, 'x'), 'ok');
  assert.equal(checkStepRange('scale255', { min: 0, max: 1 }, 'x'), 'already');
  assert.throws(() => checkStepRange('scale255', { min: -3, max: 300 }, 'x'), data(/'scale255' is for 8-bit pixels \(0\.\.255\), but 'x' has values in \[-3, 300\]/));
  assert.equal(checkStepRange('pm1-to-01', { min: -1, max: 1 }, 'x'), 'ok');
  assert.equal(checkStepRange('pm1-to-01', { min: 0, max: 1 }, 'x'), 'already');
  assert.throws(() => checkStepRange('pm1-to-01', { min: -2, max: 1 }, 'x'), data(/values in \[-2, 1\]/));
  assert.equal(checkStepRange('div2', { min: 0, max: 2 }, 'x'), 'ok');
  assert.equal(checkStepRange('div2', { min: 0, max: 0.9 }, 'x'), 'already');
  assert.equal(checkStepRange('standardize', { min: -1e9, max: 1e9 }, 'x'), 'ok');
  assert.match(alreadyScaledError('scale255', { min: 0, max: 1 }, 'x').message, /scaled twice/);
});

test('an explicit scale255 on data already in [0, 1] is refused (it would shrink the data)', async () => {
  const p = put('unit.csv', '0,0.5\n1,0.25\n');
  await assert.rejects(loadDataset(p, { preprocess: ['scale255'] }), data(/already holds values in \[0, 1\] .*drop 'scale255'/));
  await assert.rejects(loadDataset(p, { preprocess: ['pm1-to-01'] }), data(/'pm1-to-01' is for values in \[-1, 1\], but .* already holds values in \[0, 1\]/));
  await assert.rejects(loadDataset(put('neg.csv', '-5,3\n1,2\n'), { preprocess: ['scale255'] }), data(/has values in \[-5, 3\]/));
  const ok = await loadDataset(put('pix.csv', '0,255\n51,102\n'), { preprocess: ['scale255'] });
  assert.deepEqual(Array.from(ok.x.data), [0, 1, 0.2, 0.4].map(Math.fround));
  assert.deepEqual(ok.preprocessing, ['scale255']);
});

const coil = '/work/shared/data/coil-20/COIL20.mat';
test('COIL20.mat (fea already in [0, 1]) is not divided by 255 again: the default step is skipped with a warning', { skip: existsSync(coil) ? false : `no ${coil}` }, async () => {
  const ds = await loadDataset('coil-20', { dataDir: '/work/shared/data', limit: 50 });
  let max = 0;
  for (const v of ds.x.data) max = Math.max(max, v);
  assert.ok(max > 0.5 && max <= 1, `max ${max}`);
  assert.ok(!ds.preprocessing.includes('scale255'), ds.preprocessing.join(','));
  assert.match(ds.warnings!.join(' '), /default preprocessing 'scale255' was skipped/);
  await assert.rejects(loadDataset('coil-20', { dataDir: '/work/shared/data', limit: 50, preprocess: 'scale255' }), data(/scaled twice/));
});

test('mnist-10k (0..255 bytes) still gets its scale255 without a warning', async () => {
  const ds = await loadDataset('mnist-10k', { limit: 20 });
  assert.deepEqual(ds.preprocessing.filter((s) => !s.startsWith('limit(')), ['scale255']);
  assert.equal(ds.warnings, undefined);
});

// --- the one atomic writer -------------------------------------------------------------------------

function withFault<T>(spec: string, f: () => T): T {
  process.env.DEEPCLUST_TEST_WRITE_FAULT = spec;
  try {
    return f();
  } finally {
    delete process.env.DEEPCLUST_TEST_WRITE_FAULT;
  }
}

test('disk full / read-only / permission denied: one DataError naming the path and the cause; no temp file; the old file stays', () => {
  const d = mkdtempSync(join(dir, 'w-'));
  const p = join(d, 'out.json');
  atomicWrite(p, 'old');
  for (const [code, words] of [['ENOSPC', /no space left on the device \(ENOSPC\); free some space/], ['EROFS', /the file system is read-only \(EROFS\); choose a writable place/], ['EACCES', /permission denied \(EACCES\)/]] as const) {
    assert.throws(() => withFault(`${code}:out.json`, () => atomicWrite(p, 'x'.repeat(10_000))), data(new RegExp(`cannot write '${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}': ${words.source}`)));
    assert.deepEqual(readdirSync(d), ['out.json'], 'no temporary file left');
    assert.equal(readFileSync(p, 'utf8'), 'old');
  }
  // the data layer's writer is the same one
  assert.throws(() => withFault('ENOSPC:out.json', () => atomicWriteFile(p, 'y')), data(/ENOSPC/));
  assert.equal(describeFsError(Object.assign(new Error('x'), { code: 'EDQUOT' })), 'disk quota exceeded (EDQUOT)');
});

test('a folder that cannot be created is one line too (a file in the way)', () => {
  const f = put('file', 'x');
  assert.throws(() => atomicWrite(join(f, 'sub', 'a.txt'), 'x'), data(/cannot write .*a part of the path is a file, not a folder \(ENOTDIR\)|ENOTDIR|EEXIST/));
});

// --- sealed model folders --------------------------------------------------------------------------

test('model seal: an edited model.json or model.safetensors is named; a folder without a seal passes', () => {
  const d = mkdtempSync(join(dir, 'model-'));
  writeFileSync(join(d, 'model.safetensors'), 'tensors');
  const meta = sealModel(d, { format: 'deepclust-model-1', nFeatures: 4, embeddingDim: 2 });
  verifyModelSeal(d, JSON.parse(JSON.stringify(meta)));
  assert.throws(() => verifyModelSeal(d, { ...meta, nFeatures: 5 }), data(/model\.json' was edited after the model was saved/));
  writeFileSync(join(d, 'model.safetensors'), 'tensorz');
  assert.throws(() => verifyModelSeal(d, meta), data(/model\.safetensors' does not match the checksum in model\.json/));
  verifyModelSeal(d, { format: 'deepclust-model-1' });
});

test('model shapes: nFeatures, hidden sizes or embeddingDim that disagree with the tensors are named', () => {
  const store = (entries: Record<string, number[]>) => ({ names: () => Object.keys(entries), has: (k: string) => k in entries, get: (k: string) => ({ shape: entries[k]! }) });
  const saved = store({ 'enc.0.w': [4, 3], 'enc.1.w': [3, 2], 'clusters.centers': [5, 2] });
  const meta = { nFeatures: 4, embeddingDim: 2, nClusters: 5 };
  checkModelShapes('m', meta, store({ 'enc.0.w': [4, 3], 'enc.1.w': [3, 2] }), saved);
  assert.throws(() => checkModelShapes('m', { ...meta, nFeatures: 7 }, store({ 'enc.0.w': [7, 3], 'enc.1.w': [3, 2] }), saved), data(/parameter 'enc\.0\.w' the shape \[7, 3\], but model\.safetensors holds \[4, 3\]/));
  assert.throws(() => checkModelShapes('m', meta, store({ 'enc.0.w': [4, 8], 'enc.1.w': [8, 2] }), saved), data(/'enc\.0\.w' the shape \[4, 8\]/));
  assert.throws(() => checkModelShapes('m', { ...meta, embeddingDim: 3 }, store({ 'enc.0.w': [4, 3] }), saved), data(/embeddingDim 3, but the cluster centres in model\.safetensors are \[5, 2\]/));
  assert.throws(() => checkModelShapes('m', meta, store({ 'dec.0.w': [2, 4] }), saved), data(/parameter 'dec\.0\.w', which model\.safetensors lacks/));
});

// --- run directories -------------------------------------------------------------------------------

function fakeRun(): string {
  const d = mkdtempSync(join(dir, 'run-'));
  mkdirSync(join(d, 'model'));
  writeFileSync(join(d, 'model', 'model.json'), '{}');
  writeFileSync(join(d, 'labels.csv'), formatLabels([0, 1]));
  writeFileSync(join(d, 'result.json'), '{"seed":0}');
  return d;
}

test('run manifest: written last, vouches for every file; an edited, missing or stray file is refused', () => {
  const d = fakeRun();
  assert.throws(() => verifyRun(d), data(/is not a finished deepclust run: run-manifest\.json is missing/));
  const m = writeManifest(d);
  assert.deepEqual(Object.keys(m.files), ['labels.csv', 'model/model.json', 'result.json']);
  assert.equal(verifyRun(d).runId, m.runId);
  writeFileSync(join(d, 'result.json'), '{"seed":1}');
  assert.throws(() => verifyRun(d), data(/result\.json' does not match the manifest of run/));
  writeFileSync(join(d, 'result.json'), '{"seed":0}');
  writeFileSync(join(d, 'report.html'), '<p>another run</p>');
  assert.throws(() => verifyRun(d), data(/mixes runs: report\.html is not part of run/));
  assert.equal(verifyRun(d, d, { rebuildingReport: true }).runId, m.runId); // report --run rebuilds it
  writeFileSync(join(d, 'notes.txt'), 'mine'); // a user's own file is not a run output
  assert.throws(() => verifyRun(d), data(/mixes runs/));
});

test('clearRun: the manifest first, then the outputs, the checkpoint (unless resuming) and temp files; user files stay', () => {
  const d = fakeRun();
  writeManifest(d);
  mkdirSync(join(d, 'checkpoint'));
  writeFileSync(join(d, 'checkpoint', 'checkpoint.safetensors'), 'ck');
  writeFileSync(join(d, 'checkpoint', '.checkpoint.safetensors.4242.abc123.tmp'), 'half');
  writeFileSync(join(d, 'notes.txt'), 'mine');
  clearRun(d, true);
  assert.deepEqual(readdirSync(d).sort(), ['checkpoint', 'notes.txt']);
  assert.deepEqual(readdirSync(join(d, 'checkpoint')), ['checkpoint.safetensors']);
  clearRun(d, false);
  assert.deepEqual(readdirSync(d), ['notes.txt']);
});

test('removeTempFiles finds the temp files of interrupted atomic writes at any depth', () => {
  const d = fakeRun();
  writeFileSync(join(d, 'model', '.model.safetensors.77.k3j4.tmp'), 'x');
  writeFileSync(join(d, 'result.json.tmp-77-1700000000000'), 'x'); // the old engine writer's name
  assert.equal(removeTempFiles(d).length, 2);
  assert.deepEqual(readdirSync(join(d, 'model')), ['model.json']);
});

test('lock: a live holder is refused, a dead one is taken over, release removes it', async () => {
  const d = mkdtempSync(join(dir, 'lock-'));
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  await new Promise((r) => sleeper.once('spawn', r));
  writeFileSync(join(d, LOCK), JSON.stringify({ pid: sleeper.pid, host: (await import('node:os')).hostname(), started: 'then', command: 'fit' }));
  try {
    assert.throws(() => acquireLock(d, 'out', 'fit'), param(new RegExp(`'out' is in use by another deepclust fit \\(pid ${sleeper.pid}`)));
    assert.throws(() => verifyRun(d), data(/still being written by deepclust fit/));
  } finally {
    sleeper.kill('SIGKILL');
    await new Promise((r) => sleeper.once('exit', r));
  }
  const release = acquireLock(d, 'out', 'fit'); // its holder is gone: taken over
  assert.equal(JSON.parse(readFileSync(join(d, LOCK), 'utf8')).pid, process.pid);
  release();
  assert.ok(!existsSync(join(d, LOCK)));
  assert.ok(!existsSync(join(d, MANIFEST)));
});

// --- CLI conventions checked before any work -------------------------------------------------------

test('seeds: integers 0 … 2^53 − 1; 1e300, fractions, negatives and words are refused', () => {
  assert.equal(parseSeed('0'), 0);
  assert.equal(parseSeed('1e3'), 1000);
  assert.equal(parseSeed(String(MAX_SEED)), MAX_SEED);
  for (const bad of ['1e300', '0.5', '-1', 'abc', '', String(2 ** 53)]) assert.throws(() => parseSeed(bad, 'fit'), param(/fit: option '--seed' must be an integer from 0 to 9007199254740991/), bad);
});

test('the one label-file format: a "label" header, one label per line, a final newline', () => {
  assert.equal(formatLabels(Int32Array.from([2, 0, 1])), 'label\n2\n0\n1\n');
});

test('method configs: empty, comments only, a list, or a list as extends are named', () => {
  assert.throws(() => readMethodConfig(put('empty.yaml', '')), data(/the method config .* is empty; write a method in it/));
  assert.throws(() => readMethodConfig(put('comments.yaml', '# nothing yet\n\n')), data(/is empty/));
  assert.throws(() => readMethodConfig(put('null.json', 'null')), data(/must hold a mapping/));
  assert.throws(() => readMethodConfig(put('list.yaml', '- idec\n- dec\n')), data(/must hold a mapping .* got a list/));
  assert.throws(() => readMethodConfig(put('ext.yaml', 'extends: [idec, dec]\n')), param(/'extends' must be the name of one preset .* got a list/));
  assert.equal(readMethodConfig(put('ok.yaml', 'extends: idec\n')).name.length > 0, true);
});

test('fewer distinct clusters than k gives a warning (as scikit-learn does)', () => {
  assert.deepEqual(distinctWarnings([0, 0, 0], 3).length, 1);
  assert.match(distinctWarnings([0, 0, 0], 3)[0]!, /number of distinct clusters \(1\) found smaller than k \(3\)/);
  assert.deepEqual(distinctWarnings([0, 1, 2], 3), []);
});
