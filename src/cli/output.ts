/**
 * Output conventions shared by every command: `--json` prints one JSON object as the last
 * stdout line; human text goes to stderr when --json is on so stdout stays machine-readable.
 */

/** Prints the result object as a single JSON line on stdout. */
export function printJson(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result, jsonReplacer)}\n`);
}

/** JSON replacer that writes typed arrays as plain arrays and non-finite numbers as null. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** True when colours and live progress should be shown (stderr is a terminal, NO_COLOR unset). */
export function isInteractive(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
}

/** Writes a human-readable line to stderr unless quiet. */
export function info(message: string, quiet = false): void {
  if (!quiet) process.stderr.write(`${message}\n`);
}
