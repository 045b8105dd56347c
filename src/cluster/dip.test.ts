// Hartigan's dip test: the statistic equals R diptest's on fixed samples, p-values agree with its table.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ParamError } from '../errors.ts';
import { Rng } from '../random.ts';
import { DIP_NULL_MAX_N, dip, dipOfSorted, dipPValue, dipTest } from './dip.ts';

interface RefSample {
  name: string;
  dip: number;
  pValue: number;
  x: number[];
}
// made by `Rscript test/fixtures/make_dip_reference.R` (R 4.2, diptest 0.76)
const ref = JSON.parse(readFileSync(new URL('../../test/fixtures/dip-reference.json', import.meta.url), 'utf8')) as { samples: RefSample[] };

test('dip equals R diptest::dip on every reference sample (uniform, normal, skewed, bi- and trimodal, ties)', () => {
  assert.equal(ref.samples.length, 16);
  for (const s of ref.samples) {
    const d = dip(s.x);
    assert.ok(Math.abs(d - s.dip) <= 1e-12 * s.dip, `${s.name}: ${d} vs R ${s.dip}`);
  }
});

test('dipTest p-values agree with R diptest::dip.test within the simulation error', () => {
  for (const s of ref.samples) {
    const r = dipTest(s.x);
    // 2000 simulated samples per size: standard error ≤ 0.011; R interpolates its own table
    assert.ok(Math.abs(r.pValue - s.pValue) <= 0.035, `${s.name}: p ${r.pValue} vs R ${s.pValue}`);
    assert.equal(r.n, s.x.length);
  }
  // the documented example: the ages of a statistics faculty, D = 0.0595, p = 0.087
  const fac = dipTest(ref.samples.find((s) => s.name === 'statfaculty')!.x);
  assert.ok(fac.pValue > 0.05 && fac.pValue < 0.13, String(fac.pValue));
});

test('dip by its definition: evenly spaced → 1/(2n); two equal point masses → 1/4; bounded by [1/(2n), 1/4]', () => {
  for (const n of [4, 10, 37]) assert.equal(dip(Array.from({ length: n }, (_, i) => i)), 1 / (2 * n));
  // half the mass at 0, half at 1 (slightly spread so the values are distinct): the dip tends to 1/4
  const twoMasses = [...Array.from({ length: 100 }, (_, i) => i * 1e-6), ...Array.from({ length: 100 }, (_, i) => 1 + i * 1e-6)];
  assert.ok(Math.abs(dip(twoMasses) - 0.25) < 0.01, String(dip(twoMasses)));
  const rng = new Rng(3);
  for (let r = 0; r < 20; r++) {
    const n = 4 + rng.int(60);
    const x = Array.from({ length: n }, () => (rng.random() < 0.5 ? rng.normal() : 4 + rng.normal()));
    const d = dip(x);
    assert.ok(d >= 1 / (2 * n) - 1e-15 && d <= 0.25 + 1e-15, `${n}: ${d}`);
    // affine invariance and order independence
    assert.ok(Math.abs(dip(x.map((v) => 3 - 2 * v)) - d) < 1e-12);
    assert.equal(dipOfSorted(Float64Array.from(x).sort()), d);
  }
  assert.equal(dip([5, 5, 5, 5, 5]), 0);
});

test('dipPValue: uniform samples are not rejected, separated modes are; large n uses the limit distribution', () => {
  const rng = new Rng(11);
  const uni = Array.from({ length: 500 }, () => rng.random());
  assert.ok(dipTest(uni).pValue > 0.05);
  const bi = Array.from({ length: 500 }, (_, i) => (i % 2 ? 0 : 3) + rng.normal() * 0.5);
  assert.ok(dipTest(bi).pValue < 0.001);
  // p falls as the dip grows, and is the same at and above the largest simulated size for the same √n·dip
  assert.ok(dipPValue(0.02, 1000) > dipPValue(0.03, 1000));
  const z = 0.9;
  assert.equal(dipPValue(z / Math.sqrt(DIP_NULL_MAX_N), DIP_NULL_MAX_N), dipPValue(z / Math.sqrt(20000), 20000));
  // interpolation between grid sizes is monotone in between
  const p = [1000, 1100, 1200].map((n) => dipPValue(0.8 / Math.sqrt(n), n));
  assert.ok(Math.max(...p) - Math.min(...p) < 0.05, p.join(' '));
});

test('dip test: bad inputs are one-line ParamErrors', () => {
  assert.throws(() => dipTest([1, 2, 3]), (e: Error) => e instanceof ParamError && /at least 4 values, got 3/.test(e.message) && !e.message.includes('\n'));
  assert.throws(() => dip([1, Number.NaN, 2, 3]), (e: Error) => e instanceof ParamError && /finite/.test(e.message));
  assert.throws(() => dipPValue(0.1, 3), (e: Error) => e instanceof ParamError && /integer >= 4/.test(e.message));
  assert.throws(() => dipPValue(-0.1, 10), (e: Error) => e instanceof ParamError && /\[0, 1\]/.test(e.message));
});
