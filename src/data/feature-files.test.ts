// features:<file> reads the feature files of the CDC and EDESC code (fixtures made by
// test/fixtures/make_cdc_feature_files.py with numpy's np.save).
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadDataset } from './index.ts';
import { siblingLabelsFile } from './feature-files.ts';
import { tempDir } from './_test/fixtures.ts';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../test/fixtures/cdc-feature-files.json'), 'utf8')) as { x: number[][]; y: number[]; files: Record<string, string> };

function writeFixtures(): string {
  const dir = tempDir('deepclust-cdc-features-');
  for (const [name, b64] of Object.entries(fixture.files)) writeFileSync(join(dir, name), Buffer.from(b64, 'base64'));
  return dir;
}

function assertMatches(ds: Awaited<ReturnType<typeof loadDataset>>) {
  assert.equal(ds.x.rows, fixture.x.length);
  assert.equal(ds.x.cols, fixture.x[0]!.length);
  fixture.x.flat().forEach((v, i) => assert.ok(Math.abs(ds.x.data[i]! - v) < 1e-6, `x[${i}]`));
  assert.deepEqual(Array.from(ds.labels!), fixture.y);
}

test('features: a pickled {data, label} dict in one .npy (reutersidf10k.npy of the EDESC/CDC code)', async () => {
  const dir = writeFixtures();
  const ds = await loadDataset(`features:${join(dir, 'reutersidf10k.npy')}`, { preprocess: ['none'] });
  assertMatches(ds);
});

test('features: x_features.npy takes its labels from x_labels.npy beside it (the CDC code’s CIFAR-10 and STL-10 files)', async () => {
  const dir = writeFixtures();
  assertMatches(await loadDataset(`features:${join(dir, 'cifar10_features.npy')}`, { preprocess: ['none'] }));
  assertMatches(await loadDataset(`features:${join(dir, 'stl_features_resnet50.npy')}`, { preprocess: ['none'] }));
  assert.equal(siblingLabelsFile(join(dir, 'stl_features_resnet50.npy')), join(dir, 'stl_labels_resnet50.npy'));
  // an explicit --labels file wins; a name without 'features' or a missing sibling gives no labels
  const other = join(dir, 'other.npy');
  writeFileSync(other, Buffer.from(fixture.files['cifar10_features.npy']!, 'base64'));
  assert.equal((await loadDataset(`features:${other}`, { preprocess: ['none'] })).labels, undefined);
  assert.deepEqual(Array.from((await loadDataset(`features:${other}`, { preprocess: ['none'], labels: join(dir, 'stl_labels_resnet50.npy') })).labels!), fixture.y);
  rmSync(join(dir, 'cifar10_labels.npy'));
  assert.equal((await loadDataset(`features:${join(dir, 'cifar10_features.npy')}`, { preprocess: ['none'] })).labels, undefined);
});

test('features: a sibling labels file of the wrong length is refused in one line', async () => {
  const dir = writeFixtures();
  // 6 feature rows against a labels file cut to a 3-row copy of the features' own labels
  const short = join(dir, 'short_features.npy');
  writeFileSync(short, Buffer.from(fixture.files['cifar10_features.npy']!, 'base64'));
  const bytes = Buffer.from(fixture.files['cifar10_labels.npy']!, 'base64');
  const header = bytes.subarray(0, bytes.length - 6 * 8).toString('latin1').replace("'shape': (6,)", "'shape': (3,)");
  writeFileSync(join(dir, 'short_labels.npy'), Buffer.concat([Buffer.from(header, 'latin1'), bytes.subarray(bytes.length - 6 * 8, bytes.length - 3 * 8)]));
  await assert.rejects(loadDataset(`features:${short}`, { preprocess: ['none'] }), /has 3 labels but the data .* has 6 rows/);
});
