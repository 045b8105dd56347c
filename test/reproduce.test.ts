// `deepclust reproduce`: statistics and Markdown from synthetic records, option errors, skipped
// data sets with the how-to text, and one tiny real run checked for its JSON shape and files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPERIMENTS, mergeRuns, runExperiment, type ReproduceResult, type RunRecord, formatMarkdown, scheduleFor, seedStats, summarizeRecords } from '../src/reproduce/index.ts';

const bin = new URL('../bin/deepclust.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deepclust-reproduce-'));
const emptyData = mkdtempSync(join(tmpdir(), 'deepclust-nodata-'));
const emptyCache = mkdtempSync(join(tmpdir(), 'deepclust-nocache-'));
// no data anywhere but where a test points: an empty cache, no $DEEPCLUST_DATA_DIR, no network
const env = { ...process.env, NO_COLOR: '1', DEEPCLUST_CACHE_DIR: emptyCache, DEEPCLUST_DATA_DIR: '', DEEPCLUST_OFFLINE: '1' };
const run = (args: string[]) => spawnSync(process.execPath, [bin, 'reproduce', ...args], { encoding: 'utf8', env });

test('seedStats: mean, population std, median and best (min for lower-is-better)', () => {
  assert.deepEqual(seedStats([0.5, 0.75, 0.25, 1]), { mean: 0.625, std: Math.sqrt(0.078125), median: 0.625, best: 1 });
  assert.deepEqual(seedStats([3, 1, 2], true), { mean: 2, std: Math.sqrt(2 / 3), median: 2, best: 1 });
  assert.deepEqual(seedStats([0.8]), { mean: 0.8, std: 0, median: 0.8, best: 0.8 });
  assert.throws(() => seedStats([]), RangeError);
});

function record(row: string, seed: number, acc: number, nmi: number, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    experiment: 'idec-table2',
    dataset: 'mnist',
    groupIndex: 0,
    protocol: 'whole',
    row,
    seed,
    budget: 'full',
    method: row.toLowerCase(),
    metrics: { acc, nmi, ari: acc - 0.1 },
    usedLabels: false,
    train: { spec: 'mnist', rows: 70000, preprocessing: ['scale255'] },
    scored: { spec: 'mnist', rows: 70000 },
    k: 10,
    wallSeconds: 10 + seed,
    loadSeconds: 0,
    threads: null,
    date: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

test('summaries over seeds and the Markdown table next to the paper values', () => {
  const e = EXPERIMENTS['idec-table2']!;
  const records = [
    record('IDEC', 0, 0.86, 0.8),
    record('IDEC', 1, 0.9, 0.84),
    record('IDEC', 2, 0.88, 0.82),
    record('DEC', 0, 0.8, 0.75),
    record('DEC', 1, 0, 0, { metrics: {}, error: 'training diverged in the clustering phase at step 12: loss term kl is NaN' }),
  ];
  const rows = summarizeRecords(e, records);
  assert.deepEqual(
    rows.map((r) => r.row),
    ['DEC', 'IDEC'],
  ); // the table's order, rows without runs left out
  const idec = rows.find((r) => r.row === 'IDEC')!;
  assert.equal(idec.seeds, 3);
  assert.equal(idec.failed, 0);
  assert.ok(Math.abs(idec.metrics.acc!.mean - 0.88) < 1e-12);
  assert.equal(idec.metrics.acc!.median, 0.88);
  assert.equal(idec.metrics.acc!.best, 0.9);
  assert.equal(idec.metrics.acc!.n, 3);
  assert.equal(idec.paper.acc!.value, 0.881);
  assert.equal(idec.wallSeconds.mean, 11);
  const dec = rows.find((r) => r.row === 'DEC')!;
  assert.equal(dec.seeds, 1);
  assert.equal(dec.failed, 1);

  const result: ReproduceResult = {
    experiment: e.name,
    title: e.title,
    reference: e.reference,
    budget: 'full',
    comparableToPaper: true,
    schedule: scheduleFor(e, 'full'),
    seeds: [0, 1, 2],
    protocol: e.protocol,
    deviations: [...e.deviations],
    methodNotes: ['A preset note.'],
    metrics: e.metrics,
    skipped: [{ dataset: 'usps', message: "data set 'usps' not found: place zip.train.gz …" }],
    rows,
    headlines: [],
    sources: e.sources,
    records,
    wallSeconds: 42,
    startedAt: '2026-01-01T00:00:00.000Z',
  };
  const md = formatMarkdown(result);
  assert.match(md, /^## IDEC Table 2/);
  assert.match(md, /\| data set \| method \| metric \| mean \| std \| median \| best \| paper \| Δ \| seeds \| s\/run \|/);
  // IDEC ACC: mean 0.88, std, median 0.88, best 0.9, paper 0.881 with its footnote, Δ = mean − paper
  assert.match(md, /\| {2}\| IDEC \| ACC \| 0\.8800 \| 0\.0163 \| 0\.8800 \| 0\.9000 \| 0\.881 \[\d\] \| -0\.0010 \| 3 \| 11\.0 \|/);
  assert.match(md, /\| NMI \| 0\.8200 .*\| 0\.867 \(unverified\) \[\d\] \|/);
  assert.match(md, /\| mnist \| DEC \| ACC \| 0\.8000 \| 0\.0000 \|/);
  assert.match(md, /\*\*Failed runs\*\*[\s\S]*mnist DEC seed 1: training diverged/);
  assert.match(md, /\*\*Skipped data sets\*\*\n\n- usps: data set 'usps' not found/);
  assert.match(md, /\*\*Method notes\*\*[\s\S]*A preset note\./);
  assert.match(md, /- \[\d\] docs\/papers\.md §3\.4/);
  assert.match(md, /Wall time\*\*: 42\.0 s/);
  assert.doesNotMatch(md, /Not comparable/);
  assert.match(formatMarkdown({ ...result, budget: 'short', comparableToPaper: false }), /> \*\*Not comparable to the paper\*\*: short-budget numbers are a smoke check/);
  assert.match(formatMarkdown({ ...result, rows: [], records: [] }), /_No run: every data set was skipped\._/);
});

test('short schedule: the budget, the knobs and --limit as caps', () => {
  const e = EXPERIMENTS['snnl-table3']!;
  const s = scheduleFor(e, 'short', { limit: 500 });
  assert.deepEqual([s.pretrainEpochs, s.maxIter, s.trainRows, s.evalRows], [5, 300, 500, 500]);
  assert.equal(scheduleFor(e, 'full').pretrainEpochs, undefined);
  assert.equal(scheduleFor(EXPERIMENTS.quickstart!, 'short').pretrainEpochs, 80);
});

const bad: Array<[string, string[], RegExp]> = [
  ['unknown experiment', ['idec-tabel2'], /^deepclust: error: reproduce: unknown experiment 'idec-tabel2' \(did you mean 'idec-table2'\?\); choose one of quickstart, idec-table2, snnl-table3, snnl-table4, snnl-table5, snnl-fig3, cdc-table2, cdc-table3, aljalbout-table1, n2d-table\n$/],
  ['--seeds 0', ['quickstart', '--seeds', '0'], /^deepclust: error: reproduce: option '--seeds' must be a positive integer, got "0"\n$/],
  ['--seeds not a number', ['quickstart', '--seeds', 'three'], /option '--seeds' must be a positive integer, got "three"/],
  ['--seeds fraction', ['quickstart', '--seeds', '1.5'], /option '--seeds' must be a positive integer, got "1\.5"/],
  ['bad budget', ['quickstart', '--budget', 'medium'], /argument 'medium' is invalid\. Allowed choices are full, short/],
  ['missing data dir', ['quickstart', '--data-dir', join(dir, 'nowhere')], /option '--data-dir' must be an existing folder/],
  ['--out is a folder', ['quickstart', '--out', dir], /option '--out' must name a file, but .* is a folder/],
  ['negative --limit', ['quickstart', '--limit', '-5'], /option '--limit' must be a positive integer/],
  // method options, checked by the method schema's fields and named by their flags
  ['negative --pretrain-epochs', ['quickstart', '--pretrain-epochs', '-1'], /^deepclust: error: reproduce: option '--pretrain-epochs' must be an integer >= 0, got -1\n$/],
  ['--max-iter not a number', ['quickstart', '--max-iter', 'lots'], /reproduce: option '--max-iter' must be an integer >= 0, got "lots"/],
  // splitting a long reproduction over processes, and joining it again
  ['unknown --datasets name', ['aljalbout-table1', '--datasets', 'coil-100'], /^deepclust: error: reproduce: aljalbout-table1 has no data set 'coil-100'; choose among mnist, coil-20\n$/],
  ['--seed-list not a list of integers', ['quickstart', '--seed-list', '0,x'], /option '--seed-list' must be a seed or a comma-separated list of seeds/],
  ['--seed-list repeats a seed', ['quickstart', '--seed-list', '1,1'], /option '--seed-list' lists a seed twice \(1,1\)/],
  ['--seeds with --seed-list', ['quickstart', '--seeds', '2', '--seed-list', '1'], /give --seeds \(a count\) or --seed-list \(a list\), not both/],
  ['unknown --rows name', ['idec-table2', '--rows', 'sdec'], /^deepclust: error: reproduce: idec-table2 has no row 'sdec'; choose among k-means, ae-kmeans, dec, idec\n$/],
  ['--rows without the row whose pretraining is shared', ['idec-table2', '--rows', 'dec,idec'], /^deepclust: error: reproduce: row 'DEC' starts from the autoencoder of 'AE\+k-means'; select ae-kmeans too\n$/],
  ['--merge with a training option', ['quickstart', '--merge', 'a.runs.jsonl', '--threads', '1'], /--merge trains nothing, so it takes no --threads; drop them/],
  ['--merge of a missing file', ['quickstart', '--merge', join(dir, 'none.runs.jsonl')], /cannot read '.*none\.runs\.jsonl' to merge/],
];
for (const [name, args, re] of bad) {
  test(`bad option: ${name} → exit 2, one line`, () => {
    const r = run(args);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(r.stdout, '');
  });
}

test('missing data sets are skipped with how to get them', () => {
  const r = run(['aljalbout-table1', '--data-dir', emptyData, '--json', '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as ReproduceResult;
  assert.deepEqual(
    res.skipped.map((s) => s.dataset),
    ['mnist', 'coil-20'],
  );
  const mnist = res.skipped[0]!.message;
  assert.match(mnist, /^data set 'mnist' not found: place train-images-idx3-ubyte\.gz, train-labels-idx1-ubyte\.gz, t10k-images-idx3-ubyte\.gz, t10k-labels-idx1-ubyte\.gz in one of: /);
  assert.ok(mnist.includes(join(emptyData, 'mnist')), mnist);
  assert.match(mnist, /Official location: https:\/\/.*Or fetch it into the cache with: deepclust datasets download mnist$/);
  assert.deepEqual(res.records, []);
  assert.deepEqual(res.rows, []);
  // the Markdown (on stderr with --json) says the same
  assert.match(r.stderr, /\*\*Skipped data sets\*\*\n\n- mnist: data set 'mnist' not found/);
  assert.match(r.stderr, /_No run: every data set was skipped\._/);
  // --datasets keeps only the named groups
  const only = run(['aljalbout-table1', '--data-dir', emptyData, '--datasets', 'coil-20', '--json', '--quiet']);
  assert.equal(only.status, 0, only.stderr);
  assert.deepEqual((JSON.parse(only.stdout.trim().split('\n').pop()!) as ReproduceResult).skipped.map((s) => s.dataset), ['coil-20']);
});

test('quickstart end to end (tiny): JSON shape, Markdown file and per-run records', () => {
  const out = join(dir, 'quick.md');
  const r = run(['quickstart', '--limit', '300', '--pretrain-epochs', '1', '--max-iter', '20', '--threads', '1', '--json', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as ReproduceResult & { command: string; recordsFile: string };
  assert.equal(res.command, 'reproduce');
  assert.equal(res.experiment, 'quickstart');
  assert.equal(res.budget, 'short'); // the quickstart's default budget
  assert.equal(res.comparableToPaper, false);
  assert.deepEqual(res.seeds, [0]);
  assert.deepEqual(res.skipped, []);
  assert.deepEqual([res.schedule.pretrainEpochs, res.schedule.maxIter, res.schedule.trainRows], [1, 20, 300]);
  assert.ok(res.wallSeconds > 0);
  assert.equal(res.rows.length, 1);
  const row = res.rows[0]!;
  assert.equal(row.dataset, 'mnist-10k');
  assert.equal(row.row, 'IDEC-DA');
  assert.equal(row.method, 'idec-da');
  assert.equal(row.seeds, 1);
  for (const m of ['acc', 'nmi', 'ari'] as const) {
    const s = row.metrics[m]!;
    assert.deepEqual(Object.keys(s).sort(), ['best', 'mean', 'median', 'n', 'std']);
    assert.equal(s.n, 1);
    assert.equal(s.std, 0);
    assert.ok(s.mean >= -1 && s.mean <= 1);
  }
  assert.equal(res.records.length, 1);
  const rec = res.records[0]!;
  assert.equal(rec.seed, 0);
  assert.equal(rec.train.rows, 300);
  assert.equal(rec.scored.rows, 300);
  assert.equal(rec.k, 10);
  assert.equal(rec.pretrainEpochs, 1);
  assert.equal(rec.maxIter, 20);
  assert.equal(rec.usedLabels, false);
  assert.ok(rec.wallSeconds > 0 && rec.timings!.total! > 0);
  assert.equal(rec.metrics.acc, row.metrics.acc!.mean);
  // the Markdown went to stderr and to --out; each run went to <out>.runs.jsonl as it finished
  const md = readFileSync(out, 'utf8');
  assert.match(md, /^## Quickstart: IDEC-DA on the embedded mnist-10k/);
  assert.match(md, /Not comparable to the paper/);
  assert.match(md, /\| mnist-10k \| IDEC-DA \| ACC \|/);
  assert.ok(r.stderr.includes(md), 'the Markdown is printed too');
  assert.equal(res.recordsFile, join(dir, 'quick.runs.jsonl'));
  assert.ok(existsSync(res.recordsFile));
  const lines = readFileSync(res.recordsFile, 'utf8').trim().split('\n');
  assert.equal(lines.length, 1);
  assert.deepEqual((JSON.parse(lines[0]!) as RunRecord).metrics, rec.metrics);
});

test('a reproduction split by --seed-list and joined by --merge gives the table of one run over both seeds', () => {
  const tiny = ['quickstart', '--limit', '200', '--pretrain-epochs', '1', '--max-iter', '10', '--threads', '1', '--quiet'];
  const a = join(dir, 'split-a.md');
  const b = join(dir, 'split-b.md');
  assert.equal(run([...tiny, '--seed-list', '1', '--out', b]).status, 0);
  assert.equal(run([...tiny, '--seed-list', '0', '--out', a]).status, 0);
  const whole = run([...tiny, '--seeds', '2', '--json']);
  assert.equal(whole.status, 0, whole.stderr);
  const one = JSON.parse(whole.stdout.trim().split('\n').pop()!) as ReproduceResult;
  const m = run(['quickstart', '--merge', recordsOf(a), recordsOf(b), '--json']);
  assert.equal(m.status, 0, m.stderr);
  const merged = JSON.parse(m.stdout.trim().split('\n').pop()!) as ReproduceResult;
  assert.deepEqual(merged.seeds, [0, 1]);
  assert.deepEqual(merged.schedule, one.schedule);
  assert.equal(merged.comparableToPaper, false);
  assert.deepEqual(merged.records.map((r) => [r.seed, r.metrics]), one.records.map((r) => [r.seed, r.metrics]));
  assert.deepEqual(merged.rows.map((r) => [r.row, r.seeds, r.metrics]), one.rows.map((r) => [r.row, r.seeds, r.metrics]));
  for (const r of merged.records) assert.match(r.host!.machine, /^\d+-core /);
  // the same run twice, or runs of different schedules, are refused
  const twice = run(['quickstart', '--merge', recordsOf(a), recordsOf(a)]);
  assert.equal(twice.status, 2);
  assert.match(twice.stderr, /mnist-10k seed 0 IDEC-DA appears twice in the records to merge; keep one of them/);
  const other = join(dir, 'split-c.md');
  assert.equal(run([...tiny.map((v) => (v === '10' ? '12' : v)), '--seed-list', '1', '--out', other]).status, 0);
  const mixed = run(['quickstart', '--merge', recordsOf(a), recordsOf(other)]);
  assert.equal(mixed.status, 2);
  assert.match(mixed.stderr, /the records to merge ran different schedules/);
  const junk = join(dir, 'junk.runs.jsonl');
  writeFileSync(junk, '{"experiment":"quickstart"}\n');
  assert.match(run(['quickstart', '--merge', junk]).stderr, /^deepclust: error: reproduce: line 1 of '.*junk\.runs\.jsonl' is not a run record; pass the \.runs\.jsonl files that --out wrote\n$/);
  const wrong = run(['idec-table2', '--merge', recordsOf(a)]);
  assert.match(wrong.stderr, /a record to merge is from 'quickstart', not 'idec-table2'/);
});

test('a table split by rows (runExperiment rows) and joined by mergeRuns gives the records of one run', async () => {
  // three rows of the embedded mnist-10k: k-means, and an autoencoder shared by DEC
  const e = {
    ...EXPERIMENTS.quickstart!,
    name: 'quickstart',
    groups: [{ ...EXPERIMENTS.quickstart!.groups[0]!, rows: [
      { kind: 'kmeans', label: 'k-means', nInit: 2 },
      { kind: 'deep', label: 'AE+k-means', method: 'ae-kmeans' },
      { kind: 'deep', label: 'DEC', method: 'dec', sharePretrainingOf: 'AE+k-means' },
    ] }],
  } as const;
  const o = { limit: 300, pretrainEpochs: 1, maxIter: 10, threads: 1, seedList: [0], cacheDir: emptyCache } as const;
  const whole = await runExperiment(e, o);
  const first = await runExperiment(e, { ...o, rows: ['k-means'] });
  const rest = await runExperiment(e, { ...o, rows: ['ae-kmeans', 'DEC'] }); // a method or a label
  assert.deepEqual(first.records.map((r) => r.row), ['k-means']);
  assert.deepEqual(rest.records.map((r) => r.row), ['AE+k-means', 'DEC']);
  assert.equal(rest.records[1]!.pretrainedBy, 'AE+k-means');
  for (const r of whole.records) assert.equal(r.error, undefined, r.error);
  const merged = mergeRuns(e, [...rest.records, ...first.records]);
  assert.deepEqual(merged.records.map((r) => [r.row, r.metrics]), whole.records.map((r) => [r.row, r.metrics]));
  assert.deepEqual(merged.rows.map((r) => [r.row, r.metrics]), whole.rows.map((r) => [r.row, r.metrics]));
  await assert.rejects(runExperiment(e, { ...o, rows: [] }), /reproduce: the row list is empty; name some of k-means, ae-kmeans, dec/);
});

const recordsOf = (md: string) => md.replace(/\.md$/, '.runs.jsonl');

test('the data loader keeps the last two sets: rows alternating two preprocessings read each once', async () => {
  const { dataLoader } = await import('../src/reproduce/runner.ts');
  const load = dataLoader({ cacheDir: emptyCache });
  const raw = await load('mnist-10k', 60, 0);
  const scaled = await load('mnist-10k', 60, 0, ['dec-mnist']);
  assert.ok(raw.seconds > 0 && scaled.seconds > 0, 'first reads take time');
  const [rawAgain, scaledAgain] = [await load('mnist-10k', 60, 0), await load('mnist-10k', 60, 0, ['dec-mnist'])];
  assert.equal(rawAgain.ds, raw.ds);
  assert.equal(scaledAgain.ds, scaled.ds);
  assert.deepEqual([rawAgain.seconds, scaledAgain.seconds], [0, 0]);
  // ×0.02 against /255: the two kept sets really differ
  assert.ok(Math.abs(scaled.ds.x.data[raw.ds.x.data.findIndex((v) => v > 0.5)]! / raw.ds.x.data[raw.ds.x.data.findIndex((v) => v > 0.5)]! - 255 * 0.02) < 1e-4);
  // a third set evicts the oldest (raw), which is then read again
  await load('mnist-10k', 30, 0);
  assert.ok((await load('mnist-10k', 60, 0)).seconds > 0);
});

test('the library guard of runExperiment checks pretrainEpochs and maxIter with the method schema (library names, no flags)', async () => {
  await assert.rejects(runExperiment('quickstart', { maxIter: -3 }), /reproduce: maxIter must be an integer >= 0, got -3/);
  await assert.rejects(runExperiment('quickstart', { pretrainEpochs: 1.5 }), /reproduce: pretrainEpochs must be an integer >= 0, got 1\.5/);
});
