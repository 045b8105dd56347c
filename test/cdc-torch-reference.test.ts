// CDC's fine-tuning objective as the authors' code forms it, against our PyTorch port
// (bench/torch_cdc_authors.py) on one small float64 batch: the values of every term and the
// gradients of L_c + 0.75·L_a + 0.001·[L_cr(z, x) + L_cr(z, x′)] (fixture: test/fixtures/make_cdc_loss_reference.py).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Graph, ParameterStore, add, compileFunction, grad, mul } from '../src/engine/index.ts';
import { affinityLoss, correlationLoss } from '../src/losses/correlation.ts';
import { klDivergence, studentTAssignment } from '../src/losses/clustering.ts';

const ref = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'cdc-loss-reference.json'), 'utf8')) as {
  inputs: Record<'z' | 'x' | 'xr' | 'mu' | 'p', number[][]>;
  values: Record<'lcrX' | 'lcrXr' | 'affinity' | 'clustering' | 'loss', number>;
  grads: Record<'z' | 'xr' | 'mu', number[][]>;
};

test('CDC losses and the fine-tuning objective match the PyTorch port of the authors’ code, values and gradients', async () => {
  const g = new Graph({ dtype: 'float64' });
  const store = new ParameterStore();
  const param = (name: 'z' | 'xr' | 'mu') => {
    const m = ref.inputs[name];
    store.add(name, [m.length, m[0]!.length], Float64Array.from(m.flat()));
    return g.param(name, [m.length, m[0]!.length]);
  };
  const z = param('z');
  const xr = param('xr');
  const mu = param('mu');
  const x = g.constant(Float64Array.from(ref.inputs.x.flat()), [6, 5]);
  const p = g.constant(Float64Array.from(ref.inputs.p.flat()), [6, 4]);
  const q = studentTAssignment(z, mu, 1);
  const lcrX = correlationLoss(z, x);
  const lcrXr = correlationLoss(z, xr);
  const affinity = affinityLoss(q, z);
  const clustering = klDivergence(p, q);
  const loss = add(add(clustering, mul(affinity, 0.75)), mul(add(lcrX, lcrXr), 0.001));
  const [gz, gxr, gmu] = grad(loss, [z, xr, mu]);
  const fn = await compileFunction(g, { outputs: { lcrX, lcrXr, affinity, clustering, loss, gz: gz!, gxr: gxr!, gmu: gmu! }, store, runtime: { threads: 1 } });
  try {
    const r = await fn.run({});
    const val = (k: string) => (r[k]!.data as Float64Array)[0]!;
    for (const k of ['lcrX', 'lcrXr', 'affinity', 'clustering', 'loss'] as const) assert.ok(Math.abs(val(k) - ref.values[k]) <= 1e-9 * Math.max(1, Math.abs(ref.values[k])), `${k}: ${val(k)} vs ${ref.values[k]}`);
    for (const [name, key] of [['z', 'gz'], ['xr', 'gxr'], ['mu', 'gmu']] as const) {
      const want = ref.grads[name].flat();
      const got = Array.from(r[key]!.data as Float64Array);
      const scale = Math.max(...want.map(Math.abs));
      want.forEach((w, i) => assert.ok(Math.abs(got[i]! - w) <= 1e-8 * scale, `d loss / d ${name}[${i}]: ${got[i]} vs ${w}`));
    }
  } finally {
    await fn.dispose();
  }
});
