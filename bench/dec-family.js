/**
 * `deepclust bench dec-family`: the IDEC paper's protocol on a data set — one autoencoder
 * pretrained per seed and shared, as the papers do, by AE+k-means, DEC and IDEC — with every metric
 * per (method, seed) written to bench/results/ and a mean over seeds.
 *
 *   deepclust bench dec-family -o data=mnist -o data-dir=../shared/data -o seeds=0,1,2 --json
 *
 * The data are preprocessed as the presets' papers did (MNIST: ×0.02, as the DEC and IDEC code);
 * `-o preprocess=<steps>` replaces that (e.g. `scale255`), and its records get the steps in their file names.
 * `-o cache=DIR` keeps each seed's pretrained autoencoder, so a rerun after an interruption skips it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from "../src/data/index.js";
import { clusterAccuracy, adjustedRandScore, normalizedMutualInfoScore } from "../src/metrics/index.js";
import { DeepClustering, methodPreprocessing } from "../src/methods/deep-clustering.js";
/** Runs the protocol; returns per-run records and means. */
export async function runDecFamily(o) {
    const preprocess = methodPreprocessing('ae-kmeans', o.data, o.preprocess);
    const ds = await loadDataset(o.data, { dataDir: o.dataDir, preprocess });
    // records of a non-default preprocessing get their own file names, so both can be kept
    const tag = o.preprocess ? `-${o.preprocess.join('+')}` : '';
    if (!ds.labels)
        throw new Error('dec-family needs a labelled data set');
    const k = new Set(ds.labels).size;
    const methods = o.methods ?? ['ae-kmeans', 'dec', 'idec'];
    const records = [];
    const resultsDir = o.resultsDir ?? join(import.meta.dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    for (const seed of o.seeds) {
        const over = (m) => ({
            ...(o.pretrainEpochs !== undefined ? { pretrain: { epochs: o.pretrainEpochs } } : {}),
            ...(o.maxIter !== undefined && m !== 'ae-kmeans' ? { train: { maxIter: o.maxIter } } : {}),
        });
        const runtime = { threads: o.threads };
        const ae = await new DeepClustering({ method: 'ae-kmeans', nClusters: k, seed, overrides: over('ae-kmeans'), runtime, pretrainCache: o.pretrainCache }).fit(ds.x, {
            onProgress: (e) => e.phase === 'pretrain' && e.done % 10 === 0 && o.log(`seed ${seed} pretrain ${e.done}/${e.total} ${JSON.stringify(e.losses)}`),
        });
        const pretrained = ae.pretrainedParameters;
        for (const method of methods) {
            const fitted = method === 'ae-kmeans'
                ? ae
                : await new DeepClustering({ method, nClusters: k, seed, overrides: over(method), runtime }).fit(ds.x, {
                    pretrained,
                    onProgress: (e) => e.phase === 'cluster' && e.done % 1400 === 0 && o.log(`seed ${seed} ${method} iter ${e.done} changed ${e.labelChange}`),
                });
            const rec = {
                suite: 'dec-family',
                data: ds.name,
                n: ds.x.rows,
                method,
                seed,
                acc: clusterAccuracy(ds.labels, fitted.labels).accuracy,
                nmi: normalizedMutualInfoScore(ds.labels, fitted.labels),
                ari: adjustedRandScore(ds.labels, fitted.labels),
                iterations: fitted.iterations,
                stoppedBy: fitted.stoppedBy,
                timings: method === 'ae-kmeans' ? ae.timings : { ...fitted.timings, pretrain: ae.timings.pretrain },
                preprocessing: ds.preprocessing,
                pretrainEpochs: fitted.method.pretrain?.epochs,
                maxIter: fitted.method.train?.maxIter ?? null,
                threads: o.threads ?? null,
                date: new Date().toISOString(),
            };
            o.log(`seed ${seed} ${method}: ACC ${rec.acc.toFixed(4)} NMI ${rec.nmi.toFixed(4)} ARI ${rec.ari.toFixed(4)}`);
            records.push(rec);
            writeFileSync(join(resultsDir, `dec-family-${ds.name.replace(/[^\w-]+/g, '_')}${tag}-${method}-seed${seed}.json`), `${JSON.stringify(rec, null, 2)}\n`);
        }
    }
    const summary = {};
    for (const m of methods) {
        const rs = records.filter((r) => r.method === m);
        const mean = (key) => rs.reduce((a, r) => a + r[key], 0) / rs.length;
        summary[m] = { acc: mean('acc'), nmi: mean('nmi'), ari: mean('ari'), seeds: rs.length };
    }
    return { data: ds.name, preprocessing: ds.preprocessing, seeds: o.seeds, summary, records };
}
//# sourceMappingURL=dec-family.js.map