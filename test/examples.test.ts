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

test('examples/fit-in-worker.ts trains in a worker while the event loop runs, and predicts on the main thread', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', new URL('../examples/fit-in-worker.ts', import.meta.url).pathname], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /iteration \d+: /);
  const beats = Number(/the event loop ran (\d+) heartbeats/.exec(r.stdout)?.[1]);
  assert.ok(beats >= 10, r.stdout);
  assert.match(r.stdout, /cluster sizes: \[ 200, 200, 200 \]/);
  assert.match(r.stdout, /prediction for the first 6 rows: \[ (\d), (\d), (\d), \1, \2, \3 \]/);
});
