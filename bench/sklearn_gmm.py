#!/usr/bin/env python3
"""scikit-learn side of `deepclust bench gmm`: times GaussianMixture on the same data (raw float64 file).

    python3 bench/sklearn_gmm.py --data x.f64 --rows N --cols D --k 10 --cov full --seed 0 [--n-init 1]
Prints one JSON line: {"seconds", "score", "lower_bound", "n_iter", "converged", "sklearn", "threads"}.
"""
import argparse, json, os, time

import numpy as np
import sklearn
from sklearn.mixture import GaussianMixture

p = argparse.ArgumentParser()
p.add_argument("--data", required=True)
p.add_argument("--rows", type=int, required=True)
p.add_argument("--cols", type=int, required=True)
p.add_argument("--k", type=int, default=10)
p.add_argument("--cov", default="full")
p.add_argument("--n-init", type=int, default=1)
p.add_argument("--seed", type=int, default=0)
a = p.parse_args()
x = np.fromfile(a.data, dtype=np.float64).reshape(a.rows, a.cols)
t = time.perf_counter()
gm = GaussianMixture(n_components=a.k, covariance_type=a.cov, n_init=a.n_init, random_state=a.seed).fit(x)
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "score": float(gm.score(x)), "lower_bound": float(gm.lower_bound_), "n_iter": int(gm.n_iter_),
                  "converged": bool(gm.converged_), "sklearn": sklearn.__version__, "threads": os.cpu_count()}))
