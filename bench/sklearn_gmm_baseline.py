#!/usr/bin/env python3
"""scikit-learn side of `deepclust bench user-suite` (sklearn_gmm_baseline.py): the GMM baseline (GaussianMixture with the
true k on the standardized features; full covariances up to 100 features, diagonal above).

    python3 bench/sklearn_gmm.py --data x.f32 --rows N --cols D --k 10 --seed 0
Prints one JSON line: {"labels", "covariance", "seconds", "sklearn"}.
"""
import argparse, json, time

import numpy as np
import sklearn
from sklearn.mixture import GaussianMixture

p = argparse.ArgumentParser()
p.add_argument("--data", required=True)
p.add_argument("--rows", type=int, required=True)
p.add_argument("--cols", type=int, required=True)
p.add_argument("--k", type=int, required=True)
p.add_argument("--seed", type=int, default=0)
a = p.parse_args()
x = np.fromfile(a.data, dtype=np.float32).reshape(a.rows, a.cols).astype(np.float64)
cov = "full" if a.cols <= 100 else "diag"
t = time.perf_counter()
gm = GaussianMixture(n_components=a.k, covariance_type=cov, n_init=3, reg_covar=1e-4, random_state=a.seed).fit(x)
labels = gm.predict(x)
print(json.dumps({"labels": [int(v) for v in labels], "covariance": cov, "seconds": time.perf_counter() - t, "sklearn": sklearn.__version__}))
