#!/usr/bin/env python3
"""PyTorch + scikit-learn re-implementation of CDC as issue 6 specifies it (Trinh & Pham).

An independent cross-check of deepclust's `cdc` preset, written from the issue's text (the paper
and its code could not be found), so it tests our engine and our reading, not the paper:

  C(A)_ij   = (1 + |a_i - a_j|^2)^-1 / sum_{k!=l} (1 + |a_k - a_l|^2)^-1  (i != j), per batch
  L_cr(Z,X) = KL(C_Z || C_X)      (X, X' are targets: no gradient through C_X, C_X')
  L_AE      = lambda [L_cr(Z,X) + L_cr(Z,X')] + L_r            (L_r: mean squared error)
  L_c       = KL(P || Q) (batch mean), Q Student-t (alpha 1), P = Q^2/f normalised, every h iterations
  L_a       = KL(C_Q || C_Z),  L_re = L_cr(Z,X) + L_cr(Z,X'),  L_DC = L_c + eta L_a + beta L_re
  Algorithm 1, each iteration: centres by L_c + eta L_a, decoder by L_AE, encoder by L_DC.

Network d-500-500-2000-10 (ReLU, linear code and output, Glorot-uniform weights, zero biases);
SGD momentum 0.9, lr 0.01, batch 64 in both phases; lambda 0.001, eta 0.75, beta 0.001, h 50,
T 5000 iterations; k-means (20 inits) gives the centres; pretraining length is a choice (100
epochs, as the preset). Data: Fashion-MNIST idx files, pixels / 255; `--limit N` takes a
stratified random subset of N rows (seeded).

Usage (Debian's python3-torch and python3-sklearn):
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_cdc.py --data ../shared/data/fashion-mnist \
      --subset train --limit 10000 --pretrain-epochs 50 --seed 0 --threads 1 [--out r.json]
Prints progress lines and the result JSON as the last line.
"""
import json, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.cluster import KMeans
from torch_common import cdc_args, cdc_setup, dense_stack, metrics, provenance, soft_assign, target_distribution, write_json


def scores(a):
    k = 1.0 / (1.0 + torch.cdist(a, a) ** 2)
    k = k * (1 - torch.eye(len(a)))
    return k / k.sum()


def kl(cp, cq, eps=1e-12):
    return (cp * (torch.log(cp + eps) - torch.log(cq + eps))).sum()


def l_cr(z, x):
    return kl(scores(z), scores(x).detach())


def main():
    ap = cdc_args(__doc__.split("\n")[0])
    ap.add_argument("--lam", type=float, default=0.001)
    ap.add_argument("--eta", type=float, default=0.75)
    ap.add_argument("--beta", type=float, default=0.001)
    a = ap.parse_args()
    X, y, gen, n, k, dims = cdc_setup(a)
    bs = 64
    enc, dec = dense_stack(dims), dense_stack(dims[::-1])
    t0 = time.time()

    def encode():
        with torch.no_grad():
            return enc(X)

    def kmeans(z):
        km = KMeans(n_clusters=k, n_init=20, random_state=a.seed).fit(z.numpy())
        return km.labels_, km.cluster_centers_

    opt = torch.optim.SGD(list(enc.parameters()) + list(dec.parameters()), lr=0.01, momentum=0.9)
    for ep in range(a.pretrain_epochs):
        perm = torch.randperm(n, generator=gen)
        total = 0.0
        for s in range(0, n, bs):
            b = X[perm[s:s + bs]]
            if len(b) < 2:
                continue
            z = enc(b); xr = dec(z)
            loss = F.mse_loss(xr, b) + a.lam * (l_cr(z, b) + l_cr(z, xr))
            opt.zero_grad(); loss.backward(); opt.step()
            total += float(loss) * len(b)
        line = {"phase": "pretrain", "epoch": ep + 1, "loss": total / n, "seconds": round(time.time() - t0)}
        if (ep + 1) % 10 == 0 or ep + 1 == a.pretrain_epochs:
            line.update(metrics(y, kmeans(encode())[0]))
        print(json.dumps(line), flush=True)
    t_pre = time.time() - t0

    init_pred, centres = kmeans(encode())
    init = metrics(y, init_pred)
    mu = nn.Parameter(torch.tensor(centres, dtype=torch.float32))
    opt = torch.optim.SGD([mu] + list(dec.parameters()) + list(enc.parameters()), lr=0.01, momentum=0.9)
    perm, cursor, p_all = None, n, None
    for it in range(a.iterations):
        if it % a.h == 0:
            with torch.no_grad():
                p_all = target_distribution(soft_assign(enc(X), mu))
        if cursor + bs > n:
            perm, cursor = torch.randperm(n, generator=gen), 0
        idx = perm[cursor:cursor + bs]; cursor += bs
        b, p = X[idx], p_all[idx]
        z = enc(b); xr = dec(z); q = soft_assign(z, mu)
        l_c = (p * torch.log(p / q)).sum(1).mean()
        l_a = kl(scores(q), scores(z))
        l_re = l_cr(z, b) + l_cr(z, xr)
        l_ae = a.lam * l_re + F.mse_loss(xr, b)
        l_centres = l_c + a.eta * l_a
        l_dc = l_centres + a.beta * l_re
        g_mu = torch.autograd.grad(l_centres, [mu], retain_graph=True)
        g_dec = torch.autograd.grad(l_ae, list(dec.parameters()), retain_graph=True)
        g_enc = torch.autograd.grad(l_dc, list(enc.parameters()))
        for prm, g in zip([mu] + list(dec.parameters()) + list(enc.parameters()), list(g_mu) + list(g_dec) + list(g_enc)):
            prm.grad = g
        opt.step()
        if (it + 1) % 1000 == 0:
            with torch.no_grad():
                pred = soft_assign(enc(X), mu).argmax(1).numpy()
            print(json.dumps({"phase": "cluster", "iteration": it + 1, "L_c": float(l_c), "L_a": float(l_a), **metrics(y, pred), "seconds": round(time.time() - t0)}), flush=True)
    with torch.no_grad():
        pred = soft_assign(enc(X), mu).argmax(1).numpy()
    result = {
        "reference": "bench/torch_cdc.py (PyTorch re-implementation of CDC as issue 6 specifies it)",
        **provenance(),
        "subset": a.subset, "rows": n, "seed": a.seed, "pretrainEpochs": a.pretrain_epochs, "iterations": a.iterations,
        "lambda": a.lam, "eta": a.eta, "beta": a.beta, "h": a.h, "threads": a.threads,
        "kmeansOnPretrainedCode": init, "final": metrics(y, pred),
        "seconds": {"pretrain": round(t_pre), "total": round(time.time() - t0)},
    }
    if a.out:
        write_json(a.out, result)
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
