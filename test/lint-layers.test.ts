// The layer rule (eslint/layers.js) and the cycle check (eslint/cycles.js) on made-up imports and
// graphs, so that a broken rule cannot pass `npm run lint` silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
// plain JavaScript modules (ESLint loads them without a build step)
const layers = (await import(`${root}eslint/layers.js`)) as { checkImport(from: string, spec: string): string | undefined; layerOf(path: string): string | undefined };
const cyclesMod = (await import(`${root}eslint/cycles.js`)) as { cycleReport(root: string): string[] };

test('layers: the engine imports nothing of deepclust but the base files, and only session.ts imports onnxruntime-node', () => {
  const { checkImport } = layers;
  assert.equal(checkImport('src/engine/ops/shape.ts', '../../errors.ts'), undefined);
  assert.equal(checkImport('src/engine/graph.ts', './ops/index.ts'), undefined);
  assert.match(checkImport('src/engine/runner.ts', '../nn/layers.ts')!, /src\/engine may not import src\/nn/);
  assert.match(checkImport('src/engine/runner.ts', '../methods/config.ts')!, /may not import src\/methods/);
  assert.equal(checkImport('src/engine/session.ts', 'onnxruntime-node'), undefined);
  assert.match(checkImport('src/engine/runner.ts', 'onnxruntime-node')!, /only src\/engine\/session\.ts may import 'onnxruntime-node'/);
  assert.match(checkImport('src/methods/deep-clustering.ts', 'onnxruntime-node')!, /onnxruntime-node/);
  assert.equal(checkImport('src/engine/persistence.test.ts', 'onnxruntime-node'), undefined, 'tests may check files with plain onnxruntime');
  assert.match(checkImport('src/errors.ts', './random.ts')!, /may not import/, 'base files import nothing');
});

test('layers: the library sits below the front ends, bench below the CLI', () => {
  const { checkImport } = layers;
  assert.equal(checkImport('src/methods/deep-clustering.ts', '../engine/index.ts'), undefined);
  assert.equal(checkImport('src/metrics/internal.ts', '../cluster/shared.ts'), undefined);
  assert.match(checkImport('src/cluster/kmeans.ts', '../metrics/index.ts')!, /src\/cluster may not import src\/metrics/);
  assert.match(checkImport('src/data/load.ts', '../methods/config.ts')!, /may not import/);
  assert.match(checkImport('src/methods/config.ts', '../cli/output.ts')!, /may not import src\/cli/);
  assert.match(checkImport('src/report/index.ts', '../reproduce/index.ts')!, /may not import src\/reproduce/);
  assert.equal(checkImport('src/cli/commands/bench.ts', '../../../bench/suites.ts'), undefined);
  assert.match(checkImport('bench/method.ts', '../src/cli/commands/fit.ts')!, /bench may not import src\/cli/);
  assert.equal(checkImport('src/cluster/kmeans.test.ts', '../metrics/index.ts'), undefined, 'tests may import any layer');
  assert.match(checkImport('src/newfolder/x.ts', '../errors.ts')!, /in no layer; add its folder to LAYERS/);
});

test('layers: a _-prefixed file or folder is private to the folder that holds it', () => {
  const { checkImport } = layers;
  assert.equal(checkImport('src/cluster/kmeans.ts', './_internal/lloyd.ts'), undefined);
  assert.equal(checkImport('src/cluster/_internal/lloyd.ts', './validate.ts'), undefined);
  assert.equal(checkImport('src/data/csv.test.ts', './_test/fixtures.ts'), undefined);
  assert.match(checkImport('src/metrics/internal.ts', '../cluster/_internal/validate.ts')!, /'src\/cluster\/_internal\/validate\.ts' is private to src\/cluster\//);
  assert.match(checkImport('src/report/data.ts', '../methods/_compose.ts')!, /private to src\/methods\//);
  assert.match(checkImport('test/x.test.ts', '../src/methods/_compose.ts')!, /private/, 'tests too');
});

test('cycles: every import on a cycle is reported with the loop, type-only and dynamic imports included', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
  const files: Record<string, string> = {
    'src/a.ts': "import { b } from './b.ts';\nexport const a = 1;\n",
    'src/b.ts': "import type { C } from './c.ts';\nexport const b = 2;\n",
    'src/c.ts': "export type C = number;\nexport const c = async () => (await import('./a.ts')).a;\n",
    'src/d.ts': "import { a } from './a.ts';\n",
    'src/e.ts': "// import { d } from './d.ts' in a comment is no import\nexport const e = 'import x from \"./d.ts\"';\n",
  };
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  const lines = cyclesMod.cycleReport(dir);
  assert.deepEqual(lines, [
    'src/a.ts:1: import cycle: src/a.ts → src/b.ts → src/c.ts → src/a.ts',
    'src/b.ts:1: import cycle: src/b.ts → src/c.ts → src/a.ts → src/b.ts',
    'src/c.ts:2: import cycle: src/c.ts → src/a.ts → src/b.ts → src/c.ts',
  ]);
  writeFileSync(join(dir, 'src/b.ts'), 'export const b = 2;\n');
  assert.deepEqual(cyclesMod.cycleReport(dir), []);
});

test('cycles: the repository has none outside src/methods (being redesigned; see the lint report)', () => {
  const r = spawnSync(process.execPath, [`${root}eslint/cycles.js`], { encoding: 'utf8' });
  const outside = r.stderr.split('\n').filter((l) => /import cycle/.test(l) && !l.startsWith('src/methods/'));
  assert.deepEqual(outside, []);
});
