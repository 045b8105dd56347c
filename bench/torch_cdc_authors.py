#!/usr/bin/env python3
"""PyTorch port of CDC as the authors' released Keras code runs it (issue 24).

Source read (not copied): github.com/fict-labs/Deep-Clustering-CDC, our_HDC.py + data_cdc.py.
This script re-writes, in PyTorch, what that code does on Fashion-MNIST (`dataset_name = 'fmnist'`):

  data      all 70,000 images (train + test) / 255, flat rows of 784 (`--subset`, `--limit` for less)
  network   784-500-500-2000-10, ReLU, linear code and output; Fashion-MNIST init VarianceScaling
            (1/3, fan-in, uniform) = U(-1/sqrt(fan_in), 1/sqrt(fan_in)), zero biases (`--init glorot`: the
            code's default for other data sets)
  scores    S(A)_ij = (1 + |a_i - a_j|^2)^-1 normalised per ROW, the pair (i, i) included, clipped
            to [1e-10, 1] (`ae_make_t_students`); T(S) = DEC's target distribution of S (squared,
            divided by column sums, rows normalised)
  L_cr      at the code: KL(T(S(z)) || S(x)); at the output: KL(T(S(z)) || S(x')); Keras KL per row
            (both sides clipped to [1e-7, 1]), mean over rows; gradients through both sides
  L_a       KL(T(S(q)) || S(z)), the same way
  pretrain  Keras fit: MSE (mean over features and batch) + corr_wt [L_cr(z,x) + L_cr(z,x')],
            corr_wt 0.001, batch 64 reshuffled every epoch (last partial batch kept), Fashion-MNIST:
            SGD lr 0.1 momentum 0.9, 100 epochs (`--pretrain-opt adam`: Keras Adam 1e-3, the default)
  finetune  k-means (20 inits) on the code gives the centres; every h = 100 iterations Q of all
            rows and P = Q^2/f normalised; the loss is ONE objective for encoder, decoder and centres:
            KL(P||Q) (Keras kld, batch mean) + aff_wt L_a + reg_wt [L_cr(z,x) + L_cr(z,x')], aff_wt 0.75,
            reg_wt 0.001, no reconstruction; SGD lr 0.01 momentum 0.9; batch 64, the first pass in
            data order, then reshuffled each pass; 5,000 iterations
  reported  "AE accuracy" = ACC of argmax Q at iteration 0 (= k-means on the pretrained code);
            "cluster accuracy" = ACC at the last refresh (iteration 4,900 with h = 100); also the
            ACC after the last iteration

Switches for diagnosis: `--no-corr-pretrain` (the AE + L_r row), `--aff-wt 0 --reg-wt 0` (L_c only).

Usage (Debian's python3-torch and python3-sklearn):
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_cdc_authors.py --data ../shared/data/fashion-mnist \
      --subset train --limit 10000 --pretrain-epochs 50 --seed 0 --threads 1 --out r.json
Prints progress lines and the result JSON as the last line.
"""
import json, sys, time
import numpy as np
import torch
import torch.nn as nn
from sklearn.cluster import KMeans
from torch_common import cdc_args, cdc_setup, dense_stack, metrics, provenance, soft_assign, target_distribution, write_json


def row_scores(a):
    k = 1.0 / (1.0 + torch.cdist(a, a) ** 2)
    return (k / k.sum(1, keepdim=True)).clamp(1e-10, 1.0)


def keras_kl(p, q):
    p = p.clamp(1e-7, 1.0); q = q.clamp(1e-7, 1.0)
    return (p * torch.log(p / q)).sum(1).mean()


def l_cr(z, other):
    return keras_kl(target_distribution(row_scores(z)), row_scores(other))


def l_aff(q, z):
    return keras_kl(target_distribution(row_scores(q)), row_scores(z))


def main():
    ap = cdc_args(__doc__.split("\n")[0], subset="all", limit=0, h=100)
    ap.add_argument("--pretrain-opt", choices=["sgd", "adam"], default="sgd")
    ap.add_argument("--pretrain-lr", type=float, default=0.1)
    ap.add_argument("--init", choices=["variance-scaling", "glorot"], default="variance-scaling")
    ap.add_argument("--no-corr-pretrain", action="store_true")
    ap.add_argument("--corr-wt", type=float, default=0.001)
    ap.add_argument("--reg-wt", type=float, default=0.001)
    ap.add_argument("--aff-wt", type=float, default=0.75)
    a = ap.parse_args()
    X, y, gen, n, k, dims = cdc_setup(a)
    bs = 64
    enc, dec = dense_stack(dims, a.init), dense_stack(dims[::-1], a.init)
    params = list(enc.parameters()) + list(dec.parameters())
    corr_wt = 0.0 if a.no_corr_pretrain else a.corr_wt
    t0 = time.time()

    def encode():
        with torch.no_grad():
            return torch.cat([enc(X[s:s + 4096]) for s in range(0, n, 4096)])

    opt = torch.optim.SGD(params, lr=a.pretrain_lr, momentum=0.9) if a.pretrain_opt == "sgd" else torch.optim.Adam(params, lr=1e-3, eps=1e-7)
    for ep in range(a.pretrain_epochs):
        perm = torch.randperm(n, generator=gen)
        total = 0.0
        for s in range(0, n, bs):
            b = X[perm[s:s + bs]]
            z = enc(b); xr = dec(z)
            loss = ((xr - b) ** 2).mean()
            if corr_wt > 0:
                loss = loss + corr_wt * (l_cr(z, b) + l_cr(z, xr))
            opt.zero_grad(); loss.backward(); opt.step()
            total += float(loss) * len(b)
        print(json.dumps({"phase": "pretrain", "epoch": ep + 1, "loss": total / n, "seconds": round(time.time() - t0)}), flush=True)
    t_pre = time.time() - t0

    km = KMeans(n_clusters=k, n_init=20, random_state=7).fit(encode().numpy())
    mu = nn.Parameter(torch.tensor(km.cluster_centers_, dtype=torch.float32))
    opt = torch.optim.SGD([mu] + params, lr=0.01, momentum=0.9)
    index_array = np.arange(n)
    rng = np.random.default_rng(a.seed)
    index, log = 0, []
    for it in range(a.iterations):
        if it % a.h == 0:
            with torch.no_grad():
                q_all = soft_assign(encode(), mu)
                p_all = target_distribution(q_all)
            log.append({"iteration": it, **metrics(y, q_all.argmax(1).numpy())})
            if it % 1000 == 0:
                print(json.dumps({"phase": "cluster", **log[-1], "seconds": round(time.time() - t0)}), flush=True)
        idx = torch.from_numpy(index_array[index * bs: min((index + 1) * bs, n)])
        b, p = X[idx], p_all[idx]
        z = enc(b); q = soft_assign(z, mu)
        loss = keras_kl(p, q)
        if a.aff_wt > 0:
            loss = loss + a.aff_wt * l_aff(q, z)
        if a.reg_wt > 0:
            loss = loss + a.reg_wt * (l_cr(z, b) + l_cr(z, dec(z)))
        opt.zero_grad(); loss.backward(); opt.step()
        index = index + 1 if (index + 1) * bs <= n else 0
        if index == 0:
            rng.shuffle(index_array)
    with torch.no_grad():
        final = metrics(y, soft_assign(encode(), mu).argmax(1).numpy())
    result = {
        "reference": "bench/torch_cdc_authors.py (PyTorch port of the authors' our_HDC.py, Fashion-MNIST settings)",
        **provenance(),
        "subset": a.subset, "rows": n, "seed": a.seed, "pretrainEpochs": a.pretrain_epochs, "pretrainOptimizer": f"{a.pretrain_opt} lr {a.pretrain_lr if a.pretrain_opt == 'sgd' else 1e-3}",
        "init": a.init, "corrPretrain": corr_wt, "iterations": a.iterations, "regWt": a.reg_wt, "affWt": a.aff_wt, "h": a.h, "threads": a.threads,
        "aeAccuracy": log[0], "clusterAccuracyLastRefresh": log[-1], "final": final, "refreshLog": log,
        "seconds": {"pretrain": round(t_pre), "total": round(time.time() - t0)},
    }
    if a.out:
        write_json(a.out, result)
    print(json.dumps({kk: v for kk, v in result.items() if kk != "refreshLog"}))


if __name__ == "__main__":
    sys.exit(main())
