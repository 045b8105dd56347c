#!/usr/bin/env python3
"""Exports scikit-learn's bundled iris table to CSV (features, then a `label` column) for
`deepclust bench heldout`. The file is data: it goes to a cache folder outside the repository and
is never committed.

Usage: python3 bench/export_heldout_sklearn.py [out_dir]
       (default: $DEEPCLUST_CACHE_DIR/heldout, else ~/.cache/deepclust/heldout)
Needs python3-sklearn (apt-get install -y python3-sklearn); the data ship with scikit-learn.
"""
import csv
import os
import sys

from sklearn.datasets import load_iris


def default_dir() -> str:
    base = os.environ.get("DEEPCLUST_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "deepclust")
    return os.path.join(base, "heldout")


def main() -> None:
    out = sys.argv[1] if len(sys.argv) > 1 else default_dir()
    os.makedirs(out, exist_ok=True)
    ds = load_iris()
    path = os.path.join(out, "iris.csv")
    tmp = f"{path}.tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([f"f{i}" for i in range(ds.data.shape[1])] + ["label"])
        for row, label in zip(ds.data, ds.target):
            w.writerow([repr(float(v)) for v in row] + [int(label)])
    os.replace(tmp, path)
    print(f"{path}: {ds.data.shape[0]} x {ds.data.shape[1]}, {len(set(ds.target))} classes")


if __name__ == "__main__":
    main()
