#!/usr/bin/env python3
"""scikit-learn side of `deepclust bench kmeans`: times KMeans on the same data (raw float32/64 file).

    python3 bench/sklearn_kmeans.py --data x.f32 --rows N --cols D --dtype float32 --k 10 --n-init 10 --seed 0
Prints one JSON line: {"seconds", "inertia", "n_iter", "sklearn", "threads"}.
"""
import argparse, json, os, time

import numpy as np
import sklearn
from sklearn.cluster import KMeans

p = argparse.ArgumentParser()
p.add_argument("--data", required=True)
p.add_argument("--rows", type=int, required=True)
p.add_argument("--cols", type=int, required=True)
p.add_argument("--dtype", default="float32", choices=["float32", "float64"])
p.add_argument("--k", type=int, default=10)
p.add_argument("--n-init", type=int, default=10)
p.add_argument("--seed", type=int, default=0)
a = p.parse_args()
x = np.fromfile(a.data, dtype=np.float32).reshape(a.rows, a.cols).astype(a.dtype)
t = time.perf_counter()
km = KMeans(n_clusters=a.k, n_init=a.n_init, random_state=a.seed).fit(x)
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "inertia": float(km.inertia_), "n_iter": int(km.n_iter_), "sklearn": sklearn.__version__, "threads": os.cpu_count()}))
