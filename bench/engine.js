/**
 * `deepclust bench engine`: training throughput of the reference autoencoder
 * (784-500-500-2000-10-2000-500-500-784, ReLU, batch 256, Adam 1e-3, data U[0,1], MSE) on our
 * engine, and on PyTorch in the same invocation when Debian's python3 has torch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Graph, adam, compileTrainingStep, ortVersion, reduceMean, square, sub } from "../src/engine/index.js";
import { MlpAutoencoder } from "../src/nn/mlp-autoencoder.js";
import { Rng } from "../src/random.js";
const DIMS = [784, 500, 500, 2000, 10];
const PYTHON = '/usr/bin/python3';
function median(xs) {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** Runs the benchmark (see module comment). */
export async function runEngineBench(options = {}) {
    const { steps = 64, stepsPerRun = 16, batch = 256, threads = 2, rounds = 3, noTorch = false, log = () => { } } = options;
    const runs = Math.ceil(steps / stepsPerRun);
    const ae = new MlpAutoencoder({ inputDim: 784, hidden: DIMS.slice(1, -1), embeddingDim: 10 });
    const store = ae.initParameters(0);
    const g = new Graph();
    const x = g.input('x', ['batch', 784]);
    const { output } = ae.decode(g, ae.encode(g, x).code);
    const loss = reduceMean(square(sub(output, x)));
    const step = await compileTrainingStep({ graph: g, loss, optimizer: adam({ lr: 1e-3 }), store, runtime: { threads } });
    const rng = new Rng(1);
    const data = new Float32Array(stepsPerRun * batch * 784);
    for (let i = 0; i < data.length; i++)
        data[i] = rng.random();
    const torchOk = !noTorch && existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
    const script = fileURLToPath(new URL('./torch_engine.py', import.meta.url));
    const ours = [];
    const theirs = [];
    await step.run({ x: data }, { steps: stepsPerRun }); // warm-up
    for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        for (let i = 0; i < runs; i++)
            await step.run({ x: data }, { steps: stepsPerRun });
        const sps = (runs * stepsPerRun * batch) / ((performance.now() - t0) / 1000);
        ours.push(sps);
        log(`round ${r + 1}/${rounds}: deepclust ${sps.toFixed(0)} samples/s`);
        if (torchOk) {
            const res = spawnSync(PYTHON, [script, '--steps', String(runs * stepsPerRun), '--batch', String(batch), '--threads', String(threads)], {
                env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: String(threads) },
                encoding: 'utf8',
            });
            if (res.status !== 0)
                throw new Error(`PyTorch benchmark failed: ${res.stderr}`);
            const t = JSON.parse(res.stdout.trim().split('\n').pop());
            theirs.push(t.samples_per_s);
            log(`round ${r + 1}/${rounds}: pytorch   ${t.samples_per_s.toFixed(0)} samples/s`);
        }
    }
    await step.dispose();
    const d = median(ours);
    const p = theirs.length ? median(theirs) : null;
    return {
        deepclust_samples_per_s: Math.round(d),
        pytorch_samples_per_s: p === null ? null : Math.round(p),
        ratio: p === null ? null : Math.round((d / p) * 1000) / 1000,
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
        rounds: { deepclust: ours.map(Math.round), pytorch: theirs.map(Math.round) },
        config: { dims: [...DIMS, ...DIMS.slice(0, -1).reverse()], batch, optimizer: 'adam(lr=1e-3)', threads, stepsPerRun, timedStepsPerRound: runs * stepsPerRun, onnxruntime: ortVersion() },
    };
}
//# sourceMappingURL=engine.js.map