/**
 * Running the scikit-learn side of a benchmark: Debian's /usr/bin/python3 (which has
 * python3-sklearn) on a script in bench/, with the data passed as a raw binary file.
 * Never a runtime dependency: the suites skip it when it is not importable.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
/** The interpreter with scikit-learn. */
export const PYTHON = '/usr/bin/python3';
/** The scikit-learn version when `PYTHON` can import it, else undefined. */
export function sklearnVersion() {
    if (!existsSync(PYTHON))
        return undefined;
    const r = spawnSync(PYTHON, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : undefined;
}
/** Runs `bench/<script>` with arguments and returns its last stdout line parsed as JSON. */
export function runPython(script, args) {
    const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
    const r = spawnSync(PYTHON, [path, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0)
        throw new Error(`${script} failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`);
    return JSON.parse(r.stdout.trim().split('\n').pop());
}
/** A temporary folder removed by `dispose`. */
export function tempFiles() {
    const dir = mkdtempSync(join(tmpdir(), 'deepclust-bench-'));
    return {
        dir,
        write: (name, data) => {
            const p = join(dir, name);
            writeFileSync(p, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
            return p;
        },
        dispose: () => rmSync(dir, { recursive: true, force: true }),
    };
}
/** Median of a non-empty list. */
export function median(xs) {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** Rounds to `digits` significant decimals for the JSON output. */
export function round(v, digits = 4) {
    return Number(v.toPrecision(digits));
}
//# sourceMappingURL=sklearn.js.map