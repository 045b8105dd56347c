// Delimited text files and labels files: headers, label columns, class names, and every kind of bad input.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DataError } from '../errors.ts';
import { tempDir } from './_test/fixtures.ts';
import { encodeIdx, encodeLabels, encodeNpy, loadDataset, parseDelimited, parseLabelsFile, readLabelsEncoded } from './index.ts';

const dir = tempDir();
const put = (name: string, text: string | Uint8Array) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const isData = (re: RegExp) => (e: unknown) => e instanceof DataError && re.test((e as Error).message);

test('CSV/TSV/whitespace/gzip: header detection, label column by name, index or -1, blank and # lines skipped', async () => {
  const a = await loadDataset(put('a.csv', '# comment\nf1,f2,label\n1,2,0\n3,4,1\n\n5,6,1\n'), { labelColumn: 'label' });
  assert.deepEqual([a.x.rows, a.x.cols], [3, 2]);
  assert.deepEqual(Array.from(a.x.data), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(a.labels!), [0, 1, 1]);
  assert.equal(a.classNames, undefined);
  assert.deepEqual(a.preprocessing, []);
  assert.deepEqual(Array.from((await loadDataset(join(dir, 'a.csv'), { labelColumn: '2' })).labels!), [0, 1, 1]);
  assert.deepEqual(Array.from((await loadDataset(join(dir, 'a.csv'), { labelColumn: -1 })).labels!), [0, 1, 1]);
  const t = await loadDataset(put('b.tsv', '1\t2.5\n3\t-4e-1\n'));
  assert.deepEqual(Array.from(t.x.data), [1, 2.5, 3, Math.fround(-0.4)]);
  const w = await loadDataset(put('c.txt', '  1 2   3\n4 5 6\n'), { labelColumn: 0 });
  assert.deepEqual([w.x.cols, ...w.labels!], [2, 0, 1]);
  const g = await loadDataset(put('d.csv.gz', gzipSync(Buffer.from('x;y\n1;2\n3;4\n'))));
  assert.deepEqual(Array.from(g.x.data), [1, 2, 3, 4]);
  assert.deepEqual(parseDelimited('"a","b"\n"1","2"\n', 'q.csv').header, ['a', 'b']);
});

test('CSV class-name labels (iris style, with or without header) become 0..C-1 with classNames', async () => {
  const iris = '5.1,3.5,setosa\n7.0,3.2,versicolor\n6.3,3.3,virginica\n4.9,3.0,setosa\n';
  const ds = await loadDataset(put('iris.csv', iris), { labelColumn: -1 });
  assert.deepEqual([ds.x.rows, ds.x.cols], [4, 2]);
  assert.deepEqual(Array.from(ds.labels!), [0, 1, 2, 0]);
  assert.deepEqual(ds.classNames, ['setosa', 'versicolor', 'virginica']);
  const h = await loadDataset(put('iris-h.csv', `sl,sw,species\n${iris}`), { labelColumn: 'species' });
  assert.equal(h.x.rows, 4);
  const odd = await loadDataset(put('odd.csv', '1,2,5\n3,4,7\n5,6,5\n'), { labelColumn: 2 });
  assert.deepEqual([...odd.labels!, ...odd.classNames!], [0, 1, 0, '5', '7']);
});

test('bad delimited input: ragged rows, non-numeric cells, NaN/Inf, empty file, header only, bad label column or value', async () => {
  const cases: Array<[string, RegExp, string?]> = [
    ['1,2\n3\n', /line 2: 1 columns, expected 2 \(ragged rows\)/],
    ['a,b\n1,2\n3,4,5\n', /line 3: 3 columns, expected 2 \(ragged rows\)/],
    ['1,2\n3,x\n', /line 2, column 2: non-numeric value "x"; clean or impute it first/],
    ['1,2\n3,\n', /line 2, column 2: empty cell/],
    ['1,2\n3,NaN\n', /line 2, column 2: value NaN is not finite/],
    ['1,2\n-inf,3\n', /line 2, column 1: value -inf is not finite/],
    ['1,2\n1e999,3\n', /line 2, column 1: value 1e999 is not finite/],
    ['', /is empty; expected rows of numbers/],
    ['\n\n  \n', /is empty/],
    ['a,b,c\n', /has a header but no data rows/],
    ['f,label\n1,0.5\n2,1\n', /line 2: label "0\.5" is not an integer/, 'label'],
    ['f,label\n1,0\n', /label column "klass" not found \(columns: f, label\)/, 'klass'],
    ['1,0\n2,1\n', /label column "klass" not found \(the file has no header; use a 0-based index below 2\)/, 'klass'],
    ['1,0\n2,1\n', /label column "5" not found/, '5'],
    ['label\n1\n', /has no feature columns besides the label column/, 'label'],
  ];
  for (const [text, re, col] of cases) {
    const p = put('bad.csv', text);
    await assert.rejects(loadDataset(p, { labelColumn: col }), isData(re), `${JSON.stringify(text)} → ${re}`);
  }
  await assert.rejects(loadDataset(join(dir, 'missing.csv')), isData(/data file '.*missing\.csv' does not exist/));
  await assert.rejects(loadDataset(put('x.xlsx', 'PK')), isData(/unsupported data file '.*x\.xlsx': use one of \.csv/));
  await assert.rejects(loadDataset(dir + '/'), isData(/is a directory/));
});

test('labels files: one per line, CSV column (by name, index, default last), .npy, IDX; count must match rows', async () => {
  put('ok.csv', '1,2\n3,4\n5,6\n');
  assert.deepEqual(Array.from(parseLabelsFile(put('l.txt', '3\n1\n\n2\n'))), [3, 1, 2]);
  const pred = put('pred.csv', 'id,cluster\n0,3\n1,4\n2,3\n');
  assert.deepEqual(Array.from(parseLabelsFile(pred)), [3, 4, 3]);
  assert.deepEqual(Array.from(parseLabelsFile(pred, { column: 'id' })), [0, 1, 2]);
  assert.deepEqual(Array.from(parseLabelsFile(pred, { column: 1 })), [3, 4, 3]);
  assert.deepEqual(Array.from(parseLabelsFile(put('fit.csv', 'label\n2\n0\n1\n'))), [2, 0, 1]);
  assert.deepEqual(Array.from(parseLabelsFile(put('l.npy', encodeNpy(new Int32Array([4, 4, 9]), [3])))), [4, 4, 9]);
  assert.deepEqual(Array.from(parseLabelsFile(put('l-idx1-ubyte.gz', gzipSync(encodeIdx([3], new Uint8Array([7, 8, 9])))))), [7, 8, 9]);
  const ds = await loadDataset(join(dir, 'ok.csv'), { labels: join(dir, 'l.npy') });
  assert.deepEqual([...ds.labels!, ...ds.classNames!], [0, 0, 1, '4', '9']);
  assert.ok(ds.sources.includes(join(dir, 'l.npy')));
  const named = await loadDataset(join(dir, 'ok.csv'), { labels: put('names.txt', 'cat\ndog\ncat\n') });
  assert.deepEqual(named.classNames, ['cat', 'dog']);
  await assert.rejects(loadDataset(join(dir, 'ok.csv'), { labels: put('two.txt', '1\n2\n') }), isData(/labels file '.*two\.txt' has 2 labels but the data '.*ok\.csv' has 3 rows/));
  assert.throws(() => parseLabelsFile(put('frac.txt', '1\n2.5\n')), isData(/line 2: "2\.5" is not an integer label/));
  assert.throws(() => parseLabelsFile(put('word.txt', '1\nabc\n')), isData(/line 2: "abc" is not an integer label/));
  assert.throws(() => parseLabelsFile(put('empty.txt', '\n')), isData(/labels file '.*empty\.txt' is empty/));
  assert.throws(() => parseLabelsFile(pred, { column: 'nope' }), isData(/no column named "nope" \(columns: id, cluster\)/));
  assert.throws(() => parseLabelsFile(join(dir, 'none.txt')), isData(/labels file '.*none\.txt' does not exist/));
  assert.throws(() => readLabelsEncoded(put('mixed.txt', '1\n2.5\n')), isData(/label "2\.5" \(entry 2\) is not an integer/));
});

test('encodeLabels: sorted classes, numbers numerically, identity on 0..C-1', () => {
  assert.deepEqual(encodeLabels([10, 2, 10, 1]), { labels: Int32Array.from([2, 1, 2, 0]), classes: [1, 2, 10] });
  assert.deepEqual(Array.from(encodeLabels([0, 1, 2, 1]).labels), [0, 1, 2, 1]);
  assert.deepEqual(encodeLabels(['b', 'a']).classes, ['a', 'b']);
});
