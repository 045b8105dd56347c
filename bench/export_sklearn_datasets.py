#!/usr/bin/env python3
"""Exports scikit-learn's bundled tables to CSV (features, then a `label` column): digits, wine and
breast cancer for `deepclust bench user-suite` (the default), iris for `deepclust bench heldout`.
The files are data: they go to a cache folder outside the repository and are never committed.

Usage: python3 bench/export_sklearn_datasets.py [out_dir [name ...]]
       (default: $DEEPCLUST_CACHE_DIR/user-suite, else ~/.cache/deepclust/user-suite;
        names: digits wine breast-cancer iris, default the first three)
Needs python3-sklearn (apt-get install -y python3-sklearn); the data ship with scikit-learn.
"""
import csv
import os
import sys

from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine

LOADERS = {"digits": load_digits, "wine": load_wine, "breast-cancer": load_breast_cancer, "iris": load_iris}
USER_SUITE = ("digits", "wine", "breast-cancer")


def default_dir() -> str:
    base = os.environ.get("DEEPCLUST_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "deepclust")
    return os.path.join(base, "user-suite")


def main() -> None:
    out = sys.argv[1] if len(sys.argv) > 1 else default_dir()
    os.makedirs(out, exist_ok=True)
    names = sys.argv[2:] or USER_SUITE
    unknown = [n for n in names if n not in LOADERS]
    if unknown:
        sys.exit(f"unknown table(s) {', '.join(unknown)}; choose from {', '.join(LOADERS)}")
    for name in names:
        ds = LOADERS[name]()
        path = os.path.join(out, f"{name}.csv")
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
