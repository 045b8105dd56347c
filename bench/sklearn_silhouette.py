#!/usr/bin/env python3
"""scikit-learn side of `deepclust bench silhouette`: times the exact silhouette_score on the same data.

    python3 bench/sklearn_silhouette.py --data x.f64 --labels y.i32 --rows N --cols D
Prints one JSON line: {"seconds", "silhouette", "sklearn"}.
"""
import argparse, json, time

import numpy as np
import sklearn
from sklearn.metrics import silhouette_score

p = argparse.ArgumentParser()
p.add_argument("--data", required=True)
p.add_argument("--labels", required=True)
p.add_argument("--rows", type=int, required=True)
p.add_argument("--cols", type=int, required=True)
a = p.parse_args()
x = np.fromfile(a.data, dtype=np.float64).reshape(a.rows, a.cols)
y = np.fromfile(a.labels, dtype=np.int32)
t = time.perf_counter()
s = silhouette_score(x, y)
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "silhouette": float(s), "sklearn": sklearn.__version__}))
