// The package as a user gets it: `npm pack`, install the tarball into a new project (nothing
// beyond the npm registry, here its local cache), then use it from plain ESM JavaScript (a tiny
// fit), from CommonJS (`require`), from the command line through npx, and from a strict
// TypeScript project (module nodenext, skipLibCheck off). Needs dist/ (npm test builds it first).
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'deepclust-consumer-'));
const app = join(dir, 'app');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
const locked = (name: string) => lock.packages[`node_modules/${name}`]!.version;

/** The environment of a user's shell: none of the npm_* variables `npm test` sets for us. */
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
  ONNXRUNTIME_NODE_INSTALL: 'skip', // the one documented setting for an offline install (docs/install.md)
  NO_COLOR: '1',
};

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 240_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

let files: string[] = [];
let tarball = '';

before(() => {
  if (!existsSync(join(root, 'dist', 'index.js'))) run(process.execPath, [join(root, 'scripts', 'build.mjs')], root);
  // --ignore-scripts: dist/ is already built (prepare would build it again)
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root).stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(dir, packed[0]!.filename);
  files = packed[0]!.files.map((f) => f.path);
  // a new project; the overrides keep deepclust's dependencies at the versions of our lock
  // file, which the npm cache holds after `npm ci`
  const overrides = Object.fromEntries(Object.keys(pkg.dependencies).map((d) => [d, locked(d)]));
  run('mkdir', ['-p', app], dir);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', overrides }, null, 2));
  const t0 = performance.now();
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, `@types/node@${locked('@types/node')}`], app);
  process.stderr.write(`consumer: ${files.length} files packed; npm install took ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('the tarball holds the compiled package only: ≤ 150 files, no sources, tests, bench files or Python', () => {
  assert.ok(files.length <= 150, `${files.length} files in the tarball`);
  for (const f of ['package.json', 'README.md', 'bin/deepclust.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/worker/fit-worker.js']) assert.ok(files.includes(f), `${f} missing`);
  const unwanted = files.filter((f) => /(^|\/)(test|bench|src|\.ci|scripts)\/|\.test\.|\.py$|\.ts$/.test(f) && !f.endsWith('.d.ts'));
  assert.deepEqual(unwanted, []);
});

test('plain ESM JavaScript: import the package and fit a tiny data set, in this thread and in a worker', () => {
  writeFileSync(
    join(app, 'fit.mjs'),
    `import { DeepClustering, fitInWorker, metrics } from 'deepclust';
const n = 60, d = 8, x = new Float32Array(n * d), truth = [];
for (let i = 0; i < n; i++) { truth.push(i % 3); for (let j = 0; j < d; j++) x[i * d + j] = (i % 3 === j % 3 ? 1 : 0) + 0.05 * Math.sin(7 * i + 3 * j); }
const options = { method: 'dec', nClusters: 3, seed: 0, overrides: { architecture: { hidden: [16], embeddingDim: 3 }, pretrain: { epochs: 5, batchSize: 16 }, train: { maxIter: 20, batchSize: 16 } } };
const fitted = await new DeepClustering(options).fit({ data: x, rows: n, cols: d });
const inWorker = await fitInWorker(options, { data: x, rows: n, cols: d });
console.log(JSON.stringify({ n: fitted.labels.length, nmi: metrics.normalizedMutualInfoScore(truth, Array.from(fitted.labels)), sameInWorker: Array.from(inWorker.labels).join() === Array.from(fitted.labels).join() }));
`,
  );
  const out = JSON.parse(run(process.execPath, ['fit.mjs'], app).stdout.trim().split('\n').at(-1)!) as { n: number; nmi: number; sameInWorker: boolean };
  assert.equal(out.n, 60);
  assert.ok(out.sameInWorker, 'fitInWorker (dist/worker/fit-worker.js) gives the same labels');
  assert.ok(out.nmi > 0.5, `NMI ${out.nmi} on three separated blobs`);
});

test('one copy of shared code: an error thrown from a sub-path is an instance of the main entry\'s error class', () => {
  // the build bundles each entry point with shared chunks; a duplicated errors module would fail this silently
  writeFileSync(
    join(app, 'errors.mjs'),
    `import { ParamError } from 'deepclust';
import { KMeans } from 'deepclust/cluster';
const err = await Promise.resolve().then(() => new KMeans({ nClusters: 5 }).fit({ data: new Float32Array(4), rows: 2, cols: 2 })).catch((e) => e);
console.log(err instanceof ParamError);
`,
  );
  assert.equal(run(process.execPath, ['errors.mjs'], app).stdout.trim(), 'true');
});

test('CommonJS: require() of the package and of a subpath', () => {
  writeFileSync(join(app, 'req.cjs'), `const dc = require('deepclust'); const { KMeans } = require('deepclust/cluster');\nconsole.log([typeof dc.DeepClustering, typeof dc.ParamError, typeof KMeans].join(' '));\n`);
  assert.equal(run(process.execPath, ['req.cjs'], app).stdout.trim(), 'function function function');
});

test('the command line through npx: --version and --help', () => {
  assert.equal(run('npx', ['--no', '--', 'deepclust', '--version'], app).stdout.trim(), pkg.version);
  const help = run('npx', ['--no', '--', 'deepclust', '--help'], app).stdout;
  assert.match(help, /Usage: deepclust \[options\] \[command\]/);
  assert.match(help, /fit \[options\] +train a deep clustering method/);
  assert.match(run('npx', ['--no', '--', 'deepclust', 'describe', 'dec'], app).stdout, /name: dec/);
});

test('a strict TypeScript consumer (module nodenext, skipLibCheck off) type-checks', () => {
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true }, files: ['consumer.ts'] }),
  );
  writeFileSync(
    join(app, 'consumer.ts'),
    `import { DeepClustering, ParamError, engine, metrics, type DeepClusteringOptions, type Matrix } from 'deepclust';
import { KMeans } from 'deepclust/cluster';
import { normalizedMutualInfoScore } from 'deepclust/metrics';
import { loadDataset, type Dataset } from 'deepclust/data';
import { Graph, type DType } from 'deepclust/engine';
import * as nn from 'deepclust/nn';

const options: DeepClusteringOptions = { method: 'idec', nClusters: 3, seed: 0 };
const x: Matrix = { data: new Float32Array(12), rows: 4, cols: 3 };
const dtype: DType = 'float32';
const sameDtype: engine.DType = dtype;
const graphs: Array<engine.Graph | Graph> = [];
export async function run(): Promise<number> {
  const fitted = await new DeepClustering(options).fit(x);
  const ds: Dataset = await loadDataset('blobs.csv');
  void ds; void nn; void graphs; void sameDtype; void new KMeans({ nClusters: 2 });
  const err: Error = new ParamError('bad option');
  void err;
  return normalizedMutualInfoScore([0, 1], Array.from(fitted.labels)) + metrics.adjustedRandScore([0, 1], [1, 0]);
}
`,
  );
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: app, env, encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc found errors:\n${r.stdout}${r.stderr}`);
});
