#!/usr/bin/env python3
"""umap-learn side of `deepclust bench umap`: fits umap-learn on the same rows (raw float32 file)
with the same settings, and when labels are given scores a Gaussian mixture (k = classes, full,
n_init 4) on its embedding with the same ACC as ours.

    python3 bench/umap_learn_ref.py --data x.f32 --rows N --cols D --components 10 --neighbors 20 --min-dist 0 --seed 0 [--labels y.i32] [--init spectral]
Prints one JSON line: {"seconds", "jit_seconds", "acc", "nmi", "umap_learn", "init"}.
Needs Debian's umap-learn package (apt-get install -y umap-learn).
"""
import argparse, json, time

import numpy as np
import umap
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import normalized_mutual_info_score
from sklearn.mixture import GaussianMixture

p = argparse.ArgumentParser()
p.add_argument("--data", required=True)
p.add_argument("--rows", type=int, required=True)
p.add_argument("--cols", type=int, required=True)
p.add_argument("--components", type=int, default=10)
p.add_argument("--neighbors", type=int, default=20)
p.add_argument("--min-dist", type=float, default=0.0)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--init", default="spectral")
p.add_argument("--labels")
a = p.parse_args()
x = np.fromfile(a.data, dtype=np.float32).reshape(a.rows, a.cols)
# numba compiles on first use: time a tiny fit first so the timing below is the algorithm's
t = time.perf_counter()
umap.UMAP(n_components=a.components, n_neighbors=5, min_dist=a.min_dist, random_state=a.seed, n_epochs=5).fit_transform(x[: min(500, a.rows)])
jit = time.perf_counter() - t
t = time.perf_counter()
e = umap.UMAP(n_components=a.components, n_neighbors=a.neighbors, min_dist=a.min_dist, random_state=a.seed, init=a.init).fit_transform(x)
seconds = time.perf_counter() - t
out = {"seconds": seconds, "jit_seconds": jit, "init": a.init, "umap_learn": "0.5.3 (Debian)"}
if a.labels:
    y = np.fromfile(a.labels, dtype=np.int32)
    k = len(np.unique(y))
    pred = GaussianMixture(k, covariance_type="full", n_init=4, random_state=a.seed).fit(e).predict(e)
    w = np.zeros((k, k), dtype=np.int64)
    for pi, yi in zip(pred, y):
        w[pi, yi] += 1
    r, c = linear_sum_assignment(-w)
    out["acc"] = float(w[r, c].sum() / len(y))
    out["nmi"] = float(normalized_mutual_info_score(y, pred))
print(json.dumps(out))
