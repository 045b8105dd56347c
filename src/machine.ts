/**
 * A one-line description of the machine a measurement ran on, for records that are compared
 * across machines (speeds differ 2–3× between them).
 */
import { arch, cpus } from 'node:os';

/** Cores, architecture and CPU model, e.g. `2-core x64, AMD EPYC 7B13`. */
export function machineDescription(): string {
  const c = cpus();
  return `${c.length}-core ${arch()}, ${c[0]?.model.trim() ?? 'unknown CPU'}`;
}
