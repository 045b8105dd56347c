#!/usr/bin/env node
// `npm run bench:startup [-- runs]`: start-up time of the CLI. Runs `node bin/deepclust.js --help`,
// `… --version` and a bare `node -e 0` alternately (default 15 times each), prints the medians
// (wall clock, and CPU time on Linux) and the ratio to bare node as one JSON line, and writes it (with commit, date, machine and load)
// to bench/results/startup-<commit>.json. Needs dist/ (`npm run build`).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 15);
const bin = join(root, 'bin', 'deepclust.js');
const cases = { help: [bin, '--help'], version: [bin, '--version'], bareNode: ['-e', '0'] };
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const cpu = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
/** CPU seconds (user + system) of the waited-for children so far, on Linux; wall time is noisy on a loaded machine. */
const childCpu = () => {
  if (!existsSync('/proc/self/stat')) return undefined;
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(f[13]) + Number(f[14])) / 100; // cutime + cstime, in clock ticks (100 per second)
};
const load = loadavg()[0];
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const c0 = childCpu();
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    const seconds = (performance.now() - t0) / 1000;
    if (c0 !== undefined) cpu[name].push(childCpu() - c0);
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
    times[name].push(seconds);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x) => Math.round(x * 1000) / 1000;
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
} catch {
  // not a git checkout
}
const record = {
  suite: 'startup',
  command: 'node bin/deepclust.js --help',
  runs,
  medianSeconds: { help: round(median(times.help)), version: round(median(times.version)), bareNode: round(median(times.bareNode)) },
  helpOverBareNode: round(median(times.help) / median(times.bareNode)),
  medianCpuSeconds: cpu.help.length ? { help: round(median(cpu.help)), version: round(median(cpu.version)), bareNode: round(median(cpu.bareNode)) } : null,
  commit,
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, loadAverage1m: { before: round(load), after: round(loadavg()[0]) } },
};
writeFileSync(join(root, 'bench', 'results', `startup-${commit}.json`), `${JSON.stringify(record, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(record)}\n`);
