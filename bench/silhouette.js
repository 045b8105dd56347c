/**
 * `deepclust bench silhouette`: the exact silhouette of 70,000 × 10 random points (10 Gaussian
 * blobs, float64, labels = blob) — ours and scikit-learn's `silhouette_score` on the same data in
 * the same invocation, alternating rounds, medians reported; the two values must agree to 1e-6.
 *
 *   deepclust bench silhouette --json
 *   deepclust bench silhouette -o n=20000 -o rounds=1 -o precision=float32 --json
 */
import { silhouetteScore } from "../src/metrics/index.js";
import { Rng } from "../src/random.js";
import { median, round, runPython, sklearnVersion, tempFiles } from "./sklearn.js";
/** Runs the benchmark; the result is printed as the last JSON line. */
export async function runSilhouetteBench(o = {}) {
    const { n = 70000, d = 10, k = 10, rounds = 3, seed = 0, precision = 'float64', log = () => { } } = o;
    const rng = new Rng(seed);
    const centers = Float64Array.from({ length: k * d }, () => rng.normal() * 2);
    const labels = Int32Array.from({ length: n }, () => rng.int(k));
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++)
        for (let t = 0; t < d; t++)
            data[i * d + t] = centers[labels[i] * d + t] + rng.normal();
    const x = { data, rows: n, cols: d };
    const version = o.noSklearn ? undefined : sklearnVersion();
    if (!o.noSklearn && !version)
        log('scikit-learn is not importable from /usr/bin/python3: timing ours only');
    const tmp = tempFiles();
    try {
        const xPath = tmp.write('x.f64', data);
        const yPath = tmp.write('y.i32', labels);
        const ours = [];
        const theirs = [];
        // warm-up: compiles the kernel (not timed, as Python's imports are not)
        await silhouetteScore({ data: data.subarray(0, 200 * d), rows: 200, cols: d }, labels.subarray(0, 200), { precision, threads: o.threads });
        for (let r = 0; r < rounds; r++) {
            const t0 = performance.now();
            const value = await silhouetteScore(x, labels, { precision, threads: o.threads });
            ours.push({ s: (performance.now() - t0) / 1000, value });
            log(`round ${r + 1}/${rounds}: deepclust    ${ours[r].s.toFixed(2)} s, silhouette ${value}`);
            if (version) {
                const res = runPython('sklearn_silhouette.py', ['--data', xPath, '--labels', yPath, '--rows', String(n), '--cols', String(d)]);
                theirs.push({ s: res.seconds, value: res.silhouette });
                log(`round ${r + 1}/${rounds}: scikit-learn ${res.seconds.toFixed(2)} s, silhouette ${res.silhouette}`);
            }
        }
        const oursS = median(ours.map((v) => v.s));
        const sk = theirs.length ? median(theirs.map((v) => v.s)) : null;
        const value = ours[0].value;
        const skValue = theirs.length ? theirs[0].value : null;
        return {
            suite: 'silhouette',
            ours_s: round(oursS),
            sklearn_s: sk === null ? null : round(sk),
            ratio: sk === null ? null : round(oursS / sk, 3),
            ours_silhouette: value,
            sklearn_silhouette: skValue,
            abs_diff: skValue === null ? null : Math.abs(value - skValue),
            within_1e6: skValue === null ? null : Math.abs(value - skValue) <= 1e-6,
            rounds: { ours, sklearn: theirs },
            config: { n, d, k, data: `${k} Gaussian blobs (centres N(0, 4), unit noise), labels = blob, float64, seed ${seed}`, precision, rounds, threads: o.threads ?? 'all cores', sklearn: version ?? null, timing: 'median of alternating rounds; kernel compiled before timing' },
        };
    }
    finally {
        tmp.dispose();
    }
}
//# sourceMappingURL=silhouette.js.map