// The README's library example runs and clusters its blobs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('examples/cluster-my-data.ts runs and finds three equal clusters', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', new URL('../examples/cluster-my-data.ts', import.meta.url).pathname], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /cluster sizes: \[ 200, 200, 200 \]/);
  assert.match(r.stdout, /prediction for the first 6 rows: \[ (\d), (\d), (\d), \1, \2, \3 \]/);
});
