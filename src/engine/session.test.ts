import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { ParamError } from '../errors.ts';
import { machineIsIdle, resolveRuntime } from './session.ts';

test("spinning 'auto' (the default) follows the load average; explicit values are kept", () => {
  const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const idle = machineIsIdle();
  assert.equal(idle, os.loadavg()[0]! < 1.5 * cores);
  assert.equal(resolveRuntime({}).spinning, idle);
  assert.equal(resolveRuntime({ spinning: 'auto' }).spinning, idle);
  assert.equal(resolveRuntime({ spinning: true }).spinning, true);
  assert.equal(resolveRuntime({ spinning: false }).spinning, false);
});

test('a bad spinning value is a ParamError naming the choices', () => {
  assert.throws(() => resolveRuntime({ spinning: 'yes' as unknown as boolean }), (e: Error) => e instanceof ParamError && /true, false or 'auto'/.test(e.message));
});
