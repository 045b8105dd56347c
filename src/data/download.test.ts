// Downloads against a local HTTP server on 127.0.0.1 serving small fixtures (never a real remote host).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { DataError } from '../errors.ts';
import { eslText, tempDir } from './_test/fixtures.ts';
import { encodeIdx } from './idx.ts';
import { DownloadError, type DownloadProgress, downloadFile, loadDataset } from './index.ts';

const dir = tempDir();
const files: Record<string, Uint8Array> = {
  'ok.bin': Buffer.alloc(200_000, 7),
  'zip.train.gz': gzipSync(eslText(8)),
  'zip.test.gz': gzipSync(eslText(3)),
  'train-images-idx3-ubyte.gz': gzipSync(encodeIdx([2, 28, 28], new Uint8Array(1568))),
  'gzip.zip': zipSync({
    'gzip/emnist-digits-test-images-idx3-ubyte.gz': gzipSync(encodeIdx([3, 28, 28], new Uint8Array(3 * 784).fill(9))),
    'gzip/emnist-digits-test-labels-idx1-ubyte.gz': gzipSync(encodeIdx([3], new Uint8Array([4, 5, 6]))),
    'gzip/other.txt': Buffer.from('not needed'),
  }),
};
const hits: string[] = [];
let server: Server;
let base = '';
let closedPort = 0;

before(async () => {
  server = createServer((req, res) => {
    const name = req.url!.replace(/^\/+/, '');
    hits.push(name);
    if (name === 'truncated.bin') {
      res.writeHead(200, { 'content-length': '1000' });
      res.write(Buffer.alloc(400));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    if (name === 'silent.bin') return; // never answers
    const body = files[name];
    if (!body) {
      res.writeHead(404, 'Not Found').end();
      return;
    }
    res.writeHead(200, { 'content-length': String(body.length), 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const isDl = (re: RegExp) => (e: unknown) => e instanceof DownloadError && e instanceof DataError && re.test((e as Error).message);

test('downloadFile: streams to the destination, verifies sha256, reports progress', async () => {
  const events: DownloadProgress[] = [];
  const dest = join(dir, 'a', 'ok.bin');
  const r = await downloadFile(`${base}/ok.bin`, dest, { sha256: sha(files['ok.bin']!), onProgress: (p) => events.push(p) });
  assert.deepEqual([r.bytes, r.sha256], [200_000, sha(files['ok.bin']!)]);
  assert.deepEqual(readFileSync(dest), Buffer.from(files['ok.bin']!));
  assert.ok(events.length >= 2, `${events.length} progress events`);
  assert.deepEqual([events.at(-1)!.done, events.at(-1)!.received, events.at(-1)!.total], [true, 200_000, 200_000]);
  assert.ok(events.slice(0, -1).every((e) => !e.done && e.received <= 200_000));
});

test('downloadFile failures leave no file: sha256 mismatch, HTTP 404, truncated body, refused connection, silence', async () => {
  const d = join(dir, 'b');
  await assert.rejects(downloadFile(`${base}/ok.bin`, join(d, 'x.bin'), { sha256: '0'.repeat(64) }), isDl(/is corrupt: sha256 [0-9a-f]{64}, expected 0{64}/));
  await assert.rejects(downloadFile(`${base}/missing.bin`, join(d, 'y.bin')), isDl(/cannot download http:\/\/127\.0\.0\.1:\d+\/missing\.bin: HTTP 404 Not Found/));
  await assert.rejects(downloadFile(`${base}/truncated.bin`, join(d, 'z.bin')), isDl(/broke off after 400 bytes|incomplete: 400 of 1000 bytes/));
  await assert.rejects(downloadFile(`http://127.0.0.1:${closedPort}/x.bin`, join(d, 'w.bin')), isDl(/ECONNREFUSED/));
  await assert.rejects(downloadFile(`${base}/silent.bin`, join(d, 'v.bin'), { idleTimeoutMs: 150 }), isDl(/timed out/));
  assert.deepEqual(existsSync(d) ? readdirSync(d) : [], []);
});

test('a missing named data set is downloaded into the cache (mirror = local server), then read from the cache', async () => {
  const cache = join(dir, 'cache');
  const progress: string[] = [];
  const ds = await loadDataset('usps', { dataDir: join(dir, 'nowhere'), cacheDir: cache, mirror: base, download: true, onProgress: (p) => p.done && progress.push(p.file) });
  assert.deepEqual([ds.x.rows, ds.x.cols], [11, 256]);
  assert.deepEqual(progress, ['zip.train.gz', 'zip.test.gz']);
  assert.deepEqual(readdirSync(join(cache, 'usps')).sort(), ['zip.test.gz', 'zip.train.gz']);
  const n = hits.length;
  const again = await loadDataset('usps:test', { cacheDir: cache, mirror: base, download: true });
  assert.equal(again.x.rows, 3);
  assert.equal(hits.length, n, 'served from the cache');
});

test('known checksums are enforced: a wrong MNIST file is refused and nothing is kept', async () => {
  const cache = join(dir, 'cache2');
  const err = await loadDataset('mnist:train', { cacheDir: cache, mirror: base, download: true }).catch((e: unknown) => e);
  assert.ok(err instanceof DataError);
  assert.match((err as Error).message, /data set 'mnist:train' not found: place train-images-idx3-ubyte\.gz, train-labels-idx1-ubyte\.gz in one of: .*Downloading failed: download of http:\/\/127\.0\.0\.1:\d+\/train-images-idx3-ubyte\.gz is corrupt: sha256 [0-9a-f]+, expected 440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609/);
  assert.deepEqual(existsSync(join(cache, 'mnist')) ? readdirSync(join(cache, 'mnist')) : [], []);
  const off = await loadDataset('mnist:train', { cacheDir: cache, mirror: `http://127.0.0.1:${closedPort}`, download: true }).catch((e: unknown) => e);
  assert.match((off as Error).message, /Downloading failed: cannot download .*ECONNREFUSED/);
});

test('EMNIST: the archive is downloaded once and only the needed members are extracted', async () => {
  const cache = join(dir, 'cache3');
  const ds = await loadDataset('emnist-digits:test', { cacheDir: cache, mirror: base, download: true, preprocess: 'none' });
  assert.deepEqual([ds.x.rows, ...ds.labels!, ds.x.data[0]], [3, 4, 5, 6, 9]);
  assert.deepEqual(readdirSync(join(cache, 'emnist')).sort(), ['emnist-digits-test-images-idx3-ubyte.gz', 'emnist-digits-test-labels-idx1-ubyte.gz', 'gzip.zip']);
});
