#!/usr/bin/env python3
"""PyTorch + scikit-learn re-implementation of Aljalbout et al.'s released conv-autoencoder code.

An independent cross-check of deepclust's `conv-dec` preset: written from the authors' Lasagne code
(github.com/elieJalbout/Clustering-with-Deep-learning, network.py + archs/mnist.json architecture 1,
the one their README reports), not from deepclust. The network, step for step:

  encoder  conv 50@5x5 -> BN -> ReLU -> max-pool 2 -> conv 50@5x5 -> BN -> ReLU -> max-pool 2
           -> conv 120@4x4 -> BN (linear: the 120-d code)
  decoder  deconv 50@4x4 -> BN (linear) -> unpool -> deconv 50@5x5 -> BN -> ReLU -> unpool
           -> deconv 1@5x5 -> ReLU
  (Lasagne's batch_norm drops the conv bias; BN epsilon 1e-4, running-average weight 0.1;
  Glorot-uniform weights, zero biases.)

Unpooling is Lasagne's InverseLayer, i.e. Theano's max-pool gradient: the value goes to every
position equal to its window's maximum (`--unpool ties`, default) or, as PyTorch's MaxUnpool2d,
to the first arg-max only (`--unpool argmax`).

Pretraining: mean squared error + 5e-5 * sum of squares of the conv weights and batch-norm gammas
(Lasagne's regularizable parameters; `--l2-conv-only` leaves the gammas out), Nesterov SGD lr 0.01
momentum 0.9, lr x0.9999 per epoch, batch 100, shuffled, last partial batch dropped.
Clustering: k-means (20 inits) on the code (BN in inference mode) gives the centres; then each
epoch Q is computed for all rows (BN in training mode, as their non-deterministic expression), P =
Q^2/f normalised, and every batch minimises KL(P||Q) summed over the batch + MSE with Nesterov SGD
lr 0.01 on the network and the centres; finally k-means on the code.

Usage (Debian's python3-torch and python3-sklearn):
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_conv_dec.py --data ../shared/data/mnist \
      --subset test --pretrain-epochs 50 --cluster-epochs 50 --seed 0 --threads 2 [--out r.json]
Prints one progress line per evaluation and the result JSON as the last line.
"""
import argparse, json, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.cluster import KMeans
from torch_common import load_idx, metrics, soft_assign, write_json


def bn(c):
    # Lasagne BatchNormLayer: epsilon 1e-4, running averages with alpha 0.1
    return nn.BatchNorm2d(c, eps=1e-4, momentum=0.1)


def pool_with_mask(h, ties):
    """Max-pool 2x2 and remember where each window's maximum was (all ties, or the first arg-max)."""
    if ties:
        p = F.max_pool2d(h, 2)
        up = p.repeat_interleave(2, dim=2).repeat_interleave(2, dim=3)
        return p, (h == up).to(h.dtype)
    p, idx = F.max_pool2d(h, 2, return_indices=True)
    return p, idx


def unpool(y, switch, ties, size):
    if ties:
        return y.repeat_interleave(2, dim=2).repeat_interleave(2, dim=3) * switch
    return F.max_unpool2d(y, switch, 2, output_size=size)


class ConvAE(nn.Module):
    def __init__(self, ties):
        super().__init__()
        self.ties = ties
        self.c1, self.b1 = nn.Conv2d(1, 50, 5, bias=False), bn(50)
        self.c2, self.b2 = nn.Conv2d(50, 50, 5, bias=False), bn(50)
        self.c3, self.b3 = nn.Conv2d(50, 120, 4, bias=False), bn(120)
        self.d3, self.e3 = nn.ConvTranspose2d(120, 50, 4, bias=False), bn(50)
        self.d2, self.e2 = nn.ConvTranspose2d(50, 50, 5, bias=False), bn(50)
        self.d1 = nn.ConvTranspose2d(50, 1, 5, bias=True)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
                nn.init.xavier_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def regularized(self, l2_gamma=True):
        # Lasagne's regularize_network_params takes the parameters tagged regularizable: the conv
        # weights and the batch-norm scales gamma (not beta, not the output bias)
        ws = [self.c1.weight, self.c2.weight, self.c3.weight, self.d3.weight, self.d2.weight, self.d1.weight]
        gammas = [b.weight for b in (self.b1, self.b2, self.b3, self.e3, self.e2)]
        return ws + gammas if l2_gamma else ws

    def forward(self, x):
        h1 = F.relu(self.b1(self.c1(x)))            # 50x24x24
        p1, s1 = pool_with_mask(h1, self.ties)      # 50x12x12
        h2 = F.relu(self.b2(self.c2(p1)))           # 50x8x8
        p2, s2 = pool_with_mask(h2, self.ties)      # 50x4x4
        z = self.b3(self.c3(p2))                    # 120x1x1, linear
        g3 = self.e3(self.d3(z))                    # 50x4x4, linear
        u2 = unpool(g3, s2, self.ties, h2.shape[2:])
        g2 = F.relu(self.e2(self.d2(u2)))           # 50x12x12
        u1 = unpool(g2, s1, self.ties, h1.shape[2:])
        out = F.relu(self.d1(u1))                   # 1x28x28
        return z.flatten(1), out


def batches(n, size, shuffle, gen):
    order = torch.randperm(n, generator=gen) if shuffle else torch.arange(n)
    for s in range(0, n - size + 1, size):
        yield order[s:s + size]


def encode_all(model, X, size, train_mode):
    model.train(train_mode)
    zs = []
    with torch.no_grad():
        for s in range(0, len(X), size):
            zs.append(model(X[s:s + size])[0])
    model.train(True)
    return torch.cat(zs)


def kmeans(z, k, seed):
    km = KMeans(n_clusters=k, n_init=20, random_state=seed).fit(z)
    return km.labels_, km.cluster_centers_


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/data/mnist")
    ap.add_argument("--subset", choices=["train", "test", "all"], default="test")
    ap.add_argument("--pretrain-epochs", type=int, default=50)
    ap.add_argument("--cluster-epochs", type=int, default=50)
    ap.add_argument("--l2-conv-only", action="store_true", help="L2 on the conv weights only, not on the batch-norm gammas (the records before 2026-12-07)")
    ap.add_argument("--eval-every", type=int, default=10)
    ap.add_argument("--unpool", choices=["ties", "argmax"], default="ties")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--p-batchnorm", choices=["batch", "running"], default="batch",
                    help="BN statistics when computing Q for the target P: the batch's (their code) or the running averages")
    ap.add_argument("--save-pretrained", help="save the pretrained network's state here")
    ap.add_argument("--load-pretrained", help="skip pretraining: start from this saved state")
    ap.add_argument("--out")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    gen = torch.Generator().manual_seed(a.seed)
    x, y = load_idx(a.data, a.subset)
    x = x[:, None, :, :]
    X = torch.from_numpy(x)
    n, bs, k = len(X), 100, 10
    model = ConvAE(a.unpool == "ties")
    t0 = time.time()
    log = []

    def report(phase, epoch, loss, z):
        pred, _ = kmeans(z.numpy(), k, a.seed)
        m = metrics(y, pred)
        row = {"phase": phase, "epoch": epoch, "loss": loss, **m, "seconds": round(time.time() - t0)}
        log.append(row)
        print(json.dumps(row), flush=True)
        return m

    lr = 0.01
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, nesterov=True)
    if a.load_pretrained:
        model.load_state_dict(torch.load(a.load_pretrained))
        a.pretrain_epochs = 0
    for ep in range(a.pretrain_epochs):
        total, count = 0.0, 0
        for idx in batches(n, bs, True, gen):
            b = X[idx]
            _, out = model(b)
            loss = F.mse_loss(out, b) + 5e-5 * sum((w ** 2).sum() for w in model.regularized(not a.l2_conv_only))
            opt.zero_grad(); loss.backward(); opt.step()
            total += float(loss); count += 1
        lr *= 0.9999
        for g in opt.param_groups:
            g["lr"] = lr
        if (ep + 1) % a.eval_every == 0 or ep + 1 == a.pretrain_epochs:
            report("pretrain", ep + 1, total / count, encode_all(model, X, bs, False))
        else:
            print(json.dumps({"phase": "pretrain", "epoch": ep + 1, "loss": total / count, "seconds": round(time.time() - t0)}), flush=True)
    t_pre = time.time() - t0
    if a.save_pretrained:
        torch.save(model.state_dict(), a.save_pretrained)

    z = encode_all(model, X, bs, False)
    init_pred, centres = kmeans(z.numpy(), k, a.seed)
    init = metrics(y, init_pred)
    mu = nn.Parameter(torch.tensor(centres, dtype=torch.float32))
    opt = torch.optim.SGD(list(model.parameters()) + [mu], lr=0.01, momentum=0.9, nesterov=True)
    for ep in range(a.cluster_epochs):
        model.train(a.p_batchnorm == "batch")
        with torch.no_grad():
            q_all = torch.cat([soft_assign(model(X[s:s + bs])[0], mu) for s in range(0, n - bs + 1, bs)])
            p_all = q_all ** 2 / q_all.sum(0)
            p_all = p_all / p_all.sum(1, keepdim=True)
        model.train(True)
        total, count = 0.0, 0
        for idx in batches(len(p_all), bs, True, gen):
            b = X[idx]
            zb, out = model(b)
            q = soft_assign(zb, mu)
            p = p_all[idx]
            loss = (p * torch.log(p / q)).sum() + F.mse_loss(out, b)
            opt.zero_grad(); loss.backward(); opt.step()
            total += float(loss); count += 1
        if (ep + 1) % a.eval_every == 0 or ep + 1 == a.cluster_epochs:
            report("cluster", ep + 1, total / count, encode_all(model, X, bs, False))
    z = encode_all(model, X, bs, False)
    final_pred, _ = kmeans(z.numpy(), k, a.seed)
    result = {
        "reference": "bench/torch_conv_dec.py (PyTorch re-implementation of Aljalbout et al.'s Lasagne code)",
        "subset": a.subset, "rows": n, "seed": a.seed, "unpool": a.unpool, "pBatchnorm": a.p_batchnorm,
        "loadPretrained": a.load_pretrained, "l2": "conv weights" if a.l2_conv_only else "conv weights + batch-norm gammas",
        "pretrainEpochs": a.pretrain_epochs, "clusterEpochs": a.cluster_epochs, "threads": a.threads,
        "kmeansOnPretrainedCode": init, "final": metrics(y, final_pred),
        "seconds": {"pretrain": round(t_pre), "total": round(time.time() - t0)},
        "log": log,
    }
    if a.out:
        write_json(a.out, result)
    print(json.dumps({k2: v for k2, v in result.items() if k2 != "log"}))


if __name__ == "__main__":
    sys.exit(main())
