/**
 * `deepclust bench kmeans`: k-means, k = 10, nInit = 10 (k-means++), on MNIST test (10,000 × 784,
 * pixels/255, float32) — ours and scikit-learn's `KMeans` on the same array in the same invocation,
 * alternating rounds (seed = seed + round for both), medians reported.
 *
 *   deepclust bench kmeans --json
 *   deepclust bench kmeans -o rounds=5 -o threads=2 -o data=mnist:test -o data-dir=../shared/data --json
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KMeans } from "../src/cluster/index.js";
import { loadDataset } from "../src/data/index.js";
import { median, round, runPython, sklearnVersion, tempFiles } from "./sklearn.js";
/** Runs the benchmark; the result is printed as the last JSON line. */
export async function runKMeansBench(o = {}) {
    const { k = 10, nInit = 10, rounds = 3, seed = 0, log = () => { } } = o;
    const dataDir = o.dataDir ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '../../shared/data');
    const ds = await loadDataset(o.data ?? 'mnist:test', { dataDir });
    const x = ds.x;
    const version = o.noSklearn ? undefined : sklearnVersion();
    if (!o.noSklearn && !version)
        log('scikit-learn is not importable from /usr/bin/python3: timing ours only');
    const tmp = tempFiles();
    try {
        const raw = tmp.write('x.f32', x.data instanceof Float32Array ? x.data : Float32Array.from(x.data));
        const ours = [];
        const theirs = [];
        // warm-up: compiles the kernels once (not timed, as Python's imports are not)
        await new KMeans({ nClusters: k, nInit: 1, maxIter: 2, seed, threads: o.threads }).fit(x);
        for (let r = 0; r < rounds; r++) {
            const t0 = performance.now();
            const km = await new KMeans({ nClusters: k, nInit, seed: seed + r, threads: o.threads }).fit(x);
            ours.push({ s: (performance.now() - t0) / 1000, inertia: km.inertia, nIter: km.nIter });
            log(`round ${r + 1}/${rounds}: deepclust    ${ours[r].s.toFixed(2)} s, inertia ${km.inertia.toFixed(1)}`);
            if (version) {
                const res = runPython('sklearn_kmeans.py', [
                    '--data', raw, '--rows', String(x.rows), '--cols', String(x.cols), '--dtype', 'float32', '--k', String(k), '--n-init', String(nInit), '--seed', String(seed + r),
                ]);
                theirs.push({ s: res.seconds, inertia: res.inertia, nIter: res.n_iter });
                log(`round ${r + 1}/${rounds}: scikit-learn ${res.seconds.toFixed(2)} s, inertia ${res.inertia.toFixed(1)}`);
            }
        }
        const oursS = median(ours.map((v) => v.s));
        const sk = theirs.length ? median(theirs.map((v) => v.s)) : null;
        const oursInertia = Math.min(...ours.map((v) => v.inertia));
        const skInertia = theirs.length ? Math.min(...theirs.map((v) => v.inertia)) : null;
        return {
            suite: 'kmeans',
            ours_s: round(oursS),
            sklearn_s: sk === null ? null : round(sk),
            ratio: sk === null ? null : round(oursS / sk, 3),
            ours_inertia: round(oursInertia, 9),
            sklearn_inertia: skInertia === null ? null : round(skInertia, 9),
            inertia_rel_diff: skInertia === null ? null : round((oursInertia - skInertia) / skInertia, 3),
            rounds: { ours, sklearn: theirs },
            config: { data: ds.name, n: x.rows, d: x.cols, dtype: 'float32', k, nInit, init: 'k-means++', rounds, seed, threads: o.threads ?? 'all cores', sklearn: version ?? null, timing: 'median of alternating rounds; kernels compiled before timing' },
        };
    }
    finally {
        tmp.dispose();
    }
}
//# sourceMappingURL=kmeans.js.map